import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DESKTOP,
  launchChromium,
  PHONE,
  screenshot,
  seriousViolations,
} from "./support/browser.js";
import { type HushServer, type Role, startHushServer } from "./support/hush-server.js";

// Environments in the console (issue 22): the switcher, the compare page and promotion, the
// audit filter, tokens' environments and the admin's environment controls, against the real
// server. Values set here are distinct strings, so that the test can show none reaches a page.
let server: HushServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** The tenant's default environment, as the server names it. */
let main: string;
const requests: string[] = [];

const VALUES = {
  DB_URL: "value-db-url-same-everywhere",
  API_KEY_MAIN: "value-api-key-main-7f3a",
  API_KEY_STAGING: "value-api-key-staging-91c2",
  ONLY_MAIN: "value-only-main-0b1d",
  ONLY_STAGING: "value-only-staging-c4e8",
};

async function gql(query: string, variables?: Record<string, unknown>, token = server.adminToken) {
  const answer = await server.graphql(token, query, variables);
  if (answer.errors) throw new Error(answer.errors[0]!.message);
  return answer.data!;
}

async function set(environment: string, name: string, value: string) {
  await gql(
    `mutation ($e: String!, $n: String!, $v: JSON!) {
      setSecret(input: { name: $n, value: $v }, environment: $e) { version }
    }`,
    { e: environment, n: name, v: value },
  );
}

async function compare(from: string, to: string) {
  const data = await gql(
    `query ($f: String!, $t: String!) {
      compareEnvironments(from: $f, to: $t) { equal secrets { name status } }
    }`,
    { f: from, t: to },
  );
  return data.compareEnvironments as {
    equal: boolean;
    secrets: Array<{ name: string; status: string }>;
  };
}

async function namesIn(environment: string): Promise<string[]> {
  const data = await gql("query ($e: String!) { secretNames(environment: $e) }", {
    e: environment,
  });
  return data.secretNames as string[];
}

beforeAll(async () => {
  [server, browser] = await Promise.all([startHushServer(), launchChromium()]);
  main = ((await gql("{ me { environment } }")).me as { environment: string }).environment;
  await gql('mutation { createEnvironment(input: { name: "staging" }) { name } }');
  await set(main, "DB_URL", VALUES.DB_URL);
  await set("staging", "DB_URL", VALUES.DB_URL);
  await set(main, "API_KEY", VALUES.API_KEY_MAIN);
  await set("staging", "API_KEY", VALUES.API_KEY_STAGING);
  await set(main, "ONLY_MAIN", VALUES.ONLY_MAIN);
  await set("staging", "ONLY_STAGING", VALUES.ONLY_STAGING);
  context = await browser.newContext({ viewport: DESKTOP });
  page = await context.newPage();
  page.on("request", (request) => requests.push(`${request.url()}\n${request.postData() ?? ""}`));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
}, 30_000);

function eventually<T>(read: () => Promise<T> | T) {
  return expect.poll(read, { timeout: 20_000 });
}

function switcher(on: Page = page) {
  return on.getByRole("banner").getByLabel("Environment");
}

function row(name: string, on: Page = page) {
  return on.getByRole("row").filter({ has: on.getByRole("rowheader", { name, exact: true }) });
}

/** No value set in this file is in the page or was sent to or from the browser but by SetSecret. */
async function expectNoValueSeen(on: Page = page) {
  const html = await on.content();
  for (const value of Object.values(VALUES)) expect(html).not.toContain(value);
  for (const request of requests) {
    if (request.includes("mutation SetSecret")) continue;
    for (const value of Object.values(VALUES)) expect(request).not.toContain(value);
  }
}

async function signIn(on: Page, token: string) {
  await on.goto(`${server.url}/`);
  await on.getByLabel("API token").fill(token);
  await on.getByRole("button", { name: "Sign in" }).click();
  await on.getByRole("heading", { name: "Secrets" }).waitFor();
}

describe("environments in the web console, as a tenant admin", () => {
  it("offers the tenant's environments in the header, the default marked, and shows the default's secrets first", async () => {
    await signIn(page, server.adminToken);
    await row("ONLY_MAIN").waitFor();
    // The list comes from a read of its own, which may answer after the secrets.
    await eventually(() => switcher().locator("option").allTextContents()).toEqual([
      `${main} (default)`,
      "staging",
    ]);
    expect(await switcher().inputValue()).toBe(main);
    expect(await page.getByRole("rowheader").allTextContents()).toEqual([
      "API_KEY",
      "DB_URL",
      "ONLY_MAIN",
    ]);
  });

  it("switches environment on every page, keeps the choice in the link, and writes there", async () => {
    await switcher().selectOption("staging");
    await row("ONLY_STAGING").waitFor();
    expect(await page.getByRole("rowheader").allTextContents()).toEqual([
      "API_KEY",
      "DB_URL",
      "ONLY_STAGING",
    ]);
    expect(await page.evaluate(() => location.hash)).toBe("#/secrets?env=staging");
    for (const link of await page
      .getByRole("navigation", { name: "Pages" })
      .getByRole("link")
      .all()) {
      expect(await link.getAttribute("href")).toContain("env=staging");
    }

    // A link names its environment: opened afresh (same tab, so still signed in), it shows it.
    await page.goto(`${server.url}/#/secrets/API_KEY?env=staging`);
    await page.reload();
    await page.getByRole("heading", { name: "Versions of API_KEY in staging" }).waitFor();
    expect(await switcher().inputValue()).toBe("staging");
    await page.getByRole("link", { name: "← All secrets" }).click();
    await row("ONLY_STAGING").waitFor();

    await page.getByRole("button", { name: "New secret" }).click();
    await page.getByRole("heading", { name: "New secret in staging" }).waitFor();
    await page.getByLabel("Name", { exact: true }).fill("STAGING_NEW");
    await page.getByLabel("Value", { exact: true }).fill("value-staging-new");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved STAGING_NEW as version 1.").waitFor();
    expect(await namesIn("staging")).toContain("STAGING_NEW");
    expect(await namesIn(main)).not.toContain("STAGING_NEW");

    await page.getByRole("button", { name: "Delete STAGING_NEW" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete STAGING_NEW" }).click();
    await page.getByText(/^Deleted STAGING_NEW\./).waitFor();
    expect(await namesIn("staging")).not.toContain("STAGING_NEW");
    await screenshot(page, "environment-secrets-desktop");
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("compares two environments name by name, statuses only, never a value", async () => {
    await page.getByRole("link", { name: "Environments" }).click();
    await page.getByRole("heading", { name: "Compare and promote" }).waitFor();
    // From the environment in use to the other one.
    expect(await page.getByLabel("From", { exact: true }).inputValue()).toBe("staging");
    expect(await page.getByLabel("To", { exact: true }).inputValue()).toBe(main);
    await page.getByLabel("From", { exact: true }).selectOption(main);
    await page.getByLabel("To", { exact: true }).selectOption("staging");
    await eventually(() => page.evaluate(() => location.hash)).toBe(
      `#/environments?env=staging&from=${main}&to=staging`,
    );
    const table = page.getByRole("region", { name: "Comparison table" });
    await eventually(() => table.getByRole("row").count()).toBe(5);
    const status = async (name: string) =>
      (await row(name).getByRole("cell").allTextContents()).at(-1);
    expect(await status("DB_URL")).toBe("Same value");
    expect(await status("API_KEY")).toBe("Different values");
    expect(await status("ONLY_MAIN")).toBe(`Only in ${main}`);
    expect(await status("ONLY_STAGING")).toBe("Only in staging");
    expect(
      await page
        .getByText(`4 names: 1 the same, 1 different, 1 only in ${main}, 1 only in staging.`)
        .count(),
    ).toBe(1);
    // Only what main holds can be copied to staging.
    expect(await page.getByRole("checkbox", { name: /^Copy .* to staging$/ }).count()).toBe(2);
    await expectNoValueSeen();
    await screenshot(page, "environments-compare-desktop");
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("promotes the missing and different names after a confirm, skipping what the target holds unless told to overwrite", async () => {
    await page.getByRole("button", { name: "Select all missing or different (2)" }).click();
    await page.getByRole("button", { name: "Copy 2 to staging" }).click();
    const dialog = page.getByRole("dialog");
    expect(await dialog.getByRole("heading").textContent()).toBe(
      `Copy 2 secrets from ${main} to staging?`,
    );
    expect(await dialog.textContent()).toContain("A name staging holds already is skipped");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect(await namesIn("staging")).not.toContain("ONLY_MAIN");

    await page.getByRole("button", { name: "Copy 2 to staging" }).click();
    await dialog.getByRole("button", { name: "Copy to staging" }).click();
    const result = page.locator(".copy-result");
    await result.waitFor();
    expect(await result.textContent()).toMatch(/Copied to staging: ONLY_MAIN \(version 1\)\./);
    expect(await result.textContent()).toContain(
      "Skipped, as staging holds them already: API_KEY.",
    );
    expect(await namesIn("staging")).toContain("ONLY_MAIN");
    await eventually(async () =>
      (await row("ONLY_MAIN").getByRole("cell").allTextContents()).at(-1),
    ).toBe("Same value");

    await page.getByLabel("Overwrite names staging holds already").check();
    await page.getByRole("checkbox", { name: "Copy API_KEY to staging" }).check();
    await page.getByRole("button", { name: "Copy 1 to staging" }).click();
    expect(await dialog.textContent()).toContain("gets a new version there");
    await dialog.getByRole("button", { name: "Copy to staging" }).click();
    await eventually(() => result.textContent()).toMatch(
      /Copied to staging: API_KEY \(version 2\)\./,
    );
    const after = await compare(main, "staging");
    expect(after.secrets.find((s) => s.name === "API_KEY")?.status).toBe("SAME");
    expect(after.secrets.find((s) => s.name === "ONLY_STAGING")?.status).toBe("MISSING_FROM");
    await expectNoValueSeen();
  });

  it("filters the audit log by the environment in use, or shows every environment's", async () => {
    await page.getByRole("link", { name: "Audit" }).click();
    await page.getByRole("heading", { name: "Audit" }).waitFor();
    await page.getByRole("row").nth(1).waitFor();
    const environments = async () =>
      page
        .getByRole("row")
        .filter({ has: page.getByRole("cell") })
        .evaluateAll((rows) =>
          rows.map((r) => r.querySelector('td[data-label="Environment"]')?.textContent ?? ""),
        );
    await eventually(async () => new Set(await environments())).toEqual(new Set(["staging"]));
    await page.locator("#audit-environment").selectOption("");
    await eventually(async () => (await environments()).includes(main)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("shows each token's environments and creates a token limited to some", async () => {
    await page.getByRole("link", { name: "Tokens" }).click();
    await page.getByRole("heading", { name: "Create a token" }).waitFor();
    const cellOf = async (name: string) =>
      row(name).locator('td[data-label="Environments"]').textContent();
    const own = page.getByRole("row").filter({ hasText: "(this session)" });
    expect(await own.locator('td[data-label="Environments"]').textContent()).toBe("All");

    await page.getByLabel("Name", { exact: true }).fill("staging-runner");
    await page.getByLabel("Role").selectOption("RUNNER");
    await page.getByRole("group", { name: "Environments" }).getByLabel("staging").check();
    expect(await page.locator("#token-environments-hint").textContent()).toBe(
      "The token may use staging only.",
    );
    await page.getByRole("button", { name: "Create token" }).click();
    const token = await page.getByLabel("Token", { exact: true }).inputValue();
    await page.getByRole("button", { name: "Done: hide it" }).click();
    await eventually(() => cellOf("staging-runner")).toBe("staging");
    const me = await gql("{ me { environment environments } }", undefined, token);
    expect(me.me).toEqual({ environment: "staging", environments: ["staging"] });
    await screenshot(page, "environment-tokens-desktop");
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("lets a tenant admin create an environment, make it the default and delete one", async () => {
    await page.getByRole("link", { name: "Environments" }).click();
    await page.getByRole("heading", { name: "All environments" }).waitFor();
    await page.getByLabel("Name", { exact: true }).fill("preview");
    await page.getByRole("button", { name: "Create environment" }).click();
    await page.getByText("Created preview.").waitFor();
    await eventually(() => switcher().locator("option").allTextContents()).toContain("preview");

    await page.getByRole("button", { name: "Make default: preview" }).click();
    await page
      .getByRole("dialog")
      .getByRole("button", { name: "Make preview the default" })
      .click();
    await page.getByText("preview is now the default.").waitFor();
    await page.getByRole("rowheader", { name: "preview (default)", exact: true }).waitFor();
    const listed = (await gql("{ environments { name isDefault } }")).environments as Array<{
      name: string;
      isDefault: boolean;
    }>;
    expect(listed.find((env) => env.isDefault)?.name).toBe("preview");

    // The environment in use (staging) holds secrets: the dialog says they go with it.
    await page.getByRole("button", { name: "Delete staging" }).click();
    expect(await page.getByRole("dialog").textContent()).toMatch(
      /Its \d+ secrets are deleted with it/,
    );
    await page.getByRole("dialog").getByRole("button", { name: "Delete staging" }).click();
    // It was the environment in use: the console goes to the default.
    await eventually(() => switcher().inputValue()).toBe("preview");
    expect(await namesIn(main)).toContain("ONLY_MAIN");
    expect(await switcher().locator("option").allTextContents()).not.toContain("staging");
    await screenshot(page, "environments-admin-desktop");
    expect(await seriousViolations(page)).toEqual([]);

    await page.setViewportSize(PHONE);
    await screenshot(page, "environments-phone");
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize(DESKTOP);
  });
});

describe("environments in the web console, for other roles", () => {
  let tokens = 0;
  async function signedIn(role: Role): Promise<Page> {
    tokens += 1;
    const { token } = await server.createToken(role, `env-${role.toLowerCase()}-${tokens}`);
    const tab = await context.newPage();
    await signIn(tab, token);
    return tab;
  }

  beforeAll(async () => {
    await gql('mutation { createEnvironment(input: { name: "qa" }) { name } }');
    await set("qa", "QA_ONLY", VALUES.ONLY_STAGING);
  });

  it("USER: compares and promotes, but sees no environment controls", async () => {
    const tab = await signedIn("USER");
    await tab.getByRole("link", { name: "Environments" }).click();
    await tab.getByLabel("From", { exact: true }).selectOption("qa");
    await tab.getByLabel("To", { exact: true }).selectOption(main);
    await row("QA_ONLY", tab).waitFor();
    expect(await tab.getByRole("button", { name: "Create environment" }).count()).toBe(0);
    expect(await tab.getByRole("button", { name: /^Make default/ }).count()).toBe(0);
    expect(await tab.getByRole("button", { name: /^Delete / }).count()).toBe(0);
    await tab.getByRole("checkbox", { name: `Copy QA_ONLY to ${main}` }).check();
    await tab.getByRole("button", { name: `Copy 1 to ${main}` }).click();
    await tab
      .getByRole("dialog")
      .getByRole("button", { name: `Copy to ${main}` })
      .click();
    await tab.getByText(`Copied to ${main}: QA_ONLY (version 1).`).waitFor();
    expect(await namesIn(main)).toContain("QA_ONLY");
    await expectNoValueSeen(tab);
    await tab.close();
  });

  it("READ_ONLY_USER: compares, with nothing to select or copy", async () => {
    const tab = await signedIn("READ_ONLY_USER");
    await tab.getByRole("link", { name: "Environments" }).click();
    await tab.getByLabel("From", { exact: true }).selectOption(main);
    await tab.getByLabel("To", { exact: true }).selectOption("qa");
    await row("QA_ONLY", tab).waitFor();
    expect(await tab.getByRole("checkbox").count()).toBe(0);
    expect(await tab.getByRole("button", { name: /^Copy / }).count()).toBe(0);
    expect(await tab.getByRole("button", { name: "Create environment" }).count()).toBe(0);
    await tab.close();
  });
});
