import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Worker } from "node:worker_threads";
import { afterEach, describe, expect, it, vi } from "vitest";
import { start } from "../src/cli/commands/start.js";
import { buildApp } from "../src/http/app.js";
import { testBackends } from "./support/backends.js";
import { seedTenant } from "./support/seed.js";

// Every worker thread started in this file, so that a test can kill SQLite's writer.
const workers = vi.hoisted(() => [] as Worker[]);
vi.mock("node:worker_threads", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:worker_threads")>();
  class RecordedWorker extends actual.Worker {
    constructor(...args: ConstructorParameters<typeof actual.Worker>) {
      super(...args);
      workers.push(this);
    }
  }
  return { ...actual, Worker: RecordedWorker };
});

const sqlite = testBackends().find((backend) => backend.name === "sqlite")!;

afterEach(() => {
  workers.length = 0;
});

describe("a dead SQLite writer", () => {
  it("is noticed: /readyz answers 503, writes fail, close() resolves, nothing acknowledged is lost", async () => {
    const onStorageFailure = vi.fn();
    const backend = await sqlite.open({ onStorageFailure });
    try {
      const { service } = backend;
      const app = await buildApp({ service, logger: false });
      const acme = await seedTenant(service, "acme");
      const admin = acme.callers.TENANT_ADMIN;
      await service.setSecret(admin, "KEPT", "acknowledged");
      expect((await app.inject({ method: "GET", url: "/readyz" })).statusCode).toBe(200);

      expect(workers).toHaveLength(1);
      await workers[0]!.terminate();

      expect(onStorageFailure).toHaveBeenCalledTimes(1);
      expect(onStorageFailure.mock.calls[0]![0].message).toMatch(
        /SQLite writer stopped unexpectedly/,
      );
      const ready = await app.inject({ method: "GET", url: "/readyz" });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toEqual({ status: "unavailable" });
      const write = await app.inject({
        method: "POST",
        url: "/graphql",
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${acme.tokens.TENANT_ADMIN}`,
        },
        payload: JSON.stringify({
          query: 'mutation { setSecret(input: {name: "LOST", value: 1}) { success } }',
        }),
      });
      expect(write.json().errors[0].extensions.code).toBe("INTERNAL_SERVER_ERROR");

      await app.close();
      await service.close();
      const reopened = await backend.reopen();
      expect(await reopened.secretValue(admin, "KEPT")).toBe("acknowledged");
      await expect(reopened.secretValue(admin, "LOST")).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
    } finally {
      await backend.cleanup();
    }
  });

  it("makes hush-server start log a fatal line and exit 1", async () => {
    const dir = await mkdtemp(join(tmpdir(), "hush-writer-death-"));
    let out = "";
    let err = "";
    const io = {
      stdout: { write: (text: string) => (out += text) },
      stderr: { write: (text: string) => (err += text) },
      env: {},
      cwd: dir,
    };
    try {
      const exited = start({ port: "0", dataDir: dir }, io);
      await vi.waitFor(() => expect(out).toMatch(/listening on (http:\S+)/), { timeout: 5000 });
      const url = /listening on (http:\S+)/.exec(out)![1]!;
      // /readyz round-trips the writer, which starts it.
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      expect(workers).toHaveLength(1);
      await workers[0]!.terminate();

      expect(await exited).toBe(1);
      const fatal = out
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line))
        .find((line) => line.level === 60);
      expect(fatal?.msg).toBe("the storage cannot write any more: shutting down");
      expect(err).toMatch(/SQLite writer stopped unexpectedly.*Shutting down/);
      expect(out).toContain('"msg":"stopped"');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
