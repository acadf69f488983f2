import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttpsServer, globalAgent } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@hush/graphql";
import { listenForTest, rejection } from "@hush/test-support";
import { describe, expect, it, onTestFinished } from "vitest";

const TOKEN = `hush_${"t".repeat(43)}`;

/** A self-signed certificate for 127.0.0.1, made with openssl; undefined where there is none. */
function selfSigned(): { key: string; cert: string } | undefined {
  const dir = mkdtempSync(join(tmpdir(), "hush-tls-"));
  const [key, cert] = [join(dir, "key.pem"), join(dir, "cert.pem")];
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
      ].concat(["-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert]),
      { stdio: "ignore" },
    );
    return { key: readFileSync(key, "utf8"), cert: readFileSync(cert, "utf8") };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const pair = selfSigned();
if (pair === undefined) console.warn("https client tests skipped: openssl is not installed");

describe.skipIf(pair === undefined)("@hush/graphql's createClient over https", () => {
  async function httpsServer() {
    const seen: Array<{ authorization?: string; body: string }> = [];
    const server = createHttpsServer(pair!, (request, response) => {
      let body = "";
      request.on("data", (chunk) => {
        body += chunk;
      });
      request.on("end", () => {
        seen.push({ authorization: request.headers.authorization, body });
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify({ data: { secretNames: ["A", "B"] } }));
      });
    });
    return { url: `https://127.0.0.1:${await listenForTest(server)}`, seen };
  }

  it("refuses a certificate it does not trust, without sending the token", async () => {
    const server = await httpsServer();
    const client = createClient({ endpoint: server.url, apiKey: TOKEN, retries: 0 });
    const error = await rejection(client.secretNames());
    expect(error).toMatchObject({ code: "NETWORK" });
    expect(error.message).toMatch(/SELF_SIGNED|self.signed/i);
    expect(server.seen).toEqual([]);
  });

  it("sends the operation and the token over TLS to a server it trusts", async () => {
    const server = await httpsServer();
    const before = globalAgent.options.ca;
    globalAgent.options.ca = pair!.cert;
    onTestFinished(() => {
      globalAgent.options.ca = before;
    });
    const client = createClient({ endpoint: server.url, apiKey: TOKEN });
    expect(await client.secretNames()).toEqual(["A", "B"]);
    expect(server.seen).toHaveLength(1);
    expect(server.seen[0]?.authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(server.seen[0]!.body)).toMatchObject({ operationName: "SecretNames" });
  });
});
