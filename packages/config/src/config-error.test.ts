import { inspect } from "node:util";
import { HushError, isHushError } from "@hush/errors";
import { describe, expect, it } from "vitest";
import { load, loadError } from "../test/helpers.js";
import { ConfigError, ConfigErrorCode } from "./index.js";

const SECRET = "hunter2-s3cr3t";

/** The message, the inspected error and its enumerable fields, for leak checks. */
function everythingShown(error: ConfigError): string {
  return [error.message, error.stack, inspect(error, { depth: 9 }), JSON.stringify(error)].join(
    "\n",
  );
}

describe("ConfigError", () => {
  it("is a HushError with a code, a name and only the fields that apply", () => {
    const error = new ConfigError(ConfigErrorCode.INVALID_VALUE, "Bad.", { key: "backend" });
    expect(error).toBeInstanceOf(HushError);
    expect(isHushError(error, "INVALID_VALUE")).toBe(true);
    expect(error.name).toBe("ConfigError");
    expect(Object.keys(error)).toEqual(["code", "name", "key"]);
  });

  it("has a stable code for every case", () => {
    expect(Object.values(ConfigErrorCode).sort()).toEqual([
      "ENV_OVERRIDE_CONFLICT",
      "FILE_NOT_FOUND",
      "FILE_TOO_OPEN",
      "FILE_UNREADABLE",
      "INVALID_ENV_OVERRIDE",
      "INVALID_REFERENCE",
      "INVALID_VALUE",
      "REFERENCE_CYCLE",
      "TOML_SYNTAX",
      "UNKNOWN_KEY",
      "UNKNOWN_REFERENCE",
    ]);
  });
});

describe("TOML syntax errors", () => {
  it("name the file, line and column from smol-toml and say what to do", () => {
    const error = loadError('backend = "cloud"\n[cloud]\nendpoint = http://x\n');
    expect(error.code).toBe(ConfigErrorCode.TOML_SYNTAX);
    expect(error).toMatchObject({ line: 3, column: 12 });
    expect(error.file).toMatch(/\.hush[/\\]config\.toml$/);
    expect(error.message).toBe(
      "~/.hush/config.toml:3:12: invalid TOML: invalid value. Fix the TOML syntax there: strings need quotes, and each key = value goes on its own line.",
    );
  });

  it("give a specific hint for a bad escape", () => {
    const error = loadError('path = "C:\\qux"\n');
    expect(error.message).toContain("unrecognised escape sequence. In");
    expect(error.message).toContain("use a '…' string.");
  });

  it("never quote the line, which may hold a secret", () => {
    const error = loadError(`[context.secrets]\nTOKEN = "${SECRET}\n`);
    expect(error.code).toBe(ConfigErrorCode.TOML_SYNTAX);
    expect(error.line).toBe(2);
    expect(error.cause).toBeUndefined();
    expect(everythingShown(error)).not.toContain(SECRET);
  });
});

describe("errors never show secret values", () => {
  it("for a wrongly typed api_key or secrets table", () => {
    const apiKey = loadError(`[cloud]\napi_key = ["${SECRET}"]\n`);
    expect(apiKey.message).toContain("cloud.api_key must be a string, not an array.");
    expect(everythingShown(apiKey)).not.toContain(SECRET);
    const secrets = loadError(`[context]\nsecrets = "${SECRET}"\n`);
    expect(secrets.message).toContain("context.secrets must be a table of secrets, not a string.");
    expect(everythingShown(secrets)).not.toContain(SECRET);
  });

  it("for an unknown or unclosed reference inside a secret", () => {
    const unknown = loadError(`[context.secrets]\nDB = "${SECRET}\${${SECRET}}"\n`);
    expect(unknown.code).toBe(ConfigErrorCode.UNKNOWN_REFERENCE);
    expect(unknown.key).toBe("context.secrets.DB");
    expect(unknown.message).toContain("context.secrets.DB has a ${…} reference (not shown");
    expect(everythingShown(unknown)).not.toContain(SECRET);
    const unclosed = loadError(undefined, { HUSH__CLOUD__API_KEY: `${SECRET}\${${SECRET}` });
    expect(unclosed.code).toBe(ConfigErrorCode.INVALID_REFERENCE);
    expect(unclosed.message).toContain(
      'HUSH__CLOUD__API_KEY: cloud.api_key has a "${" that is never closed (the value is secret',
    );
    expect(everythingShown(unclosed)).not.toContain(SECRET);
  });

  it("for a reference cycle through secrets", () => {
    const error = loadError(
      `[context.secrets]\nA = "${SECRET}\${context.secrets.B}"\nB = "\${context.secrets.A}"\n`,
    );
    expect(error.code).toBe(ConfigErrorCode.REFERENCE_CYCLE);
    expect(error.message).toContain(
      "A ${…} reference in context.secrets.B leads back to itself: context.secrets.A → context.secrets.B → context.secrets.A.",
    );
    expect(everythingShown(error)).not.toContain(SECRET);
  });

  it("for a secret that a reference copied into a checked key", () => {
    const secrets = `[context.secrets]\nURL = "${SECRET}"\n`;
    const endpoint = loadError(`[cloud]\nendpoint = "\${context.secrets.URL}"\n${secrets}`);
    expect(endpoint.key).toBe("cloud.endpoint");
    expect(endpoint.message).toContain(
      'cloud.endpoint must be an http:// or https:// URL, not a string. Write endpoint = "https://hush.example.com".',
    );
    expect(everythingShown(endpoint)).not.toContain(SECRET);
    // Through another key, and through a table that holds the secrets.
    const viaKey = loadError(
      `backend = "\${t.b}"\n[t]\nb = "x\${context.secrets.URL}"\n${secrets}`,
    );
    expect(viaKey.message).toContain('backend must be "cloud", "server" or "local", not a string.');
    expect(everythingShown(viaKey)).not.toContain(SECRET);
    const viaTable = loadError(`[cloud]\nendpoint = "x\${context}"\n${secrets}`);
    expect(viaTable.message).toContain("must be an http:// or https:// URL, not a string.");
    expect(everythingShown(viaTable)).not.toContain(SECRET);
  });

  it("for a reference whose name a secret was put into", () => {
    const error = loadError(
      `[t]\na = "\${\${context.secrets.X}}"\n[context.secrets]\nX = "${SECRET}"\n`,
    );
    expect(error.code).toBe(ConfigErrorCode.UNKNOWN_REFERENCE);
    expect(error.message).toContain("t.a has a ${…} reference (not shown");
    expect(everythingShown(error)).not.toContain(SECRET);
  });

  it("while a loaded secret is kept exactly", () => {
    expect(load(`[context.secrets]\nX = "${SECRET}"\n`).config.context.secrets.X).toBe(SECRET);
  });
});
