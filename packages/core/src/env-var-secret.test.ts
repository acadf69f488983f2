import { join } from "node:path";
import { afterEach, describe, expect, expectTypeOf, it } from "vitest";
import { testDir } from "../test/helpers.js";
import { configure, EnvVarSecret, resetConfiguration, SecretNotFoundError } from "./index.js";

afterEach(resetConfiguration);

describe("EnvVarSecret", () => {
  it("reads the configured environment as a string, without JSON parsing", async () => {
    configure({ env: { PORT: "8080", JSONISH: '{"a":1}' } });
    expect(await new EnvVarSecret("PORT").get()).toBe("8080");
    expect(await new EnvVarSecret("JSONISH").get()).toBe('{"a":1}');
  });

  it("applies cast", async () => {
    configure({ env: { PORT: "8080", FLAGS: '{"a":1}' } });
    expect(await new EnvVarSecret("PORT", { cast: Number }).get()).toBe(8080);
    expect(await new EnvVarSecret("FLAGS", { cast: JSON.parse }).get()).toEqual({ a: 1 });
  });

  it("returns undefined when missing, unless required", async () => {
    configure({ env: {} });
    expect(await new EnvVarSecret("NOPE").get()).toBeUndefined();
    expect(await new EnvVarSecret("NOPE", { cast: Number }).get()).toBeUndefined();
    const error = await new EnvVarSecret("NOPE", { required: true }).get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretNotFoundError);
    expect(error).toMatchObject({
      code: "NOT_FOUND",
      message: "Environment variable not set: NOPE",
    });
  });

  it("types get() without undefined only when required", async () => {
    configure({ env: { PORT: "8080" } });
    expectTypeOf(await new EnvVarSecret("PORT").get()).toEqualTypeOf<string | undefined>();
    expectTypeOf(await new EnvVarSecret("PORT", { cast: Number }).get()).toEqualTypeOf<
      number | undefined
    >();
    expectTypeOf(await new EnvVarSecret("PORT", { required: true }).get()).toEqualTypeOf<string>();
    expectTypeOf(
      await new EnvVarSecret("PORT", { cast: Number, required: true }).get(),
    ).toEqualTypeOf<number>();
    const required: boolean = Math.random() < 2;
    expectTypeOf(await new EnvVarSecret("PORT", { required }).get()).toEqualTypeOf<
      string | undefined
    >();
    expectTypeOf(
      (await new EnvVarSecret("PORT", { required: true }).getRedacted()).value(),
    ).toEqualTypeOf<string>();
  });

  it("exists() says whether the variable is set", async () => {
    configure({ env: { EMPTY: "" } });
    expect(await new EnvVarSecret("EMPTY").exists()).toBe(true);
    expect(await new EnvVarSecret("NOPE").exists()).toBe(false);
  });

  it("reports a failing cast with CAST_FAILED and without the value", async () => {
    const canary = "not-json-canary-71c2";
    configure({ env: { BAD: canary } });
    const error = await new EnvVarSecret("BAD", { cast: JSON.parse })
      .get()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "CAST_FAILED" });
    expect((error as Error).message).toContain("BAD");
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(canary);
  });

  it("does not need the config file", async () => {
    // A user config file that cannot be read would fail Secret, but not EnvVarSecret.
    configure({ env: { A: "a" }, userConfigPath: join(testDir({}), "missing.toml") });
    expect(await new EnvVarSecret("A").get()).toBe("a");
  });

  it("reads process.env by default", async () => {
    expect(await new EnvVarSecret("PATH").get()).toBe(process.env.PATH);
  });
});
