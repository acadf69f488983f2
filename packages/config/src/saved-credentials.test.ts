import { chmodSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configError, testDir } from "../test/helpers.js";
import { isExpired, savedCredentials } from "./saved-credentials.js";

const ENDPOINT = "http://127.0.0.1:4200";
const TOKEN = "hush_saved_token_0123456789abcdef";

/** A temp home whose `~/.hush/auth.toml` holds a token for ENDPOINT, with `mode`. */
function homeWithAuthFile(mode: number): { home: string; file: string } {
  const home = testDir({ ".hush/auth.toml": `["${ENDPOINT}"]\napi_key = "${TOKEN}"\n` });
  const file = join(home, ".hush", "auth.toml");
  chmodSync(file, mode);
  return { home, file };
}

describe.skipIf(process.platform === "win32")("the auth file's permissions", () => {
  it("reads a token from a file only its owner can read or write", () => {
    expect(savedCredentials(ENDPOINT, homeWithAuthFile(0o600).home)?.api_key).toBe(TOKEN);
    expect(savedCredentials(ENDPOINT, homeWithAuthFile(0o400).home)?.api_key).toBe(TOKEN);
  });

  it.each([
    [0o644, "world-readable"],
    [0o640, "group-readable"],
    [0o620, "group-writable"],
    [0o602, "world-writable"],
  ])("refuses a %o (%s) file, saying the chmod to run, never the token", (mode) => {
    const { home, file } = homeWithAuthFile(mode);
    const error = configError(() => savedCredentials(ENDPOINT, home));
    expect(error.code).toBe("FILE_TOO_OPEN");
    expect(error.file).toBe(file);
    expect(error.message).toContain(`chmod 600 ${file}`);
    expect(error.message).not.toContain(TOKEN);
  });
});

describe("a token `hush login --oidc` saved", () => {
  it("keeps its expiry, and counts as expired once it has passed", () => {
    const home = testDir({
      ".hush/auth.toml": `["${ENDPOINT}"]\napi_key = "${TOKEN}"\nexpires_at = "2030-01-01T00:00:00.000Z"\n`,
    });
    chmodSync(join(home, ".hush", "auth.toml"), 0o600);
    const saved = savedCredentials(ENDPOINT, home);
    expect(saved).toEqual({ api_key: TOKEN, expires_at: "2030-01-01T00:00:00.000Z" });
    expect(isExpired(saved!, Date.parse("2029-12-31T23:59:59Z"))).toBe(false);
    expect(isExpired(saved!, Date.parse("2030-01-01T00:00:00Z"))).toBe(true);
  });

  it("is expired when its expiry is not a date; an API token (no expiry) never is", () => {
    expect(isExpired({ api_key: TOKEN, expires_at: "soon" })).toBe(true);
    expect(isExpired({ api_key: TOKEN })).toBe(false);
  });
});
