import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { configure, resetConfiguration, SecretNotFoundError, withContext } from "@hush/core";
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from "vitest";
import { slackNotifier } from "../src/index.js";

interface Received {
  path: string;
  contentType: string | undefined;
  body: unknown;
}

/** A stand-in for Slack's webhook endpoint on loopback; records every POST. */
async function fakeSlack(status = 200) {
  const received: Received[] = [];
  const server = createServer(async (req: IncomingMessage, res) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    received.push({
      path: req.url ?? "",
      contentType: req.headers["content-type"],
      body: JSON.parse(raw),
    });
    res
      .writeHead(status, { "content-type": "text/plain" })
      .end(status === 200 ? "ok" : "no_service");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/services/T000/B000/XXXX`, received };
}

/** A temp home with `config.toml`, so the test never reads the real one. */
function useHome(toml: string) {
  const home = mkdtempSync(join(tmpdir(), "slack-notifier-"));
  mkdirSync(join(home, ".hush"));
  writeFileSync(join(home, ".hush", "config.toml"), toml);
  onTestFinished(() => rmSync(home, { recursive: true, force: true }));
  configure({ homeDir: home, env: {} });
}

beforeEach(() => useHome(""));
afterEach(resetConfiguration);

describe("slackNotifier", () => {
  it("posts the state change as JSON to the webhook URL in [context.secrets]", async () => {
    const slack = await fakeSlack();
    useHome(`[context.secrets]\nSLACK_WEBHOOK_URL = "${slack.url}"\n`);
    const handler = slackNotifier();
    const failed = { name: "Failed", message: "disk full" };
    expect(await handler("nightly-etl", { name: "Running" }, failed)).toBe(failed);
    expect(slack.received).toHaveLength(1);
    const [post] = slack.received;
    expect(post?.path).toBe("/services/T000/B000/XXXX");
    expect(post?.contentType).toBe("application/json");
    expect(post?.body).toMatchObject({
      text: "Flow nightly-etl is now Failed",
      attachments: [
        {
          title: "nightly-etl",
          text: "disk full",
          fields: [
            { title: "Previous state", value: "Running" },
            { title: "New state", value: "Failed" },
          ],
        },
      ],
    });
  });

  it("reports only onlyStates, and reads a named secret from the run context", async () => {
    const slack = await fakeSlack();
    const handler = slackNotifier({ secretName: "OPS_WEBHOOK", onlyStates: ["Failed"] });
    await withContext({ secrets: { OPS_WEBHOOK: slack.url } }, async () => {
      await handler("etl", { name: "Pending" }, { name: "Running" });
      await handler("etl", { name: "Running" }, { name: "Success" });
      await handler("etl", { name: "Running" }, { name: "Failed" });
    });
    expect(slack.received.map((r) => (r.body as { text: string }).text)).toEqual([
      "Flow etl is now Failed",
    ]);
  });

  it("fails loudly on a missing secret, even for a state it would not report", async () => {
    const handler = slackNotifier({ onlyStates: ["Failed"] });
    const error = await handler("etl", { name: "Pending" }, { name: "Running" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SecretNotFoundError);
    expect((error as Error).message).toMatch(
      /^Local Secret "SLACK_WEBHOOK_URL" was not found\. Looked only in the run context/,
    );
  });

  it.each([
    ["is not a URL", "hooks.example/services/T000/B000/XXXX"],
    ["cannot be reached", "http://127.0.0.1:9/services/T000/B000/XXXX"],
  ])("says which secret's webhook %s, without printing the URL", async (_, url) => {
    const handler = slackNotifier();
    const error = await withContext({ secrets: { SLACK_WEBHOOK_URL: url } }, () =>
      handler("etl", { name: "Running" }, { name: "Failed" }).catch((e: unknown) => e),
    );
    expect(error).toMatchObject({ code: "NOTIFY_FAILED" });
    expect((error as Error).message).toContain('Slack webhook in secret "SLACK_WEBHOOK_URL"');
    expect(inspect(error, { depth: Number.POSITIVE_INFINITY })).not.toContain("/services/");
  });

  it("says which secret's webhook failed, without printing the URL", async () => {
    const slack = await fakeSlack(404);
    const handler = slackNotifier();
    const error = await withContext({ secrets: { SLACK_WEBHOOK_URL: slack.url } }, () =>
      handler("etl", { name: "Running" }, { name: "Failed" }).catch((e: unknown) => e),
    );
    expect(error).toMatchObject({ code: "NOTIFY_FAILED" });
    expect((error as Error).message).toContain('secret "SLACK_WEBHOOK_URL" answered HTTP 404');
    expect((error as Error).message).not.toContain("/services/");
  });
});
