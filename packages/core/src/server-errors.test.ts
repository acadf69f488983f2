import { ApiError } from "@hush/graphql";
import type { ErrorExtensions } from "@hush/schema";
import { describe, expect, it } from "vitest";
import { SecretAccessError, SecretNotFoundError } from "./errors.js";
import { type ServerCallInfo, toSecretError } from "./server-errors.js";

const ENDPOINT = "http://127.0.0.1:4200";

/** The client's error for a GraphQL error with `extensions` and `message`. */
function apiError(extensions: ErrorExtensions, message = "The server's own words."): ApiError {
  return new ApiError(extensions.code, message, {
    operationName: "SecretValue",
    endpoint: `${ENDPOINT}/graphql`,
    status: 200,
    errors: [{ message, extensions }],
  });
}

const reading = (names: string[]): ServerCallInfo => ({
  endpoint: ENDPOINT,
  tokenFrom: "config",
  tokenOrigin: { kind: "env", variable: "HUSH__CLOUD__API_KEY" },
  action: { kind: "read", names },
});

describe("toSecretError", () => {
  it.each(['we"ird', "a.*(b)+[c]$", 'in tenant "other"'])(
    "names the tenant %j from extensions, not from the message",
    (tenant) => {
      const error = toSecretError(
        apiError(
          { code: "NOT_FOUND", tenant, name: "DB_URL" },
          // A message that a regex over the words would misread.
          'the secret DB_URL was not found in tenant "decoy".',
        ),
        reading(["DB_URL"]),
      );
      expect(error).toBeInstanceOf(SecretNotFoundError);
      expect(error.message).toBe(
        `Secret "DB_URL" was not found in tenant "${tenant}" on the hush server at ${ENDPOINT}. Set it there with \`hush secrets set DB_URL --cloud\` with a TENANT_ADMIN or USER token, or give it a local value in [context.secrets].`,
      );
    },
  );

  it("says 'in your tenant' when the server names none, and picks the missing name", () => {
    const error = toSecretError(
      apiError({ code: "NOT_FOUND", names: ["B"] }, 'in tenant "decoy"'),
      reading(["A", "B"]),
    );
    expect(error.message).toMatch(/^Secret "B" was not found in your tenant on/);
  });

  it("FORBIDDEN names the token's role and tenant from extensions", () => {
    const error = toSecretError(
      apiError({
        code: "FORBIDDEN",
        tenant: "acme",
        role: "READ_ONLY_USER",
        requiredRoles: ["TENANT_ADMIN", "RUNNER"],
        permission: "readValues",
      }),
      reading(["A"]),
    );
    expect(error).toBeInstanceOf(SecretAccessError);
    expect(error.message).toContain(
      'the API token from HUSH__CLOUD__API_KEY has another role (READ_ONLY_USER) in tenant "acme"',
    );
    expect(error.message).toContain("HUSH__CLOUD__API_KEY, to a RUNNER token for flow runs");
  });

  it("FORBIDDEN for an environment outside the token's scope names the environment, not the role", () => {
    const error = toSecretError(
      apiError(
        {
          code: "FORBIDDEN",
          tenant: "acme",
          role: "RUNNER",
          requiredRoles: [],
          permission: "useEnvironment",
          environment: "production",
        },
        'This token may use only the environments staging, not "production".',
      ),
      reading(["A"]),
    );
    expect(error).toBeInstanceOf(SecretAccessError);
    expect(error.message).toContain(
      'the API token from HUSH__CLOUD__API_KEY may not use the environment "production" in tenant "acme"',
    );
    expect(error.message).toContain("Leave out the environment to use the token's own");
    expect(error.message).not.toContain("another role");
  });

  it("UNAUTHENTICATED says where the token is set, once", () => {
    const error = toSecretError(
      apiError({ code: "UNAUTHENTICATED", reason: "rejected" }),
      reading(["A"]),
    );
    expect(error.message).toContain("did not accept the API token from HUSH__CLOUD__API_KEY");
    expect(error.message.match(/hush login/g)).toHaveLength(1);
    expect(error.message).not.toContain("The server's own words.");
  });

  it("UNAUTHENTICATED for a malformed token says it is not shaped like one", () => {
    const error = toSecretError(
      apiError({ code: "UNAUTHENTICATED", reason: "malformed" }),
      reading(["A"]),
    );
    expect(error.message).toContain(
      "did not accept the API token from HUSH__CLOUD__API_KEY (it is not shaped like a hush API token, hush_…)",
    );
  });
});
