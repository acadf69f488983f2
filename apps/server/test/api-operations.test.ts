import { beforeAll, describe, expect, it } from "vitest";
import { type ApiFixture, codes, fieldOf, openApiForSuite } from "./api-support.js";
import { describeBackends } from "./support/backends.js";

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describeBackends("api operations", (backend) => {
  let api: ApiFixture;
  let admin: string;
  openApiForSuite(backend, (opened) => {
    api = opened;
    admin = api.acme.tokens.TENANT_ADMIN;
  });

  describe("the operations of Prefect's Secrets document, exactly as written", () => {
    it("sets with the seed-era mutation and lists with the seed-era query", async () => {
      const set = await api.gql(
        'mutation{ setSecret(input:{name:"KEY", value:"VALUE"}){ success } }',
        { token: admin },
      );
      expect(set.status).toBe(200);
      expect(set.body).toEqual({ data: { setSecret: { success: true } } });

      const list = await api.gql("query { secret(order_by:{name: asc}) { name } }", {
        token: admin,
      });
      expect(list.body).toEqual({ data: { secret: [{ name: "KEY" }] } });
      const value = await api.gql('{ secretValue(name: "KEY") }', { token: admin });
      expect(value.body).toEqual({ data: { secretValue: "VALUE" } });
    });

    it("accepts Prefect 1.x names: set_secret, secret_value, secret_names, delete_secret", async () => {
      const set = await api.gql(
        "mutation($input: set_secret_input!) { set_secret(input: $input) { success version } }",
        { token: admin, variables: { input: { name: "PREFECT_1X", value: { a: 1 } } } },
      );
      expect(set.body).toEqual({ data: { set_secret: { success: true, version: 1 } } });
      const read = await api.gql('{ secret_value(name: "PREFECT_1X") secret_names }', {
        token: admin,
      });
      expect(read.body.data?.secret_value).toEqual({ a: 1 });
      expect(read.body.data?.secret_names).toContain("PREFECT_1X");
      const deleted = await api.gql(
        'mutation { delete_secret(input: {name: "PREFECT_1X"}) { success } }',
        { token: admin },
      );
      expect(deleted.body).toEqual({ data: { delete_secret: { success: true } } });
      const names = await api.gql("{ secret_names secretNames }", { token: admin });
      expect(names.body.data?.secret_names).not.toContain("PREFECT_1X");
      expect(names.body.data?.secretNames).toEqual(names.body.data?.secret_names);
    });
  });

  describe("Prefect 1.4.1's own client documents, byte for byte", () => {
    // From Prefect 1.4.1's client.py (set_secret) and client/secrets.py (Secret.get).
    const SET = "mutation($input: set_secret_input!) { set_secret(input: $input) { success } }";
    const GET = "query($name: String!) { secret_value(name: $name) }";

    it("sets any JSON value and reads it back, and lists it with query{secret_names}", async () => {
      for (const value of ["plain", 7, { user: "u", password: 'p"w' }]) {
        const set = await api.gql(SET, {
          token: admin,
          variables: { input: { name: "PREFECT_CLIENT", value } },
        });
        expect(set.body).toEqual({ data: { set_secret: { success: true } } });
        const get = await api.gql(GET, { token: admin, variables: { name: "PREFECT_CLIENT" } });
        expect(get.body).toEqual({ data: { secret_value: value } });
      }
      const names = await api.gql("query{secret_names}", { token: admin });
      expect(names.body.data?.secret_names).toContain("PREFECT_CLIENT");
    });

    it("answers a missing secret with the phrase Prefect turns into a KeyError", async () => {
      const get = await api.gql(GET, { token: admin, variables: { name: "NEVER_SET" } });
      expect(get.body.errors?.[0]?.message).toContain("No value found for the requested key");
      expect(codes(get)).toEqual(["NOT_FOUND"]);
    });

    it("deletes with delete_secret_input", async () => {
      await api.gql(SET, { token: admin, variables: { input: { name: "P_DEL", value: 1 } } });
      const deleted = await api.gql(
        "mutation($input: delete_secret_input!) { delete_secret(input: $input) { success } }",
        { token: admin, variables: { input: { name: "P_DEL" } } },
      );
      expect(deleted.body).toEqual({ data: { delete_secret: { success: true } } });
    });
  });

  describe("setSecrets: several secrets in one transaction", () => {
    const SET_MANY =
      "mutation($s: [SetSecretInput!]!) { setSecrets(input: {secrets: $s}) { success secrets { name version } } }";

    it("writes every secret and answers each one's version, under both names", async () => {
      const set = await api.gql(SET_MANY, {
        token: admin,
        variables: {
          s: [
            { name: "IMPORT_A", value: "a" },
            { name: "IMPORT_B", value: { b: 1 } },
          ],
        },
      });
      expect(set.body).toEqual({
        data: {
          setSecrets: {
            success: true,
            secrets: [
              { name: "IMPORT_A", version: 1 },
              { name: "IMPORT_B", version: 1 },
            ],
          },
        },
      });
      const snake = await api.gql(
        "mutation($s: [SetSecretInput!]!) { set_secrets(input: {secrets: $s}) { secrets { version } } }",
        { token: admin, variables: { s: [{ name: "IMPORT_A", value: "a2" }] } },
      );
      expect(snake.body.data).toEqual({ set_secrets: { secrets: [{ version: 2 }] } });
      const read = await api.gql('{ secretValues(names: ["IMPORT_A", "IMPORT_B"]) }', {
        token: admin,
      });
      expect(read.body.data?.secretValues).toEqual({ IMPORT_A: "a2", IMPORT_B: { b: 1 } });
    });

    it("writes nothing when one entry is refused", async () => {
      const tooBig = "x".repeat(70_000);
      for (const bad of [
        [
          { name: "HALF_1", value: 1 },
          { name: ".bad", value: 2 },
        ],
        [
          { name: "HALF_1", value: 1 },
          { name: "HALF_2", value: tooBig },
        ],
        [
          { name: "HALF_1", value: 1 },
          { name: "HALF_1", value: 2 },
        ],
        [],
      ]) {
        const set = await api.gql(SET_MANY, { token: admin, variables: { s: bad } });
        expect(codes(set)).toEqual(["BAD_USER_INPUT"]);
        expect(JSON.stringify(set.body)).not.toContain(tooBig);
      }
      const names = await api.gql("{ secretNames }", { token: admin });
      expect(names.body.data?.secretNames).not.toContain("HALF_1");
    });

    it("is refused for roles that cannot write", async () => {
      const set = await api.gql(SET_MANY, {
        token: api.acme.tokens.RUNNER,
        variables: { s: [{ name: "NOPE", value: 1 }] },
      });
      expect(codes(set)).toEqual(["FORBIDDEN"]);
    });
  });

  describe("JSON values", () => {
    const values: [string, unknown][] = [
      ["a string", "s3cret"],
      ["a string that looks like JSON", '{"a":1}'],
      ["an integer", 42],
      ["a float", 2.5],
      ["a boolean", false],
      ["an object", { user: "a", password: "b", nested: { list: [1, "two", null, true] } }],
      ["a list", [1, { a: [] }, "x"]],
      ["unicode", "päss wörd ✓ 🔑"],
    ];
    it.each(values)("round-trips %s through a variable", async (_label, value) => {
      const set = await api.gql(
        'mutation($v: JSON!) { setSecret(input: {name: "JSON_VAR", value: $v}) { success } }',
        { token: admin, variables: { v: value } },
      );
      expect(set.body.errors).toBeUndefined();
      const read = await api.gql('{ secretValue(name: "JSON_VAR") }', { token: admin });
      expect(read.body.data?.secretValue).toEqual(value);
    });

    it("reads JSON literals written in the document: objects, lists, numbers, null inside", async () => {
      const set = await api.gql(
        'mutation { setSecret(input: {name: "JSON_LIT", value: {user: "a", port: 5432, ratio: 0.5, tags: ["x", true, null], empty: {}}}) { version } }',
        { token: admin },
      );
      expect(set.body.errors).toBeUndefined();
      const read = await api.gql('{ secretValue(name: "JSON_LIT") }', { token: admin });
      expect(read.body.data?.secretValue).toEqual({
        user: "a",
        port: 5432,
        ratio: 0.5,
        tags: ["x", true, null],
        empty: {},
      });
    });

    it("refuses a variable nested inside a JSON literal instead of dropping it", async () => {
      const response = await api.gql(
        'mutation($p: String) { setSecret(input: {name: "NESTED", value: {password: $p}}) { success } }',
        { token: admin, variables: { p: "s3cret" } },
      );
      expect(codes(response)).toEqual(["BAD_USER_INPUT"]);
      expect(response.body.errors?.[0]?.message).toMatch(/pass the whole value as one variable/);
    });

    it("a cached document runs again with other variables", async () => {
      const query =
        'mutation($v: JSON!) { setSecret(input: {name: "CACHED", value: $v}) { version } }';
      const first = await api.gql(query, { token: admin, variables: { v: "one" } });
      const second = await api.gql(query, { token: admin, variables: { v: "two" } });
      expect(second.body.data).toEqual({
        setSecret: { version: fieldOf<{ version: number }>(first, "setSecret").version + 1 },
      });
      const read = await api.gql('{ secretValue(name: "CACHED") }', { token: admin });
      expect(read.body.data?.secretValue).toBe("two");
    });
  });

  describe("listing with where, order_by, limit and offset", () => {
    beforeAll(async () => {
      const caller = api.acme.callers.TENANT_ADMIN;
      // Times are kept to the millisecond: two sets in one would tie, and the order by created
      // or updated would fall to the name.
      const nextMillisecond = () => new Promise((resolve) => setTimeout(resolve, 2));
      for (const name of ["L_B", "L_A", "L_C", "OTHER_L"]) {
        await api.service.setSecret(caller, name, name.toLowerCase());
        await nextMillisecond();
      }
      await api.service.setSecret(caller, "L_A", "updated last");
    });
    const names = async (args: string) => {
      const response = await api.gql(`{ secret(${args}) { name } }`, { token: admin });
      return fieldOf<{ name: string }[]>(response, "secret").map((s) => s.name);
    };

    it("filters by _eq, _like and _in", async () => {
      expect(await names('where: {name: {_eq: "L_B"}}')).toEqual(["L_B"]);
      expect(await names('where: {name: {_like: "L\\\\_%"}}, order_by: {name: asc}')).toEqual([
        "L_A",
        "L_B",
        "L_C",
      ]);
      expect(await names('where: {name: {_in: ["L_C", "L_A", "NOPE"]}}')).toEqual(["L_A", "L_C"]);
      expect(await names('where: {name: {_like: "L%", _in: ["L_C", "OTHER_L"]}}')).toEqual(["L_C"]);
    });

    it("sorts by name, created and updated, and by several keys in turn", async () => {
      const filter = 'where: {name: {_in: ["L_A", "L_B", "L_C"]}}';
      expect(await names(`${filter}, order_by: {name: desc}`)).toEqual(["L_C", "L_B", "L_A"]);
      expect(await names(`${filter}, order_by: [{updated: desc}]`)).toEqual(["L_A", "L_C", "L_B"]);
      expect(await names(`${filter}, order_by: [{created: asc}, {name: asc}]`)).toEqual([
        "L_B",
        "L_A",
        "L_C",
      ]);
      expect(await names(filter)).toEqual(["L_A", "L_B", "L_C"]);
    });

    it("pages with limit and offset", async () => {
      const filter = 'where: {name: {_like: "L%"}}, order_by: {name: asc}';
      expect(await names(`${filter}, limit: 2`)).toEqual(["L_A", "L_B"]);
      expect(await names(`${filter}, limit: 2, offset: 2`)).toEqual(["L_C"]);
      expect(await names(`${filter}, offset: 5`)).toEqual([]);
    });

    it.each([
      ["limit: 0", /limit must be between 1 and 1000/],
      ["limit: 1001", /limit must be between 1 and 1000/],
      ["offset: -1", /offset must be 0 or more/],
      ["order_by: {name: asc, updated: desc}", /one field/],
    ])("rejects %s with BAD_USER_INPUT", async (args, message) => {
      const response = await api.gql(`{ secret(${args}) { name } }`, { token: admin });
      expect(response.status).toBe(200);
      expect(codes(response)).toEqual(["BAD_USER_INPUT"]);
      expect(response.body.errors?.[0]?.message).toMatch(message);
    });

    it("returns metadata: version, ISO times and who wrote it", async () => {
      const response = await api.gql(
        '{ secret(where: {name: {_eq: "L_A"}}) { name version created updated updatedBy } }',
        { token: api.acme.tokens.USER },
      );
      const [secret] = fieldOf<Record<string, unknown>[]>(response, "secret");
      expect(secret).toMatchObject({ name: "L_A", version: 2, updatedBy: "admin" });
      expect(secret?.created).toMatch(ISO);
      expect(secret?.updated).toMatch(ISO);
      expect(Date.parse(String(secret?.updated))).toBeGreaterThanOrEqual(
        Date.parse(String(secret?.created)),
      );
    });
  });
});
