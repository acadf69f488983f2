import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { describe } from "vitest";
import { type HushService, type OpenServiceOptions, openService } from "../../src/index.js";

/** An opened backend: a service over a fresh, empty database. */
export interface OpenedBackend {
  service: HushService;
  /** A fresh temp folder (the SQLite file and master.key live here). */
  dataDir: string;
  /** The fresh PostgreSQL database's URL, for the postgres backend. */
  databaseUrl?: string;
  /** Reopens a service over the same data (after `service.close()`), e.g. to test restarts. */
  reopen(overrides?: Partial<OpenServiceOptions>): Promise<HushService>;
  /** Closes the services and removes the folder and the database. */
  cleanup(): Promise<void>;
}

export interface TestBackend {
  name: "sqlite" | "postgres";
  open(overrides?: Partial<OpenServiceOptions>): Promise<OpenedBackend>;
}

let warned = false;

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function openBackend(
  adminUrl: string | undefined,
  overrides: Partial<OpenServiceOptions>,
): Promise<OpenedBackend> {
  const dataDir = await mkdtemp(join(tmpdir(), "hush-server-test-"));
  let databaseUrl: string | undefined;
  let dbName: string | undefined;
  if (adminUrl !== undefined) {
    dbName = `hush_test_${randomBytes(6).toString("hex")}`;
    await adminQuery(adminUrl, `create database ${dbName}`);
    databaseUrl = withDatabase(adminUrl, dbName);
  }
  const services: HushService[] = [];
  const open = async (more: Partial<OpenServiceOptions> = {}) => {
    const service = await openService({ dataDir, databaseUrl, env: {}, ...overrides, ...more });
    services.push(service);
    return service;
  };
  const service = await open();
  return {
    service,
    dataDir,
    ...(databaseUrl === undefined ? {} : { databaseUrl }),
    reopen: open,
    async cleanup() {
      await Promise.allSettled(services.map((s) => s.close()));
      if (adminUrl !== undefined && dbName !== undefined) {
        await adminQuery(adminUrl, `drop database if exists ${dbName} with (force)`);
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The storage backends to run a suite on: SQLite always, PostgreSQL when
 * `HUSH_TEST_POSTGRES_URL` is set (each `open()` creates a database `hush_test_<random>` through
 * that URL and `cleanup()` drops it).
 *
 * @example
 * describe.each(testBackends())("secrets on $name", (backend) => { … });
 */
export function testBackends(env: NodeJS.ProcessEnv = process.env): TestBackend[] {
  const adminUrl = env.HUSH_TEST_POSTGRES_URL || undefined;
  const backends: TestBackend[] = [
    { name: "sqlite", open: (overrides = {}) => openBackend(undefined, overrides) },
  ];
  if (adminUrl !== undefined) {
    backends.push({
      name: "postgres",
      open: (overrides = {}) => openBackend(adminUrl, overrides),
    });
  } else if (!warned) {
    warned = true;
    console.warn("PostgreSQL tests skipped: set HUSH_TEST_POSTGRES_URL");
  }
  return backends;
}

/**
 * `describe.each(testBackends())`, plus a skipped PostgreSQL suite when it is not configured,
 * so the report shows what did not run.
 */
export function describeBackends(title: string, body: (backend: TestBackend) => void): void {
  const backends = testBackends();
  describe.each(backends)(`${title} ($name)`, body);
  if (!backends.some((b) => b.name === "postgres")) {
    describe.skip(`${title} (postgres)`, () => {
      body({
        name: "postgres",
        open: () => Promise.reject(new Error("HUSH_TEST_POSTGRES_URL is not set")),
      });
    });
  }
}
