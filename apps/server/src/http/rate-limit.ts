import { ErrorCode, type ErrorExtensions, type RateLimitScope } from "@hush/schema";
import type { FastifyInstance, FastifyReply } from "fastify";
import { LRUCache } from "lru-cache";
import { hashApiToken } from "../auth/api-token.js";
import type { ServerMetrics } from "../metrics/server-metrics.js";
import type { SecretsService } from "../service/contract.js";
import { requestAuthorization, requestCaller } from "./request-auth.js";
import { sendJson } from "./send-json.js";
import { WindowCounter } from "./window-counter.js";

/**
 * Limits on `/graphql`, each counted by this process (every replica counts its own). A limit of
 * 0 turns it off.
 */
export interface RateLimits {
  /** Requests per second per API token. */
  perToken: number;
  /** Requests per second per client address. */
  perAddress: number;
  /**
   * Failed authentications per minute: of one token from one address, after which that token
   * is refused there without a check; and of different tokens from one address, after which
   * its tokens that have not authenticated on this server within the hour are refused without
   * a check.
   */
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

function limiter(points: number, seconds: number): WindowCounter | undefined {
  return points > 0 ? new WindowCounter(points, seconds) : undefined;
}

// What each refusal says: "Too many requests <what>; retry in N s."
const TOO_MANY: Readonly<Record<RateLimitScope, string>> = {
  address: "from this address",
  token: "with this token",
  invalid_token: "with this token, which is not valid",
  invalid_tokens: "with tokens that are not valid",
};

function tooMany(reply: FastifyReply, msBeforeNext: number, scope: RateLimitScope) {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  reply.header("retry-after", String(seconds));
  const extensions: ErrorExtensions<"RATE_LIMITED"> = {
    code: ErrorCode.RATE_LIMITED,
    retryAfterSeconds: seconds,
    scope,
  };
  return sendJson(reply, 429, {
    errors: [
      { message: `Too many requests ${TOO_MANY[scope]}; retry in ${seconds} s.`, extensions },
    ],
  });
}

// Tokens that authenticated recently pass an address that is refused for guessing.
const KNOWN_TOKENS = { max: 10_000, ttl: 60 * 60 * 1000 };

/**
 * Answers 429 with `Retry-After` to `/graphql` requests over a limit: per client address, per
 * API token (counted by token id, so no token is kept), and failed authentications per minute
 * (counted by address and a hash of the token, never the token):
 *
 * - a token that failed `authFailures` times from an address is refused there, without a
 *   check, for the rest of the minute (a revoked CI token that retries), and only that token:
 *   the address's valid tokens go on;
 * - an address that sent `authFailures` different invalid tokens (guessing) has its other
 *   tokens refused without a check, except tokens that authenticated on this server within
 *   the last hour, which are checked as usual. Refusing unseen tokens unchecked is what slows
 *   guessing: a 429 then tells nothing about the token.
 *
 * Health probes and metrics are not limited.
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
  const failuresPerToken = limiter(limits.authFailures, 60);
  const guessesPerAddress = limiter(limits.authFailures, 60);
  const knownTokens = new LRUCache<string, true>(KNOWN_TOKENS);
  if (perAddress === undefined && perToken === undefined && failuresPerToken === undefined) return;

  const overLimit = (counter: WindowCounter | undefined, key: string) => {
    const counted = counter?.get(key);
    return counted !== undefined && counted.consumed >= limits.authFailures ? counted : undefined;
  };

  app.addHook("onRequest", async (request, reply) => {
    if (request.routeOptions.url !== "/graphql") return;
    const address = request.ip;
    const crowded = perAddress?.consume(address);
    if (crowded !== undefined) {
      metrics?.rateLimited("address");
      return tooMany(reply, crowded.msBeforeNext, "address");
    }
    const authorization = requestAuthorization(request);
    if (authorization.kind !== "bearer") return;
    const hash = hashApiToken(authorization.token);
    const tokenKey = `${address} ${hash}`;
    const failing = overLimit(failuresPerToken, tokenKey);
    if (failing !== undefined) {
      metrics?.rateLimited("auth_failures");
      return tooMany(reply, failing.msBeforeNext, "invalid_token");
    }
    const guessing = knownTokens.has(hash) ? undefined : overLimit(guessesPerAddress, address);
    if (guessing !== undefined) {
      metrics?.rateLimited("auth_failures");
      return tooMany(reply, guessing.msBeforeNext, "invalid_tokens");
    }
    // Kept on the request: the route uses this answer instead of asking again.
    const caller = await requestCaller(request, service);
    if (caller === undefined) {
      const failures = failuresPerToken?.penalty(tokenKey);
      // Each different token counts once towards the address's guesses.
      if (failures?.consumed === 1) guessesPerAddress?.penalty(address);
      return;
    }
    knownTokens.set(hash, true);
    const busy = perToken?.consume(caller.tokenId);
    if (busy !== undefined) {
      metrics?.rateLimited("token");
      return tooMany(reply, busy.msBeforeNext, "token");
    }
  });
}
