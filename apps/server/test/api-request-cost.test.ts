import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  type MockInstance,
  vi,
} from "vitest";
import { SecretVersions } from "../src/service/secret-versions.js";
import { type ApiFixture, type ApiResponse, codes, openApi } from "./api-support.js";
import { describeBackends } from "./support/backends.js";

const MiB = 1024 * 1024;
// The largest value the server takes by default: 64 KiB of JSON (a string and its two quotes).
const BIG = "x".repeat(64 * 1024 - 2);
const bigName = (i: number) => `BIG_${String(i).padStart(3, "0")}`;
const BIG_NAMES = Array.from({ length: 200 }, (_, i) => bigName(i));
const smallName = (i: number) => `SMALL_${String(i).padStart(4, "0")}`;
const SMALL_NAMES = Array.from({ length: 1000 }, (_, i) => smallName(i));

/** A document reading `names` through `aliases` aliases of secretValues, all with `$names`. */
function aliasedReads(aliases: number): string {
  const fields = Array.from({ length: aliases }, (_, i) => `a${i}: secretValues(names: $names)`);
  return `query ($names: [String!]) { ${fields.join(" ")} }`;
}

/** The single error of a refused request: BAD_USER_INPUT, no data. */
function refusal(response: ApiResponse) {
  expect(response.status).toBe(200);
  expect(codes(response)).toEqual(["BAD_USER_INPUT"]);
  expect(response.body.data ?? null).toBeNull();
  return response.body.errors?.[0] as NonNullable<ApiResponse["body"]["errors"]>[number];
}

describeBackends("api: what one request may read", (backend) => {
  let api: ApiFixture;
  let runner: string;
  let smallRunner: string;
  let decrypted: MockInstance<SecretVersions["open"]>;

  beforeAll(async () => {
    api = await openApi(backend);
    runner = api.acme.tokens.RUNNER;
    smallRunner = api.globex.tokens.RUNNER;
    // acme: 200 values of 64 KiB (12.5 MiB); globex: 1000 small ones.
    await api.service.setSecrets(
      api.acme.callers.TENANT_ADMIN,
      BIG_NAMES.map((name) => ({ name, value: BIG })),
    );
    await api.service.setSecrets(
      api.globex.callers.TENANT_ADMIN,
      SMALL_NAMES.map((name, i) => ({ name, value: `small-${i}` })),
    );
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  });
  beforeEach(() => {
    decrypted = vi.spyOn(SecretVersions.prototype, "open");
  });
  // Whatever came before, the server still answers an ordinary read.
  afterEach(async () => {
    decrypted.mockRestore();
    const response = await api.gql(`{ secretValue(name: "${bigName(7)}") }`, { token: runner });
    expect(response.body).toEqual({ data: { secretValue: BIG } });
  });

  describe("a request past the limits is refused whole, before any value is decrypted", () => {
    it("20 aliases of secretValues over 200 names of 64 KiB: 4000 values, past 1000", async () => {
      const error = refusal(
        await api.gql(aliasedReads(20), { token: runner, variables: { names: BIG_NAMES } }),
      );
      expect(error.message).toContain("4000 values");
      expect(error.message).toContain("1000 values per request");
      expect(error.extensions).toMatchObject({
        limit: "VALUES_PER_REQUEST",
        max: 1000,
        requested: 4000,
      });
      expect(decrypted).not.toHaveBeenCalled();
    });

    it("one secretValues over 200 names of 64 KiB: 12.5 MiB, past 8 MiB", async () => {
      const error = refusal(
        await api.gql("query ($names: [String!]) { secretValues(names: $names) }", {
          token: runner,
          variables: { names: BIG_NAMES },
        }),
      );
      expect(error.message).toContain("200 values / 12.5 MiB");
      expect(error.message).toContain("the limit is 8 MiB per request");
      expect(error.message).toContain("ask for fewer names");
      expect(error.extensions).toMatchObject({
        limit: "VALUE_BYTES_PER_REQUEST",
        max: 8 * MiB,
        requested: 200 * 64 * 1024,
      });
      expect(decrypted).not.toHaveBeenCalled();
    });

    it("secretValues without names, over a tenant of 12.5 MiB", async () => {
      const error = refusal(await api.gql("{ secretValues }", { token: runner }));
      expect(error.extensions).toMatchObject({ limit: "VALUE_BYTES_PER_REQUEST" });
      expect(decrypted).not.toHaveBeenCalled();
    });

    it("fields that each fit but together pass 8 MiB share one budget", async () => {
      const error = refusal(
        await api.gql(
          'query ($a: [String!], $b: [String!]) { a: secretValues(names: $a) b: secretValues(names: $b) one: secretValue(name: "BIG_199") }',
          {
            token: runner,
            variables: { a: BIG_NAMES.slice(0, 100), b: BIG_NAMES.slice(100, 199) },
          },
        ),
      );
      expect(error.extensions).toMatchObject({
        limit: "VALUE_BYTES_PER_REQUEST",
        requested: 200 * 64 * 1024,
      });
      expect(decrypted).not.toHaveBeenCalled();
    });

    it("names in literals count as names in variables; secretValue counts one each", async () => {
      const names = JSON.stringify(SMALL_NAMES.slice(0, 600));
      const error = refusal(
        await api.gql(`{ a: secretValues(names: ${names}) b: secretValues(names: ${names}) }`, {
          token: smallRunner,
        }),
      );
      expect(error.extensions).toMatchObject({ limit: "VALUES_PER_REQUEST", requested: 1200 });
      const singles = Array.from(
        { length: 2 },
        (_, i) => `s${i}: secret_value(name: "${smallName(i)}")`,
      ).join(" ");
      const withSingles = refusal(
        await api.gql(`query ($names: [String!]) { all: secretValues(names: $names) ${singles} }`, {
          token: smallRunner,
          variables: { names: SMALL_NAMES.slice(0, 999) },
        }),
      );
      expect(withSingles.extensions).toMatchObject({ requested: 1001 });
      expect(decrypted).not.toHaveBeenCalled();
    });

    it("a role that may not read values is refused the same way, without an audit event per name", async () => {
      const error = refusal(
        await api.gql(aliasedReads(20), {
          token: api.acme.tokens.READ_ONLY_USER,
          variables: { names: BIG_NAMES },
        }),
      );
      expect(error.extensions).toMatchObject({ limit: "VALUES_PER_REQUEST" });
      const denied = await api.service.auditEvents(api.acme.callers.TENANT_ADMIN, {
        limit: 1000,
        offset: 0,
        action: "READ_SECRET_VALUE",
      });
      expect(denied.filter((event) => event.outcome === "DENIED")).toEqual([]);
    });
  });

  describe("the largest requests allowed are answered", () => {
    it("8 MiB exactly: 128 values of 64 KiB", async () => {
      const response = await api.gql("query ($names: [String!]) { secretValues(names: $names) }", {
        token: runner,
        variables: { names: BIG_NAMES.slice(0, 128) },
      });
      expect(response.body.errors).toBeUndefined();
      const values = (response.body.data as { secretValues: Record<string, string> }).secretValues;
      expect(Object.keys(values)).toHaveLength(128);
      expect(values[bigName(127)]).toBe(BIG);
      expect(decrypted).toHaveBeenCalledTimes(128);
    });

    it("1000 values over several fields, and every secret of a tenant of 1000", async () => {
      const response = await api.gql(
        "query ($a: [String!], $b: [String!]) { a: secretValues(names: $a) b: secretValues(names: $b) }",
        {
          token: smallRunner,
          variables: { a: SMALL_NAMES.slice(0, 500), b: SMALL_NAMES.slice(500) },
        },
      );
      expect(response.body.errors).toBeUndefined();
      const data = response.body.data as Record<string, Record<string, string>>;
      expect(Object.keys(data.a ?? {})).toHaveLength(500);
      expect(data.b?.[smallName(999)]).toBe("small-999");

      const all = await api.gql("{ secretValues }", { token: smallRunner });
      expect(all.body.errors).toBeUndefined();
      expect(Object.keys((all.body.data as { secretValues: object }).secretValues)).toHaveLength(
        1000,
      );
    });
  });
});

describeBackends("api: the bytes one request may read are settable", (backend) => {
  let api: ApiFixture;
  beforeAll(async () => {
    api = await openApi(backend, { service: { maxRequestValueBytes: 200_000 } });
    await api.service.setSecrets(
      api.acme.callers.TENANT_ADMIN,
      BIG_NAMES.slice(0, 4).map((name) => ({ name, value: BIG })),
    );
  });
  afterAll(async () => {
    await api?.close();
  });

  it("refuses four values of 64 KiB past 200,000 bytes, and reads three", async () => {
    const token = api.acme.tokens.RUNNER;
    const over = refusal(await api.gql("{ secretValues }", { token }));
    expect(over.message).toContain("the limit is 0.19 MiB per request");
    expect(over.extensions).toMatchObject({ max: 200_000, requested: 4 * 64 * 1024 });
    const three = await api.gql("query ($n: [String!]) { secretValues(names: $n) }", {
      token,
      variables: { n: BIG_NAMES.slice(0, 3) },
    });
    expect(Object.keys((three.body.data as { secretValues: object }).secretValues)).toHaveLength(3);
  });

  it("refuses a budget smaller than the largest value, which could never be read", async () => {
    await expect(
      api.backend.reopen({ maxRequestValueBytes: 1000, maxValueBytes: 2000 }),
    ).rejects.toThrow(/maxRequestValueBytes/);
  });
});
