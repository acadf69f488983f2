import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DESKTOP, launchChromium, PHONE, screenshot } from "./support/browser.js";
import { type HushServer, startHushServer } from "./support/hush-server.js";

// What a new user trips over in the console: sign-in words, overwriting a secret by accident,
// multi-line values, a phone screen, raw enum names, long token names.
let server: HushServer;
let browser: Browser;
let page: Page;

/** A token name far longer than a table column. */
const LONG_NAME = `deploy-pipeline-${"x".repeat(64)}-production-runner`;

const PEM = [
  "-----BEGIN PRIVATE KEY-----",
  "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj",
  "MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu",
  "-----END PRIVATE KEY-----",
  "",
].join("\n");

beforeAll(async () => {
  [server, browser] = await Promise.all([startHushServer(), launchChromium()]);
  for (const value of ["one", "two", "three"]) await setSecret(server.adminToken, "DB_URL", value);
  const long = await server.createToken("TENANT_ADMIN", LONG_NAME);
  await setSecret(long.token, "LONG_ACTOR", "v");
  const runner = await server.createToken("RUNNER", "reader");
  await server.graphql(runner.token, '{ secretValue(name: "DB_URL") }');
  page = await browser.newPage({ viewport: DESKTOP });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
}, 30_000);

async function setSecret(token: string, name: string, value: unknown): Promise<void> {
  const answer = await server.graphql(
    token,
    "mutation ($n: String!, $v: JSON!) { setSecret(input: {name: $n, value: $v}) { success } }",
    { n: name, v: value },
  );
  if (answer.errors) throw new Error(answer.errors[0]!.message);
}

async function current(name: string): Promise<{ version: number; value: unknown }> {
  const answer = await server.graphql(
    server.adminToken,
    "query ($n: String!) { secretValue(name: $n) secretVersions(name: $n) { version } }",
    { n: name },
  );
  const versions = answer.data?.secretVersions as Array<{ version: number }>;
  return { version: versions[0]!.version, value: answer.data?.secretValue };
}

async function signIn(token: string): Promise<void> {
  await page.getByLabel("API token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
}

describe("signing in", () => {
  it("says in a browser user's words why a token is refused, and what each role can do", async () => {
    await page.goto(`${server.url}/`);
    expect(await page.getByRole("main").textContent()).toMatch(
      /A RUNNER token .*names and versions/,
    );
    for (const token of ["not a token", "hush_not-a-real-token", `hush_${"u".repeat(43)}`]) {
      await signIn(token);
      const alert = page.getByRole("alert");
      await alert.waitFor();
      const text = await alert.textContent();
      expect(text).toContain(
        "This token is not valid (or was revoked); ask an admin for a TENANT_ADMIN or USER token.",
      );
      expect(text).not.toContain("Authorization header");
      expect(text).not.toContain(token);
    }
    await screenshot(page, "sign-in-refused-desktop");
    await signIn(server.adminToken);
    await page.getByRole("heading", { name: "Secrets" }).waitFor();
  });
});

describe("writing secrets", () => {
  it("asks before a new secret replaces one that exists", async () => {
    await page.getByRole("button", { name: "New secret" }).click();
    await page.getByLabel("Name", { exact: true }).fill("DB_URL");
    await page.getByLabel("Value", { exact: true }).fill("four");
    await page.getByRole("button", { name: "Save" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(
      "DB_URL already exists (version 3). Replace its value?",
    );
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect(await current("DB_URL")).toEqual({ version: 3, value: "three" });

    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Replace DB_URL" }).click();
    await page.getByText("Saved DB_URL as version 4.").waitFor();
    expect(await current("DB_URL")).toEqual({ version: 4, value: "four" });
  });

  it("takes a multi-line value (a PEM key) in a field hidden until Show is pressed", async () => {
    await page.getByRole("button", { name: "New secret" }).click();
    await page.getByLabel("Name", { exact: true }).fill("TLS_KEY");
    const value = page.getByLabel("Value", { exact: true });
    expect(await value.evaluate((field) => field.tagName)).toBe("TEXTAREA");
    await value.fill(PEM);
    const masking = () =>
      value.evaluate((field) => getComputedStyle(field).getPropertyValue("-webkit-text-security"));
    expect(await masking()).toBe("disc");
    const show = page.getByRole("button", { name: "Show value" });
    expect(await show.getAttribute("aria-pressed")).toBe("false");
    await show.click();
    expect(await show.getAttribute("aria-pressed")).toBe("true");
    expect(await masking()).toBe("none");
    await show.click();
    expect(await masking()).toBe("disc");
    await screenshot(page, "secret-form-multiline-desktop");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved TLS_KEY as version 1.").waitFor();
    expect(await current("TLS_KEY")).toEqual({ version: 1, value: PEM });
    expect(await value.count()).toBe(0);
  });
  it("checks a new secret's name by the server's rule before sending it", async () => {
    await page.getByRole("button", { name: "New secret" }).click();
    const name = page.getByLabel("Name", { exact: true });
    const message = () => name.evaluate((field: HTMLInputElement) => field.validationMessage);
    await name.fill(".env");
    expect(await message()).toBe(
      'The secret name starts with ".": names use only letters, digits, "_", "." and "-", are 1 to 255 characters long and do not start with ".".',
    );
    await name.fill(`prod.hush_${"x".repeat(20)}`);
    expect(await message()).toMatch(/^The secret name looks like an API token/);
    expect(await message()).not.toContain("prod.");
    await name.fill(" APP_KEY ");
    expect(await message()).toBe("");
    await page.getByRole("button", { name: "Cancel" }).click();
  });
});

describe("the audit log", () => {
  it("shows readable action labels, with the raw name in a tooltip and the filter's values", async () => {
    await page.goto(`${server.url}/#/audit`);
    const cell = page.getByRole("cell", { name: "Read value", exact: true });
    await cell.first().waitFor();
    expect(await cell.first().locator("[title]").getAttribute("title")).toBe("READ_SECRET_VALUE");
    expect(await page.getByRole("table").textContent()).not.toContain("SET_SECRET");
    const options = await page
      .getByLabel("Action")
      .locator("option")
      .evaluateAll((nodes) => nodes.map((n) => [(n as HTMLOptionElement).value, n.textContent]));
    expect(options).toContainEqual(["READ_SECRET_VALUE", "Read value"]);
    expect(options).toContainEqual(["SET_SECRET", "Set value"]);
    await page.getByLabel("Action").selectOption("READ_SECRET_VALUE");
    // The runner's read and the reads this test file made to check values.
    await expect
      .poll(
        async () => {
          const rows = (await page.getByRole("row").allTextContents()).slice(1);
          return rows.length >= 4 && rows.every((text) => text.includes("Read value"));
        },
        { timeout: 20_000 },
      )
      .toBe(true);
    await page.getByLabel("Action").selectOption("");
  });

  it("keeps a long token name inside its cell at 1280 px", async () => {
    await page.goto(`${server.url}/#/audit`);
    await page.getByLabel("Secret name (exact)").fill("LONG_ACTOR");
    const who = page.getByRole("cell", { name: LONG_NAME });
    await who.first().waitFor();
    const overflow = await who.first().evaluate((cell) => {
      const box = cell.closest(".table-scroll") as HTMLElement;
      return {
        cell: cell.scrollWidth - cell.clientWidth,
        table: box.scrollWidth - box.clientWidth,
      };
    });
    expect(overflow).toEqual({ cell: 0, table: 0 });
    await screenshot(page, "audit-long-actor-desktop");
  });
});

describe("at 390×844", () => {
  it("fits every list to the screen, actions in view, under a short header", async () => {
    await page.setViewportSize(PHONE);
    const pages = [
      ["#/secrets", "Set value for DB_URL"],
      ["#/secrets/DB_URL", "Roll back to version 1"],
      ["#/audit", null],
      ["#/tokens", `Revoke ${LONG_NAME}`],
    ] as const;
    for (const [hash, action] of pages) {
      await page.goto(`${server.url}/${hash}`);
      await page.locator("tbody tr").first().waitFor();
      const sizes = await page.evaluate(() => ({
        scroll: document.scrollingElement!.scrollWidth,
        inner: window.innerWidth,
        header: document.querySelector("header")!.getBoundingClientRect().height,
        boxes: [...document.querySelectorAll(".table-scroll")].map(
          (box) => box.scrollWidth - box.clientWidth,
        ),
      }));
      expect(sizes.scroll, hash).toBeLessThanOrEqual(sizes.inner);
      expect(
        sizes.boxes.every((extra) => extra <= 0),
        hash,
      ).toBe(true);
      expect(sizes.header, hash).toBeLessThanOrEqual(96);
      const buttons = action === null ? [] : [page.getByRole("button", { name: action })];
      if (hash === "#/secrets") buttons.push(page.getByRole("button", { name: "Delete DB_URL" }));
      for (const button of buttons) {
        await button.scrollIntoViewIfNeeded();
        const box = (await button.boundingBox())!;
        expect(box.x, `${hash} ${action}`).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width, `${hash} ${action}`).toBeLessThanOrEqual(PHONE.width);
      }
      await screenshot(page, `cards-${hash.slice(2).replace("/", "-")}-phone`);
    }
    await page.setViewportSize(DESKTOP);
  });
});
