import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ServerMetrics } from "./server-metrics.js";

/**
 * `GET /metrics` on a port of its own (`--metrics-port`, on `--metrics-host`, 127.0.0.1 unless
 * told otherwise), never on the API's: the series hold no name, value or token, but they show
 * what the server does and how much, which is the operator's business only. Resolves once
 * listening; `close()` stops it.
 */
export async function serveMetrics(
  metrics: ServerMetrics,
  host: string,
  port: number,
): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? "").split("?")[0];
    if (request.method !== "GET" || path !== "/metrics") {
      response
        .writeHead(404, { "content-type": "text/plain", "cache-control": "no-store" })
        .end("Only GET /metrics here.\n");
      return;
    }
    metrics.scrape().then(
      (text) =>
        response
          .writeHead(200, { "content-type": metrics.contentType, "cache-control": "no-store" })
          .end(text),
      () =>
        response
          .writeHead(500, { "content-type": "text/plain", "cache-control": "no-store" })
          .end("Metrics failed.\n"),
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
