import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse, STATUS_CODES } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Role } from "../generated/graphql.js";
import { type FakeContext, fakeRootValue } from "./fake-resolvers.js";
import { type FakeCaller, FakeTenant } from "./fake-tenant.js";
import {
  errorBody,
  type GraphQLAnswer,
  type GraphQLParams,
  runGraphQL,
  summarize,
} from "./run-graphql.js";

/** Options of {@link startFakeServer}. */
export interface FakeServerOptions {
  /**
   * The API tokens the fake accepts, each with its role, e.g. `{ "admin-token": "TENANT_ADMIN" }`.
   * @default {} (no token is valid)
   */
  tokens?: Readonly<Record<string, Role>>;
  /**
   * Whether operations need a valid token. With `false`, a request without a known token acts as
   * a `TENANT_ADMIN` named `anonymous`; a known token still has its own role.
   * @default true
   */
  requireAuth?: boolean;
  /**
   * The tenant's name, as it appears in `NOT_FOUND` messages and in `me`.
   * @default "default"
   */
  tenant?: string;
  /** The secrets the tenant starts with: name → JSON value. @default {} */
  secrets?: Readonly<Record<string, unknown>>;
}

/** A fault the fake server answers the next requests with, instead of or before running them. */
export interface FakeFault {
  /** Answer with this HTTP status instead of running the operation (body: the status text). */
  status?: number;
  /** Answer with this body instead of running the operation (status 200 unless `status`). */
  body?: string;
  /** The body's content type. @default "application/json" when `body` parses as JSON, else "text/plain" */
  contentType?: string;
  /**
   * Wait this long before answering. Alone, the operation then runs normally, even when the
   * client has stopped waiting (as on a real server).
   */
  delayMs?: number;
  /** Close the connection without answering (after `delayMs`, if given). */
  destroy?: boolean;
}

/** One request the fake server received: which operation, never the variables or the token. */
export interface FakeRequest {
  /** The HTTP method. */
  readonly method: string;
  /** The operation's name, or null when anonymous or unreadable. */
  readonly operationName: string | null;
  /** `query` or `mutation`, or null when the document could not be read. */
  readonly operationType: "query" | "mutation" | "subscription" | null;
  /** The root fields selected, e.g. `["secretValue"]`. */
  readonly fields: readonly string[];
  /** Whether the request carried an `Authorization` header (its value is not kept). */
  readonly authorization: boolean;
  /** Whether an injected fault (see {@link FakeServer.failNext}) answered it. */
  readonly faulted: boolean;
}

/** A running fake hush server; see {@link startFakeServer}. */
export interface FakeServer {
  /** The base URL, e.g. `http://127.0.0.1:54321`; GraphQL is at `<url>/graphql`. */
  readonly url: string;
  /** The tenant's name. */
  readonly tenant: string;
  /** Every request to `/graphql` so far, oldest first. Clear it with `requests.length = 0`. */
  readonly requests: FakeRequest[];
  /** The tenant's secrets, live: name → current value. Writes here become new versions. */
  readonly secrets: Map<string, unknown>;
  /** How many TCP connections clients have opened so far (keep-alive reuses them). */
  readonly connections: number;
  /** Answers the next `count` requests to `/graphql` with `fault`. Calls queue up. */
  failNext(count: number, fault: FakeFault): void;
  /** Stops listening and closes every connection, idle keep-alive ones included. */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;
const ANONYMOUS: FakeCaller = {
  tokenId: "anonymous",
  tokenName: "anonymous",
  role: "TENANT_ADMIN",
};

/**
 * Starts a FAKE hush server for tests: an in-memory implementation of hush's GraphQL schema
 * (built from `@hush/schema`), served over real HTTP on 127.0.0.1 at a free port. It validates
 * every document against the schema, answers in the real server's shapes
 * (`{ data, errors: [{ message, path, extensions: { code } }] }`) and applies its rules: roles,
 * tenant-scoped `NOT_FOUND`, name and value limits, versions and tokens. It keeps nothing on disk,
 * encrypts nothing, and is not a server to run: use `hush-server` for that.
 *
 * @example
 * const server = await startFakeServer({ tokens: { t0k3n: "RUNNER" }, secrets: { API_KEY: "abc" } });
 * const client = createClient({ endpoint: server.url, apiKey: "t0k3n" });
 * await client.secretValue("API_KEY"); // "abc"
 * await server.close();
 */
export async function startFakeServer(options: FakeServerOptions = {}): Promise<FakeServer> {
  const tenant = new FakeTenant(options.tenant ?? "default", options.tokens ?? {}, {
    ...options.secrets,
  });
  const rootValue = fakeRootValue(tenant);
  const requireAuth = options.requireAuth ?? true;
  const requests: FakeRequest[] = [];
  const faults: FakeFault[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let connections = 0;

  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const authenticate = (header: string | undefined): FakeContext | "malformed" => {
    if (header === undefined) {
      return requireAuth
        ? { caller: undefined, authFailure: "missing" }
        : { caller: ANONYMOUS, authFailure: undefined };
    }
    const token = /^Bearer +([!-~]+) *$/i.exec(header)?.[1];
    if (token === undefined) return "malformed";
    const caller = tenant.authenticate(token) ?? (requireAuth ? undefined : ANONYMOUS);
    return { caller, authFailure: caller === undefined ? "invalid" : undefined };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://fake");
    if (url.pathname !== "/graphql") {
      if (url.pathname === "/healthz") return send(res, { status: 200, body: { status: "ok" } });
      return send(res, {
        status: 404,
        body: errorBody(`Not found: ${url.pathname}. GraphQL is served at /graphql.`, "NOT_FOUND"),
      });
    }
    if (req.method !== "GET" && req.method !== "POST") {
      return send(res, {
        status: 405,
        headers: { allow: "GET, POST" },
        body: errorBody("Send GraphQL requests with POST (or GET for queries).", "BAD_REQUEST"),
      });
    }

    const read = await readParams(req, url);
    const fault = faults.shift();
    requests.push({
      method: req.method,
      ...summarize("params" in read ? read.params : {}),
      authorization: req.headers.authorization !== undefined,
      faulted: fault !== undefined,
    });
    if (fault !== undefined && (await injectFault(res, fault, delay))) return;
    if ("answer" in read) return send(res, read.answer);

    const context = authenticate(req.headers.authorization);
    if (context === "malformed") {
      return send(res, {
        status: 401,
        headers: { "www-authenticate": "Bearer" },
        body: errorBody(
          'The Authorization header must be "Bearer <token>" with the API token.',
          "UNAUTHENTICATED",
        ),
      });
    }
    send(res, await runGraphQL(req.method, read.params, rootValue, context));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) return;
      send(res, {
        status: 500,
        body: errorBody(
          `Unexpected error in the fake server: ${error instanceof Error ? error.message : String(error)}`,
          "INTERNAL_SERVER_ERROR",
        ),
      });
    });
  });
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    tenant: tenant.name,
    requests,
    secrets: tenant.secrets,
    get connections() {
      return connections;
    },
    failNext(count, fault) {
      if (!Number.isInteger(count) || count < 0) {
        throw new RangeError(`failNext needs a whole number of requests; got ${count}.`);
      }
      for (let i = 0; i < count; i++) faults.push({ ...fault });
    },
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

async function readParams(
  req: IncomingMessage,
  url: URL,
): Promise<{ params: GraphQLParams } | { answer: GraphQLAnswer }> {
  if (req.method === "GET") {
    const variables = url.searchParams.get("variables");
    let parsed: unknown;
    try {
      parsed = variables === null ? undefined : JSON.parse(variables);
    } catch {
      return { answer: badRequest('"variables" is not valid JSON.') };
    }
    return {
      params: {
        query: url.searchParams.get("query") ?? undefined,
        variables: parsed,
        operationName: url.searchParams.get("operationName") ?? undefined,
      },
    };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      return {
        answer: {
          status: 413,
          headers: { connection: "close" },
          body: errorBody(`The request body is over ${MAX_BODY_BYTES} bytes.`, "BAD_REQUEST"),
        },
      };
    }
    chunks.push(chunk);
  }
  const type = req.headers["content-type"] ?? "";
  if (!/^application\/(graphql-response\+)?json\b/i.test(type)) {
    return {
      answer: {
        status: 415,
        body: errorBody("Send GraphQL requests as application/json.", "BAD_REQUEST"),
      },
    };
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    return { answer: badRequest("The request body is not valid JSON.") };
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { answer: badRequest('The request body must be a JSON object with a "query".') };
  }
  return { params: body as GraphQLParams };
}

/** Applies a fault; true when it answered (or dropped) the request, false to run it after all. */
async function injectFault(
  res: ServerResponse,
  fault: FakeFault,
  delay: (ms: number) => Promise<void>,
): Promise<boolean> {
  if (fault.delayMs !== undefined) await delay(fault.delayMs);
  if (fault.destroy) {
    res.socket?.destroy();
    return true;
  }
  // A delay alone runs the operation even when the client has given up, as a real server does.
  if (fault.status === undefined && fault.body === undefined) return false;
  if (isGone(res)) return true;
  const status = fault.status ?? 200;
  const body = fault.body ?? STATUS_CODES[status] ?? "";
  res.writeHead(status, { "content-type": fault.contentType ?? contentTypeOf(body) });
  res.end(body);
  return true;
}

/** Whether the client has gone, e.g. it timed out during an injected delay. */
function isGone(res: ServerResponse): boolean {
  return res.destroyed || res.socket === null || res.socket.destroyed;
}

function contentTypeOf(body: string): string {
  try {
    JSON.parse(body);
    return "application/json; charset=utf-8";
  } catch {
    return "text/plain; charset=utf-8";
  }
}

function badRequest(message: string): GraphQLAnswer {
  return { status: 400, body: errorBody(message, "BAD_REQUEST") };
}

function send(res: ServerResponse, answer: GraphQLAnswer): void {
  if (isGone(res)) return;
  res.writeHead(answer.status, {
    "content-type": "application/json; charset=utf-8",
    ...answer.headers,
  });
  res.end(JSON.stringify(answer.body));
}
