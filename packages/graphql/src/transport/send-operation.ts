import { inspect } from "node:util";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { ClientError, GraphQLClient, type RequestOptions, type Variables } from "graphql-request";
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
import { type Operation, operationOf } from "./operation-of.js";
import { scrub } from "./scrub.js";

/** How a client reaches its server; fixed when the client is created. */
export interface Transport {
  /** The GraphQL URL. */
  readonly url: string;
  /** The endpoint as configured, for messages. */
  readonly base: string;
  /** The bearer token; empty for none. */
  readonly apiKey: string;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly backoff: Backoff;
  readonly fetch: typeof fetch;
}

/** What one attempt saw of the HTTP answer. */
interface Seen {
  answered: boolean;
  status?: number;
  statusText?: string;
  contentType?: string | null;
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

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * Sends one operation: one attempt per `timeoutMs`, queries retried on network failures,
 * timeouts and 5xx with backoff, mutations only when they never left this process. Every failure
 * becomes an `ApiError` or a `TransportError` whose text has `secrets` and the token scrubbed out.
 */
export async function sendOperation<TResult, TVariables extends Variables>(
  transport: Transport,
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables | undefined,
  secrets: readonly string[] = [],
): Promise<TResult> {
  const operation = operationOf(document);
  const where: Where = { operationName: operation.name, url: transport.url, base: transport.base };
  const hidden = transport.apiKey === "" ? secrets : [transport.apiKey, ...secrets];
  const headers: Record<string, string> =
    transport.apiKey === "" ? {} : { authorization: `Bearer ${transport.apiKey}` };

  for (let attempt = 1; ; attempt++) {
    const seen: Seen = { answered: false };
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), transport.timeoutMs);
    const client = new GraphQLClient(transport.url, {
      headers,
      fetch: recordingFetch(transport.fetch, seen),
    });
    let outcome: { data: unknown } | { failure: Failure };
    try {
      outcome = {
        data: await client.request<TResult, TVariables>({
          document,
          variables,
          signal: controller.signal,
        } as unknown as RequestOptions<TVariables, TResult>),
      };
    } catch (error) {
      outcome = {
        failure: classify(error, {
          seen,
          timedOut: controller.signal.aborted,
          operation,
          where,
          transport,
          attempt,
          hidden,
        }),
      };
    } finally {
      clearTimeout(timer);
    }
    if ("data" in outcome) {
      const data = outcome.data;
      const complete =
        typeof data === "object" &&
        data !== null &&
        operation.responseKeys.every((key) => key in data);
      if (!complete) throw badResponse(transport, operation.name, attempt, seen);
      return data as TResult;
    }
    if (!outcome.failure.retry || attempt > transport.retries) throw outcome.failure.error;
    await sleep(backoffDelay(attempt - 1, transport.backoff));
  }
}

interface Failure {
  readonly error: ApiError | TransportError;
  readonly retry: boolean;
}

interface Context {
  readonly seen: Seen;
  readonly timedOut: boolean;
  readonly operation: Operation;
  readonly where: Where;
  readonly transport: Transport;
  readonly attempt: number;
  readonly hidden: readonly string[];
}

function classify(error: unknown, context: Context): Failure {
  const { seen, operation, where, transport, attempt, hidden } = context;
  const isQuery = operation.type === "query";
  const details = { operationName: operation.name, endpoint: transport.url, attempts: attempt };

  if (error instanceof ClientError) {
    // Only the response is read: the ClientError also holds the request's variables.
    const status = error.response.status;
    const serverError = status >= 500;
    const entries = errorEntries(error.response.errors, hidden);
    const first = entries[0];
    if (first !== undefined) {
      const code =
        typeof first.extensions.code === "string" ? first.extensions.code : ApiErrorCode.UNKNOWN;
      const message =
        code === ApiErrorCode.UNAUTHENTICATED
          ? unauthenticatedMessage(where, transport.apiKey !== "")
          : code === ApiErrorCode.GRAPHQL_VALIDATION_FAILED ||
              code === ApiErrorCode.GRAPHQL_PARSE_FAILED
            ? first.message + schemaMismatchHint()
            : first.message;
      return {
        error: new ApiError(code, message, { ...details, status, errors: entries }),
        retry: isQuery && serverError,
      };
    }
    if (status === 401 || status === 403) {
      const code = status === 401 ? ApiErrorCode.UNAUTHENTICATED : ApiErrorCode.FORBIDDEN;
      const message =
        status === 401
          ? unauthenticatedMessage(where, transport.apiKey !== "")
          : forbiddenHttpMessage(where);
      return {
        error: new ApiError(code, message, {
          ...details,
          status,
          errors: [{ message, extensions: { code } }],
        }),
        retry: false,
      };
    }
    return {
      error: new TransportError(
        "HTTP_ERROR",
        httpErrorMessage(where, status, seen.statusText ?? "", attempt),
        { ...details, status },
      ),
      retry: isQuery && serverError,
    };
  }

  if (context.timedOut) {
    return {
      error: new TransportError("TIMEOUT", timeoutMessage(where, transport.timeoutMs, attempt), {
        ...details,
        status: seen.status,
      }),
      retry: isQuery,
    };
  }

  if (!seen.answered) {
    const codes = errorCodes(causeOf(error));
    const reason = scrub(codes[0] ?? describe(causeOf(error) ?? error), hidden);
    return {
      error: new TransportError("NETWORK", networkMessage(where, reason, attempt), {
        ...details,
        cause: safeCause(error, hidden),
      }),
      retry: isQuery || (codes.length > 0 && codes.every((code) => NOT_SENT.has(code))),
    };
  }

  // An answer came but graphql-request could not read it as a GraphQL result. Its own error
  // may quote the body, so it is not kept as the cause.
  return { error: badResponse(transport, operation.name, attempt, seen), retry: false };
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

/**
 * A fetch that reads the whole answer before graphql-request sees it, so that a connection
 * breaking mid-answer is a network failure and only parsing is left to graphql-request.
 */
function recordingFetch(fetchImpl: typeof fetch, seen: Seen): typeof fetch {
  return async (input, init) => {
    const response = await fetchImpl(input, init);
    const body = await response.text();
    seen.answered = true;
    seen.status = response.status;
    seen.statusText = response.statusText;
    seen.contentType = response.headers.get("content-type");
    return new Response(NULL_BODY_STATUSES.has(response.status) ? null : body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
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

function causeOf(error: unknown): unknown {
  return error instanceof Error && error.cause !== undefined ? error.cause : undefined;
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
