import { redactTokenLike } from "@hush/schema";
import type { FastifyRequest } from "fastify";

/**
 * Paths pino censors in every line of the app's logger: credentials in headers, and any field
 * named like a token, a value or variables, in case one is ever logged by mistake.
 */
export const REDACTED_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  'res.headers["set-cookie"]',
  "headers.authorization",
  "headers.cookie",
  "authorization",
  "token",
  "variables",
  "value",
];

/**
 * How a request appears in log lines: method and path only (a GET's query string can hold a
 * document), and nothing in the path shaped like an API token (`GET /graphql/hush_…`).
 */
export function serializeRequest(request: FastifyRequest): Record<string, unknown> {
  const url = request.url;
  const query = url.indexOf("?");
  return {
    method: request.method,
    url: redactTokenLike(query === -1 ? url : url.slice(0, query)),
    remoteAddress: request.ip,
  };
}
