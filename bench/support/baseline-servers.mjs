// The reference servers of the server benchmarks, each run in its own process on a loopback port
// it picks itself (printed as `listening PORT`): `node-http`, a bare node:http server, and
// `fastify`, a Fastify route with no logger. Both read the POSTed body and answer a small fixed
// JSON body, so that a request costs the load generator the same as one to hush.
//
// Usage: node baseline-servers.mjs node-http|fastify
import { createServer } from "node:http";
import Fastify from "fastify";

/** The body both servers answer with. */
export const FIXED_BODY = JSON.stringify({ data: { ok: true } });

const kind = process.argv[2];
if (kind === "node-http") {
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      response.writeHead(200, {
        "content-type": "application/json; charset=utf-8",
        "content-length": Buffer.byteLength(FIXED_BODY),
      });
      response.end(FIXED_BODY);
    });
  });
  server.listen(0, "127.0.0.1", () => {
    process.stdout.write(`listening ${server.address().port}\n`);
  });
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
} else if (kind === "fastify") {
  const app = Fastify({ logger: false });
  app.post("/graphql", (_request, reply) => {
    reply.header("content-type", "application/json; charset=utf-8").send(FIXED_BODY);
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  process.stdout.write(`listening ${app.server.address().port}\n`);
  process.on("SIGTERM", () => app.close().then(() => process.exit(0)));
}
