import { createServer } from "node:http";
import { join } from "node:path";
import { listenForTest, rejection } from "@hush/test-support";
import { describe, expect, it } from "vitest";
import { testDir, useConfig } from "../test/helpers.js";
import { FallbackFile, fallbackKey } from "./fallback-file.js";
import { configure, Secret, SecretNotFoundError } from "./index.js";

const TOKEN = "hush_environment-test-token";

/** A GraphQL stand-in that answers from `values` and keeps each request's operation and variables. */
async function stubServer(
  values: Record<string, unknown>,
  valueIn: (name: string, environment: unknown) => unknown = (name) => values[name],
) {
  const requests: Array<{ operationName: string; variables: Record<string, unknown> }> = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      const { operationName, variables = {} } = JSON.parse(body);
      requests.push({ operationName, variables });
      const names: string[] = variables.names ?? [variables.name];
      const missing = names.filter((n) => !Object.hasOwn(values, n));
      res.setHeader("content-type", "application/json");
      if (missing.length > 0) {
        const message = `No value found for the requested key ${missing[0]}`;
        const extensions = { code: "NOT_FOUND", names: missing };
        res.end(JSON.stringify({ data: null, errors: [{ message, extensions }] }));
        return;
      }
      const value = (n: string) => valueIn(n, variables.environment);
      const data =
        operationName === "SecretValue"
          ? { secretValue: value(variables.name) }
          : { secretValues: Object.fromEntries(names.map((n) => [n, value(n)])) };
      res.end(JSON.stringify({ data }));
    });
  });
  return { endpoint: `http://127.0.0.1:${await listenForTest(server)}`, requests };
}

describe("[cloud] environment", () => {
  it("is sent with Secret.get() and getMany(), and named when a secret is not found", async () => {
    const { endpoint, requests } = await stubServer({ A: "a", B: "b" });
    useConfig(`[cloud]\nendpoint = "${endpoint}"\napi_key = "${TOKEN}"\n`, {
      HUSH__CLOUD__USE_LOCAL_SECRETS: "false",
      HUSH__CLOUD__ENVIRONMENT: "staging",
    });
    expect(await new Secret("A").get()).toBe("a");
    expect(await Secret.getMany(["A", "B"])).toEqual({ A: "a", B: "b" });
    const error = await rejection(new Secret("C").get());
    expect(error).toBeInstanceOf(SecretNotFoundError);
    expect((error as Error).message).toContain('Secret "C" was not found in environment "staging"');
    expect(requests.map((r) => r.variables.environment)).toEqual(["staging", "staging", "staging"]);
  });

  it("has a cache of its own: another environment's cached value is never returned", async () => {
    const { endpoint, requests } = await stubServer({ A: "" }, (_, env) => `a-in-${String(env)}`);
    const config = `[cloud]\nendpoint = "${endpoint}"\napi_key = "${TOKEN}"\ncache_ttl = 3600\n`;
    const env = { HUSH__CLOUD__USE_LOCAL_SECRETS: "false" };
    const { options } = useConfig(config, { ...env, HUSH__CLOUD__ENVIRONMENT: "staging" });
    expect(await new Secret("A").get()).toBe("a-in-staging");
    expect(await new Secret("A").get()).toBe("a-in-staging");
    expect(requests).toHaveLength(1);
    configure({ ...options, env: { ...env, HUSH__CLOUD__ENVIRONMENT: "qa" } });
    expect(await new Secret("A").get()).toBe("a-in-qa");
    expect(requests.map((r) => r.variables.environment)).toEqual(["staging", "qa"]);
  });

  it("is not sent when unset: the server chooses", async () => {
    const { endpoint, requests } = await stubServer({ A: "a" });
    useConfig(`[cloud]\nendpoint = "${endpoint}"\napi_key = "${TOKEN}"\nenvironment = ""\n`, {
      HUSH__CLOUD__USE_LOCAL_SECRETS: "false",
    });
    expect(await new Secret("A").get()).toBe("a");
    expect(requests).toEqual([{ operationName: "SecretValue", variables: { name: "A" } }]);
  });
});

describe("the fallback file, per environment", () => {
  it("keeps each environment's values apart, in one file", async () => {
    const path = join(testDir(), "fallback.json");
    const endpoint = "http://127.0.0.1:4200";
    const key = fallbackKey("", TOKEN)!;
    const file = (environment?: string) =>
      new FallbackFile(path, endpoint, key, environment === undefined ? {} : { environment });
    await file().save({ A: "default", B: "only-default" });
    await file("staging").save({ A: "staging" });
    await file("production").save({ C: "production" });
    await file("staging").forget(["B"]);

    const values = async (environment?: string) =>
      Object.fromEntries(
        [...((await file(environment).read()).values ?? [])].map(([n, v]) => [n, v.value]),
      );
    expect(await values()).toEqual({ A: "default", B: "only-default" });
    expect(await values("staging")).toEqual({ A: "staging" });
    expect(await values("production")).toEqual({ C: "production" });
    expect(await values("development")).toEqual({});
  });
});
