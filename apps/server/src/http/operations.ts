import type { FastifyInstance } from "fastify";
import { instrumentService } from "../metrics/instrumented-service.js";
import { ServerMetrics } from "../metrics/server-metrics.js";
import type { SecretsService } from "../service/contract.js";
import { type RateLimits, registerRateLimits } from "./rate-limit.js";

/**
 * The operator's options of {@link buildApp}: metrics, rate limits, proxies. The metrics are
 * recorded here but never served on the API's port: `serveMetrics` serves them on a port of
 * their own.
 */
export interface OperationsOptions {
  /**
   * The Prometheus metrics the app records into; `false` records none.
   * @default a fresh `ServerMetrics`
   */
  metrics?: ServerMetrics | false;
  /**
   * Rate limits on `/graphql` (429 with `Retry-After`).
   * @default none
   */
  rateLimits?: RateLimits;
  /**
   * Which proxies' `X-Forwarded-For` to believe for the client address (Fastify's `trustProxy`:
   * `true` for any, or addresses and CIDR ranges separated by commas). Without it, behind a load
   * balancer every client has the balancer's address.
   * @default false
   */
  trustProxy?: boolean | string;
}

/**
 * Adds metrics and rate limits to the app; returns the service the routes should call (counted
 * and timed when metrics are on).
 */
export function registerOperations(
  app: FastifyInstance,
  service: SecretsService,
  options: OperationsOptions,
): SecretsService {
  const metrics = options.metrics === undefined ? new ServerMetrics() : options.metrics;
  // One service for the hooks and the routes: a token is checked (and counted) once per request.
  const measured = metrics === false ? service : instrumentService(service, metrics);
  if (options.rateLimits !== undefined) {
    registerRateLimits(app, measured, options.rateLimits, metrics || undefined);
  }
  return measured;
}
