import { describe, expect, it } from "vitest";
import { createClient } from "./create-client.js";
import { OPERATION_KINDS } from "./generated/operation-kinds.js";
import { CLIENT_METHODS } from "./methods.js";

describe("the client's methods", () => {
  it("are one per operation, from the operations' names", () => {
    const client = createClient({ endpoint: "http://127.0.0.1:1" });
    expect(CLIENT_METHODS).toContain("setSecrets");
    expect(CLIENT_METHODS).not.toContain("allSecretValues");
    expect(CLIENT_METHODS.length).toBe(Object.keys(OPERATION_KINDS).length - 1);
    for (const method of CLIENT_METHODS) expect(typeof client[method]).toBe("function");
  });

  it("setSecrets sends SetSecrets and answers its payload", async () => {
    const sent: unknown[] = [];
    const payload = { success: true, secrets: [{ name: "A", version: 2, unchanged: false }] };
    const client = createClient({
      endpoint: "http://127.0.0.1:1",
      fetch: async (_url, init) => {
        sent.push(JSON.parse(String(init?.body)));
        return Response.json({ data: { setSecrets: payload } });
      },
    });
    expect(await client.setSecrets([{ name: "A", value: "x" }])).toEqual(payload);
    expect(sent).toMatchObject([
      {
        operationName: "SetSecrets",
        variables: { secrets: [{ name: "A", value: "x" }], skipUnchanged: false },
      },
    ]);
  });
});

describe("the client's environment", () => {
  function recording(environment?: string) {
    const sent: Array<{ operationName: string; variables?: Record<string, unknown> }> = [];
    const client = createClient({
      endpoint: "http://127.0.0.1:1",
      ...(environment === undefined ? {} : { environment }),
      fetch: async (_url, init) => {
        const body = JSON.parse(String(init?.body));
        sent.push(body);
        const data: Record<string, unknown> = {
          SecretValue: { secretValue: "v" },
          SecretNames: { secretNames: [] },
          SetSecret: { setSecret: { success: true, version: 1 } },
          Environments: { environments: [] },
          CopySecrets: { copySecrets: { success: true, copied: [], skipped: [] } },
          AuditEvents: { auditEvents: [] },
        };
        return Response.json({ data: data[body.operationName] });
      },
    });
    return { client, sent };
  }

  it("is sent with every operation that takes one, and only those", async () => {
    const { client, sent } = recording(" staging ");
    expect(client.environment).toBe("staging");
    await client.secretValue("A");
    await client.secretNames();
    await client.setSecret("A", "x");
    await client.environments();
    await client.copySecrets({ from: "a", to: "b" });
    expect(sent.map((b) => [b.operationName, b.variables?.environment])).toEqual([
      ["SecretValue", "staging"],
      ["SecretNames", "staging"],
      ["SetSecret", "staging"],
      ["Environments", undefined],
      ["CopySecrets", undefined],
    ]);
  });

  it("gives way to one the variables name, and is not sent when unset or empty", async () => {
    const named = recording("staging");
    await named.client.auditEvents({ environment: "production" });
    await named.client.auditEvents({ environment: null });
    expect(named.sent.map((b) => b.variables)).toEqual([
      { environment: "production" },
      { environment: null },
    ]);
    for (const environment of [undefined, ""]) {
      const { client, sent } = recording(environment);
      expect(client.environment).toBeUndefined();
      await client.secretValue("A");
      expect(sent[0]?.variables).toEqual({ name: "A" });
    }
  });
});
