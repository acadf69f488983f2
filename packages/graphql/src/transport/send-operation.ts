import { inspect } from "node:util";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { ApiError, ApiErrorCode, type ApiErrorEntry } from "../errors/api-error.js";
import { TransportError } from "../errors/transport-error.js";
import { type Backoff, backoffDelay } from "./backoff.js";
import {
  badResponseMessage,
  forbiddenHttpMessage,
  httpErrorMessage,
  networkMessage,
  schemaMismatchHint,
  timeoutMessage,
  unauthenticatedMessage,
  type Where,
} from "./messages.js";
import { documentText, type Operation, operationOf } from "./operation-of.js";
import { type HttpAnswer, type Post, PostFailure } from "./post.js";
import { scrub } from "./scrub.js";
import type { TokenProvider } from "./token-provider.js";

/** How a client reaches its server; fixed when the client is created. */
export interface Transport {
  /** The GraphQL URL. */
  readonly url: string;
  /** The endpoint as configured, for messages. */
  readonly base: string;
  /** The bearer token, asked for before each request (`""`: none). */
  readonly credentials: TokenProvider;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly backoff: Backoff;
  readonly post: Post;
}

// Failures that happen before a request's first byte is written: the server cannot have acted
// on it, so even a mutation may be sent again.
const NOT_SENT = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
]);

const JSON_TYPES = /^application\/(graphql-response\+)?json\b/i;

/**
 * Sends one operation as a GraphQL-over-HTTP POST: one attempt per `timeoutMs`, queries retried
 * on network failures, timeouts and 5xx with backoff, mutations only when they never left this
 * process. A token the server refuses is asked anew of its provider and sent once more when the
 * provider has a new one (the server acted on nothing it refused). Every failure becomes an
 * `ApiError` or a `TransportError` whose text has `secrets` and the token scrubbed out.
 */
export async function sendOperation<TResult, TVariables>(
  transport: Transport,
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables | undefined,
  secrets: readonly string[] = [],
): Promise<TResult> {
  const operation = operationOf(document);
  const body = JSON.stringify({
    query: await documentText(document),
    ...(variables === undefined ? {} : { variables }),
    ...(operation.name === undefined ? {} : { operationName: operation.name }),
  });
  const send = () => sendWithToken<TResult>(transport, operation, body, secrets);
  try {
    return await send();
  } catch (error) {
    if (!(error instanceof RefusedToken)) throw error;
    if (!transport.credentials.refused(error.token)) throw error.error;
  }
  try {
    return await send();
  } catch (error) {
    if (!(error instanceof RefusedToken)) throw error;
    // Said to the provider all the same, so that the next request does not send it again.
    transport.credentials.refused(error.token);
    throw error.error;
  }
}

/** The server refused the token sent: the error to throw, unless a new token is tried. */
class RefusedToken {
  constructor(
    readonly token: string,
    readonly error: ApiError,
  ) {}
}

/** One send of `body` with the provider's current token, attempts and retries included. */
async function sendWithToken<TResult>(
  transport: Transport,
  operation: Operation,
  body: string,
  secrets: readonly string[],
): Promise<TResult> {
  const where: Where = { operationName: operation.name, url: transport.url, base: transport.base };
  const token = await transport.credentials.token();
  const hidden = token === "" ? secrets : [token, ...secrets];
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/graphql-response+json, application/json",
  };
  if (token !== "") headers.authorization = `Bearer ${token}`;

  for (let attempt = 1; ; attempt++) {
    const context: Context = {
      operation,
      where,
      transport,
      attempt,
      hidden,
      tokenSent: token !== "",
    };
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), transport.timeoutMs);
    let outcome: { data: TResult } | { failure: Failure };
    try {
      const answer = await transport.post(transport.url, {
        headers,
        body,
        signal: controller.signal,
      });
      outcome = readAnswer<TResult>(answer, context);
    } catch (error) {
      outcome = { failure: unanswered(error, controller.signal.aborted, context) };
    } finally {
      clearTimeout(timer);
    }
    if ("data" in outcome) return outcome.data;
    const { error } = outcome.failure;
    if (token !== "" && error instanceof ApiError && error.code === ApiErrorCode.UNAUTHENTICATED) {
      throw new RefusedToken(token, error);
    }
    if (!outcome.failure.retry || attempt > transport.retries) throw error;
    await sleep(backoffDelay(attempt - 1, transport.backoff));
  }
}

interface Failure {
  readonly error: ApiError | TransportError;
  readonly retry: boolean;
}

interface Context {
  readonly operation: Operation;
  readonly where: Where;
  readonly transport: Transport;
  readonly attempt: number;
  readonly hidden: readonly string[];
  /** Whether a bearer token went with the request. */
  readonly tokenSent: boolean;
}

// Operations whose credential is in their variables, not a bearer token: when refused, the
// server's own message is the one that says what to fix, not advice about the API token.
const TOKENLESS_OPERATIONS: ReadonlySet<string> = new Set(["ExchangeIdentityToken"]);

/**
 * The result of a whole answer: its data when it holds every field asked for, else the failure
 * it is: the server's GraphQL error, a 401/403, another HTTP error, or not a GraphQL response.
 */
function readAnswer<TResult>(
  answer: HttpAnswer,
  context: Context,
): { data: TResult } | { failure: Failure } {
  const { operation, where, transport, attempt, hidden } = context;
  const { status } = answer;
  const isQuery = operation.type === "query";
  const serverError = status >= 500;
  const details = { operationName: operation.name, endpoint: transport.url, attempts: attempt };
  const result = parseResult(answer);

  const entries = errorEntries(result?.errors, hidden);
  const first = entries[0];
  if (first !== undefined) {
    const code =
      typeof first.extensions.code === "string" ? first.extensions.code : ApiErrorCode.UNKNOWN;
    const message =
      code === ApiErrorCode.UNAUTHENTICATED && !TOKENLESS_OPERATIONS.has(operation.name ?? "")
        ? unauthenticatedMessage(where, context.tokenSent)
        : code === ApiErrorCode.GRAPHQL_VALIDATION_FAILED ||
            code === ApiErrorCode.GRAPHQL_PARSE_FAILED
          ? first.message + schemaMismatchHint()
          : first.message;
    return {
      failure: {
        error: new ApiError(code, message, { ...details, status, errors: entries }),
        retry: isQuery && serverError,
      },
    };
  }
  if (status === 401 || status === 403) {
    const code = status === 401 ? ApiErrorCode.UNAUTHENTICATED : ApiErrorCode.FORBIDDEN;
    const message =
      status === 401
        ? unauthenticatedMessage(where, context.tokenSent)
        : forbiddenHttpMessage(where);
    return {
      failure: {
        error: new ApiError(code, message, {
          ...details,
          status,
          errors: [{ message, extensions: { code } }],
        }),
        retry: false,
      },
    };
  }
  if (status < 200 || status > 299) {
    return {
      failure: {
        error: new TransportError(
          "HTTP_ERROR",
          httpErrorMessage(where, status, answer.statusText, attempt),
          { ...details, status },
        ),
        retry: isQuery && serverError,
      },
    };
  }
  const data = result?.data;
  if (isObject(data) && operation.responseKeys.every((key) => key in data)) {
    return { data: data as TResult };
  }
  return {
    failure: { error: badResponse(transport, operation.name, attempt, answer), retry: false },
  };
}

/** The answer's body as a GraphQL result object, or undefined when it is not one. */
function parseResult(answer: HttpAnswer): Record<string, unknown> | undefined {
  if (answer.contentType === undefined || !JSON_TYPES.test(answer.contentType)) return undefined;
  try {
    const parsed: unknown = JSON.parse(answer.body);
    return isObject(parsed) && !Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** No complete answer came: a timeout, or a network failure. */
function unanswered(error: unknown, timedOut: boolean, context: Context): Failure {
  const { operation, where, transport, attempt, hidden } = context;
  const isQuery = operation.type === "query";
  const details = { operationName: operation.name, endpoint: transport.url, attempts: attempt };
  if (timedOut) {
    return {
      error: new TransportError("TIMEOUT", timeoutMessage(where, transport.timeoutMs, attempt), {
        ...details,
      }),
      retry: isQuery,
    };
  }
  const cause = error instanceof PostFailure ? error.cause : error;
  const codes = errorCodes(cause);
  const reason = scrub(codes[0] ?? describe(cause), hidden);
  const notSent = codes.length > 0 && codes.every((code) => NOT_SENT.has(code));
  return {
    error: new TransportError("NETWORK", networkMessage(where, reason, attempt), {
      ...details,
      cause: safeCause(error, hidden),
    }),
    retry: isQuery || notSent,
  };
}

/** The answer was not the GraphQL result the operation asked for. */
export function badResponse(
  transport: Transport,
  operationName: string | undefined,
  attempts: number,
  seen?: { status?: number | undefined; contentType?: string | null | undefined },
): TransportError {
  const where = { operationName, url: transport.url, base: transport.base };
  return new TransportError(
    "BAD_RESPONSE",
    badResponseMessage(where, seen?.status, seen?.contentType),
    { operationName, endpoint: transport.url, attempts, status: seen?.status },
  );
}

function errorEntries(errors: unknown, hidden: readonly string[]): ApiErrorEntry[] {
  const list = Array.isArray(errors) ? errors : isObject(errors) ? [errors] : [];
  return list.filter(isObject).map((entry) => {
    const extensions = isObject(entry.extensions) ? entry.extensions : {};
    const path = Array.isArray(entry.path)
      ? entry.path.filter((p): p is string | number => ["string", "number"].includes(typeof p))
      : undefined;
    return {
      message:
        typeof entry.message === "string"
          ? scrub(entry.message, hidden)
          : "The server sent an error without a message.",
      ...(path === undefined ? {} : { path }),
      extensions: {
        ...extensions,
        code: typeof extensions.code === "string" ? extensions.code : "UNKNOWN",
      },
    };
  });
}

/** The system error codes of a network failure, e.g. `["ECONNREFUSED"]`. */
function errorCodes(cause: unknown): string[] {
  if (cause instanceof AggregateError) {
    const inner = cause.errors.flatMap(errorCodes);
    if (inner.length > 0) return inner;
  }
  const code = isObject(cause) ? cause.code : undefined;
  return typeof code === "string" ? [code] : [];
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/** The error to keep as `cause`, unless its text shows something hidden. */
function safeCause(error: unknown, hidden: readonly string[]): unknown {
  if (hidden.length === 0) return error;
  const text = inspect(error, { depth: 5 });
  return hidden.some((secret) => text.includes(secret)) ? undefined : error;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
