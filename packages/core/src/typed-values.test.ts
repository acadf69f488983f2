import * as v from "valibot";
import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { useConfig } from "../test/helpers.js";
import { Secret, SecretValidationError } from "./index.js";

const SECRETS = `
[context.secrets]
DB = '{"user": "app", "password": "pw-value-1", "port": 5432}'
BAD_DB = '{"user": "app", "password": 12345678, "port": "not-a-port-9"}'
PORT = "8080"
`;

async function rejected(promise: Promise<unknown>): Promise<SecretValidationError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SecretValidationError);
  return error as SecretValidationError;
}

describe("typed secrets", () => {
  it("types get<T>() without a schema, unchecked", async () => {
    useConfig(SECRETS);
    const db = await new Secret("DB").get<{ user: string }>();
    expectTypeOf(db).toEqualTypeOf<{ user: string }>();
    expect(db.user).toBe("app");
  });

  it("validates and types the value with a zod schema", async () => {
    useConfig(SECRETS);
    const schema = z.object({ user: z.string(), password: z.string(), port: z.number() });
    const db = await new Secret("DB", { schema }).get();
    expectTypeOf(db).toEqualTypeOf<{ user: string; password: string; port: number }>();
    expect(db).toEqual({ user: "app", password: "pw-value-1", port: 5432 });
    // The schema's output: a transform applies.
    const port = await new Secret("PORT", { schema: z.number().transform(String) }).get();
    expectTypeOf(port).toEqualTypeOf<string>();
    expect(port).toBe("8080");
  });

  it("validates and types the value with a valibot schema", async () => {
    useConfig(SECRETS);
    const schema = v.object({ user: v.string(), password: v.string(), port: v.number() });
    const db = await new Secret("DB", { schema }).get();
    expectTypeOf(db).toEqualTypeOf<{ user: string; password: string; port: number }>();
    expect(db.port).toBe(5432);
    expect((await new Secret("DB", { schema }).getRedacted()).value()).toEqual(db);
  });

  it("names the secret and the failing paths, never the value (zod)", async () => {
    useConfig(SECRETS);
    const schema = z.object({ user: z.string(), password: z.string(), port: z.number() });
    const error = await rejected(new Secret("BAD_DB", { schema }).get());
    expect(error).toMatchObject({ code: "VALIDATION_FAILED", secretName: "BAD_DB" });
    expect(error.paths).toEqual(["password", "port"]);
    expect(error.message).toBe(
      'Secret "BAD_DB" does not match its schema (zod) at password, port; the value is not shown. Fix the value stored for "BAD_DB", or the schema given to new Secret("BAD_DB", { schema }).',
    );
    expect(error.message).not.toMatch(/12345678|not-a-port-9/);
  });

  it("names the failing paths, never the value (valibot, whose own messages quote it)", async () => {
    useConfig(SECRETS);
    const schema = v.object({ user: v.string(), password: v.string(), port: v.number() });
    const error = await rejected(new Secret("BAD_DB", { schema }).get());
    expect(error.paths).toEqual(["password", "port"]);
    expect(error.message).toContain("(valibot) at password, port;");
    expect(`${error.message} ${JSON.stringify(error)} ${String(error.stack)}`).not.toMatch(
      /12345678|not-a-port-9/,
    );
  });

  it("says the value itself fails when the problem has no path", async () => {
    useConfig(SECRETS);
    const error = await rejected(new Secret("PORT", { schema: z.string() }).get());
    expect(error.paths).toEqual([""]);
    expect(error.message).toContain("at the value itself;");
  });
});
