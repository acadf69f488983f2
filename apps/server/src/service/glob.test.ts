import { describe, expect, it } from "vitest";
import { globMatches } from "./glob.js";

describe("globMatches", () => {
  it("matches exactly without a star, the whole value", () => {
    expect(globMatches("repo:acme/app", "repo:acme/app")).toBe(true);
    expect(globMatches("repo:acme/app", "repo:acme/app2")).toBe(false);
    expect(globMatches("repo:acme/app", "xrepo:acme/app")).toBe(false);
  });

  it("lets a star stand for any run, none included, and nothing else", () => {
    expect(globMatches("repo:acme/*:ref:main", "repo:acme/app:ref:main")).toBe(true);
    expect(globMatches("repo:acme/*:ref:main", "repo:acme/:ref:main")).toBe(true);
    expect(globMatches("repo:acme/*:ref:main", "repo:acme/app:ref:dev")).toBe(false);
    expect(globMatches("*", "")).toBe(true);
    expect(globMatches("a*b*c", "a-b-x-c")).toBe(true);
    expect(globMatches("a*b*c", "a-c-b")).toBe(false);
    // Regular-expression characters are literal.
    expect(globMatches("a.b", "axb")).toBe(false);
    expect(globMatches("a?b", "axb")).toBe(false);
    expect(globMatches("a?b", "a?b")).toBe(true);
  });

  it("answers patterns of many stars that do not match (a regular expression would not end)", () => {
    expect(globMatches(`${"*a".repeat(100)}b`, "a".repeat(5000))).toBe(false);
  });
});
