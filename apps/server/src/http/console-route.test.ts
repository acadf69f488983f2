import { testDir } from "@hush/test-support";
import { describe, expect, it, vi } from "vitest";
import type { SecretsService } from "../service/contract.js";
import { buildApp } from "./app.js";

const service = { ready: vi.fn(async () => {}) } as unknown as SecretsService;

/** A built console as Vite lays it out: two pages and content-hashed assets. */
function bundle(): string {
  return testDir({
    "index.html":
      '<!doctype html><title>hush console</title><script type="module" src="/assets/console-abc.js"></script>',
    "graphiql.html": "<!doctype html><title>hush — GraphiQL</title>",
    "assets/console-abc.js": "console.log('console');",
    "assets/console-abc.css": "body{margin:0}",
  });
}

describe("the console routes", () => {
  it("serve the console at / with a strict CSP and no caching of the page", async () => {
    const app = await buildApp({ service, logger: false, consoleDir: bundle() });
    const page = await app.inject({ method: "GET", url: "/" });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(page.body).toContain("<title>hush console</title>");
    const csp = String(page.headers["content-security-policy"]);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(page.headers["x-frame-options"]).toBe("DENY");
    expect(page.headers["x-content-type-options"]).toBe("nosniff");
    expect(page.headers["cache-control"]).toBe("no-store");
    expect(page.headers["x-request-id"]).toBeDefined();
    await app.close();
  });

  it("serve the bundle's assets with their type, cached for good (their names carry a hash)", async () => {
    const app = await buildApp({ service, logger: false, consoleDir: bundle() });
    const script = await app.inject({ method: "GET", url: "/assets/console-abc.js" });
    expect(script.statusCode).toBe(200);
    expect(script.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(script.headers["cache-control"]).toContain("immutable");
    expect(script.body).toBe("console.log('console');");
    const style = await app.inject({ method: "GET", url: "/assets/console-abc.css?v=1" });
    expect(style.headers["content-type"]).toBe("text/css; charset=utf-8");
    await app.close();
  });

  it("never reach outside the bundle: unknown and traversing paths are 404", async () => {
    const app = await buildApp({ service, logger: false, consoleDir: bundle() });
    for (const url of [
      "/assets/missing.js",
      "/assets/../index.html",
      "/assets/%2e%2e/%2e%2e/package.json",
      "/assets/..%2f..%2fpackage.json",
      "/index.html/../../etc/passwd",
    ]) {
      const response = await app.inject({ method: "GET", url });
      expect(response.statusCode, url).toBe(404);
      expect(response.headers["content-type"], url).toContain("application/json");
    }
    await app.close();
  });

  it("serve GraphiQL from the bundle only in dev mode", async () => {
    const dir = bundle();
    const dev = await buildApp({ service, logger: false, dev: true, consoleDir: dir });
    const page = await dev.inject({ method: "GET", url: "/graphiql" });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("GraphiQL");
    expect(page.body).not.toMatch(/https?:\/\//);
    expect(page.headers["content-security-policy"]).toContain("default-src 'self'");
    await dev.close();
    const production = await buildApp({ service, logger: false, consoleDir: dir });
    expect((await production.inject({ method: "GET", url: "/graphiql" })).statusCode).toBe(404);
    await production.close();
  });

  it("say what to do when the server was built without its console", async () => {
    const app = await buildApp({ service, logger: false, dev: true, consoleDir: testDir() });
    for (const url of ["/", "/graphiql"]) {
      const response = await app.inject({ method: "GET", url });
      expect(response.statusCode).toBe(404);
      expect(response.json().errors[0].message).toMatch(
        /built without its web console.*POST \/graphql/,
      );
    }
    await app.close();
  });
});
