import { STATUS_CODES } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { setTimeout } from "node:timers/promises";
import { buildApp, type Caller, type HushService, openService, type Role } from "@hush/server";
import { testDir } from "@hush/test-support";
import { type DocumentNode, Kind, parse } from "graphql";
import { onTestFinished } from "vitest";

type App = Awaited<ReturnType<typeof buildApp>>;

const OTHER_ROLES: readonly Role[] = ["USER", "RUNNER", "READ_ONLY_USER"];

/**
 * A transport failure the real server answers the next requests with, for tests of retries and
 * timeouts: it cannot fail like this on demand.
 */
export interface Fault {
  /** Answer with this HTTP status instead of running the operation (body: the status text). */
  status?: number;
  /** Answer with this body instead of running the operation (status 200 unless `status`). */
  body?: string;
  /** The body's content type. @default "application/json" when `body` parses as JSON, else "text/plain" */
  contentType?: string;
  /** Wait this long first; alone, the operation then runs as usual. */
  delayMs?: number;
  /** Close the connection without answering (after `delayMs`, if given). */
  destroy?: boolean;
}

/** What the server was asked, as the tests check it: never a token or a value. */
export interface RecordedRequest {
  readonly operationName: string | undefined;
  /** The root fields selected, e.g. `["secretValue"]`. */
  readonly fields: readonly string[];
  /** Whether an `Authorization` header came. */
  readonly authorization: boolean;
  /** Whether an injected {@link Fault} answered it. */
  readonly faulted: boolean;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function rootFields(query: unknown): string[] {
  let document: DocumentNode;
  try {
    document = parse(String(query));
  } catch {
    return [];
  }
  return document.definitions.flatMap((definition) =>
    definition.kind === Kind.OPERATION_DEFINITION
      ? definition.selectionSet.selections.flatMap((s) =>
          s.kind === Kind.FIELD ? [s.name.value] : [],
        )
      : [],
  );
}

/** A real hush-server on 127.0.0.1, in this process, with one tenant and a token per role. */
export interface RealServer {
  /** The server's base URL, e.g. `http://127.0.0.1:41234`: what `[cloud] endpoint` takes. */
  readonly url: string;
  readonly tenant: string;
  /** A bearer token per role, in the tenant. */
  readonly tokens: Readonly<Record<Role, string>>;
  /** The service behind the API, for arranging data without going through HTTP. */
  readonly service: HushService;
  /** Every GraphQL request so far, oldest first. */
  readonly requests: RecordedRequest[];
  /** How many TCP connections clients have opened so far (keep-alive reuses them). */
  readonly connections: number;
  /** Answers the next `count` GraphQL requests with `fault`. Calls queue up. */
  failNext(count: number, fault: Fault): void;
  /** A secret's current value, read by the service directly (no request); undefined if none. */
  valueOf(name: string): Promise<unknown>;
  /** Sets values as the tenant admin, e.g. `{ DB_URL: "postgres://…" }`. */
  setSecrets(values: Readonly<Record<string, unknown>>): Promise<void>;
  /** Stops listening and closes the database; the data folder stays. */
  stop(): Promise<void>;
  /** Starts again on the same port and data folder (after `stop`). */
  start(): Promise<void>;
}

/**
 * Starts a real hush-server (SQLite in a temp data folder) listening on a free loopback port; it is
 * stopped and its data removed when the test finishes.
 */
export async function startRealServer(
  options: {
    tenant?: string;
    secrets?: Readonly<Record<string, unknown>>;
    /** The most bytes of values one request may read (8 MiB by default). */
    maxRequestValueBytes?: number;
  } = {},
): Promise<RealServer> {
  const tenant = options.tenant ?? "acme";
  const dataDir = join(testDir(), "data");
  const open = () =>
    openService({ dataDir, env: {}, maxRequestValueBytes: options.maxRequestValueBytes });
  let service = await open();
  const created = await service.createTenant(tenant);
  const admin = await service.authenticate(created.token);
  if (admin === undefined) throw new Error("the new admin token does not authenticate");
  const tokens = { TENANT_ADMIN: created.token } as Record<Role, string>;
  for (const role of OTHER_ROLES) {
    tokens[role] = (await service.createApiToken(admin, { name: role.toLowerCase(), role })).token;
  }

  const requests: RecordedRequest[] = [];
  const faults: Fault[] = [];
  let stopped = new AbortController();
  let stopping = { signal: stopped.signal };
  let connections = 0;
  const listen = async (port: number) => {
    const next = await buildApp({ service, logger: false });
    next.addHook("preHandler", async (request, reply) => {
      if (!request.url.startsWith("/graphql")) return;
      const body = (request.method === "GET" ? request.query : request.body) as
        | { query?: unknown; operationName?: unknown }
        | undefined;
      const fault = faults.shift();
      requests.push({
        operationName: typeof body?.operationName === "string" ? body.operationName : undefined,
        fields: rootFields(body?.query),
        authorization: request.headers.authorization !== undefined,
        faulted: fault !== undefined,
      });
      if (fault === undefined) return;
      // A stop() cuts a delay short, so that the test ends without waiting for it.
      if (fault.delayMs !== undefined) await setTimeout(fault.delayMs, undefined, stopping);
      if (fault.destroy) {
        request.raw.socket.destroy();
        return reply.hijack();
      }
      if (fault.status === undefined && fault.body === undefined) return;
      const status = fault.status ?? 200;
      const answer = fault.body ?? STATUS_CODES[status] ?? "";
      return reply
        .code(status)
        .type(fault.contentType ?? (isJson(answer) ? "application/json" : "text/plain"))
        .send(answer);
    });
    next.server.on("connection", () => {
      connections += 1;
    });
    await next.listen({ host: "127.0.0.1", port });
    return next;
  };
  const asAdmin = async (): Promise<Caller> => {
    const caller = await service.authenticate(tokens.TENANT_ADMIN);
    if (caller === undefined) throw new Error("the admin token does not authenticate");
    return caller;
  };
  const setSecrets = async (values: Readonly<Record<string, unknown>>) => {
    const entries = Object.entries(values).map(([name, value]) => ({ name, value }));
    if (entries.length > 0) await service.setSecrets(await asAdmin(), entries);
  };
  await setSecrets(options.secrets ?? {});

  let app: App | undefined = await listen(0);
  const port = (app.server.address() as AddressInfo).port;

  const server: RealServer = {
    url: `http://127.0.0.1:${port}`,
    tenant,
    tokens,
    get service() {
      return service;
    },
    requests,
    async valueOf(name) {
      const admin = await asAdmin();
      if (!(await service.secretNames(admin)).includes(name)) return undefined;
      return service.secretValue(admin, name);
    },
    get connections() {
      return connections;
    },
    failNext(count, fault) {
      for (let i = 0; i < count; i++) faults.push({ ...fault });
    },
    setSecrets,
    async stop() {
      const running = app;
      app = undefined;
      if (running === undefined) return;
      stopped.abort();
      await running.close();
      await service.close();
    },
    async start() {
      if (app !== undefined) return;
      stopped = new AbortController();
      stopping = { signal: stopped.signal };
      service = await open();
      app = await listen(port);
    },
  };
  onTestFinished(() => server.stop());
  return server;
}
