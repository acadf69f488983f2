import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Caller, SecretsService } from "../service/contract.js";
import { type Authorization, parseAuthorization } from "./parse-authorization.js";

/** A request's `Authorization` header, read once, and the caller its token stands for. */
interface RequestAuth {
  readonly authorization: Authorization;
  /** The service's answer for the bearer token, once asked for. */
  caller: Promise<Caller | undefined> | undefined;
}

declare module "fastify" {
  interface FastifyRequest {
    /** Kept by {@link requestAuthorization}; read through it and {@link requestCaller}. */
    hushAuth: RequestAuth | null;
  }
}

/** Lets requests keep their authentication; once per app, before any hook or route uses it. */
export function decorateRequestAuth(app: FastifyInstance): void {
  app.decorateRequest("hushAuth", null);
}

function authOf(request: FastifyRequest): RequestAuth {
  let auth = request.hushAuth;
  if (auth === null) {
    auth = { authorization: parseAuthorization(request.headers.authorization), caller: undefined };
    request.hushAuth = auth;
  }
  return auth;
}

/** The request's `Authorization` header, parsed on the first call and kept on the request. */
export function requestAuthorization(request: FastifyRequest): Authorization {
  return authOf(request).authorization;
}

/**
 * The caller the request's bearer token stands for (undefined: unknown, expired or revoked), or
 * undefined without a bearer token. Asked of the service on the first call and kept on the
 * request: the rate limits' hook and the GraphQL route both need it, and a token is then looked
 * up once per request.
 */
export function requestCaller(
  request: FastifyRequest,
  service: SecretsService,
): Promise<Caller | undefined> | undefined {
  const auth = authOf(request);
  if (auth.authorization.kind !== "bearer") return undefined;
  auth.caller ??= service.authenticate(auth.authorization.token);
  return auth.caller;
}
