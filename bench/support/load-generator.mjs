// An HTTP/1.1 load generator for the server benchmarks, run in its own process so that it does not
// share an event loop with the server it measures. It keeps N keep-alive connections (raw sockets,
// one request in flight per connection: no pipelining) busy for a warm-up and then a measured
// window, and stops by itself. Only a 200 whose body is exactly the expected one counts; anything
// else is an error. Prints one JSON line: requests/s, latency percentiles and error counts.
//
// Usage: node load-generator.mjs '<json>' where the JSON holds
//   { port, path, headers, connections, warmupMs, durationMs,
//     requests: [{ body, expected }] }   (connection i sends requests[i % requests.length])
import net from "node:net";

const config = JSON.parse(process.argv[2] ?? "{}");
const host = "127.0.0.1"; // loopback only
const { port, path, connections, warmupMs, durationMs } = config;
if (!Number.isInteger(port) || !(connections >= 1 && connections <= 256)) {
  throw new Error("load-generator: port and connections (1-256) are required");
}
if (!(warmupMs >= 0 && durationMs > 0 && warmupMs + durationMs <= 120_000)) {
  throw new Error("load-generator: warm-up plus duration must be at most 120 s");
}

const prepared = config.requests.map(({ body, expected }) => {
  const payload = Buffer.from(body);
  const head = [
    `POST ${path} HTTP/1.1`,
    `Host: ${host}:${port}`,
    "Content-Type: application/json",
    ...Object.entries(config.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
    `Content-Length: ${payload.length}`,
    "",
    "",
  ].join("\r\n");
  return { request: Buffer.concat([Buffer.from(head), payload]), expected: Buffer.from(expected) };
});

const HEADER_END = Buffer.from("\r\n\r\n");
const start = performance.now();
const measureFrom = start + warmupMs;
const stopAt = measureFrom + durationMs;
const latencies = [];
let completed = 0;
let errors = 0;
let firstError;
let stopping = false;

function recordError(what) {
  if (performance.now() >= measureFrom) errors++;
  firstError ??= what;
}

function connect(index) {
  const { request, expected } = prepared[index % prepared.length];
  const socket = net.connect({ host, port, noDelay: true });
  let buffered = Buffer.alloc(0);
  let sentAt = 0;
  let inFlight = false;

  const send = () => {
    if (stopping || performance.now() >= stopAt) {
      socket.destroy();
      return;
    }
    inFlight = true;
    sentAt = performance.now();
    socket.write(request);
  };

  socket.on("connect", send);
  socket.on("data", (chunk) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    for (;;) {
      const headerEnd = buffered.indexOf(HEADER_END);
      if (headerEnd === -1) return;
      const head = buffered.toString("latin1", 0, headerEnd);
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      if (length === null) {
        recordError(`a response without Content-Length: ${head.split("\r\n")[0]}`);
        socket.destroy();
        return;
      }
      const bodyStart = headerEnd + HEADER_END.length;
      const bodyEnd = bodyStart + Number(length[1]);
      if (buffered.length < bodyEnd) return;
      const now = performance.now();
      const status = head.slice(9, 12);
      const body = buffered.subarray(bodyStart, bodyEnd);
      buffered = buffered.subarray(bodyEnd);
      inFlight = false;
      if (status !== "200") recordError(`HTTP ${status}: ${body.toString("utf8", 0, 300)}`);
      else if (!body.equals(expected))
        recordError(`unexpected body: ${body.toString("utf8", 0, 300)}`);
      else if (now >= measureFrom && now < stopAt) {
        completed++;
        latencies.push(now - sentAt);
      }
      send();
    }
  });
  socket.on("error", (error) => {
    if (!stopping) recordError(`socket error: ${error.message}`);
  });
  socket.on("close", () => {
    // The server closed a connection mid-run: count what was in flight and open another.
    if (stopping || performance.now() >= stopAt) return;
    if (inFlight) recordError("the server closed a connection with a request in flight");
    connect(index);
  });
}

for (let i = 0; i < connections; i++) connect(i);

// Stops by itself, whatever the server does.
setTimeout(
  () => {
    stopping = true;
    latencies.sort((a, b) => a - b);
    const at = (q) =>
      latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? 0;
    process.stdout.write(
      `${JSON.stringify({
        completed,
        errors,
        firstError,
        rps: completed / (durationMs / 1000),
        p50: at(0.5),
        p99: at(0.99),
      })}\n`,
    );
    process.exit(0);
  },
  stopAt - start + 50,
);
