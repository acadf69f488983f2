import { type FastifyReply, type FastifyRequest, LogController } from "fastify";

const PROBES = new Set(["/healthz", "/readyz"]);

/**
 * One log line per request, when it completes (Fastify writes two): method, path, status and
 * time. Health probes log at debug so they do not drown the rest at info.
 */
export class RequestLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const line = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) request.log.error({ ...line, err: error }, "request errored");
    else if (PROBES.has(request.url)) request.log.debug(line, "request completed");
    else request.log.info(line, "request completed");
  }
}
