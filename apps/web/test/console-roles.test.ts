import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DESKTOP, launchChromium, screenshot } from "./support/browser.js";
import { type HushServer, type Role, startHushServer } from "./support/hush-server.js";

let server: HushServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startHushServer(), launchChromium()]);
  for (const value of ["first", "second"]) {
    await server.graphql(
      server.adminToken,
      'mutation ($v: JSON!) { setSecret(input: {name: "SHARED_KEY", value: $v}) { success } }',
      { v: value },
    );
  }
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
}, 30_000);

/** A fresh tab (so a fresh sessionStorage) signed in with a new token of `role`, by keyboard only. */
// Token names are unique in a tenant: each tab's token gets a number.
let tabs = 0;

async function signedIn(role: Role): Promise<Page> {
  tabs += 1;
  const { token } = await server.createToken(role, `${role.toLowerCase()}-token-${tabs}`);
  const page = await browser.newPage({ viewport: DESKTOP });
  await page.goto(`${server.url}/`);
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("token");
  await page.keyboard.type(token);
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Secrets" }).waitFor();
  return page;
}

async function offered(page: Page) {
  await page.getByRole("rowheader", { name: "SHARED_KEY" }).waitFor();
  const tabs = await page
    .getByRole("navigation", { name: "Pages" })
    .getByRole("link")
    .allTextContents();
  const buttons = await page
    .getByRole("main")
    .getByRole("button")
    .evaluateAll((nodes) =>
      nodes.map((node) => node.getAttribute("aria-label") ?? node.textContent),
    );
  await page.getByRole("link", { name: "SHARED_KEY", exact: true }).click();
  await page.getByRole("rowheader", { name: "1" }).waitFor();
  const rollback = await page.getByRole("button", { name: "Roll back to version 1" }).count();
  return { tabs, buttons, rollback };
}

describe("the web console offers each role only what it may do", () => {
  it("USER: secrets writes and rollback, environments, no audit or tokens", async () => {
    const page = await signedIn("USER");
    expect(await page.getByLabel("Signed in as").textContent()).toContain("USER");
    expect(await offered(page)).toEqual({
      tabs: ["Secrets", "Environments"],
      buttons: ["New secret", "Set value for SHARED_KEY", "Delete SHARED_KEY"],
      rollback: 1,
    });
    await page.close();
  });

  for (const role of ["RUNNER", "READ_ONLY_USER"] as const) {
    it(`${role}: names and versions only`, async () => {
      const page = await signedIn(role);
      expect(await offered(page)).toEqual({
        tabs: ["Secrets", "Environments"],
        buttons: [],
        rollback: 0,
      });
      await page.close();
    });
  }

  it("shows the server's FORBIDDEN plainly, with its request id, when a role goes where it may not", async () => {
    const page = await signedIn("READ_ONLY_USER");
    await page.goto(`${server.url}/#/tokens`);
    const alert = page.getByRole("alert");
    await alert.waitFor();
    const text = await alert.textContent();
    expect(text).toContain("Managing API tokens needs the TENANT_ADMIN role");
    expect(text).toMatch(/Code FORBIDDEN · request id [0-9a-f-]{36}/);
    expect(await page.getByRole("heading", { name: "Create a token" }).count()).toBe(0);
    await screenshot(page, "forbidden-desktop");
    await page.goto(`${server.url}/#/audit`);
    await page.getByText("Reading audit events needs the TENANT_ADMIN role").waitFor();
    await page.goto(`${server.url}/#/trusts`);
    await page.getByText("Managing identity trusts needs the TENANT_ADMIN role").waitFor();
    expect(await page.getByRole("heading", { name: "Create a trust" }).count()).toBe(0);
    await page.goto(`${server.url}/#/webhooks`);
    await page.getByText("Managing webhooks needs the TENANT_ADMIN role").waitFor();
    expect(await page.getByRole("heading", { name: "Create a webhook" }).count()).toBe(0);
    await page.close();
  });
});
