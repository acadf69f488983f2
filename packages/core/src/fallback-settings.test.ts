import { existsSync } from "node:fs";
import { join } from "node:path";
import { createClient } from "@hush/graphql";
import { closedEndpoint, rejection } from "@hush/test-support";
import { afterEach, describe, expect, it, vi } from "vitest";
import { testDir, useConfig } from "../test/helpers.js";
import { Secret, SecretError, SecretServerError } from "./index.js";

afterEach(() => {
  vi.restoreAllMocks();
});

/** Server mode at a closed port, with `toml` in [cloud] and a client that does not retry. */
async function unreachable(toml: string, env: Record<string, string> = {}) {
  const endpoint = await closedEndpoint();
  useConfig(
    `[cloud]\nendpoint = "${endpoint}"\n${toml}`,
    { HUSH__CLOUD__USE_LOCAL_SECRETS: "false", ...env },
    { client: createClient({ endpoint, apiKey: env.HUSH__CLOUD__API_KEY ?? "", retries: 0 }) },
  );
}

describe("[cloud] fallback_file settings", () => {
  it("warns that the file is not used when there is no key, and fails as without it", async () => {
    const warnings: string[] = [];
    vi.spyOn(process, "emitWarning").mockImplementation((w: string | Error) => {
      warnings.push(String(w));
    });
    const file = join(testDir(), "fb.json");
    await unreachable(`fallback_file = "${file}"\n`);
    expect(await rejection(new Secret("A").get())).toBeInstanceOf(SecretServerError);
    expect(warnings).toEqual([
      expect.stringContaining(
        "[cloud] fallback_file is set, but there is no key to encrypt it with",
      ),
    ]);
    expect(existsSync(file)).toBe(false);
  });

  it("refuses a HUSH__CLOUD__FALLBACK_KEY that is not 32 bytes, without quoting it", async () => {
    const file = join(testDir(), "fb.json");
    await unreachable(`fallback_file = "${file}"\n`, {
      HUSH__CLOUD__API_KEY: "hush_runner_0123456789",
      HUSH__CLOUD__FALLBACK_KEY: "too-short-key-text",
    });
    const error = await rejection(new Secret("A").get());
    expect(error).toBeInstanceOf(SecretError);
    expect(error.code).toBe("BAD_INPUT");
    expect(error.message).not.toContain("too-short-key-text");
  });
});
