import { type ConfigOrigin, describeOrigin, displayPath } from "@hush/config";
import { isHushError } from "@hush/errors";
import {
  ErrorCode,
  hasErrorCode,
  permissions,
  type ReceivedErrorExtensions,
  ROLE_NAMES,
} from "@hush/schema";
import type { TokenSource } from "./configuration.js";
import {
  IdentityError,
  SecretAccessError,
  SecretError,
  SecretErrorCode,
  SecretNotFoundError,
  SecretServerError,
} from "./errors.js";
import { apiTokenAdvice } from "./token-advice.js";

const VALUE_READERS = permissions.readValues.roles;
const OTHER_ROLES = ROLE_NAMES.filter((role) => !VALUE_READERS.includes(role));

/** What `Secret` was doing when the server call failed. */
export type ServerAction =
  | { readonly kind: "read"; readonly names: readonly string[] }
  | { readonly kind: "list" };

export interface ServerCallInfo {
  readonly endpoint: string;
  /** Where the API token came from: the config, `hush login`'s auth file, or nowhere. */
  readonly tokenFrom: TokenSource;
  /** Where exactly the token came from, when known (a file line, a variable, the auth file). */
  readonly tokenOrigin?: ConfigOrigin | undefined;
  /** For a token exchanged for a workload identity: where that identity's token is. */
  readonly identity?: string | undefined;
  /** The home folder, shown as `~` in paths. */
  readonly home?: string | undefined;
  /** Where `[cloud] use_local_secrets = false` was set, when known: the place to change it. */
  readonly useLocalOrigin?: ConfigOrigin | undefined;
  readonly action: ServerAction;
  /** The environment asked for; `""` or undefined when none was named (the server chose). */
  readonly environment?: string | undefined;
}

const TRANSPORT_CODES: ReadonlySet<string> = new Set([
  SecretErrorCode.NETWORK,
  SecretErrorCode.TIMEOUT,
  SecretErrorCode.BAD_RESPONSE,
  SecretErrorCode.HTTP_ERROR,
]);

const A_READER_TOKEN = "a token with the RUNNER or TENANT_ADMIN role";

const SET_API_KEY =
  "The key is [cloud] api_key in your hush config file (~/.hush/config.toml, or the file named " +
  "by HUSH__USER_CONFIG_PATH), the environment variable HUSH__CLOUD__API_KEY, or the one `hush login` saved.";

const SET_ENDPOINT =
  "The endpoint is [cloud] endpoint in your hush config file (~/.hush/config.toml, or the file " +
  "named by HUSH__USER_CONFIG_PATH) or the environment variable HUSH__CLOUD__ENDPOINT.";

/** The token, as messages name it: where it came from. */
function theToken(info: ServerCallInfo): string {
  const origin = info.tokenOrigin;
  const home = info.home ?? "";
  if (info.tokenFrom === "identity") {
    return `the API token exchanged for ${info.identity ?? "the workload identity token"}`;
  }
  if (info.tokenFrom === "login") {
    const file = origin?.kind === "login" ? displayPath(origin.file, home) : "~/.hush/auth.toml";
    return `the API token \`hush login\` saved in ${file}`;
  }
  if (origin?.kind === "env") return `the API token from ${origin.variable}`;
  if (origin?.kind === "file") {
    return `the API token in [cloud] api_key (${describeOrigin(origin, home)})`;
  }
  return "the API token in [cloud] api_key";
}

/**
 * Turns a failure of the server client into an error that says what `Secret` was doing, on which
 * server, and what to do next. The original stays as `cause`. Messages are built from names, the
 * endpoint, the error's `extensions` (the fields `@hush/schema` defines for its code) and the
 * lower layer's message, quoted whole and never parsed; none of them holds a value or a token.
 */
export function toSecretError(error: unknown, info: ServerCallInfo): SecretError {
  const endpoint = displayEndpoint(info.endpoint);
  const what = describe(info.action);
  if (!isHushError(error)) {
    return new SecretServerError(
      SecretErrorCode.SERVER_ERROR,
      endpoint,
      `Could not ${what} from the hush server at ${endpoint}: the client failed with ${errorName(error)}. See this error's cause for details.`,
      { cause: error },
    );
  }
  // Its message says what went wrong with the identity, and what to do.
  if (error instanceof IdentityError) return inAction(error, what);
  const serverMessage = error.message;
  switch (error.code) {
    case ErrorCode.NOT_FOUND: {
      const fields = fieldsOf(error, ErrorCode.NOT_FOUND);
      return serverNotFound(
        missingName(fields, info.action),
        fields?.tenant,
        endpoint,
        error,
        info.environment,
      );
    }
    case ErrorCode.UNAUTHENTICATED: {
      const reason = fieldsOf(error, ErrorCode.UNAUTHENTICATED)?.reason;
      const problem =
        info.tokenFrom === "none"
          ? "needs an API token and none is set ([cloud] api_key is empty and `hush login` saved none for it)"
          : reason === "malformed"
            ? `did not accept ${theToken(info)} (it is not shaped like a hush API token, hush_…)`
            : `did not accept ${theToken(info)} (unknown, revoked or expired)`;
      return new SecretAccessError(
        "UNAUTHENTICATED",
        endpoint,
        `Could not ${what}: the hush server at ${endpoint} ${problem}. ${apiTokenAdvice(A_READER_TOKEN)}`,
        { cause: error },
      );
    }
    case ErrorCode.FORBIDDEN: {
      const fields = fieldsOf(error, ErrorCode.FORBIDDEN);
      const role = fields?.role ?? OTHER_ROLES.join(" or ");
      const tenant = fields?.tenant === undefined ? "" : ` in tenant "${fields.tenant}"`;
      // A token scoped to other environments: its role is not the problem.
      if (fields?.permission === "useEnvironment") {
        const environment = fields.environment === undefined ? "" : ` "${fields.environment}"`;
        return new SecretAccessError(
          "FORBIDDEN",
          endpoint,
          `Could not ${what}: ${theToken(info)} may not use the environment${environment}${tenant} on the hush server at ${endpoint} (${serverMessage}). Leave out the environment to use the token's own, or ${apiTokenAdvice("a token scoped to it").replace(/^./, (c) => c.toLowerCase())}`,
          { cause: error },
        );
      }
      const message =
        info.action.kind === "read"
          ? `Could not ${what}: only tokens with the ${VALUE_READERS.join(" or ")} role may read secret values, and ${theToken(info)} has another role (${role})${tenant} on the hush server at ${endpoint}. ${apiTokenAdvice("a RUNNER token for flow runs")}`
          : `Could not ${what}: the hush server at ${endpoint} refused ${theToken(info)} (${serverMessage}). ${apiTokenAdvice(A_READER_TOKEN)}`;
      return new SecretAccessError("FORBIDDEN", endpoint, message, { cause: error });
    }
    case ErrorCode.BAD_USER_INPUT:
      return new SecretError(
        SecretErrorCode.BAD_INPUT,
        `Could not ${what}: the hush server at ${endpoint} rejected the request: ${serverMessage}`,
        { cause: error },
      );
    default: {
      const code = TRANSPORT_CODES.has(error.code)
        ? (error.code as SecretErrorCode)
        : SecretErrorCode.SERVER_ERROR;
      const hint = TRANSPORT_CODES.has(error.code) ? ` ${useLocalHint(info)}` : "";
      return new SecretServerError(
        code,
        endpoint,
        `Could not ${what} from the hush server at ${endpoint}: ${serverMessage}${hint}`,
        { cause: error },
      );
    }
  }
}

/** How to stop asking the server, said where `use_local_secrets = false` was set. */
function useLocalHint(info: ServerCallInfo): string {
  const instead = "To use only local secrets instead,";
  const origin = info.useLocalOrigin;
  if (
    origin?.kind === "env" &&
    origin.variable.toUpperCase() === "HUSH__CLOUD__USE_LOCAL_SECRETS"
  ) {
    return `${instead} set ${origin.variable}=true (or unset it).`;
  }
  if (origin?.kind === "flag") return `${instead} leave out ${origin.flag}.`;
  if (origin?.kind === "env" || origin?.kind === "file") {
    return `${instead} set use_local_secrets = true in ${describeOrigin(origin, info.home ?? "")}.`;
  }
  return `${instead} set [cloud] use_local_secrets = true (or HUSH__CLOUD__USE_LOCAL_SECRETS=true).`;
}

/** Where the setting behind each of the client's set-up errors is, which the client cannot know. */
const SETTING_OF: Partial<Record<string, string>> = {
  INVALID_ENDPOINT: SET_ENDPOINT,
  INVALID_API_KEY: SET_API_KEY,
};

/**
 * The client could not be made from the `[cloud]` settings (e.g. an `api_key` that cannot be an
 * HTTP header), so nothing was sent: a setting to fix, not a server failure. The client's
 * message names the setting and never quotes the key.
 */
export function clientSetupError(error: unknown, action: ServerAction): SecretError {
  if (error instanceof IdentityError) return inAction(error, describe(action));
  const detail = isHushError(error)
    ? `${error.message}${SETTING_OF[error.code] === undefined ? "" : ` ${SETTING_OF[error.code]}`}`
    : `the hush client could not be created (${errorName(error)}). See this error's cause for details.`;
  return new SecretError(SecretErrorCode.BAD_INPUT, `Could not ${describe(action)}: ${detail}`, {
    cause: error,
  });
}

/** A secret the server does not have, in the caller's tenant (named when the server said which). */
export function serverNotFound(
  name: string,
  tenant: string | undefined,
  endpoint: string,
  cause?: unknown,
  environment?: string,
): SecretNotFoundError {
  const inTenant = tenant === undefined ? "in your tenant" : `in tenant "${tenant}"`;
  const where =
    environment === undefined || environment === ""
      ? inTenant
      : `in environment "${environment}" ${tenant === undefined ? "of your tenant" : `of tenant "${tenant}"`}`;
  return new SecretNotFoundError(
    name,
    `Secret "${name}" was not found ${where} on the hush server at ${displayEndpoint(endpoint)}. Set it there with \`hush secrets set ${shellWord(name)} --cloud\` with a TENANT_ADMIN or USER token, or give it a local value in [context.secrets].`,
    cause === undefined ? undefined : { cause },
  );
}

function describe(action: ServerAction): string {
  if (action.kind === "list") return "list secret names";
  const [first, ...rest] = action.names;
  if (rest.length === 0) return `read secret "${first}"`;
  return `read secrets ${action.names.map((n) => `"${n}"`).join(", ")}`;
}

/** The `extensions` of a client error with `code`, typed as that code's fields; else undefined. */
function fieldsOf<C extends ErrorCode>(
  error: object,
  code: C,
): ReceivedErrorExtensions<C> | undefined {
  const extensions = (error as { extensions?: unknown }).extensions;
  return hasErrorCode(extensions, code) ? extensions : undefined;
}

/** The first requested name the server reported missing (`extensions.names` or `name`). */
function missingName(
  fields: ReceivedErrorExtensions<"NOT_FOUND"> | undefined,
  action: ServerAction,
): string {
  const requested = action.kind === "read" ? action.names : [];
  const reported = Array.isArray(fields?.names)
    ? fields.names
    : typeof fields?.name === "string"
      ? [fields.name]
      : [];
  const first = requested.find((name) => reported.includes(name)) ?? reported[0];
  return typeof first === "string" ? first : (requested[0] ?? "");
}

/** The endpoint without credentials or query, which must not reach a message. */
export function displayEndpoint(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    url.username = "";
    url.password = "";
    url.search = "";
    url.hash = "";
    return url.href.replace(/\/$/, "");
  } catch {
    return endpoint;
  }
}

function shellWord(name: string): string {
  return /^[A-Za-z0-9_.-]+$/.test(name) ? name : `'${name.replaceAll("'", "'\\''")}'`;
}

function errorName(error: unknown): string {
  if (error instanceof Error) return error.name;
  return typeof error;
}

/** An identity's error, said for what `Secret` was doing. */
function inAction(error: IdentityError, what: string): IdentityError {
  return new IdentityError(error.code, `Could not ${what}: ${error.message}`, {
    cause: error,
  });
}
