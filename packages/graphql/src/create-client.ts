import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { HushError } from "@hush/errors";
import { API_TOKEN_PREFIX } from "@hush/schema/token-shape";
import type { Role } from "@hush/schema/types";
import * as documents from "./generated/graphql.js";
import {
  AllSecretValuesDocument,
  type ApiTokenFieldsFragment,
  ApiTokensDocument,
  AuditEventsDocument,
  type AuditEventsQuery,
  type AuditEventsQueryVariables,
  CreateApiTokenDocument,
  type CreateApiTokenMutation,
  DeleteSecretDocument,
  type DeleteSecretMutation,
  MeDocument,
  type MeQuery,
  RevokeApiTokenDocument,
  type RevokeApiTokenMutation,
  RollbackSecretDocument,
  type RollbackSecretMutation,
  SecretNamesDocument,
  SecretsDocument,
  type SecretsQuery,
  type SecretsQueryVariables,
  SecretValueDocument,
  SecretValuesDocument,
  SecretVersionsDocument,
  type SecretVersionsQuery,
  SetSecretDocument,
  type SetSecretMutation,
  SetSecretsDocument,
  type SetSecretsMutation,
} from "./generated/graphql.js";
import { graphqlUrl } from "./graphql-url.js";
import { CLIENT_METHODS, type ClientMethod } from "./methods.js";
import type { Backoff } from "./transport/backoff.js";
import { operationOf } from "./transport/operation-of.js";
import { fetchPost, nodePost } from "./transport/post.js";
import { sensitiveStrings } from "./transport/scrub.js";
import { badResponse, sendOperation, type Transport } from "./transport/send-operation.js";
import { fixedToken, type TokenProvider } from "./transport/token-provider.js";
import { readValues, type ValueRequests } from "./values-in-batches.js";

/** Options of {@link createClient}. */
export interface ClientOptions {
  /**
   * The hush server's base URL; GraphQL is at `<endpoint>/graphql` (an endpoint that already
   * ends in `/graphql` is used as it is).
   * @example "http://127.0.0.1:4200"
   */
  endpoint: string;
  /** The API token, sent as `Authorization: Bearer <apiKey>`; no header when empty. @default "" */
  apiKey?: string;
  /**
   * Where the token comes from instead of `apiKey`, asked before each request: for short-lived
   * tokens that are renewed (a workload identity's). A token the server refuses is reported to
   * it, and the request sent once more when it has a new one.
   */
  tokenProvider?: TokenProvider;
  /**
   * The environment every operation that takes one acts on (secrets, their values and versions,
   * the audit filter), unless its variables give `environment` themselves (null for none). Unset
   * or empty: the server's choice, the token's only environment, else the tenant's default.
   * @example "staging"
   */
  environment?: string;
  /** How long one attempt may take, answer included, in milliseconds. @default 10000 */
  timeoutMs?: number;
  /**
   * How many times a failed query is sent again (network failure, timeout, HTTP 5xx). Mutations
   * are sent again only when the connection could not be made at all.
   * @default 3
   */
  retries?: number;
  /** The waits between attempts: `baseMs · 2^n`, capped at `maxMs`, jittered. @default { baseMs: 100, maxMs: 2000 } */
  backoff?: Partial<Backoff>;
  /**
   * A fetch to send requests with (a proxy's, a test's). By default requests go through
   * `node:http` / `node:https` with Node's keep-alive agents, which start ~100 ms faster than
   * Node's fetch on a process's first request.
   */
  fetch?: typeof fetch;
}

/** Variables for {@link HushClient.request}: optional when the operation needs none. */
export type VariablesOf<TVariables> =
  Record<string, never> extends TVariables ? [variables?: TVariables] : [variables: TVariables];

/** A secret's metadata, as {@link HushClient.secrets} lists it. */
export type SecretMetadata = SecretsQuery["secret"][number];

type Documents = typeof documents;
/** Each operation's document by its method name: `setSecret` is `SetSecretDocument`'s. */
type DocumentOf = {
  [K in keyof Documents as K extends `${infer Name}Document`
    ? Uncapitalize<Name>
    : never]: Documents[K];
};
/** A method made from an operation alone: its variables in, its one root field's value out. */
type OperationMethod<TDocument> =
  TDocument extends TypedDocumentNode<infer TResult, infer TVariables>
    ? (
        ...variables: VariablesOf<TVariables>
      ) => Promise<TResult[Exclude<keyof TResult, "__typename">]>
    : never;
/** One method per operation, as the operation is; {@link DescribedMethods} shape some of them. */
type OperationMethods = { [K in ClientMethod]: OperationMethod<DocumentOf[K]> };

/**
 * The methods written out, with their own documentation or arguments; every other operation is a
 * method as {@link OperationMethods} makes it.
 */
export interface DescribedMethods {
  /** Sets a secret to a JSON value; setting an existing name writes a new version. */
  setSecret(name: string, value: unknown): Promise<SetSecretMutation["setSecret"]>;
  /**
   * Sets several secrets in one transaction: all are written or none. With `skipUnchanged`, a
   * secret whose value is already the one given keeps its version (`unchanged: true`).
   */
  setSecrets(
    secrets: ReadonlyArray<{ name: string; value: unknown }>,
    options?: { skipUnchanged?: boolean },
  ): Promise<SetSecretsMutation["setSecrets"]>;
  /** Deletes a secret (its version history is kept); `NOT_FOUND` when there is none. */
  deleteSecret(name: string): Promise<DeleteSecretMutation["deleteSecret"]>;
  /** Makes an earlier version's value the current one, as a new version. */
  rollbackSecret(name: string, version: number): Promise<RollbackSecretMutation["rollbackSecret"]>;
  /** A secret's current value (any JSON). Needs the role `TENANT_ADMIN` or `RUNNER`. */
  secretValue(name: string): Promise<unknown>;
  /**
   * Several secrets' values in one round trip, by name. A missing name is an `ApiError`
   * `NOT_FOUND` whose `extensions.names` lists the missing ones. Without `names`, every secret
   * of the tenant. When the server answers that this is more than one request may read (more
   * than 1000 values, or its bytes budget), the values are read in as many batches as needed.
   */
  secretValues(names?: readonly string[]): Promise<Record<string, unknown>>;
  /** The names of the tenant's secrets, sorted. */
  secretNames(): Promise<string[]>;
  /** The tenant's secrets' metadata (never values): filtered, sorted (by name by default), paged. */
  secrets(query?: SecretsQueryVariables): Promise<SecretMetadata[]>;
  /** A secret's versions, newest first: metadata only. */
  secretVersions(name: string): Promise<SecretVersionsQuery["secretVersions"]>;
  /**
   * Creates an API token; the token itself is in the result, shown only this once. Without
   * `environments`, it may use all of them.
   */
  createApiToken(input: {
    name: string;
    role: Role;
    expiresAt?: string | Date | null;
    environments?: readonly string[] | null;
  }): Promise<CreateApiTokenMutation["createApiToken"]>;
  /** The tenant's API tokens, metadata only. Needs `TENANT_ADMIN`. */
  apiTokens(): Promise<ApiTokenFieldsFragment[]>;
  /** Revokes an API token at once. Needs `TENANT_ADMIN`. */
  revokeApiToken(id: string): Promise<RevokeApiTokenMutation["revokeApiToken"]>;
  /** The tenant's audit events, newest first. Needs `TENANT_ADMIN`. */
  auditEvents(query?: AuditEventsQueryVariables): Promise<AuditEventsQuery["auditEvents"]>;
  /** The tenant and role of this client's token. */
  me(): Promise<MeQuery["me"]>;
}

/**
 * A client for one hush server, made by {@link createClient}: one method per operation of
 * `@hush/graphql`, each one round trip.
 */
export interface HushClient
  extends Omit<OperationMethods, keyof DescribedMethods>,
    DescribedMethods {
  /** The GraphQL URL requests go to. */
  readonly url: string;
  /** The environment this client's operations act on; undefined: the server's choice. */
  readonly environment: string | undefined;
  /**
   * Sends any typed operation, with the same auth, timeouts, retries and errors as the methods.
   * @example
   * const { secretNames } = await client.request(SecretNamesDocument);
   */
  request<TResult, TVariables extends object>(
    document: TypedDocumentNode<TResult, TVariables>,
    ...variables: VariablesOf<TVariables>
  ): Promise<TResult>;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_RETRIES = 3;
const DEFAULT_BACKOFF: Backoff = { baseMs: 100, maxMs: 2_000 };

/**
 * A typed client for a hush server's GraphQL API, with one method per operation. Failures are
 * `ApiError` (the server answered with a GraphQL error; `code` is its `extensions.code`) or
 * `TransportError` (`NETWORK`, `TIMEOUT`, `BAD_RESPONSE`, `HTTP_ERROR`). Bad options throw a
 * `HushError` at once (`INVALID_ENDPOINT`, `INVALID_API_KEY`, `INVALID_OPTION`).
 *
 * @example
 * const client = createClient({ endpoint: "http://127.0.0.1:4200", apiKey: process.env.HUSH_TOKEN });
 * await client.setSecret("DB_URL", "postgres://…");
 * const url = await client.secretValue("DB_URL");
 */
export function createClient(options: ClientOptions): HushClient {
  const transport = transportFor(options);
  const environment = options.environment?.trim() || undefined;
  const send = <TResult, TVariables extends object>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables?: TVariables,
    secrets?: readonly string[],
  ) =>
    sendOperation(transport, document, withEnvironment(document, variables, environment), secrets);
  const valueRequests: ValueRequests = {
    async values(names) {
      const values =
        names === undefined
          ? (await send(AllSecretValuesDocument)).secretValues
          : (await send(SecretValuesDocument, { names: [...names] })).secretValues;
      if (typeof values !== "object" || values === null || Array.isArray(values)) {
        throw badResponse(transport, "SecretValues", 1);
      }
      return values as Record<string, unknown>;
    },
    async names() {
      return (await send(SecretNamesDocument)).secretNames;
    },
  };

  const described: DescribedMethods = {
    async setSecret(name, value) {
      return (await send(SetSecretDocument, { name, value }, sensitiveStrings(value))).setSecret;
    },
    async setSecrets(secrets, options = {}) {
      const variables = { secrets: [...secrets], skipUnchanged: options.skipUnchanged ?? false };
      const values = secrets.flatMap(({ value }) => sensitiveStrings(value));
      return (await send(SetSecretsDocument, variables, values)).setSecrets;
    },
    async deleteSecret(name) {
      return (await send(DeleteSecretDocument, { name })).deleteSecret;
    },
    async rollbackSecret(name, version) {
      return (await send(RollbackSecretDocument, { name, version })).rollbackSecret;
    },
    async secretValue(name) {
      return (await send(SecretValueDocument, { name })).secretValue;
    },
    secretValues(names) {
      return readValues(valueRequests, names);
    },
    async secretNames() {
      return (await send(SecretNamesDocument)).secretNames;
    },
    async secrets(query = {}) {
      return (await send(SecretsDocument, query)).secret;
    },
    async secretVersions(name) {
      return (await send(SecretVersionsDocument, { name })).secretVersions;
    },
    async createApiToken({ name, role, expiresAt, environments }) {
      const variables = {
        name,
        role,
        expiresAt: expiresAt instanceof Date ? expiresAt.toISOString() : expiresAt,
        ...(environments == null ? {} : { environments: [...environments] }),
      };
      return (await send(CreateApiTokenDocument, variables)).createApiToken;
    },
    async apiTokens() {
      return (await send(ApiTokensDocument)).apiTokens;
    },
    async revokeApiToken(id) {
      return (await send(RevokeApiTokenDocument, { id })).revokeApiToken;
    },
    async auditEvents(query = {}) {
      return (await send(AuditEventsDocument, query)).auditEvents;
    },
    async me() {
      return (await send(MeDocument)).me;
    },
  };
  const request: HushClient["request"] = (document, ...[variables]) =>
    send(document, variables, secretsIn(variables));
  const client: Record<string, unknown> = { url: transport.url, environment, request };
  for (const method of CLIENT_METHODS) {
    client[method] = Object.hasOwn(described, method)
      ? described[method as keyof DescribedMethods]
      : operationMethod(request, method);
  }
  return client as unknown as HushClient;
}

/** The generated documents by method name, e.g. `setSecret` → `SetSecretDocument`. */
const DOCUMENTS = new Map(
  Object.entries(documents).flatMap(([name, value]) =>
    name.endsWith("Document")
      ? [[name[0]!.toLowerCase() + name.slice(1, -"Document".length), value as TypedDocumentNode]]
      : [],
  ),
);

/** A method that sends its operation with the variables given and answers its root field. */
function operationMethod(request: HushClient["request"], method: ClientMethod) {
  const document = DOCUMENTS.get(method)!;
  const [field] = operationOf(document).responseKeys;
  return async (variables?: object) =>
    ((await request(document, variables as never)) as Record<string, unknown>)[field!];
}

/**
 * The variables with the client's environment added, when the document declares `$environment`
 * and they do not give one themselves (`environment: null` gives none: the server's choice, or
 * for `auditEvents` no filter).
 */
function withEnvironment<TVariables extends object>(
  document: TypedDocumentNode<unknown, TVariables>,
  variables: TVariables | undefined,
  environment: string | undefined,
): TVariables | undefined {
  if (environment === undefined || !operationOf(document).variables.includes("environment")) {
    return variables;
  }
  if ((variables as { environment?: unknown } | undefined)?.environment !== undefined) {
    return variables;
  }
  return { ...variables, environment } as TVariables;
}

/**
 * The strings to scrub from errors: in hush's operations a variable named `value` carries a
 * secret, and one named `token` an identity token (exchangeIdentityToken).
 */
function secretsIn(variables: object | undefined): readonly string[] {
  const { value, token } = (variables ?? {}) as { value?: unknown; token?: unknown };
  return [
    ...(value === undefined ? [] : sensitiveStrings(value)),
    ...(typeof token === "string" && token !== "" ? [token] : []),
  ];
}

function transportFor(options: ClientOptions): Transport {
  const url = graphqlUrl(options.endpoint);
  const parsed = new URL(url);
  const base = `${parsed.origin}${parsed.pathname.slice(0, -"/graphql".length)}`;
  const apiKey = (options.apiKey ?? "").trim();
  if (!/^[\x21-\x7e]*$/.test(apiKey)) {
    // Never quote the key: it is a credential, however mangled.
    throw new HushError(
      "INVALID_API_KEY",
      "The hush API key contains spaces, control or non-ASCII characters, so it cannot be sent " +
        `in an HTTP header. Check the apiKey given to the client: a hush token looks like ${API_TOKEN_PREFIX} ` +
        "followed by letters, digits, '-' and '_'.",
    );
  }
  if (options.tokenProvider !== undefined && apiKey !== "") {
    throw new HushError(
      "INVALID_OPTION",
      "Give the client apiKey or tokenProvider, not both: each says where its token comes from.",
    );
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const retries = options.retries ?? DEFAULT_RETRIES;
  const backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  check("timeoutMs", timeoutMs, 1, 2_147_483_647);
  check("retries", retries, 0, 100);
  check("backoff.baseMs", backoff.baseMs, 0, 3_600_000);
  check("backoff.maxMs", backoff.maxMs, 0, 3_600_000);
  return {
    url,
    base,
    credentials: options.tokenProvider ?? fixedToken(apiKey),
    timeoutMs,
    retries,
    backoff,
    post: options.fetch === undefined ? nodePost : fetchPost(options.fetch),
  };
}

function check(option: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new HushError(
      "INVALID_OPTION",
      `The client option ${option} must be a whole number from ${min} to ${max}; got ${value}.`,
    );
  }
}
