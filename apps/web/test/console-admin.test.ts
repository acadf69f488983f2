import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DESKTOP,
  launchChromium,
  PHONE,
  screenshot,
  seriousViolations,
} from "./support/browser.js";
import { type HushServer, startHushServer } from "./support/hush-server.js";

// One server, one browser and one page for the whole file: the steps build on each other the
// way an admin's session does.
let server: HushServer;
let browser: Browser;
let page: Page;
const requests: Array<{ url: string; body: string }> = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startHushServer(), launchChromium()]);
  const context = await browser.newContext({ viewport: DESKTOP });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  page = await context.newPage();
  page.on("request", (request) => {
    requests.push({ url: request.url(), body: request.postData() ?? "" });
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
}, 30_000);

async function secretValue(name: string): Promise<unknown> {
  const answer = await server.graphql(
    server.adminToken,
    "query ($n: String!) { secretValue(name: $n) }",
    {
      n: name,
    },
  );
  return answer.data?.secretValue;
}

/** The value is nowhere in the page, its fields, its storage or its requests but `mutations` SetSecret requests. */
async function expectValueNowhere(value: string, mutations: number): Promise<void> {
  expect(await page.content()).not.toContain(value);
  const fields = await page.evaluate(() =>
    [...document.querySelectorAll("input, textarea")].map(
      (field) => (field as HTMLInputElement).value,
    ),
  );
  expect(fields.join("\n")).not.toContain(value);
  const storage = await page.evaluate(() =>
    JSON.stringify({ session: { ...sessionStorage }, local: { ...localStorage } }),
  );
  expect(storage).not.toContain(value);
  const carrying = requests.filter((r) => r.url.includes(value) || r.body.includes(value));
  expect(carrying).toHaveLength(mutations);
  for (const request of carrying) expect(request.body).toContain("mutation SetSecret");
}

/** Polls until the page settles: a fetch may still be on its way after a heading shows. */
function eventually<T>(read: () => Promise<T> | T) {
  return expect.poll(read, { timeout: 20_000 });
}

function row(name: string) {
  return page.getByRole("row").filter({ has: page.getByRole("rowheader", { name, exact: true }) });
}

describe("the web console, as a tenant admin", () => {
  it("is served at / with a strict CSP and no inline script", async () => {
    const response = await page.goto(`${server.url}/`);
    expect(response?.status()).toBe(200);
    const csp = response?.headers()["content-security-policy"] ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    const html = (await response?.text()) ?? "";
    expect(html.match(/<script\b[^>]*>/g)?.every((tag) => tag.includes(" src="))).toBe(true);
    await expect(page.getByLabel("API token").isVisible()).resolves.toBe(true);
    await screenshot(page, "sign-in-desktop");
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("refuses an unknown token with the server's message and request id", async () => {
    await page.getByLabel("API token").fill("hush_not-a-real-token");
    await page.getByRole("button", { name: "Sign in" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/UNAUTHENTICATED.*request id/s);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });

  it("signs in with a token kept in sessionStorage only; the header shows tenant, role and token", async () => {
    await page.getByLabel("API token").fill(server.adminToken);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Secrets" }).waitFor();
    const who = await page.getByLabel("Signed in as").textContent();
    expect(who).toContain("default");
    expect(who).toContain("TENANT_ADMIN");
    const me = await server.graphql(server.adminToken, "{ me { tokenName } }");
    expect(who).toContain((me.data!.me as { tokenName: string }).tokenName);
    expect(page.url()).not.toContain(server.adminToken);
    expect(await page.evaluate(() => Object.values(sessionStorage))).toEqual([server.adminToken]);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    expect(await page.evaluate(() => document.cookie)).toBe("");
  });

  it("creates a secret with a text value that is written once and shown nowhere", async () => {
    await page.getByRole("button", { name: "New secret" }).click();
    await page.getByLabel("Name", { exact: true }).fill("DB_PASSWORD");
    await page.getByLabel("Value", { exact: true }).fill("text-value-9f3a");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved DB_PASSWORD as version 1.").waitFor();
    await row("DB_PASSWORD").waitFor();
    expect(await secretValue("DB_PASSWORD")).toBe("text-value-9f3a");
    await expectValueNowhere("text-value-9f3a", 1);
  });

  it("updates it with a JSON value that is checked before anything is sent", async () => {
    await page.getByRole("button", { name: "Set value for DB_PASSWORD" }).click();
    await page.getByLabel("JSON (checked before it is sent)").check();
    const value = page.getByLabel("Value", { exact: true });
    await value.fill('{"user": "app", "password": "json-value-7c21"');
    await page.getByRole("button", { name: "Save" }).click();
    const problem = await page.getByRole("alert").textContent();
    expect(problem).toMatch(/not valid JSON/);
    expect(problem).not.toContain("json-value-7c21");
    expect(requests.filter((r) => r.body.includes("json-value-7c21"))).toHaveLength(0);

    await value.fill('{"user": "app", "password": "json-value-7c21"}');
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved DB_PASSWORD as version 2.").waitFor();
    expect(await secretValue("DB_PASSWORD")).toEqual({ user: "app", password: "json-value-7c21" });
    await expectValueNowhere("json-value-7c21", 1);
    await expectValueNowhere("text-value-9f3a", 1);
  });

  it("lists names a page at a time and filters them as the user types", async () => {
    const created = Array.from({ length: 60 }, (_, i) => `APP_${String(i + 1).padStart(3, "0")}`);
    await Promise.all(
      created.map((n) =>
        server.graphql(
          server.adminToken,
          "mutation ($n: String!) { setSecret(input: {name: $n, value: 1}) { success } }",
          { n },
        ),
      ),
    );
    await page.reload();
    await row("APP_001").waitFor();
    expect(await page.getByRole("rowheader").count()).toBe(50);
    await page.getByRole("button", { name: "Next" }).click();
    await row("DB_PASSWORD").waitFor();
    const cells = await row("DB_PASSWORD").getByRole("cell").allTextContents();
    expect(cells[0]).toBe("2");
    expect(cells[2]).toBe("admin");
    expect(await page.getByRole("rowheader").allTextContents()).toEqual([
      "APP_051",
      "APP_052",
      "APP_053",
      "APP_054",
      "APP_055",
      "APP_056",
      "APP_057",
      "APP_058",
      "APP_059",
      "APP_060",
      "DB_PASSWORD",
    ]);
    await screenshot(page, "secrets-desktop");

    // `_` is a LIKE wildcard: the filter must match it literally.
    await page.getByLabel("Filter by name").pressSequentially("APP_05");
    await page.getByRole("rowheader", { name: "APP_050" }).waitFor();
    const names = await page.getByRole("rowheader").allTextContents();
    expect(names).toHaveLength(10);
    expect(names.every((name) => name.startsWith("APP_05"))).toBe(true);
    await page.getByLabel("Filter by name").fill("NO_SUCH");
    await page.getByText("No secret name contains “NO_SUCH”.").waitFor();
    await page.getByLabel("Filter by name").fill("");
    await row("APP_001").waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("shows a secret's versions and rolls back after a confirmation", async () => {
    await page.getByLabel("Filter by name").fill("DB_PASS");
    await page.getByRole("link", { name: "DB_PASSWORD", exact: true }).click();
    await page.getByRole("heading", { name: "Versions of DB_PASSWORD" }).waitFor();
    await eventually(() => page.getByRole("rowheader").allTextContents()).toEqual(["2", "1"]);
    expect(await page.getByRole("row").nth(1).textContent()).toContain("Current");

    await page.getByRole("button", { name: "Roll back to version 1" }).click();
    const dialog = page.getByRole("dialog");
    expect(await dialog.getByRole("heading").textContent()).toBe(
      "Roll DB_PASSWORD back to version 1?",
    );
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect(await secretValue("DB_PASSWORD")).toEqual({ user: "app", password: "json-value-7c21" });

    await page.getByRole("button", { name: "Roll back to version 1" }).click();
    await screenshot(page, "rollback-dialog-desktop");
    await page.getByRole("dialog").getByRole("button", { name: "Roll back to version 1" }).click();
    await page.getByText("Rolled DB_PASSWORD back to version 1: it is now version 3.").waitFor();
    await eventually(() => page.getByRole("rowheader").allTextContents()).toEqual(["3", "2", "1"]);
    expect(await secretValue("DB_PASSWORD")).toBe("text-value-9f3a");
    await screenshot(page, "versions-desktop");
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("deletes a secret only after a confirmation that names it", async () => {
    await page.getByRole("link", { name: "← All secrets" }).click();
    await page.getByLabel("Filter by name").fill("DB_PASSWORD");
    await row("DB_PASSWORD").waitFor();
    await page.getByRole("button", { name: "Delete DB_PASSWORD" }).click();
    const dialog = page.getByRole("dialog");
    expect(await dialog.getByRole("heading").textContent()).toBe("Delete DB_PASSWORD?");
    await page.keyboard.press("Escape");
    expect(await row("DB_PASSWORD").count()).toBe(1);

    await page.getByRole("button", { name: "Delete DB_PASSWORD" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete DB_PASSWORD" }).click();
    await page.getByText(/^Deleted DB_PASSWORD\./).waitFor();
    await page.getByText("No secret name contains “DB_PASSWORD”.").waitFor();
    const names = await server.graphql(server.adminToken, "{ secretNames }");
    expect(names.data?.secretNames).not.toContain("DB_PASSWORD");
  });

  it("shows the audit log newest first, filtered by secret and action, paged", async () => {
    await page.getByRole("link", { name: "Audit" }).click();
    await page.getByRole("heading", { name: "Audit" }).waitFor();
    await page.getByRole("row").nth(1).waitFor();
    expect(await page.getByRole("row").nth(1).textContent()).toContain("Delete secret");
    expect(await page.getByRole("row").count()).toBe(51);
    await screenshot(page, "audit-desktop");

    await page.getByLabel("Secret name (exact)").fill("DB_PASSWORD");
    await page.getByLabel("Action").selectOption("ROLLBACK_SECRET");
    await eventually(() => page.getByRole("row").count()).toBe(2);
    expect(await page.getByRole("row").nth(1).textContent()).toMatch(/Roll backDB_PASSWORD3/);
    await page.getByLabel("Action").selectOption("");
    // The name filter applies once typing pauses (300 ms), maybe after the action did: wait for
    // the list that both filters give, every row about DB_PASSWORD.
    const dbPasswordRows = async () => (await page.getByRole("row").allTextContents()).slice(1);
    await eventually(async () => {
      const rows = await dbPasswordRows();
      return rows.length > 4 && rows.every((text) => text.includes("DB_PASSWORD"));
    }).toBe(true);
    expect((await dbPasswordRows())[0]).toContain("Delete secret");

    await page.getByLabel("Secret name (exact)").fill("");
    await page.getByLabel("Action").selectOption("SET_SECRET");
    await page.getByRole("button", { name: "Next" }).waitFor();
    await eventually(() => page.getByRole("row").count()).toBe(51);
    const setRows = (await page.getByRole("row").allTextContents()).slice(1);
    expect(setRows.every((text) => text.includes("Set value"))).toBe(true);
    await page.getByRole("button", { name: "Next" }).click();
    // 62 sets: 50 on the first page, 12 on the second.
    await eventually(() => page.getByRole("row").count()).toBe(13);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("creates a token shown once with a copy button, lists it and revokes it", async () => {
    await page.getByRole("link", { name: "Tokens" }).click();
    await page.getByRole("heading", { name: "Create a token" }).waitFor();
    await page.getByLabel("Name").fill("ci-runner");
    await page.getByLabel("Role").selectOption("RUNNER");
    await page.getByRole("button", { name: "Create token" }).click();
    const field = page.getByLabel("Token", { exact: true });
    await field.waitFor();
    const token = await field.inputValue();
    expect(token).toMatch(/^hush_/);
    await page.getByRole("button", { name: "Copy" }).click();
    await page.getByText("Copied to the clipboard.").waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    await screenshot(page, "token-created-desktop");
    const me = await server.graphql(token, "{ me { role tokenName } }");
    expect(me.data?.me).toEqual({ role: "RUNNER", tokenName: "ci-runner" });

    await page.getByRole("button", { name: "Done: hide it" }).click();
    expect(await page.content()).not.toContain(token);
    expect(await row("ci-runner").getByRole("cell").allTextContents()).toContain("Active");

    await page.getByRole("button", { name: "Revoke ci-runner" }).click();
    expect(await page.getByRole("dialog").getByRole("heading").textContent()).toBe(
      "Revoke ci-runner?",
    );
    await page.getByRole("dialog").getByRole("button", { name: "Revoke ci-runner" }).click();
    await page.getByText("Revoked ci-runner: it no longer works.").waitFor();
    expect(await row("ci-runner").getByRole("cell").allTextContents()).toContain("Revoked");
    const after = await server.graphql(token, "{ me { role } }");
    expect(after.errors?.[0]?.message).toBeDefined();
    await screenshot(page, "tokens-desktop");
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("stays readable at 390×844", async () => {
    await page.setViewportSize(PHONE);
    for (const [hash, name] of [
      ["#/secrets", "secrets"],
      ["#/audit", "audit"],
      ["#/tokens", "tokens"],
    ]) {
      await page.goto(`${server.url}/${hash}`);
      await page.getByRole("table").waitFor();
      // Only the tables scroll sideways; the page itself fits the screen.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        PHONE.width,
      );
      await screenshot(page, `${name}-phone`);
    }
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize(DESKTOP);
  });

  it("sends the user back to sign-in when the session's token is revoked", async () => {
    const second = await browser.newPage({ viewport: DESKTOP });
    const { id, token } = await server.createToken("TENANT_ADMIN", "second-admin");
    await second.goto(`${server.url}/`);
    await second.getByLabel("API token").fill(token);
    await second.getByRole("button", { name: "Sign in" }).click();
    await second.getByRole("heading", { name: "Secrets" }).waitFor();
    // Revoked once the page has read all it reads on its own (secrets, environments): the next
    // read is the one the click below makes.
    await second.getByLabel("Environment").locator("option").first().waitFor({ state: "attached" });
    await second.waitForLoadState("networkidle");
    await server.graphql(
      server.adminToken,
      "mutation ($id: ID!) { revokeApiToken(input: {id: $id}) { success } }",
      { id },
    );
    await second.getByRole("link", { name: "Tokens" }).click();
    await second.getByText(/Your session ended/).waitFor();
    expect(await second.getByLabel("API token").isVisible()).toBe(true);
    expect(await second.evaluate(() => sessionStorage.length)).toBe(0);
    await second.close();
  });

  it("signs out and forgets the token", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("API token").waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.reload();
    expect(await page.getByLabel("API token").isVisible()).toBe(true);
  });

  it("serves a bundled GraphiQL in dev mode under the same CSP, using the console's token", async () => {
    await page.evaluate((token) => sessionStorage.setItem("hush.token", token), server.adminToken);
    const response = await page.goto(`${server.url}/graphiql`);
    expect(response?.headers()["content-security-policy"]).toContain("default-src 'self'");
    await page.getByText("Signed in with the console's token.").waitFor();
    await page.locator(".graphiql-execute-button").click();
    await page.locator(".graphiql-response").getByText('"APP_001"').waitFor();
    await screenshot(page, "graphiql-desktop");
    await page.evaluate(() => sessionStorage.clear());
  });

  it("made no request outside the server's origin", () => {
    const origin = new URL(server.url).origin;
    expect(requests.length).toBeGreaterThan(20);
    expect(requests.filter((r) => new URL(r.url).origin !== origin)).toEqual([]);
  });
});
