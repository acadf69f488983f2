import { chmodSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configError, testDir } from "../test/helpers.js";
import { savedApiKey } from "./saved-credentials.js";

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
    expect(savedApiKey(ENDPOINT, homeWithAuthFile(0o600).home)).toBe(TOKEN);
    expect(savedApiKey(ENDPOINT, homeWithAuthFile(0o400).home)).toBe(TOKEN);
  });

  it.each([
    [0o644, "world-readable"],
    [0o640, "group-readable"],
    [0o620, "group-writable"],
    [0o602, "world-writable"],
  ])("refuses a %o (%s) file, saying the chmod to run, never the token", (mode) => {
    const { home, file } = homeWithAuthFile(mode);
    const error = configError(() => savedApiKey(ENDPOINT, home));
    expect(error.code).toBe("FILE_TOO_OPEN");
    expect(error.file).toBe(file);
    expect(error.message).toContain(`chmod 600 ${file}`);
    expect(error.message).not.toContain(TOKEN);
  });
});
