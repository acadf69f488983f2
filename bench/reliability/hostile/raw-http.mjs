// Raw HTTP/1.1 on a socket, so that nothing cleans a hostile request up on the way: the bytes of a
// request as given, sent on a new connection, and a body that trickles in a byte at a time.
import net from "node:net";

/** How long a slow body may be held open before the server must cut it off. */
export const SLOW_BODY_LIMIT_MS = 65_000;

export const gql = (query, variables, extra = {}) => JSON.stringify({ query, variables, ...extra });

/** The raw bytes of one HTTP/1.1 request; `headers` are written as given, bytes and all. */
export function rawRequest({
  method = "POST",
  path = "/graphql",
  headers = [],
  body,
  contentType,
}) {
  const payload =
    body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(body);
  const lines = [
    Buffer.from(`${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n`),
    ...(contentType === null
      ? []
      : [Buffer.from(`Content-Type: ${contentType ?? "application/json"}\r\n`)]),
    ...headers.map((h) =>
      Buffer.concat([Buffer.isBuffer(h) ? h : Buffer.from(h), Buffer.from("\r\n")]),
    ),
    ...(body === undefined ? [] : [Buffer.from(`Content-Length: ${payload.length}\r\n`)]),
    Buffer.from("\r\n"),
  ];
  return Buffer.concat([...lines, payload]);
}

/**
 * Sends raw bytes on a new connection; resolves with the status, the body and the time from the
 * last byte sent to the end of the response (the server closes: Connection: close).
 */
export function send(port, bytes) {
  return new Promise((done) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    const chunks = [];
    let sentAt = 0;
    let finished = false;
    const finish = (error) => {
      if (finished) return;
      finished = true;
      socket.destroy();
      const response = Buffer.concat(chunks).toString("latin1");
      const status = /^HTTP\/1\.1 (\d{3})/.exec(response);
      const headerEnd = response.indexOf("\r\n\r\n");
      done({
        status: status ? Number(status[1]) : undefined,
        body:
          headerEnd === -1
            ? ""
            : Buffer.from(response.slice(headerEnd + 4), "latin1").toString("utf8"),
        ms: performance.now() - sentAt,
        error: status ? undefined : (error?.message ?? "the connection closed without a response"),
      });
    };
    socket.setTimeout(30_000, () => finish(new Error("no response within 30 s")));
    socket.on("connect", () => {
      socket.write(bytes, () => {
        sentAt = performance.now();
      });
    });
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("end", () => finish());
    socket.on("close", () => finish());
    socket.on("error", (error) => {
      // A reset after the response arrived (the server refusing to read the rest of an oversized
      // body) still counts as an answer.
      finish(error);
    });
  });
}

/** A request for a failure message: its first line and the start of its body. */
export function describe(bytes) {
  const text = bytes.toString("utf8");
  const bodyAt = text.indexOf("\r\n\r\n");
  const body = text.slice(bodyAt + 4);
  return `${text.slice(0, text.indexOf("\r\n"))}, ${bytes.length} bytes: ${JSON.stringify(body.slice(0, 120))}`;
}

/** Trickles a body a byte at a time; resolves with how long the server kept the connection. */
export function slowBody(port, token) {
  return new Promise((done) => {
    const started = performance.now();
    const body = gql("{ secretNames }", { pad: "x".repeat(200) });
    const socket = net.connect({ host: "127.0.0.1", port });
    let sent = 0;
    let timer;
    let response = "";
    const finish = () => {
      clearInterval(timer);
      socket.destroy();
      const status = /^HTTP\/1\.1 (\d{3})/.exec(response);
      done({
        ms: performance.now() - started,
        status: status ? Number(status[1]) : undefined,
        sent,
      });
    };
    socket.on("connect", () => {
      socket.write(
        `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAuthorization: Bearer ${token}\r\nContent-Length: ${body.length}\r\n\r\n`,
      );
      timer = setInterval(() => {
        // Stop a byte short of the end, so that only a server timeout ends the request.
        if (sent < body.length - 1 && performance.now() - started < SLOW_BODY_LIMIT_MS) {
          socket.write(body[sent++]);
        } else if (performance.now() - started >= SLOW_BODY_LIMIT_MS) finish();
      }, 500);
    });
    socket.on("data", (chunk) => {
      response += chunk.toString("latin1");
    });
    socket.on("close", finish);
    socket.on("error", finish);
  });
}
