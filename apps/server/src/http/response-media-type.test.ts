import { describe, expect, it } from "vitest";
import {
  GRAPHQL_RESPONSE_MEDIA_TYPE,
  graphQLResponseStatus,
  JSON_MEDIA_TYPE,
  responseMediaType,
} from "./response-media-type.js";

describe("responseMediaType", () => {
  it("answers application/json without an Accept header, or one that does not name the new type", () => {
    expect(responseMediaType(undefined)).toBe(JSON_MEDIA_TYPE);
    expect(responseMediaType("application/json")).toBe(JSON_MEDIA_TYPE);
    expect(responseMediaType("*/*")).toBe(JSON_MEDIA_TYPE);
    expect(responseMediaType("text/html,application/xhtml+xml,*/*;q=0.8")).toBe(JSON_MEDIA_TYPE);
    expect(responseMediaType("text/plain")).toBe(JSON_MEDIA_TYPE);
  });

  it("answers application/graphql-response+json when it is preferred", () => {
    expect(responseMediaType("application/graphql-response+json")).toBe(
      GRAPHQL_RESPONSE_MEDIA_TYPE,
    );
    // What the spec recommends clients send, and what @hush/graphql sends.
    expect(
      responseMediaType(
        "application/graphql-response+json; charset=utf-8, application/json; charset=utf-8",
      ),
    ).toBe(GRAPHQL_RESPONSE_MEDIA_TYPE);
    expect(responseMediaType("Application/GraphQL-Response+JSON")).toBe(
      GRAPHQL_RESPONSE_MEDIA_TYPE,
    );
    expect(responseMediaType("application/json;q=0.5, application/graphql-response+json")).toBe(
      GRAPHQL_RESPONSE_MEDIA_TYPE,
    );
  });

  it("weighs q, and takes the first listed on a tie", () => {
    expect(responseMediaType("application/json, application/graphql-response+json")).toBe(
      JSON_MEDIA_TYPE,
    );
    expect(responseMediaType("*/*, application/graphql-response+json")).toBe(JSON_MEDIA_TYPE);
    expect(responseMediaType("application/graphql-response+json;q=0.9, application/json")).toBe(
      JSON_MEDIA_TYPE,
    );
    expect(responseMediaType("application/graphql-response+json;q=0")).toBe(JSON_MEDIA_TYPE);
    expect(responseMediaType("text/html, application/graphql-response+json;q=0.1")).toBe(
      GRAPHQL_RESPONSE_MEDIA_TYPE,
    );
  });

  it("matches only UTF-8", () => {
    expect(responseMediaType("application/graphql-response+json; charset=latin1")).toBe(
      JSON_MEDIA_TYPE,
    );
    expect(responseMediaType('application/graphql-response+json; charset="UTF-8"')).toBe(
      GRAPHQL_RESPONSE_MEDIA_TYPE,
    );
  });
});

describe("graphQLResponseStatus", () => {
  const error = (code: string) => ({ message: "m", extensions: { code } });

  it("is always 200 as application/json", () => {
    expect(
      graphQLResponseStatus({ errors: [error("GRAPHQL_PARSE_FAILED")] }, JSON_MEDIA_TYPE),
    ).toBe(200);
  });

  it("is 200 with data, even null, as application/graphql-response+json", () => {
    const type = GRAPHQL_RESPONSE_MEDIA_TYPE;
    expect(graphQLResponseStatus({ data: { a: 1 } }, type)).toBe(200);
    expect(graphQLResponseStatus({ data: null, errors: [error("NOT_FOUND")] }, type)).toBe(200);
  });

  it("is the error's status without data as application/graphql-response+json", () => {
    const status = (code: string) =>
      graphQLResponseStatus({ errors: [error(code)] }, GRAPHQL_RESPONSE_MEDIA_TYPE);
    expect(status("GRAPHQL_PARSE_FAILED")).toBe(400);
    expect(status("GRAPHQL_VALIDATION_FAILED")).toBe(400);
    expect(status("BAD_USER_INPUT")).toBe(400);
    expect(status("UNAUTHENTICATED")).toBe(401);
    expect(status("FORBIDDEN")).toBe(403);
    expect(status("RATE_LIMITED")).toBe(429);
    expect(status("INTERNAL_SERVER_ERROR")).toBe(500);
    expect(status("SOMETHING_ELSE")).toBe(400);
    expect(status("constructor")).toBe(400);
    expect(graphQLResponseStatus({}, GRAPHQL_RESPONSE_MEDIA_TYPE)).toBe(400);
  });
});
