import type { AddressInfo } from "node:net";
import { connect, createServer, type Socket } from "node:net";
import { onTestFinished } from "vitest";

/** What the proxy does with each connection. */
export type ProxyMode = "forward" | "drop" | "bad-gateway";

/**
 * A TCP proxy on 127.0.0.1 in front of `target` (a base URL) that can be told to forward, to drop
 * every connection, or to answer HTTP 502 as a load balancer does when the server behind it is
 * gone. Changing the mode closes the connections already open, as an outage would.
 */
export async function startFlakyProxy(target: string) {
  const { hostname, port } = new URL(target);
  let mode: ProxyMode = "forward";
  const open = new Set<Socket>();
  const server = createServer((client) => {
    open.add(client);
    client.on("close", () => open.delete(client));
    client.on("error", () => {});
    if (mode === "drop") {
      client.destroy();
    } else if (mode === "bad-gateway") {
      client.once("data", () => {
        client.end(
          "HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/html\r\ncontent-length: 11\r\nconnection: close\r\n\r\nBad Gateway",
        );
      });
    } else {
      const upstream = connect(Number(port), hostname);
      open.add(upstream);
      upstream.on("close", () => open.delete(upstream));
      upstream.on("error", () => client.destroy());
      client.on("close", () => upstream.destroy());
      client.pipe(upstream).pipe(client);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return {
    url,
    setMode(next: ProxyMode) {
      mode = next;
      for (const socket of open) socket.destroy();
    },
  };
}
