import { describe, expect, it } from "vitest";
import {
  type ApiFixture,
  codes,
  expectStillServing,
  fieldOf,
  openApiForSuite,
} from "./api-support.js";
import { describeBackends } from "./support/backends.js";

describeBackends("api under hostile documents and bad input", (backend) => {
  let api: ApiFixture;
  let token: string;
  openApiForSuite(backend, (opened) => {
    api = opened;
    token = api.acme.tokens.TENANT_ADMIN;
  });
  expectStillServing(() => api);

  describe("hostile documents are refused with a GraphQL error, never a stall or a crash", () => {
    it("a syntax error → GRAPHQL_PARSE_FAILED with its location", async () => {
      const response = await api.gql("{ secretNames ", { token });
      expect(response.status).toBe(200);
      expect(codes(response)).toEqual(["GRAPHQL_PARSE_FAILED"]);
      expect(response.body.errors?.[0]?.locations).toEqual([{ line: 1, column: 15 }]);
    });

    it("an unknown field → GRAPHQL_VALIDATION_FAILED", async () => {
      const response = await api.gql("{ secretz }", { token });
      expect(response.status).toBe(200);
      expect(codes(response)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
      expect(response.body.errors?.[0]?.message).toMatch(/secretz/);
    });

    it("a subscription → GRAPHQL_VALIDATION_FAILED", async () => {
      const response = await api.gql("subscription { secretNames }", { token });
      expect(codes(response)).toContain("GRAPHQL_VALIDATION_FAILED");
    });

    it("a document nested deeper than 12 → GRAPHQL_VALIDATION_FAILED before field checks", async () => {
      const deep = `{ ${"me { tenant { ".repeat(7)}id${" } }".repeat(7)} }`;
      const response = await api.gql(deep, { token });
      expect(response.status).toBe(200);
      expect(codes(response)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
      expect(response.body.errors?.[0]?.message).toMatch(/nested 15 fields deep; the limit is 12/);
    });

    it("depth through fragments counts too", async () => {
      const fragments = Array.from(
        { length: 14 },
        (_, i) => `fragment F${i} on Me { tenant { ${i < 13 ? `...F${i + 1}` : "id"} } }`,
      ).join("\n");
      const response = await api.gql(`{ me { ...F0 } }\n${fragments}`, { token });
      expect(codes(response)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
      expect(response.body.errors?.[0]?.message).toMatch(/deep/);
    });

    it("a thousand aliases → GRAPHQL_VALIDATION_FAILED", async () => {
      const aliases = Array.from({ length: 1000 }, (_, i) => `a${i}: secretNames`).join(" ");
      const response = await api.gql(`{ ${aliases} }`, { token });
      expect(new Set(codes(response))).toEqual(new Set(["GRAPHQL_VALIDATION_FAILED"]));
      expect(response.raw).toMatch(/1000 aliases; the limit is 30/);
    });

    it("aliases multiplied through fragments → GRAPHQL_VALIDATION_FAILED", async () => {
      const levels = Array.from(
        { length: 20 },
        (_, i) => `fragment L${i + 1} on Query { ...L${i} ...L${i} }`,
      ).join("\n");
      const document = `{ ...L20 }\nfragment L0 on Query { a: secretNames b: secretNames }\n${levels}`;
      const response = await api.gql(document, { token });
      expect(new Set(codes(response))).toEqual(new Set(["GRAPHQL_VALIDATION_FAILED"]));
      expect(response.raw).toMatch(/aliases; the limit is 30/);
    });

    it("too many root fields → GRAPHQL_VALIDATION_FAILED", async () => {
      const fields = Array.from({ length: 25 }, (_, i) => `v${i}: secretValue(name: "STILL_HERE")`);
      const response = await api.gql(`{ ${fields.join(" ")} }`, { token });
      expect(codes(response)).toContain("GRAPHQL_VALIDATION_FAILED");
      expect(response.raw).toMatch(/root fields/);
    });

    it("ten thousand aliases, or any document over the token limit → GRAPHQL_PARSE_FAILED", async () => {
      const aliases = Array.from({ length: 10_000 }, (_, i) => `a${i}: secretNames`).join(" ");
      const response = await api.gql(`{ ${aliases} }`, { token });
      expect(codes(response)).toEqual(["GRAPHQL_PARSE_FAILED"]);
      expect(response.body.errors?.[0]?.message).toMatch(/tokens/);
    });

    it.each([101, 1990])(
      "a list literal nested %i deep → GRAPHQL_VALIDATION_FAILED, not a 500",
      async (depth) => {
        const literal = `${"[".repeat(depth)}1${"]".repeat(depth)}`;
        const response = await api.gql(
          `mutation { setSecret(input: {name: "DEEP", value: ${literal}}) { success } }`,
          { token },
        );
        expect(response.status).toBe(200);
        expect(codes(response)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
        expect(response.body.errors?.[0]?.message).toMatch(/Send it as a variable instead/);
      },
    );

    it("an argument nested 100 deep (lists and objects) is stored as written", async () => {
      // input: {…} is one level, 49 lists of objects 98, and [1] the last.
      const literal = `${"[{a: ".repeat(49)}[1]${"}]".repeat(49)}`;
      const response = await api.gql(
        `mutation { setSecret(input: {name: "DEEP_OK", value: ${literal}}) { success } }`,
        { token },
      );
      expect(response.raw).toBe('{"data":{"setSecret":{"success":true}}}');
    });

    it("a list literal nested 2400 deep → a document error, not a 500", async () => {
      const literal = `${"[".repeat(2400)}1${"]".repeat(2400)}`;
      const response = await api.gql(
        `mutation { setSecret(input: {name: "DEEP", value: ${literal}}) { success } }`,
        { token },
      );
      expect(response.status).toBe(200);
      expect(codes(response)).toHaveLength(1);
      expect(["GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED"]).toContain(codes(response)[0]);
    });

    it("GraphiQL's introspection query passes but a recursive introspection does not", async () => {
      const recursive = `{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }`;
      const response = await api.gql(recursive);
      expect(codes(response)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    });

    it("a selection set nested 2000 deep → a GraphQL error", async () => {
      const response = await api.gql(`${"{ me ".repeat(2000)}${"}".repeat(2000)}`, { token });
      expect(response.status).toBe(200);
      expect(codes(response)).toEqual(["GRAPHQL_PARSE_FAILED"]);
    });

    it("a value nested 100,000 deep in the variables → BAD_USER_INPUT", async () => {
      const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
      const query =
        'mutation($v: JSON!) { setSecret(input: {name: "DEEP_VAR", value: $v}) { success } }';
      const response = await api.app.inject({
        method: "POST",
        url: "/graphql",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        payload: `{"query": ${JSON.stringify(query)}, "variables": {"v": ${deep}}}`,
      });
      expect(response.statusCode).toBe(200);
      const errors: { extensions: { code: string } }[] = JSON.parse(response.body).errors;
      expect(errors.map((error) => error.extensions.code)).toEqual(["BAD_USER_INPUT"]);
    });

    it("a NUL byte in the document → GRAPHQL_PARSE_FAILED", async () => {
      const response = await api.gql("{ secret\u0000Names }", { token });
      expect(codes(response)).toEqual(["GRAPHQL_PARSE_FAILED"]);
    });
  });

  describe("bad names and values → BAD_USER_INPUT naming the rule, never echoing the input", () => {
    const set = (name: unknown, value: unknown = "v") =>
      api.gql("mutation($input: SetSecretInput!) { setSecret(input: $input) { success } }", {
        token,
        variables: { input: { name, value } },
      });

    it.each([
      ["a NUL byte", "BAD\u0000NAME"],
      ["10,000 characters", "N".repeat(10_000)],
      ["a leading dot", ".hidden"],
      ["a space", "two words"],
      ["an empty string", ""],
      ["a slash", "a/b"],
    ])("a name with %s", async (_label, name) => {
      const response = await set(name);
      expect(response.status).toBe(200);
      expect(codes(response)).toEqual(["BAD_USER_INPUT"]);
      expect(response.body.errors?.[0]?.message).toMatch(/letters, digits/);
    });

    it("a NUL byte escaped inside a name literal", async () => {
      const response = await api.gql(
        'mutation { setSecret(input: {name: "A\\u0000B", value: "v"}) { success } }',
        { token },
      );
      expect(codes(response)).toEqual(["BAD_USER_INPUT"]);
    });

    it("a NUL byte inside a value is kept as data", async () => {
      const stored = await set("NUL_VALUE", "a\u0000b");
      expect(stored.body.errors).toBeUndefined();
      const read = await api.gql('{ secretValue(name: "NUL_VALUE") }', { token });
      expect(fieldOf(read, "secretValue")).toBe("a\u0000b");
    });

    it("a value over 64 KiB", async () => {
      const canary = `canary-${"v".repeat(70 * 1024)}`;
      const response = await set("BIG", canary);
      expect(codes(response)).toEqual(["BAD_USER_INPUT"]);
      expect(response.body.errors?.[0]?.message).toMatch(/limit is 65536 bytes/);
      expect(response.raw).not.toContain("canary-");
    });

    it("variables of the wrong type → BAD_USER_INPUT without the values", async () => {
      const canary = "s3cret-canary-value";
      const responses = await Promise.all([
        set(["list", canary]),
        api.gql("mutation($input: SetSecretInput!) { setSecret(input: $input) { success } }", {
          token,
          variables: { input: { value: canary } },
        }),
        api.gql("mutation($input: SetSecretInput!) { setSecret(input: $input) { success } }", {
          token,
          variables: { input: { name: "X", value: canary, extra: canary } },
        }),
        api.gql("mutation($input: SetSecretInput!) { setSecret(input: $input) { success } }", {
          token,
          variables: { input: canary },
        }),
        api.gql("query($n: Int) { secret(limit: $n) { name } }", {
          token,
          variables: { n: canary },
        }),
        api.gql("mutation($input: SetSecretInput!) { setSecret(input: $input) { success } }", {
          token,
          variables: {},
        }),
      ]);
      for (const response of responses) {
        expect(response.status).toBe(200);
        expect(codes(response).every((code) => code === "BAD_USER_INPUT")).toBe(true);
        expect(codes(response).length).toBeGreaterThan(0);
        expect(response.raw).not.toContain(canary);
        expect(response.body.errors?.[0]?.message).toMatch(/^Variable "\$\w+"/);
      }
      expect(responses[2]?.body.errors?.[0]?.message).toMatch(/"extra" is not defined/);
    });

    it("a too-long list of names → BAD_USER_INPUT", async () => {
      const names = Array.from({ length: 1001 }, (_, i) => `N${i}`);
      const response = await api.gql("query($names: [String!]!) { secretValues(names: $names) }", {
        token,
        variables: { names },
      });
      expect(codes(response)).toEqual(["BAD_USER_INPUT"]);
    });
  });
});
