import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { buildApp, type Caller, type HushService, openService, type Role } from "@hush/server";
import { type DocumentNode, Kind, parse } from "graphql";
import { onTestFinished } from "vitest";
import { testDir } from "../../test-utils/test-dir.js";

type App = Awaited<ReturnType<typeof buildApp>>;

const OTHER_ROLES: readonly Role[] = ["USER", "RUNNER", "READ_ONLY_USER"];

/** What the server was asked, as the tests check it: never a token or a value. */
export interface RecordedRequest {
  readonly operationName: string | undefined;
  /** The root fields selected, e.g. `["secretValue"]`. */
  readonly fields: readonly string[];
  /** Whether an `Authorization` header came. */
  readonly authorization: boolean;
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
  options: { tenant?: string; secrets?: Readonly<Record<string, unknown>> } = {},
): Promise<RealServer> {
  const tenant = options.tenant ?? "acme";
  const dataDir = join(testDir(), "data");
  let service = await openService({ dataDir, env: {} });
  const created = await service.createTenant(tenant);
  const admin = await service.authenticate(created.token);
  if (admin === undefined) throw new Error("the new admin token does not authenticate");
  const tokens = { TENANT_ADMIN: created.token } as Record<Role, string>;
  for (const role of OTHER_ROLES) {
    tokens[role] = (await service.createApiToken(admin, { name: role.toLowerCase(), role })).token;
  }

  const requests: RecordedRequest[] = [];
  const listen = async (port: number) => {
    const next = await buildApp({ service, logger: false });
    next.addHook("preHandler", async (request) => {
      if (!request.url.startsWith("/graphql")) return;
      const body = (request.method === "GET" ? request.query : request.body) as
        | { query?: unknown; operationName?: unknown }
        | undefined;
      requests.push({
        operationName: typeof body?.operationName === "string" ? body.operationName : undefined,
        fields: rootFields(body?.query),
        authorization: request.headers.authorization !== undefined,
      });
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
    setSecrets,
    async stop() {
      const running = app;
      app = undefined;
      if (running === undefined) return;
      await running.close();
      await service.close();
    },
    async start() {
      if (app !== undefined) return;
      service = await openService({ dataDir, env: {} });
      app = await listen(port);
    },
  };
  onTestFinished(() => server.stop());
  return server;
}
