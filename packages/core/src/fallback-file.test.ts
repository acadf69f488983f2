import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
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
    const file = new FallbackFile(path, ENDPOINT, fallbackKey("", TOKEN)!, { now: () => 5_000 });
    await file.save({ DB: { password: "pw-plain-1" }, URL: "https://x.example/pw-plain-2" });
    const text = readFileSync(path, "utf8");
    expect(text).not.toMatch(/pw-plain|"DB"|"URL"/);
    expect(JSON.parse(text)).toMatchObject({ format: "hush-fallback-v2", key: "api-key" });
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(ENDPOINT);
    if (process.platform !== "win32") expect(statSync(path).mode & 0o777).toBe(0o600);
    // Nothing but the file is left beside it: the temporary file was renamed into place.
    expect(readdirSync(join(path, ".."))).toEqual(["fallback.json"]);

    const again = new FallbackFile(path, ENDPOINT, fallbackKey("", TOKEN)!);
    expect(Object.fromEntries((await again.read()).values ?? [])).toEqual({
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
    expect([...((await second.read()).values?.keys() ?? [])]).toEqual(["A", "B"]);
    await second.forget(["A"]);
    expect([
      ...((await new FallbackFile(path, ENDPOINT, key).read()).values?.keys() ?? []),
    ]).toEqual(["B"]);
  });

  it("reads nothing with another token, another key or for another server", async () => {
    const path = fileIn();
    await new FallbackFile(path, ENDPOINT, fallbackKey("", TOKEN)!).save({ A: "a" });
    // The key is derived from the token: another token has another key.
    expect(await new FallbackFile(path, ENDPOINT, fallbackKey("", `${TOKEN}x`)!).read()).toEqual({
      miss: "unreadable",
    });
    expect(await new FallbackFile(path, "http://other:1", fallbackKey("", TOKEN)!).read()).toEqual({
      miss: "other-server",
    });
    const own = randomBytes(32).toString("base64");
    expect(await new FallbackFile(path, ENDPOINT, fallbackKey(own, TOKEN)!).read()).toEqual({
      miss: "unreadable",
    });
  });

  it("with HUSH__CLOUD__FALLBACK_KEY, is read by the tenant's tokens that wrote it, not others", async () => {
    const path = fileIn();
    const own = randomBytes(32).toString("base64");
    const tenant = (id: string) => async () => id;
    await new FallbackFile(path, ENDPOINT, fallbackKey(own, TOKEN)!).save({ A: "a" }, tenant("t1"));
    const another = new FallbackFile(path, ENDPOINT, fallbackKey(own, "hush_another")!);
    expect(await another.read()).toEqual({ miss: "other-tenant" });
    // The same tenant's token joins on its first save, and keeps what was there.
    await another.save({ B: "b" }, tenant("t1"));
    expect([...((await another.read()).values?.keys() ?? [])]).toEqual(["A", "B"]);
    expect(
      (await new FallbackFile(path, ENDPOINT, fallbackKey(own, TOKEN)!).read()).values?.size,
    ).toBe(2);
    // Another tenant's token starts a file of its own: the first tenant's values are gone.
    const stranger = new FallbackFile(path, ENDPOINT, fallbackKey(own, "hush_stranger")!);
    await stranger.save({ C: "c" }, tenant("t2"));
    expect([...((await stranger.read()).values?.keys() ?? [])]).toEqual(["C"]);
    expect(await new FallbackFile(path, ENDPOINT, fallbackKey(own, TOKEN)!).read()).toEqual({
      miss: "other-tenant",
    });
    // A header changed to let another token in fails to decrypt.
    const file = JSON.parse(readFileSync(path, "utf8")) as { tokens: string[] };
    const first = JSON.parse(readFileSync(path, "utf8"));
    await new FallbackFile(path, ENDPOINT, fallbackKey(own, TOKEN)!).save({ A: "a" }, tenant("t1"));
    const mine = JSON.parse(readFileSync(path, "utf8")) as { tokens: string[] };
    writeFileSync(path, JSON.stringify({ ...first, tokens: [...file.tokens, ...mine.tokens] }));
    expect(await new FallbackFile(path, ENDPOINT, fallbackKey(own, TOKEN)!).read()).toEqual({
      miss: "unreadable",
    });
  });

  it("does not read a file of the older format, and writes a new one over it", async () => {
    const path = fileIn();
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, JSON.stringify({ format: "hush-fallback-v1", key: "api-key", data: "" }));
    const file = new FallbackFile(path, ENDPOINT, fallbackKey("", TOKEN)!);
    expect(await file.read()).toEqual({ miss: "unreadable" });
    await file.save({ A: "a" });
    expect((await file.read()).values?.get("A")?.value).toBe("a");
  });

  it("reads nothing from a damaged file, and writes a good one over it", async () => {
    const path = fileIn();
    const key = fallbackKey("", TOKEN)!;
    await new FallbackFile(path, ENDPOINT, key).save({ A: "a" });
    const damaged = JSON.parse(readFileSync(path, "utf8")) as Record<string, string>;
    damaged.data = Buffer.from("tampered").toString("base64");
    writeFileSync(path, JSON.stringify(damaged));
    expect(await new FallbackFile(path, ENDPOINT, key).read()).toEqual({ miss: "unreadable" });
    writeFileSync(path, "not json");
    const file = new FallbackFile(path, ENDPOINT, key);
    await file.save({ B: "b" });
    expect([...((await file.read()).values?.keys() ?? [])]).toEqual(["B"]);
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
