import { describe, expect, it, vi } from "vitest";
import type { SecretsService } from "../service/contract.js";
import { ServiceError } from "../service/errors.js";
import { ReadBudget } from "../service/read-budget.js";
import type { RequestContext } from "./context.js";
import type { FormattedError } from "./errors/formatted-error.js";
import { createExecutableSchema } from "./executable-schema.js";
import { GraphQLEngine, type PreparedOperation } from "./graphql-engine.js";
import * as graphqlJs from "./graphql-js.js";

vi.mock("./graphql-js.js", async (importOriginal) => {
  const actual = await importOriginal<typeof import("./graphql-js.js")>();
  return { ...actual, parse: vi.fn(actual.parse), validate: vi.fn(actual.validate) };
});

const schema = createExecutableSchema();

function prepared(result: PreparedOperation | FormattedError[]): PreparedOperation {
  if (Array.isArray(result)) throw new Error(JSON.stringify(result));
  return result;
}

const caller = {
  tenantId: "t1",
  tenantName: "acme",
  tokenId: "k1",
  tokenName: "admin",
  role: "TENANT_ADMIN" as const,
};

function context(service: Partial<SecretsService>): RequestContext {
  return { requestId: "req-1", caller, service: service as SecretsService };
}

describe("GraphQLEngine", () => {
  it("parses and validates a document once, then serves it from the cache", () => {
    const engine = new GraphQLEngine(schema);
    vi.mocked(graphqlJs.parse).mockClear();
    vi.mocked(graphqlJs.validate).mockClear();
    const first = engine.prepare("{ secretNames }", undefined);
    const second = engine.prepare("{ secretNames }", undefined);
    expect(second).toBe(first);
    expect(graphqlJs.parse).toHaveBeenCalledTimes(1);
    expect(graphqlJs.validate).toHaveBeenCalledTimes(1);
    expect(engine.cachedDocuments).toBe(1);
  });

  it("keys the cache by query text and operation name", () => {
    const engine = new GraphQLEngine(schema);
    const document = "query A { secretNames } query B { me { role } }";
    const a = prepared(engine.prepare(document, "A"));
    const b = prepared(engine.prepare(document, "B"));
    expect(a.operation.name?.value).toBe("A");
    expect(b.operation.name?.value).toBe("B");
    expect(engine.prepare(document, "A")).toBe(a);
    expect(engine.cachedDocuments).toBe(2);
  });

  it("keeps at most cacheSize documents, least recently used out first", () => {
    const engine = new GraphQLEngine(schema, { cacheSize: 2 });
    const a = engine.prepare("{ secretNames }", undefined);
    engine.prepare("{ secret_names }", undefined);
    engine.prepare("{ me { role } }", undefined);
    expect(engine.cachedDocuments).toBe(2);
    expect(engine.prepare("{ secretNames }", undefined)).not.toBe(a);
  });

  it("caches refusals too: a refused document is not parsed or checked again", () => {
    const engine = new GraphQLEngine(schema);
    vi.mocked(graphqlJs.parse).mockClear();
    vi.mocked(graphqlJs.validate).mockClear();
    for (let i = 0; i < 3; i++) {
      expect(engine.prepare("{ nope }", undefined)).toEqual([
        expect.objectContaining({ extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }),
      ]);
      expect(engine.prepare("{", undefined)).toEqual([
        expect.objectContaining({ extensions: { code: "GRAPHQL_PARSE_FAILED" } }),
      ]);
    }
    expect(graphqlJs.parse).toHaveBeenCalledTimes(2);
    expect(graphqlJs.validate).toHaveBeenCalledTimes(1);
    expect(engine.cachedDocuments).toBe(2);
  });

  it("does not mistake an operation name holding part of the query for another document", () => {
    const engine = new GraphQLEngine(schema);
    expect(prepared(engine.prepare("query Q { secretNames }", "Q")).kind).toBe("query");
    expect(engine.prepare(" Q { secretNames }", "Q\u0000query")).toEqual([
      expect.objectContaining({ extensions: { code: "GRAPHQL_PARSE_FAILED" } }),
    ]);
  });

  it("refuses a fragment bomb of 2^30 spreads before the standard validation", () => {
    const engine = new GraphQLEngine(schema);
    vi.mocked(graphqlJs.validate).mockClear();
    const bomb = (last: string) => {
      const levels = Array.from(
        { length: 30 },
        (_, k) => `fragment F${k} on Query { ...F${k + 1} ...F${k + 1} }`,
      );
      return `query { ...F0 } ${levels.join(" ")} fragment F30 on Query { ${last} }`;
    };
    for (const last of ["...F30", "secretNames", "me { role }", "a: secretNames"]) {
      expect(engine.prepare(bomb(last), undefined)).toContainEqual(
        expect.objectContaining({
          message: expect.stringMatching(/selects more than 2000 fields/),
          extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
        }),
      );
    }
    const nested = `query { me { ...M0 } } ${Array.from(
      { length: 30 },
      (_, k) => `fragment M${k} on Me { ...M${k + 1} ...M${k + 1} }`,
    ).join(" ")} fragment M30 on Me { role }`;
    expect(engine.prepare(nested, undefined)).toEqual([
      expect.objectContaining({ extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }),
    ]);
    expect(graphqlJs.validate).not.toHaveBeenCalled();
  });

  it("tells queries from mutations", () => {
    const engine = new GraphQLEngine(schema);
    expect(prepared(engine.prepare("{ secretNames }", undefined)).kind).toBe("query");
    expect(
      prepared(
        engine.prepare('mutation { deleteSecret(input: {name: "A"}) { success } }', undefined),
      ).kind,
    ).toBe("mutation");
  });

  it("maps a ServiceError to its message and code, with its extensions", async () => {
    const engine = new GraphQLEngine(schema);
    const service: Partial<SecretsService> = {
      admitValueReads: async () => new ReadBudget(1000),
      secretValuesJson: async () => {
        throw new ServiceError("NOT_FOUND", "2 secrets were not found.", {
          extensions: { names: ["A", "B"] },
        });
      },
    };
    const onUnexpected = vi.fn();
    const body = await engine.execute(
      prepared(engine.prepare('{ secretValues(names: ["A", "B"]) }', undefined)),
      context(service),
      undefined,
      onUnexpected,
    );
    expect(body).toEqual({
      data: { secretValues: null },
      errors: [
        {
          message: "2 secrets were not found.",
          locations: [{ line: 1, column: 3 }],
          path: ["secretValues"],
          extensions: { code: "NOT_FOUND", names: ["A", "B"] },
        },
      ],
    });
    expect(onUnexpected).not.toHaveBeenCalled();
  });

  it("weighs what an operation reads before it runs, and answers a refusal alone", async () => {
    const engine = new GraphQLEngine(schema);
    const admitValueReads = vi.fn(async () => {
      throw new ServiceError("BAD_USER_INPUT", "Too much.", { extensions: { limit: "L" } });
    });
    const secretValues = vi.fn();
    const document = `query ($n: [String!], $m: String = "D") {
      a: secretValues(names: $n) b: secretValues ...F c: secret_value(name: $m) me { role }
    }
    fragment F on Query { d: secretValues(names: ["X", $m]) ... on Query { secretValue(name: "Y") } }`;
    const body = await engine.execute(
      prepared(engine.prepare(document, undefined)),
      context({ admitValueReads, secretValues }),
      { n: ["A", "B"] },
      vi.fn(),
    );
    expect(body).toEqual({
      errors: [{ message: "Too much.", extensions: { code: "BAD_USER_INPUT", limit: "L" } }],
    });
    // Every field with the names it reads: undefined for every secret.
    expect(admitValueReads).toHaveBeenCalledWith(caller, [
      ["A", "B"],
      undefined,
      ["X", "D"],
      ["Y"],
      ["D"],
    ]);
    expect(secretValues).not.toHaveBeenCalled();
  });

  it("masks any other error and hands it to onUnexpected", async () => {
    const engine = new GraphQLEngine(schema);
    const failure = new Error("connection reset by the database");
    const onUnexpected = vi.fn();
    const body = await engine.execute(
      prepared(engine.prepare("{ secretNames }", undefined)),
      context({ secretNames: async () => Promise.reject(failure) }),
      undefined,
      onUnexpected,
    );
    expect(body.errors).toEqual([
      {
        message: "Unexpected error; the server log has the details under request id req-1.",
        locations: [{ line: 1, column: 3 }],
        path: ["secretNames"],
        extensions: { code: "INTERNAL_SERVER_ERROR", requestId: "req-1" },
      },
    ]);
    expect(onUnexpected).toHaveBeenCalledWith(failure, ["secretNames"]);
  });

  it("masks a resolver result that breaks the schema (a bug), too", async () => {
    const engine = new GraphQLEngine(schema);
    const onUnexpected = vi.fn();
    const body = await engine.execute(
      prepared(engine.prepare("{ secretNames }", undefined)),
      context({ secretNames: async () => [null] as unknown as string[] }),
      undefined,
      onUnexpected,
    );
    expect(body.errors?.[0]?.extensions.code).toBe("INTERNAL_SERVER_ERROR");
    expect(onUnexpected).toHaveBeenCalledTimes(1);
  });

  it("reports variables that do not coerce as BAD_USER_INPUT, with the path but not the value", async () => {
    const engine = new GraphQLEngine(schema);
    const operation = prepared(
      engine.prepare(
        'mutation($input: SetSecretInput!, $n: Int!) { setSecret(input: $input) { version } rollbackSecret(input: {name: "A", version: $n}) { version } }',
        undefined,
      ),
    );
    const body = await engine.execute(
      operation,
      context({}),
      { input: { name: ["s3cret"], value: "s3cret", other: "s3cret" }, n: "s3cret" },
      vi.fn(),
    );
    expect(body.data).toBeUndefined();
    expect(body.errors?.map((error) => error.message)).toEqual([
      'Variable "$input" got an invalid value at "input.name": String cannot represent a non string value.',
      'Variable "$input" got an invalid value: Field "other" is not defined by type "SetSecretInput".',
      'Variable "$n" got an invalid value: Int cannot represent non-integer value.',
    ]);
    expect(new Set(body.errors?.map((error) => error.extensions.code))).toEqual(
      new Set(["BAD_USER_INPUT"]),
    );
    expect(JSON.stringify(body)).not.toContain("s3cret");
  });
});
