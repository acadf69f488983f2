import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { buildApp, type HushService, openService, type Role } from "@hush/server";
import { onTestFinished } from "vitest";
import { testDir } from "../../test-utils/test-dir.js";

type App = Awaited<ReturnType<typeof buildApp>>;

const OTHER_ROLES: readonly Role[] = ["USER", "RUNNER", "READ_ONLY_USER"];

/** A real hush-server on 127.0.0.1, in this process, with one tenant and a token per role. */
export interface RealServer {
  /** The server's base URL, e.g. `http://127.0.0.1:41234`: what `[cloud] endpoint` takes. */
  readonly url: string;
  readonly tenant: string;
  /** A bearer token per role, in the tenant. */
  readonly tokens: Readonly<Record<Role, string>>;
  /** The service behind the API, for arranging data without going through HTTP. */
  readonly service: HushService;
  /** Stops listening and closes the database; the data folder stays. */
  stop(): Promise<void>;
  /** Starts again on the same port and data folder (after `stop`). */
  start(): Promise<void>;
}

/**
 * Starts a real hush-server (SQLite in a temp data folder) listening on a free loopback port; it is
 * stopped and its data removed when the test finishes.
 */
export async function startRealServer(options: { tenant?: string } = {}): Promise<RealServer> {
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

  let app: App | undefined = await buildApp({ service, logger: false });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const port = (app.server.address() as AddressInfo).port;

  const server: RealServer = {
    url: `http://127.0.0.1:${port}`,
    tenant,
    tokens,
    get service() {
      return service;
    },
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
      const next = await buildApp({ service, logger: false });
      await next.listen({ host: "127.0.0.1", port });
      app = next;
    },
  };
  onTestFinished(() => server.stop());
  return server;
}
