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
