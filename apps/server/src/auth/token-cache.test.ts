import { describe, expect, it } from "vitest";
import { generateApiToken, hashApiToken, looksLikeApiToken } from "./api-token.js";
import { TokenCache } from "./token-cache.js";

describe("TokenCache", () => {
  it("forgets entries after their TTL or the cap given, and on delete", () => {
    let now = 0;
    const cache = new TokenCache<string>({ ttlMs: 5_000, maxEntries: 10, now: () => now });
    cache.set("a", "caller-a");
    cache.set("b", undefined);
    cache.set("c", "caller-c", 1_000);
    expect(cache.get("a")).toEqual({ value: "caller-a" });
    expect(cache.get("b")).toEqual({ value: undefined });
    now = 1_000;
    expect(cache.get("c")).toBeUndefined();
    cache.delete("a");
    expect(cache.get("a")).toBeUndefined();
    now = 5_000;
    expect(cache.get("b")).toBeUndefined();
  });

  it("stays within its size, dropping the oldest entries", () => {
    const cache = new TokenCache<number>({ ttlMs: 5_000, maxEntries: 3, now: () => 0 });
    for (let i = 0; i < 5; i++) cache.set(`k${i}`, i);
    expect(cache.get("k0")).toBeUndefined();
    expect(cache.get("k1")).toBeUndefined();
    expect(cache.get("k4")).toEqual({ value: 4 });
  });
});

describe("API tokens", () => {
  it("are hush_ plus 32 random bytes, and stored as their SHA-256", () => {
    const token = generateApiToken();
    expect(token).toMatch(/^hush_[A-Za-z0-9_-]{43}$/);
    expect(looksLikeApiToken(token)).toBe(true);
    expect(looksLikeApiToken(`${token}x`)).toBe(false);
    expect(generateApiToken()).not.toBe(token);
    expect(hashApiToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiToken(token)).not.toContain(token.slice(5));
  });
});
