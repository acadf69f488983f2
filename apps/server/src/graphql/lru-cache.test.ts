import { describe, expect, it } from "vitest";
import { LruCache } from "./lru-cache.js";

describe("LruCache", () => {
  it("evicts the least recently used entry beyond its size", () => {
    const cache = new LruCache<number>({ maxEntries: 2, maxKeyChars: 1000 });
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.get("a")).toBe(1);
    cache.set("c", 3);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe(1);
    expect(cache.get("c")).toBe(3);
    expect(cache.size).toBe(2);
  });

  it("bounds the total length of its keys, and skips a key longer than that", () => {
    const cache = new LruCache<number>({ maxEntries: 100, maxKeyChars: 10 });
    cache.set("aaaa", 1);
    cache.set("bbbb", 2);
    cache.set("cccc", 3);
    expect(cache.get("aaaa")).toBeUndefined();
    expect(cache.get("bbbb")).toBe(2);
    cache.set("x".repeat(11), 4);
    expect(cache.get("x".repeat(11))).toBeUndefined();
    expect(cache.size).toBe(2);
  });

  it("replaces a value without counting its key twice", () => {
    const cache = new LruCache<number>({ maxEntries: 100, maxKeyChars: 8 });
    cache.set("aaaa", 1);
    cache.set("aaaa", 2);
    cache.set("bbbb", 3);
    expect(cache.get("aaaa")).toBe(2);
    expect(cache.get("bbbb")).toBe(3);
  });
});
