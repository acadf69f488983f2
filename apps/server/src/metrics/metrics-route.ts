import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import type { ServerMetrics } from "./server-metrics.js";

/** `GET /metrics` on the API's own port. */
export function registerMetricsRoute(app: FastifyInstance, metrics: ServerMetrics): void {
  app.get("/metrics", async (_request, reply) => {
    const text = await metrics.scrape();
    return reply.header("content-type", metrics.contentType).send(text);
  });
}

/**
 * `GET /metrics` on a port of its own (`--metrics-port`), e.g. one that only the monitoring
 * network reaches. Resolves once listening; `close()` stops it.
 */
export async function serveMetrics(
  metrics: ServerMetrics,
  host: string,
  port: number,
): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? "").split("?")[0];
    if (request.method !== "GET" || path !== "/metrics") {
      response.writeHead(404, { "content-type": "text/plain" }).end("Only GET /metrics here.\n");
      return;
    }
    metrics.scrape().then(
      (text) => response.writeHead(200, { "content-type": metrics.contentType }).end(text),
      () => response.writeHead(500, { "content-type": "text/plain" }).end("Metrics failed.\n"),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
