import { isHushError } from "@hush/errors";
import { describe, expect, it } from "vitest";
import { graphqlUrl } from "./graphql-url.js";

describe("graphqlUrl", () => {
  it.each([
    ["http://127.0.0.1:4200", "http://127.0.0.1:4200/graphql"],
    ["http://127.0.0.1:4200/", "http://127.0.0.1:4200/graphql"],
    ["http://127.0.0.1:4200///", "http://127.0.0.1:4200/graphql"],
    ["https://hush.example.com/graphql", "https://hush.example.com/graphql"],
    ["https://hush.example.com/graphql/", "https://hush.example.com/graphql"],
    ["https://example.com/hush", "https://example.com/hush/graphql"],
    ["https://example.com/hush/graphql", "https://example.com/hush/graphql"],
    ["https://example.com/graphqlx", "https://example.com/graphqlx/graphql"],
    ["  http://localhost:4200  ", "http://localhost:4200/graphql"],
    ["http://[::1]:4200?tenant=a#x", "http://[::1]:4200/graphql?tenant=a"],
  ])("%s → %s", (endpoint, expected) => {
    expect(graphqlUrl(endpoint)).toBe(expected);
  });

  it.each(["", "127.0.0.1:4200", "not a url", "ftp://example.com", "file:///tmp/x"])(
    "rejects %j with a HushError that says what to set",
    (endpoint) => {
      let error: unknown;
      try {
        graphqlUrl(endpoint);
      } catch (caught) {
        error = caught;
      }
      expect(isHushError(error, "INVALID_ENDPOINT")).toBe(true);
      expect((error as Error).message).toMatch(/Set the endpoint to the hush server's base URL/);
      expect((error as Error).message).toMatch(/http:\/\/127\.0\.0\.1:4200/);
    },
  );

  it.each(["http//admin:s3cr3t-canary@example.com", "https://admin:s3/cr3t-canary@x y"])(
    "does not repeat the credentials of %j, which is no URL",
    (endpoint) => {
      expect(() => graphqlUrl(endpoint)).toThrow(/^The hush endpoint "(https:\/\/)?…@[ex]/);
      expect(() => graphqlUrl(endpoint)).not.toThrow(/cr3t/);
    },
  );

  it("rejects credentials in the URL without repeating them", () => {
    expect(() => graphqlUrl("https://admin:s3cr3t-canary@example.com")).toThrow(
      /must not contain a user name or password/,
    );
    try {
      graphqlUrl("https://admin:s3cr3t-canary@example.com");
    } catch (error) {
      expect(String(error)).not.toContain("s3cr3t-canary");
    }
  });
});
