import { type FastifyReply, type FastifyRequest, LogController } from "fastify";
import type { Logger } from "pino";
import { serializeRequest } from "./log-options.js";

const PROBES = new Set(["/healthz", "/readyz"]);

/**
 * One log line per request, when it completes (Fastify writes two): method, path, status and
 * time. Health probes log at debug so they do not drown the rest at info.
 */
export class RequestLogController extends LogController {
  readonly #lines: Logger | undefined;

  /**
   * @param lines Where a completed request's line goes. Its fields are built here from the
   * method, the path without its query string, the remote address, the status and the time,
   * so they need neither serializers nor redaction, which cost more than the rest of the line.
   * Without it, lines go through the request's own logger.
   */
  constructor(lines?: Logger) {
    super();
    this.#lines = lines;
  }

  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const level = PROBES.has(request.url) ? "debug" : "info";
    if (error) {
      const line = { req: request, res: reply, responseTime: reply.elapsedTime };
      request.log.error({ ...line, err: error }, "request errored");
    } else if (this.#lines === undefined) {
      request.log[level](
        { req: request, res: reply, responseTime: reply.elapsedTime },
        "request completed",
      );
    } else if (this.#lines.isLevelEnabled(level)) {
      this.#lines[level](
        {
          reqId: request.id,
          req: serializeRequest(request),
          res: { statusCode: reply.statusCode },
          responseTime: reply.elapsedTime,
        },
        "request completed",
      );
    }
  }
}
