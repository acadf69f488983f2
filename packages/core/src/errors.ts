import { HushError } from "@hush/errors";
import { ErrorCode } from "@hush/schema";

/**
 * Every `code` a `@hush/core` error can carry. Server and transport failures keep the code of the
 * layer below (`UNAUTHENTICATED`, `TIMEOUT`, …) so one check works at every level.
 */
export const SecretErrorCode = {
  /** A secret name, an option or a `[cloud]` setting is not usable (e.g. an empty name). */
  BAD_INPUT: "BAD_INPUT",
  /** The secret is neither in the run context, nor in `[context.secrets]`, nor on the server. */
  NOT_FOUND: ErrorCode.NOT_FOUND,
  /** An `EnvVarSecret`'s `cast` function threw. */
  CAST_FAILED: "CAST_FAILED",
  /** A secret's value does not match the schema given to `new Secret(name, { schema })`. */
  VALIDATION_FAILED: "VALIDATION_FAILED",
  /** The server got no API token, or one it does not know. */
  UNAUTHENTICATED: ErrorCode.UNAUTHENTICATED,
  /** The API token's role may not do this (values need `TENANT_ADMIN` or `RUNNER`). */
  FORBIDDEN: ErrorCode.FORBIDDEN,
  /** The server could not be reached. */
  NETWORK: "NETWORK",
  /** The server did not answer in time. */
  TIMEOUT: "TIMEOUT",
  /** The server answered with something that is not a GraphQL response. */
  BAD_RESPONSE: "BAD_RESPONSE",
  /** The server answered with an HTTP error status. */
  HTTP_ERROR: "HTTP_ERROR",
  /** The server failed in another way; the cause holds its answer. */
  SERVER_ERROR: "SERVER_ERROR",
  /**
   * No workload identity token could be had: the `[cloud] identity_token_file` cannot be read,
   * or GitHub Actions' ID token could not be asked for.
   */
  IDENTITY_UNAVAILABLE: "IDENTITY_UNAVAILABLE",
} as const;

/** One of {@link SecretErrorCode}'s values. */
export type SecretErrorCode = (typeof SecretErrorCode)[keyof typeof SecretErrorCode];

/** The base of the errors `@hush/core` throws; a {@link HushError} with a {@link SecretErrorCode}. */
export class SecretError extends HushError {
  override readonly name: string = "SecretError";
  declare readonly code: SecretErrorCode;

  constructor(code: SecretErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** A secret that is not in the run context, the config, the server, or the environment. */
export class SecretNotFoundError extends SecretError {
  override readonly name: string = "SecretNotFoundError";
  /** The name that was looked up. */
  readonly secretName: string;

  constructor(secretName: string, message: string, options?: { cause?: unknown }) {
    super(SecretErrorCode.NOT_FOUND, message, options);
    this.secretName = secretName;
  }
}

/**
 * A secret's value does not match its schema. The message names the secret and where in the
 * value each problem is (`password`, `hosts.0`), never the value or the validator's own words,
 * which may quote it.
 */
export class SecretValidationError extends SecretError {
  override readonly name: string = "SecretValidationError";
  /** The secret's name. */
  readonly secretName: string;
  /** Where in the value each problem is, as dotted paths; `""` is the value itself. */
  readonly paths: readonly string[];

  constructor(secretName: string, paths: readonly string[], message: string) {
    super(SecretErrorCode.VALIDATION_FAILED, message);
    this.secretName = secretName;
    this.paths = paths;
  }
}

/** The hush server refused the API token: code `UNAUTHENTICATED` or `FORBIDDEN`. */
export class SecretAccessError extends SecretError {
  override readonly name: string = "SecretAccessError";
  /** The server's base URL, as configured in `[cloud] endpoint`. */
  readonly endpoint: string;

  constructor(
    code: "UNAUTHENTICATED" | "FORBIDDEN",
    endpoint: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.endpoint = endpoint;
  }
}

/** The hush server could not be reached or failed to answer; the `cause` keeps the details. */
export class SecretServerError extends SecretError {
  override readonly name: string = "SecretServerError";
  /** The server's base URL, as configured in `[cloud] endpoint`. */
  readonly endpoint: string;

  constructor(
    code: SecretErrorCode,
    endpoint: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.endpoint = endpoint;
  }
}

/**
 * A workload identity could not be turned into an API token: the identity token could not be
 * had (`IDENTITY_UNAVAILABLE`), or the server refused it, or a token `hush login --oidc` saved
 * has expired (`UNAUTHENTICATED`). The message never holds either token.
 */
export class IdentityError extends SecretError {
  override readonly name: string = "IdentityError";
  declare readonly code: "UNAUTHENTICATED" | "IDENTITY_UNAVAILABLE";

  constructor(
    code: "UNAUTHENTICATED" | "IDENTITY_UNAVAILABLE",
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}
