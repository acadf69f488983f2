import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { testDir } from "../test/helpers.js";
import { FallbackFile, fallbackKey } from "./fallback-file.js";

const ENDPOINT = "http://127.0.0.1:4200";
const TOKEN = "hush_runner_token_0123456789";

function fileIn(dir = testDir({})) {
  return join(dir, "cache", "fallback.json");
}

describe("FallbackFile", () => {
  it("keeps values encrypted, in a file only its owner can read", async () => {
    const path = fileIn();
    const file = new FallbackFile(path, ENDPOINT, fallbackKey("", TOKEN)!, () => 5_000);
    await file.save({ DB: { password: "pw-plain-1" }, URL: "https://x.example/pw-plain-2" });
    const text = readFileSync(path, "utf8");
    expect(text).not.toMatch(/pw-plain|"DB"|"URL"/);
    expect(JSON.parse(text)).toMatchObject({ format: "hush-fallback-v1", key: "api-key" });
    if (process.platform !== "win32") expect(statSync(path).mode & 0o777).toBe(0o600);
    // Nothing but the file is left beside it: the temporary file was renamed into place.
    expect(readdirSync(join(path, ".."))).toEqual(["fallback.json"]);

    const again = new FallbackFile(path, ENDPOINT, fallbackKey("", TOKEN)!);
    expect(Object.fromEntries((await again.read()) ?? [])).toEqual({
      DB: { value: { password: "pw-plain-1" }, savedAt: 5_000 },
      URL: { value: "https://x.example/pw-plain-2", savedAt: 5_000 },
    });
  });

  it("adds to what an earlier process saved, and forgets names on request", async () => {
    const path = fileIn();
    const key = fallbackKey("", TOKEN)!;
    await new FallbackFile(path, ENDPOINT, key).save({ A: "a" });
    const second = new FallbackFile(path, ENDPOINT, key);
    await second.save({ B: "b" });
    expect([...((await second.read())?.keys() ?? [])]).toEqual(["A", "B"]);
    await second.forget(["A"]);
    expect([...((await new FallbackFile(path, ENDPOINT, key).read())?.keys() ?? [])]).toEqual([
      "B",
    ]);
  });

  it("reads nothing with another token, another key or for another server", async () => {
    const path = fileIn();
    await new FallbackFile(path, ENDPOINT, fallbackKey("", TOKEN)!).save({ A: "a" });
    expect(await new FallbackFile(path, ENDPOINT, fallbackKey("", `${TOKEN}x`)!).read()).toBe(
      undefined,
    );
    expect(
      await new FallbackFile(path, "http://other:1", fallbackKey("", TOKEN)!).read(),
    ).toBeUndefined();
    const own = randomBytes(32).toString("base64");
    expect(await new FallbackFile(path, ENDPOINT, fallbackKey(own, TOKEN)!).read()).toBe(undefined);
  });

  it("with HUSH__CLOUD__FALLBACK_KEY, reads the file whatever the token", async () => {
    const path = fileIn();
    const own = randomBytes(32).toString("base64");
    await new FallbackFile(path, ENDPOINT, fallbackKey(own, TOKEN)!).save({ A: "a" });
    const other = new FallbackFile(path, ENDPOINT, fallbackKey(own, "hush_another")!);
    expect((await other.read())?.get("A")?.value).toBe("a");
  });

  it("reads nothing from a damaged file, and writes a good one over it", async () => {
    const path = fileIn();
    const key = fallbackKey("", TOKEN)!;
    await new FallbackFile(path, ENDPOINT, key).save({ A: "a" });
    const damaged = JSON.parse(readFileSync(path, "utf8")) as Record<string, string>;
    damaged.data = Buffer.from("tampered").toString("base64");
    writeFileSync(path, JSON.stringify(damaged));
    expect(await new FallbackFile(path, ENDPOINT, key).read()).toBeUndefined();
    writeFileSync(path, "not json");
    const file = new FallbackFile(path, ENDPOINT, key);
    await file.save({ B: "b" });
    expect([...((await file.read())?.keys() ?? [])]).toEqual(["B"]);
  });

  it("refuses a fallback key that is not 32 bytes of base64, without quoting it", () => {
    for (const bad of ["short-key-value", randomBytes(16).toString("base64"), "***"]) {
      expect(() => fallbackKey(bad, TOKEN)).toThrow(
        /^\[cloud\] fallback_key \(HUSH__CLOUD__FALLBACK_KEY\) must be 32 random bytes in base64 \(it is not shown\)/,
      );
      try {
        fallbackKey(bad, TOKEN);
      } catch (error) {
        expect((error as Error).message).not.toContain(bad);
      }
    }
    expect(fallbackKey("", "")).toBeUndefined();
  });
});
