import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import { join } from "node:path";
import { listenForTest } from "@hush/test-support";
import { afterEach, beforeEach, expect, it } from "vitest";
import { addKeyToFile, loadKeyRing } from "../src/crypto/load-key-ring.js";
import type { Caller, HushService } from "../src/index.js";
import { keyUsage, rewrapDataKeys, staleCount } from "../src/service/key-rotation.js";
import { openDatabase } from "../src/storage/open-database.js";
import { openWriter } from "../src/storage/open-writer.js";
import { describeBackends, type OpenedBackend } from "./support/backends.js";
import { rawSql } from "./support/raw-database.js";
import { seedTenant } from "./support/seed.js";

const NAMES = ["A", "B", "C", "D", "E"];

describeBackends("master key rotation", (backend) => {
  let opened: OpenedBackend;
  let service: HushService;
  let admin: Caller;

  beforeEach(async () => {
    opened = await backend.open();
    service = opened.service;
    admin = (await seedTenant(service)).callers.TENANT_ADMIN;
    for (const name of NAMES) {
      await service.setSecret(admin, name, `${name}-1`);
      await service.setSecret(admin, name, `${name}-2`);
    }
  });
  afterEach(async () => {
    await opened.cleanup();
  });

  const storage = () => ({ dataDir: opened.dataDir, databaseUrl: opened.databaseUrl });
  const keyIds = async () =>
    (await rawSql(opened, "select distinct key_id from secret_versions where key_id is not null"))
      .map((r) => r.key_id as string)
      .sort();

  it("re-wraps every data key in batches, resumes after an interruption, and the running server reads throughout", async () => {
    const keyFile = join(opened.dataDir, "master.key");
    const oldId = loadKeyRing({ dataDir: opened.dataDir, env: {} }).ring!.current.id;
    const newId = addKeyToFile(keyFile);
    const { ring } = loadKeyRing({ dataDir: opened.dataDir, env: {} });
    expect(ring!.current.id).toBe(newId);

    const database = openDatabase(storage());
    const writer = openWriter(database);
    try {
      expect(await staleCount(database.db, ring!)).toBe(10);
      // The first run dies after its first batch of 3 rows: those are committed, the rest not.
      const interrupted = rewrapDataKeys({
        writer,
        ring: ring!,
        batchSize: 3,
        onBatch: () => {
          throw new Error("killed");
        },
      });
      await expect(interrupted).rejects.toThrow("killed");
      expect(await keyIds()).toEqual([newId, oldId].sort());
      expect(await staleCount(database.db, ring!)).toBe(7);

      // The server (started before the rotation) reads rows under both keys: it learns the new
      // key from the file when a row names it.
      for (const name of NAMES) expect(await service.secretValue(admin, name)).toBe(`${name}-2`);
      expect(await service.rollbackSecret(admin, "A", 1)).toEqual({ version: 3 });

      // Running again finishes the job; nothing is left under the old key.
      const rewrapped = await rewrapDataKeys({ writer, ring: ring!, batchSize: 3 });
      expect(rewrapped).toBeGreaterThanOrEqual(7);
      expect(await keyIds()).toEqual([newId]);
      expect([...(await keyUsage(database.db)).keys()]).toEqual([newId]);
    } finally {
      await writer.drain();
      await database.destroy();
    }

    // Every version still decrypts, after a restart that has only the key file.
    await service.close();
    const restarted = await opened.reopen();
    expect(await restarted.secretValue(admin, "A")).toBe("A-1");
    expect(await restarted.secretValue(admin, "E")).toBe("E-2");
  });

  it("re-wraps under the first key of HUSH_MASTER_KEYS when the servers were given a new ring", async () => {
    const { ring: fileRing } = loadKeyRing({ dataDir: opened.dataDir, env: {} });
    const oldKey = fileRing!.current.key.toString("base64");
    const newKey = Buffer.alloc(32, 7).toString("base64");
    const env = { HUSH_MASTER_KEYS: `${newKey},${oldKey}` };
    const { ring } = loadKeyRing({ dataDir: opened.dataDir, env });

    await service.close();
    const server = await opened.reopen({ env });
    // A write through a server with the new ring is already under the new key.
    await server.setSecret(admin, "F", "F-1");
    const database = openDatabase(storage());
    const writer = openWriter(database);
    try {
      expect(await staleCount(database.db, ring!)).toBe(10);
      await rewrapDataKeys({ writer, ring: ring!, batchSize: 4 });
      expect(await keyIds()).toEqual([ring!.current.id]);
    } finally {
      await writer.drain();
      await database.destroy();
    }
    expect(await server.secretValue(admin, "A")).toBe("A-2");
    expect(await server.secretValue(admin, "F")).toBe("F-1");
  });

  it("keeps environments comparable across a rotation: digests of another key are made again", async () => {
    await service.createEnvironment(admin, "staging");
    await service.setSecret(admin, "A", "A-2", "staging");
    await service.setSecret(admin, "B", "other", "staging");
    addKeyToFile(join(opened.dataDir, "master.key"));
    await service.close();
    const restarted = await opened.reopen();
    // Written under the new key, equal to production's value written under the old one.
    await restarted.setSecret(admin, "C", "C-2", "staging");
    const comparison = await restarted.compareEnvironments(admin, "production", "staging");
    expect(comparison.secrets).toEqual([
      { name: "A", status: "SAME" },
      { name: "B", status: "DIFFERENT" },
      { name: "C", status: "SAME" },
      { name: "D", status: "MISSING_TO" },
      { name: "E", status: "MISSING_TO" },
    ]);
    // The digests made again are kept: the second comparison reads them.
    expect(await restarted.compareEnvironments(admin, "production", "staging")).toEqual(comparison);
  });

  it("re-wraps webhook signing secrets too, so the old key can go", async () => {
    const bodies: Array<{ body: string; signature: unknown }> = [];
    const receiver = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => {
        body += chunk;
      });
      request.on("end", () => {
        bodies.push({ body, signature: request.headers["x-hush-signature"] });
        response.end();
      });
    });
    const port = await listenForTest(receiver);
    const { signingSecret } = await service.createWebhook(admin, {
      url: `http://127.0.0.1:${port}/hook`,
    });
    const newId = addKeyToFile(join(opened.dataDir, "master.key"));
    const { ring } = loadKeyRing({ dataDir: opened.dataDir, env: {} });
    const database = openDatabase(storage());
    const writer = openWriter(database);
    try {
      expect(await staleCount(database.db, ring!)).toBe(11);
      await rewrapDataKeys({ writer, ring: ring!, batchSize: 100 });
      expect([...(await keyUsage(database.db)).keys()]).toEqual([newId]);
    } finally {
      await writer.drain();
      await database.destroy();
    }
    // A server with the new key only still signs with the secret shown at creation.
    await service.close();
    const onlyNew = { HUSH_MASTER_KEY: ring!.current.key.toString("base64") };
    const restarted = await opened.reopen({ env: onlyNew, webhookPollIntervalMs: 25 });
    await restarted.setSecret(admin, "AFTER", "x");
    for (let i = 0; i < 200 && bodies.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const [sent] = bodies;
    const expected = createHmac("sha256", signingSecret).update(sent!.body).digest("hex");
    expect(sent?.signature).toBe(`sha256=${expected}`);
  });
});
