import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { RequestContext } from "../graphql/context.js";
import {
  type FormattedError,
  maskedError,
  requestError,
  TransportErrorCode,
} from "../graphql/errors/formatted-error.js";
import { unauthenticatedError } from "../graphql/errors/unauthenticated.js";
import type { GraphQLEngine } from "../graphql/graphql-engine.js";
import { INTROSPECTION_NEEDS_A_TOKEN } from "../graphql/introspection.js";
import type { Caller, SecretsService } from "../service/contract.js";
import {
  BadGraphQLRequest,
  type GraphQLParams,
  paramsFromBody,
  paramsFromSearch,
} from "./graphql-params.js";
import { requestAuthorization, requestCaller } from "./request-auth.js";
import {
  graphQLResponseStatus,
  type ResponseMediaType,
  responseMediaType,
} from "./response-media-type.js";
import { sendJson, sendLargeJson } from "./send-json.js";

/**
 * `POST /graphql` (JSON body) and `GET /graphql` (queries only), following GraphQL-over-HTTP.
 * The answer's media type is negotiated from `Accept` (see {@link responseMediaType}). As
 * `application/json` (the default) every well-formed request gets 200 — results, resolver
 * errors, and also parse, validation and variable errors (told apart by `extensions.code`). As
 * `application/graphql-response+json` a response without `data` gets the 4xx or 5xx its error
 * calls for (see {@link graphQLResponseStatus}). Either way a request that is not well-formed
 * gets a 4xx with a GraphQL-shaped error body.
 */
export function registerGraphQLRoute(
  app: FastifyInstance,
  engine: GraphQLEngine,
  service: SecretsService,
): void {
  const handle = async (
    request: FastifyRequest,
    reply: FastifyReply,
    params: GraphQLParams,
    mediaType: ResponseMediaType,
  ) => {
    const authorization = requestAuthorization(request);
    if (authorization.kind === "malformed") {
      reply.header("www-authenticate", "Bearer");
      return sendJson(reply, 401, { errors: [unauthenticatedError("malformed")] }, mediaType);
    }
    const prepared = engine.prepare(params.query, params.operationName);
    if (Array.isArray(prepared)) {
      const body = { errors: prepared };
      return sendJson(reply, statusOf(reply, body, mediaType), body, mediaType);
    }
    if (prepared.kind !== "query" && request.method !== "POST") {
      reply.header("allow", "POST");
      return sendJson(
        reply,
        405,
        {
          errors: [
            requestError(
              "Mutations must be sent with POST; GET /graphql runs queries only.",
              TransportErrorCode.BAD_REQUEST,
            ),
          ],
        },
        mediaType,
      );
    }
    // The service is asked only when a token was sent (and at most once per request, the rate
    // limits' hook included): anonymous requests cost no lookup.
    const caller: Caller | undefined = await requestCaller(request, service);
    if (prepared.introspection && caller === undefined) {
      const body = {
        errors: [
          unauthenticatedError(
            authorization.kind === "bearer" ? "rejected" : "missing",
            INTROSPECTION_NEEDS_A_TOKEN,
          ),
        ],
      };
      return sendJson(reply, statusOf(reply, body, mediaType), body, mediaType);
    }
    const context: RequestContext = {
      requestId: request.id,
      caller,
      service,
      clientAddress: request.ip,
      tokenRejected: authorization.kind === "bearer" && caller === undefined,
    };
    const body = await engine.execute(prepared, context, params.variables, (error, path) =>
      // Never the variables: they may hold secret values.
      request.log.error({ err: error, path }, "Unexpected error while resolving a field"),
    );
    // Results can be megabytes of values: never serialised in one stall of the event loop.
    return sendLargeJson(reply, statusOf(reply, body, mediaType), body, mediaType);
  };

  const run = async (
    request: FastifyRequest,
    reply: FastifyReply,
    params: GraphQLParams | BadGraphQLRequest,
  ) => {
    const mediaType = responseMediaType(request.headers.accept);
    if (params instanceof BadGraphQLRequest) {
      return sendJson(
        reply,
        400,
        { errors: [requestError(params.message, TransportErrorCode.BAD_REQUEST)] },
        mediaType,
      );
    }
    try {
      return await handle(request, reply, params, mediaType);
    } catch (error) {
      // An outage (the database) or a bug, never bad input: those are answered above.
      request.log.error({ err: error }, "Unexpected error while handling a GraphQL request");
      return sendJson(reply, 500, { errors: [maskedError(request.id)] }, mediaType);
    }
  };

  app.post("/graphql", (request, reply) => run(request, reply, paramsFromBody(request.body)));
  app.get("/graphql", { exposeHeadRoute: false }, (request, reply) =>
    run(request, reply, paramsFromSearch(request.query)),
  );
  app.route({
    method: ["PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"],
    url: "/graphql",
    handler: (request, reply) => {
      reply.header("allow", "GET, POST");
      return sendJson(
        reply,
        405,
        {
          errors: [
            requestError(
              "Send GraphQL requests with POST (or GET for queries).",
              TransportErrorCode.BAD_REQUEST,
            ),
          ],
        },
        responseMediaType(request.headers.accept),
      );
    },
  });
}

/** The status of a GraphQL response; a 401 also says how to authenticate (RFC 9110). */
function statusOf(
  reply: FastifyReply,
  body: { data?: unknown; errors?: FormattedError[] },
  mediaType: ResponseMediaType,
): number {
  const status = graphQLResponseStatus(body, mediaType);
  if (status === 401) reply.header("www-authenticate", "Bearer");
  return status;
}
