import { ErrorCode } from "@hush/schema";
import type { FastifyInstance, FastifyReply } from "fastify";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { requestError } from "../graphql/errors/formatted-error.js";
import type { ServerMetrics } from "../metrics/server-metrics.js";
import type { SecretsService } from "../service/contract.js";
import { parseAuthorization } from "./parse-authorization.js";
import { sendJson } from "./send-json.js";

/**
 * Limits on `/graphql`, each counted by this process (every replica counts its own). A limit of
 * 0 turns it off.
 */
export interface RateLimits {
  /** Requests per second per API token. */
  perToken: number;
  /** Requests per second per client address. */
  perAddress: number;
  /** Requests with a token that does not authenticate, per minute per client address. */
  authFailures: number;
  /**
   * The window, in seconds, that `perToken` and `perAddress` count over; with 60 they are per
   * minute.
   * @default 1
   */
  windowSeconds?: number;
}

/** The limits `hush-server start` applies unless told otherwise (none with `--dev`). */
export const DEFAULT_RATE_LIMITS: RateLimits = { perToken: 200, perAddress: 500, authFailures: 30 };

function limiter(points: number, seconds: number): RateLimiterMemory | undefined {
  return points > 0 ? new RateLimiterMemory({ points, duration: seconds }) : undefined;
}

function tooMany(reply: FastifyReply, msBeforeNext: number, what: string) {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  reply.header("retry-after", String(seconds));
  return sendJson(reply, 429, {
    errors: [
      requestError(`Too many requests ${what}; retry in ${seconds} s.`, ErrorCode.RATE_LIMITED),
    ],
  });
}

/**
 * Answers 429 with `Retry-After` to `/graphql` requests over a limit: per client address, per
 * API token (counted by token id, so no token is kept), and — so that tokens cannot be guessed at
 * speed — requests with a token, from an address that sent too many tokens that did not
 * authenticate. Health probes and metrics are not limited.
 */
export function registerRateLimits(
  app: FastifyInstance,
  service: SecretsService,
  limits: RateLimits,
  metrics?: ServerMetrics,
): void {
  const window = limits.windowSeconds ?? 1;
  const perAddress = limiter(limits.perAddress, window);
  const perToken = limiter(limits.perToken, window);
  const authFailures = limiter(limits.authFailures, 60);
  if (perAddress === undefined && perToken === undefined && authFailures === undefined) return;

  app.addHook("onRequest", async (request, reply) => {
    if (request.routeOptions.url !== "/graphql") return;
    const address = request.ip;
    try {
      if (perAddress !== undefined) await perAddress.consume(address);
    } catch (refused) {
      if (!(refused instanceof RateLimiterRes)) throw refused;
      metrics?.rateLimited("address");
      return tooMany(reply, refused.msBeforeNext, "from this address");
    }
    const authorization = parseAuthorization(request.headers.authorization);
    if (authorization.kind !== "bearer") return;
    if (authFailures !== undefined) {
      const failures = await authFailures.get(address);
      if (failures !== null && failures.consumedPoints >= limits.authFailures) {
        metrics?.rateLimited("auth_failures");
        return tooMany(reply, failures.msBeforeNext, "with tokens that are not valid");
      }
    }
    // Cached by the service, so the route's own check right after costs a map lookup.
    const caller = await service.authenticate(authorization.token);
    if (caller === undefined) {
      await authFailures?.penalty(address);
      return;
    }
    try {
      if (perToken !== undefined) await perToken.consume(caller.tokenId);
    } catch (refused) {
      if (!(refused instanceof RateLimiterRes)) throw refused;
      metrics?.rateLimited("token");
      return tooMany(reply, refused.msBeforeNext, "with this token");
    }
  });
}
