import Fastify, { type FastifyError, type FastifyInstance } from "fastify";
import pino, { type Logger } from "pino";
import {
  maskedError,
  requestError,
  TransportErrorCode,
} from "../graphql/errors/formatted-error.js";
import { createExecutableSchema } from "../graphql/executable-schema.js";
import { GraphQLEngine } from "../graphql/graphql-engine.js";
import type { SecretsService } from "../service/contract.js";
import { DEFAULT_CONSOLE_DIR, registerConsoleRoutes } from "./console-route.js";
import { registerGraphQLRoute } from "./graphql-route.js";
import { registerHealthRoutes } from "./health-routes.js";
import { REDACTED_PATHS, serializeRequest } from "./log-options.js";
import { type OperationsOptions, registerOperations } from "./operations.js";
import { decorateRequestAuth } from "./request-auth.js";
import { requestIdFor } from "./request-id.js";
import { RequestLogController } from "./request-log-controller.js";
import { lazyRequestLogger } from "./request-logger.js";
import { responseMediaType } from "./response-media-type.js";
import { sendJson } from "./send-json.js";

/** Options of {@link buildApp}. */
export interface BuildAppOptions extends OperationsOptions {
  /** The domain: every GraphQL operation is one call on it. */
  service: SecretsService;
  /**
   * Where JSON log lines go (with a request id each); `false` logs nothing.
   * @default a pino logger at `info` on stdout
   */
  logger?: Logger | false;
  /**
   * Serves a GraphiQL page at `GET /graphiql`.
   * @default false
   */
  dev?: boolean;
  /**
   * The built web console, served at `GET /`; `false` serves none.
   * @default the `console` folder of the server's build
   */
  consoleDir?: string | false;
  /**
   * The largest request body in bytes; larger ones get HTTP 413.
   * @default 1048576 (1 MiB)
   */
  bodyLimit?: number;
  /**
   * How long a client may take to send a whole request, headers and body, in milliseconds;
   * a slower one gets HTTP 408 and its connection is closed. 0 turns the limit off.
   * @default 30000
   */
  requestTimeoutMs?: number;
  /**
   * How long a client may take to send a request's headers, in milliseconds; at most
   * `requestTimeoutMs`.
   * @default 10000
   */
  headersTimeoutMs?: number;
  /**
   * How long an idle keep-alive connection stays open between requests, in milliseconds.
   * @default 72000 (longer than the usual 60 s of load balancers, so they close first)
   */
  keepAliveTimeoutMs?: number;
  /**
   * How long a connection may stay silent, in either direction, before it is closed, in
   * milliseconds (a client that stops reading its response, too). 0 turns the limit off.
   * @default 60000
   */
  connectionTimeoutMs?: number;
  /**
   * Connections open at once; beyond, new ones are closed at once, so that slow clients cannot
   * use up the process's file descriptors. 0 means no cap.
   * @default 1000
   */
  maxConnections?: number;
  /**
   * Requests one keep-alive connection may carry before the server closes it. 0 means no cap.
   * @default 0
   */
  maxRequestsPerSocket?: number;
}

/** The defaults of the HTTP server's timeouts and caps; see {@link BuildAppOptions}. */
export const HTTP_DEFAULTS = {
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 72_000,
  connectionTimeoutMs: 60_000,
  maxConnections: 1000,
  maxRequestsPerSocket: 0,
} as const;

type HttpLimits = { -readonly [K in keyof typeof HTTP_DEFAULTS]: number };

function httpLimits(options: BuildAppOptions): HttpLimits {
  const limits = { ...HTTP_DEFAULTS } as HttpLimits;
  for (const key of Object.keys(HTTP_DEFAULTS) as (keyof HttpLimits)[]) {
    const value = options[key];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`${key} must be a whole number, 0 or more; it is ${value}.`);
    }
    limits[key] = value;
  }
  if (limits.headersTimeoutMs === 0 || limits.keepAliveTimeoutMs === 0) {
    throw new RangeError("headersTimeoutMs and keepAliveTimeoutMs must be 1 or more.");
  }
  if (limits.requestTimeoutMs > 0 && limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new RangeError(
      `The headers timeout (${limits.headersTimeoutMs} ms) must not be longer than the request timeout (${limits.requestTimeoutMs} ms).`,
    );
  }
  return limits;
}

// Fastify's own 4xx errors (before a handler runs), explained in the caller's terms. Fastify's
// messages are not echoed: the JSON parser's could quote the body.
function describeClientError(error: FastifyError, bodyLimit: number): string {
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return `The request body is too large: the limit is ${bodyLimit} bytes.`;
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return 'Unsupported content type: send the request as JSON with "Content-Type: application/json".';
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return 'The request body is empty: send a JSON object such as {"query": "{ secretNames }"}.';
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      // Fastify's parser also refuses "__proto__" and "constructor.prototype" keys this way.
      return 'The request body is not valid JSON (keys named "__proto__" are refused too).';
    default:
      return "The request is malformed.";
  }
}

/**
 * The hush HTTP server, not yet listening: `POST`/`GET /graphql` (GraphQL over HTTP, executed by
 * graphql-jit from a cache of compiled documents), `GET /healthz`, `GET /readyz`, the web console
 * at `GET /` and in `dev` mode GraphiQL at `GET /graphiql` (both from the bundled console). Every response carries an `x-request-id`; log lines never hold a token,
 * a secret value, a request body or GraphQL variables. The caller owns the service: closing the
 * app does not close it.
 *
 * Media types: answers are `application/json` unless the request's `Accept` prefers
 * `application/graphql-response+json` (GraphQL over HTTP), which changes only the status of a
 * GraphQL response without `data` (see below). Status codes as `application/json`: 200 for every
 * well-formed GraphQL request — results, resolver errors, and also parse (`GRAPHQL_PARSE_FAILED`),
 * validation (`GRAPHQL_VALIDATION_FAILED`) and variable (`BAD_USER_INPUT`) errors. As
 * `application/graphql-response+json`: 200 when the response has `data`, else 400 for those
 * errors and for a request refused by its cost (`BAD_USER_INPUT`), and 401 with
 * `WWW-Authenticate: Bearer` for introspection without a token. As either: 400 for a request that
 * is not GraphQL over HTTP, 413 for a body over `bodyLimit`, 415 for a body that is not JSON, 405
 * for a mutation over GET (all with code `BAD_REQUEST`); 401 with `WWW-Authenticate: Bearer` for
 * a malformed Authorization header; 500 only when the server itself fails
 * (`INTERNAL_SERVER_ERROR`).
 *
 * @example
 * const app = await buildApp({ service, logger });
 * await app.listen({ host: "127.0.0.1", port: 4200 });
 */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { dev = false, bodyLimit = 1024 * 1024, consoleDir = DEFAULT_CONSOLE_DIR } = options;
  const limits = httpLimits(options);
  const baseLogger = options.logger === undefined ? pino({ level: "info" }) : options.logger;
  const loggerInstance =
    baseLogger === false
      ? undefined
      : baseLogger.child(
          {},
          {
            redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
            serializers: { req: serializeRequest },
          },
        );

  const app = Fastify({
    // Most requests log nothing: their logger's pino child is made only for a line that is written.
    ...(loggerInstance ? { loggerInstance, childLoggerFactory: lazyRequestLogger } : {}),
    bodyLimit,
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.connectionTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    maxRequestsPerSocket: limits.maxRequestsPerSocket,
    http: {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: limits.headersTimeoutMs,
      // Node looks for requests past their timeouts every 30 s by default, so a 30 s timeout
      // would cut a slow client off after up to 60 s; a tenth of the shortest timeout instead.
      connectionsCheckingInterval: Math.max(
        10,
        Math.floor(
          Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs || Number.POSITIVE_INFINITY) /
            10,
        ),
      ),
    },
    genReqId: requestIdFor,
    trustProxy: options.trustProxy ?? false,
    requestIdHeader: false,
    // Completed requests are logged without the redaction and serializers of `loggerInstance`:
    // the controller builds those lines from fields that hold no secret.
    logController: new RequestLogController(baseLogger === false ? undefined : baseLogger),
  }) as unknown as FastifyInstance;

  // Only JSON is parsed; anything else (text/plain included) is answered with 415.
  app.removeContentTypeParser("text/plain");

  app.addHook("onRequest", (request, reply, done) => {
    reply.header("x-request-id", request.id);
    // No answer of the API may be kept by a browser or proxy cache: a GET /graphql can return a
    // secret value. Only the console's content-hashed assets say otherwise (console-route.ts).
    reply.header("cache-control", "no-store");
    done();
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    const mediaType = responseMediaType(request.headers.accept);
    if (status >= 400 && status < 500) {
      request.log.info({ code: error.code, statusCode: status }, "request rejected");
      return sendJson(
        reply,
        status,
        {
          errors: [
            requestError(describeClientError(error, bodyLimit), TransportErrorCode.BAD_REQUEST),
          ],
        },
        mediaType,
      );
    }
    request.log.error({ err: error }, "Unexpected error while handling a request");
    return sendJson(reply, 500, { errors: [maskedError(request.id)] }, mediaType);
  });
  app.setNotFoundHandler((_request, reply) =>
    sendJson(reply, 404, {
      errors: [requestError("Nothing is served here: the API is POST /graphql.", "NOT_FOUND")],
    }),
  );

  if (limits.maxConnections > 0) app.server.maxConnections = limits.maxConnections;

  decorateRequestAuth(app);
  const service = registerOperations(app, options.service, options);
  const engine = new GraphQLEngine(createExecutableSchema());
  registerGraphQLRoute(app, engine, service);
  registerHealthRoutes(app, service);
  await registerConsoleRoutes(app, { dir: consoleDir, graphiql: dev });
  return app;
}
