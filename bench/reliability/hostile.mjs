// Hostile input: batches of generated requests against a real hush-server (SQLite), sent as raw
// bytes so that nothing is cleaned up on the way: malformed JSON, wrong types, exponential fragment
// spreads, deep and wide queries, alias bombs, invalid UTF-8, NUL bytes, oversized bodies, values
// and names, `__proto__` keys, wrong tokens, odd methods, paths and headers; and, alongside them,
// slow bodies that trickle in a byte at a time.
//
// Passes when: no response is a 5xx or a masked INTERNAL_SERVER_ERROR; the server never crashes;
// every request is answered (a 4xx, or a 200 with GraphQL errors or data), no refusal slower than
// 100 ms (a refusal slower than that is sent again alone, twice, and fails only if it is slow every
// time, so that a busy machine's hiccup is not taken for a defect); the server's memory stays
// bounded; a valid read is answered after each batch; and every slow body is cut off by the
// server (a 408 or a closed connection) within SLOW_BODY_LIMIT_MS.
import net from "node:net";
import { graphql, kill, prepareHush, rssMiB, SET_SECRET, startHush } from "../support/harness.mjs";

const REJECT_LIMIT_MS = 100;
const SLOW_BODY_LIMIT_MS = 65_000;
// The server's caches (compiled documents, statements, tokens) fill during the first batches and
// then stay at their bounds: memory may grow that much, and then by at most this over the second
// half of the run.
const MEMORY_GROWTH_LIMIT_MIB = 100;
const CONCURRENCY = 8;

/** A small seeded generator, so that a failing batch can be replayed with HUSH_RELIABILITY_SEED. */
function random(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min, max) => min + Math.floor(next() * (max - min + 1));
  const pick = (list) => list[int(0, list.length - 1)];
  const bytes = (n) => Buffer.from(Array.from({ length: n }, () => int(0, 255)));
  return { next, int, pick, bytes };
}

/** The raw bytes of one HTTP/1.1 request; `headers` are written as given, bytes and all. */
function rawRequest({ method = "POST", path = "/graphql", headers = [], body, contentType }) {
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
function send(port, bytes) {
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

/** Whether the server refused the request (the 100 ms limit is on refusals, not on writes). */
const rejected = (result) => result.status !== 200 || result.body.includes('"errors"');

/** A request for a failure message: its first line and the start of its body. */
function describe(bytes) {
  const text = bytes.toString("utf8");
  const bodyAt = text.indexOf("\r\n\r\n");
  const body = text.slice(bodyAt + 4);
  return `${text.slice(0, text.indexOf("\r\n"))}, ${bytes.length} bytes: ${JSON.stringify(body.slice(0, 120))}`;
}

const gql = (query, variables, extra = {}) => JSON.stringify({ query, variables, ...extra });

/** One generated hostile request: `{ category, bytes }`. */
function generators(tokens) {
  const bearer = (token) => `Authorization: Bearer ${token}`;
  const runner = bearer(tokens.runner);
  const admin = bearer(tokens.admin);
  const post = (body, headers = [runner], more = {}) => rawRequest({ body, headers, ...more });
  const fragmentChain = (depth, width) => {
    const parts = [`query { ...F0 }`];
    for (let i = 0; i < depth; i++) {
      const spread = Array.from({ length: width }, () => `...F${i + 1}`).join(" ");
      parts.push(`fragment F${i} on Query { secretNames ${spread} }`);
    }
    parts.push(`fragment F${depth} on Query { secretNames __typename }`);
    return parts.join("\n");
  };
  return {
    "malformed JSON": (r) => {
      const valid = gql('{ secretValue(name: "HOSTILE_0") }');
      return post(
        r.pick([
          () => valid.slice(0, r.int(0, valid.length - 1)),
          () => r.bytes(r.int(1, 200)),
          () => `${valid},`,
          () => valid.replace(":", ""),
          () => "[]",
          () => "null",
          () => '"query"',
          () => "{}",
          () => "[".repeat(r.int(1000, 100_000)),
          () => `{"query": "{ secretNames }", "variables": ${"[".repeat(r.int(100, 50_000))}}`,
          () => "{'query': '{ secretNames }'}",
          () => "",
        ])(),
      );
    },
    "wrong types": (r) =>
      post(
        r.pick([
          () => JSON.stringify({ query: r.pick([42, [], {}, null, true]) }),
          () =>
            JSON.stringify({ query: "{ secretNames }", variables: r.pick(["x", 42, [1], true]) }),
          () => JSON.stringify({ query: "{ secretNames }", operationName: r.pick([5, [], {}]) }),
          () => JSON.stringify({ query: "{ secretNames }", extensions: "x" }),
          () =>
            gql("query($n: String!) { secretValue(name: $n) }", {
              n: r.pick([5, null, [], {}, true]),
            }),
          () => gql(`{ secretValue(name: ${r.pick(["5", "true", "[]", "{}", "null", "FOO"])}) }`),
          () => gql(`{ secretValues(names: ${r.pick(['"x"', "5", "[5]", "[null]", "{}"])}) }`),
          () =>
            gql(
              `{ auditEvents(limit: ${r.pick(["1e10", '"x"', "-1", "0", "2147483648", "1001"])}) { id } }`,
            ),
          () =>
            gql(
              `mutation { setSecret(input: ${r.pick(["5", "{}", '{name: 5, value: "x"}', '{name: "A"}'])}) { success } }`,
            ),
          () =>
            gql(
              `mutation { rollbackSecret(input: {name: "HOSTILE_0", version: ${r.pick(["-1", "0", "1.5", '"1"', "99999999999"])}}) { version } }`,
            ),
          () => gql("{ secretVersions }"),
          () => gql("{ nonexistent }"),
        ])(),
        [r.pick([runner, admin])],
      ),
    "exponential fragment spreads": (r) =>
      post(
        r.pick([
          () => gql(fragmentChain(r.int(10, 40), r.int(2, 4))),
          () => gql("query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }"),
          () =>
            gql(
              `query { ...F0 } ${Array.from({ length: 500 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} }`).join(" ")} fragment F500 on Query { secretNames }`,
            ),
        ])(),
      ),
    "deep queries": (r) => {
      const depth = r.int(50, 20_000);
      return post(
        r.pick([
          () => gql(`{ ${"me { tenant { ".repeat(depth / 2)}id${" }".repeat(depth)} }`),
          () => gql(`{ ${"a { ".repeat(depth)}b${" }".repeat(depth)} }`),
          () => gql(`{ secretValues(names: ${"[".repeat(depth)}"x"${"]".repeat(depth)}) }`),
          () =>
            gql(
              `mutation { setSecret(input: {name: "HOSTILE_DEEP", value: ${"[".repeat(depth)}1${"]".repeat(depth)}}) { success } }`,
            ),
          () =>
            `{"query": "mutation($v: JSON!) { setSecret(input: {name: \\"HOSTILE_DEEP\\", value: $v}) { success } }", "variables": {"v": ${"[".repeat(depth)}1${"]".repeat(depth)}}}`,
        ])(),
        [r.pick([runner, admin])],
      );
    },
    "wide queries and alias bombs": (r) => {
      const n = r.int(100, 20_000);
      return post(
        r.pick([
          () =>
            gql(
              `{ ${Array.from({ length: n }, (_, i) => `a${i}: secretValue(name: "HOSTILE_0")`).join(" ")} }`,
            ),
          () => gql(`{ ${Array.from({ length: n }, (_, i) => `a${i}: secretNames`).join(" ")} }`),
          () => gql(`{ ${"__typename ".repeat(n)} }`),
          () => gql(`{ ${Array.from({ length: n }, () => "secretNames").join(" ")} }`),
          () => gql(`{ secretNames ${"@skip(if: false) ".repeat(n)} }`),
          () =>
            gql(
              Array.from(
                { length: Math.min(n, 2000) },
                (_, i) => `query Q${i} { secretNames }`,
              ).join(" "),
            ),
          () =>
            gql(
              `{ secretValues(names: [${Array.from({ length: n }, (_, i) => `"N${i}"`).join(",")}]) }`,
            ),
          () =>
            gql(
              `query(${Array.from({ length: Math.min(n, 5000) }, (_, i) => `$v${i}: String`).join(" ")}) { secretNames }`,
            ),
        ])(),
      );
    },
    "invalid UTF-8": (r) => {
      const bad = r.pick([
        [0xc3, 0x28],
        [0xff],
        [0xed, 0xa0, 0x80],
        [0xf0, 0x28, 0x8c, 0x28],
        [0x80],
        [0xc0, 0xaf],
      ]);
      const [head, tail] = r.pick([
        ['{"query": "{ secretValue(name: \\"HOSTILE_', '\\") }"}'],
        ['{"query": "{ secretNames }", "variables": {"x": "', '"}}'],
        ['{"query": "', '"}'],
        [
          '{"query": "mutation { setSecret(input: {name: \\"HOSTILE_UTF\\", value: \\"',
          '\\"}) { success } }"}',
        ],
      ]);
      return post(Buffer.concat([Buffer.from(head), Buffer.from(bad), Buffer.from(tail)]), [
        r.pick([runner, admin]),
      ]);
    },
    "NUL bytes": (r) =>
      r.pick([
        () => post(gql('{ secretValue(name: "HOSTILE\u0000_0") }')),
        () => post(gql("{ secretNames \u0000 }")),
        () =>
          post(
            gql(
              'mutation { setSecret(input: {name: "HOSTILE_NUL", value: "a\u0000b"}) { success } }',
            ),
            [admin],
          ),
        () => post(Buffer.from('{"query": "{ secretNames }"}\u0000')),
        () =>
          post(gql("{ secretNames }"), [
            Buffer.from(`Authorization: Bearer ${tokens.runner}\u0000`),
          ]),
        () => post(gql("{ secretNames }"), [Buffer.from("X-Other: a\u0000b"), runner]),
        () =>
          rawRequest({ path: "/graphql\u0000", body: gql("{ secretNames }"), headers: [runner] }),
      ])(),
    "oversized bodies, values and names": (r) =>
      r.pick([
        () => post(gql("{ secretNames }", { pad: "x".repeat(r.int(1024 * 1024, 1200 * 1024)) })),
        () =>
          post(
            gql(SET_SECRET, {
              name: "HOSTILE_BIG",
              value: "v".repeat(r.int(65 * 1024, 200 * 1024)),
            }),
            [admin],
          ),
        () => post(gql(SET_SECRET, { name: "N".repeat(r.int(256, 100_000)), value: "v" }), [admin]),
        () => post(gql(`{ secretValue(name: "${"N".repeat(r.int(256, 100_000))}") }`)),
        () =>
          rawRequest({
            path: `/graphql?${"q".repeat(r.int(20_000, 100_000))}`,
            body: gql("{ secretNames }"),
            headers: [runner],
          }),
        () =>
          post(gql("{ secretNames }"), [runner, `X-Big: ${"h".repeat(r.int(20_000, 100_000))}`]),
        () =>
          post(gql("{ secretNames }"), [
            runner,
            ...Array.from({ length: 3000 }, (_, i) => `X-H${i}: v`),
          ]),
      ])(),
    "__proto__ keys": (r) =>
      r.pick([
        () => post('{"__proto__": {"query": "{ secretNames }"}}'),
        () => post('{"query": "{ secretNames }", "__proto__": {"variables": {}}}'),
        () =>
          post(
            '{"query": "query($n: String!) { secretValue(name: $n) }", "variables": {"__proto__": {"n": "HOSTILE_0"}}}',
          ),
        () =>
          post(
            '{"query": "{ secretNames }", "variables": {"constructor": {"prototype": {"polluted": true}}}}',
          ),
        () =>
          post(
            gql(SET_SECRET, {
              name: "__proto__",
              value: JSON.parse('{"__proto__": {"polluted": true}}'),
            }),
            [admin],
          ),
        () =>
          post(
            gql(
              'mutation { setSecret(input: {name: "HOSTILE_PROTO", value: {__proto__: {polluted: true}}}) { success } }',
            ),
            [admin],
          ),
        () =>
          post(
            gql('{ secretValues(names: ["__proto__", "constructor", "prototype", "toString"]) }'),
          ),
        () => post(gql('{ secretValue(name: "constructor") }')),
        () => post('{"query": "{ secretNames }", "operationName": "__proto__"}'),
      ])(),
    "wrong tokens": (r) =>
      post(gql('{ secretValue(name: "HOSTILE_0") }'), [
        r.pick([
          () => bearer(`hush_${r.bytes(32).toString("base64url")}`),
          () => bearer(r.bytes(24).toString("hex")),
          () => "Authorization: Bearer",
          () => "Authorization: Bearer ",
          () => `Authorization: Basic ${Buffer.from("a:b").toString("base64")}`,
          () => `Authorization: bearer ${tokens.runner.slice(0, -1)}`,
          () => `Authorization: Bearer  ${tokens.runner}x`,
          () => bearer("x".repeat(r.int(1000, 16_000))),
          () => `Authorization: Bearer ${tokens.runner}, Bearer ${tokens.admin}`,
          () => Buffer.concat([Buffer.from("Authorization: Bearer hush_"), r.bytes(20)]),
          () => bearer(tokens.user),
          () => "Authorization: ",
        ])(),
      ]),
    "odd methods, paths and content types": (r) =>
      r.pick([
        () =>
          rawRequest({
            method: r.pick(["PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"]),
            body: gql("{ secretNames }"),
            headers: [runner],
          }),
        () =>
          rawRequest({
            method: "GET",
            path: `/graphql?query=${encodeURIComponent('mutation { deleteSecret(input: {name: "HOSTILE_0"}) { success } }')}`,
            headers: [admin],
          }),
        () =>
          rawRequest({
            method: "GET",
            path: `/graphql?query=${"%".repeat(r.int(1, 50))}`,
            headers: [runner],
          }),
        () =>
          rawRequest({
            path: r.pick([
              "/",
              "/graphql/../graphql",
              "/%2e%2e/",
              "/graphql%00",
              "//graphql",
              "/graphiql",
            ]),
            body: gql("{ secretNames }"),
            headers: [runner],
          }),
        () =>
          rawRequest({
            body: gql("{ secretNames }"),
            headers: [runner],
            contentType: r.pick([
              "text/plain",
              "multipart/form-data; boundary=x",
              "application/json; charset=latin1",
              "application/graphql",
              "*/*",
            ]),
          }),
        () => rawRequest({ body: gql("{ secretNames }"), headers: [runner], contentType: null }),
        () =>
          rawRequest({ body: gql("{ secretNames }"), headers: [runner, "Content-Encoding: gzip"] }),
        () =>
          rawRequest({
            body: gql("{ secretNames }"),
            headers: [runner, "Transfer-Encoding: chunked"],
          }),
      ])(),
  };
}

/** Trickles a body a byte at a time; resolves with how long the server kept the connection. */
function slowBody(port, token) {
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

/** Runs the suite; resolves with a summary, or rejects naming the failures. */
export async function hostile(run, { batches, perBatch, seed }) {
  const prepared = await prepareHush(run, "hostile");
  const server = await startHush(run, prepared);
  const port = Number(new URL(server.url).port);
  try {
    await graphql(server.url, prepared.admin, SET_SECRET, {
      name: "HOSTILE_0",
      value: "the-value-0",
    });
    const user = await graphql(
      server.url,
      prepared.admin,
      'mutation { createApiToken(input: {name: "hostile-user", role: USER}) { token } }',
    );
    const tokens = {
      admin: prepared.admin,
      runner: prepared.runner,
      user: user.createApiToken.token,
    };
    const kinds = Object.entries(generators(tokens));
    const r = random(seed);
    const failures = [];
    const slow = [];
    const byCategory = new Map(kinds.map(([name]) => [name, { count: 0, statuses: new Map() }]));
    let sent = 0;
    let maxMs = 0;
    const memory = [];

    const slowBodies = Array.from({ length: 4 }, () => slowBody(port, prepared.runner));

    for (let batch = 0; batch < batches; batch++) {
      const requests = Array.from({ length: perBatch }, (_, i) => {
        const [category, make] = kinds[(batch * perBatch + i) % kinds.length];
        return { category, bytes: make(r) };
      });
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < requests.length) {
            const request = requests[next++];
            const result = await send(port, request.bytes);
            sent++;
            const stats = byCategory.get(request.category);
            stats.count++;
            stats.statuses.set(result.status, (stats.statuses.get(result.status) ?? 0) + 1);
            maxMs = Math.max(maxMs, result.ms);
            const problem =
              result.status === undefined
                ? `no response (${result.error})`
                : result.status >= 500
                  ? `HTTP ${result.status}`
                  : result.body.includes("INTERNAL_SERVER_ERROR")
                    ? "a masked INTERNAL_SERVER_ERROR"
                    : undefined;
            if (problem)
              failures.push(`${request.category}: ${problem}: ${describe(request.bytes)}…`);
            else if (result.ms > REJECT_LIMIT_MS && rejected(result)) {
              slow.push({ ...request, ms: result.ms });
            }
          }
        }),
      );
      if (server.child.exitCode !== null || server.child.signalCode !== null) {
        failures.push(
          `the server exited during batch ${batch + 1}: ${server.stderr().slice(-2000)}`,
        );
        break;
      }
      const read = await graphql(server.url, prepared.runner, '{ secretValue(name: "HOSTILE_0") }');
      if (read.secretValue !== "the-value-0")
        failures.push(`batch ${batch + 1}: the valid read answered ${JSON.stringify(read)}`);
      memory.push(rssMiB(server.child));
      if (failures.length > 50) break;
    }

    // Slow requests, again, one at a time: slow every time is a defect, once is the machine.
    const reallySlow = [];
    for (const request of slow) {
      const times = [request.ms];
      for (let i = 0; i < 2 && times.at(-1) > REJECT_LIMIT_MS; i++)
        times.push((await send(port, request.bytes)).ms);
      if (times.at(-1) > REJECT_LIMIT_MS) {
        reallySlow.push(
          `${request.category}: ${times.map((t) => t.toFixed(0)).join(", ")} ms: ${describe(request.bytes)}…`,
        );
      }
    }
    failures.push(...reallySlow.map((s) => `slower than ${REJECT_LIMIT_MS} ms every time: ${s}`));

    const slowResults = await Promise.all(slowBodies);
    for (const result of slowResults) {
      if (result.ms >= SLOW_BODY_LIMIT_MS)
        failures.push(
          `a slow body (${result.sent} bytes sent, a byte every 500 ms) was still held open after ${SLOW_BODY_LIMIT_MS / 1000} s`,
        );
      else if (result.status >= 500)
        failures.push(`a slow body was answered with HTTP ${result.status}`);
    }
    const half = memory[Math.floor((memory.length - 1) / 2)];
    const growth = memory.at(-1) - half;
    if (growth > MEMORY_GROWTH_LIMIT_MIB) {
      failures.push(
        `memory grew by ${growth.toFixed(0)} MiB over the second half of the batches (limit ${MEMORY_GROWTH_LIMIT_MIB} MiB): a leak`,
      );
    }
    if (server.child.exitCode !== null || server.child.signalCode !== null)
      failures.push("the server crashed");

    const lines = [...byCategory].map(
      ([name, s]) =>
        `${name}: ${s.count} (${[...s.statuses].map(([status, n]) => `${status ?? "none"}×${n}`).join(", ")})`,
    );
    const summary = [
      `${sent} requests in ${batches} batches (seed ${seed}), slowest ${maxMs.toFixed(0)} ms, ${slow.length} over ${REJECT_LIMIT_MS} ms once, ${reallySlow.length} every time`,
      `slow bodies cut off after ${slowResults.map((s) => `${(s.ms / 1000).toFixed(1)} s${s.status ? ` (${s.status})` : ""}`).join(", ")}`,
      `server memory after each batch: ${memory.map((m) => m.toFixed(0)).join(", ")} MiB`,
      ...lines,
    ];
    if (failures.length > 0) {
      const timing = (f) => f.startsWith("slower than");
      const shown = [...failures.filter((f) => !timing(f)), ...failures.filter(timing)]
        .slice(0, 20)
        .map((f) => `  - ${f}`);
      throw new Error(`${failures.length} failures:\n${shown.join("\n")}\n${summary.join("\n")}`);
    }
    return summary.join("\n    ");
  } finally {
    await kill(server.child);
  }
}
