import { randomBytes } from "node:crypto";
import { chmod, readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { rejection } from "@hush/test-support";
import SqliteDatabase from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Caller, DecryptionError, type HushService, MasterKeyError } from "../src/index.js";
import { describeBackends, type OpenedBackend } from "./support/backends.js";
import { rawSql } from "./support/raw-database.js";
import { seedTenant } from "./support/seed.js";

const CANARY = `CANARY-${randomBytes(8).toString("hex")}`;

async function readIfExists(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return Buffer.alloc(0);
    throw error;
  }
}

/** SQL that copies some columns of one version row onto another ("NAME@VERSION"). */
function copyColumns(from: string, to: string, columns: readonly string[]): string {
  const [fromName, fromVersion] = from.split("@");
  const [toName, toVersion] = to.split("@");
  const source = `from secret_versions s where s.name = '${fromName}' and s.version = ${fromVersion}`;
  const sets = columns.map((c) => `${c} = (select s.${c} ${source})`).join(", ");
  return `update secret_versions set ${sets} where name = '${toName}' and version = ${toVersion}`;
}

const CRYPTO_COLUMNS = ["key_id", "wrapped_key", "iv", "ciphertext", "auth_tag"] as const;

describeBackends("encryption at rest", (backend) => {
  let opened: OpenedBackend;
  let service: HushService;
  let admin: Caller;
  let adminToken: string;

  beforeEach(async () => {
    opened = await backend.open();
    service = opened.service;
    const seeded = await seedTenant(service);
    admin = seeded.callers.TENANT_ADMIN;
    adminToken = seeded.tokens.TENANT_ADMIN;
  });
  afterEach(async () => {
    await opened.cleanup();
  });

  describe.runIf(backend.name === "sqlite")("the SQLite files", () => {
    const files = ["hush.db", "hush.db-wal", "hush.db-shm"];
    const scan = async () => {
      const found: Record<string, { canary: boolean; token: boolean; name: boolean }> = {};
      for (const file of files) {
        const bytes = await readIfExists(join(opened.dataDir, file));
        found[file] = {
          canary: bytes.includes(CANARY),
          token: bytes.includes(adminToken),
          name: bytes.includes("CANARY_NAME"),
        };
      }
      return found;
    };

    it("never hold a value or a token, before or after a checkpoint", async () => {
      await service.setSecret(admin, "CANARY_NAME", CANARY);
      await service.setSecret(admin, "CANARY_NAME", { nested: CANARY });
      await service.rollbackSecret(admin, "CANARY_NAME", 1);
      expect(await service.secretValue(admin, "CANARY_NAME")).toBe(CANARY);

      const before = await scan();
      // The scan can see plaintext: the (non-secret) name is in the WAL as written.
      expect(before["hush.db-wal"]!.name).toBe(true);
      for (const file of files) {
        expect(before[file], file).toMatchObject({ canary: false, token: false });
      }

      const checkpoint = new SqliteDatabase(join(opened.dataDir, "hush.db"));
      checkpoint.pragma("wal_checkpoint(TRUNCATE)");
      checkpoint.close();
      const after = await scan();
      expect(after["hush.db"]!.name).toBe(true);
      for (const file of files) {
        expect(after[file], file).toMatchObject({ canary: false, token: false });
      }
    });
  });

  describe.runIf(backend.name === "postgres")("the PostgreSQL tables", () => {
    it("never hold a value or a token", async () => {
      await service.setSecret(admin, "CANARY_NAME", CANARY);
      const hex = Buffer.from(CANARY).toString("hex");
      for (const table of ["tenants", "api_tokens", "secrets", "secret_versions", "audit_events"]) {
        const rows = await rawSql(opened, `select t::text as row from ${table} t`);
        const text = rows.map((r) => String(r.row)).join("\n");
        expect(text, table).not.toContain(CANARY);
        expect(text, table).not.toContain(hex);
        expect(text, table).not.toContain(adminToken);
      }
    });
  });

  describe("a ciphertext moved to another row", () => {
    beforeEach(async () => {
      await service.setSecret(admin, "A", "value of A");
      await service.setSecret(admin, "B", "value of B");
      await service.setSecret(admin, "B", "value of B, v2");
    });

    it("fails to decrypt with a clear error when all crypto columns are copied", async () => {
      await rawSql(opened, copyColumns("A@1", "B@2", CRYPTO_COLUMNS));
      const error = await rejection(service.secretValue(admin, "B"));
      expect(error).toBeInstanceOf(DecryptionError);
      expect(error.message).toContain("version 2 of the secret B");
      expect(error.message).toContain('tenant "acme"');
      expect(error.message).toContain(
        "the stored ciphertext does not belong to this row: it was moved or tampered with",
      );
      expect(error.message).not.toContain("value of");
      // The untouched row still decrypts.
      expect(await service.secretValue(admin, "A")).toBe("value of A");
    });

    it("fails between versions of the same secret, also for a rollback", async () => {
      await rawSql(opened, copyColumns("B@2", "B@1", CRYPTO_COLUMNS));
      await expect(service.rollbackSecret(admin, "B", 1)).rejects.toBeInstanceOf(DecryptionError);
      expect(await service.secretValue(admin, "B")).toBe("value of B, v2");
    });

    it("fails when only the value or only the wrapped data key is swapped", async () => {
      await rawSql(opened, copyColumns("A@1", "B@2", ["iv", "ciphertext", "auth_tag"]));
      await expect(service.secretValue(admin, "B")).rejects.toBeInstanceOf(DecryptionError);
      await rawSql(opened, copyColumns("B@1", "A@1", ["wrapped_key"]));
      await expect(service.secretValue(admin, "A")).rejects.toBeInstanceOf(DecryptionError);
    });
  });

  describe("the master key", () => {
    const keyA = randomBytes(32).toString("base64");
    const keyB = randomBytes(32).toString("base64");

    it("refuses to start with a key other than the one the data was written with", async () => {
      const withA = await opened.reopen({ masterKey: keyA });
      const caller = (await seedTenant(withA, "keyed")).callers.TENANT_ADMIN;
      await withA.setSecret(caller, "K", "v");
      await withA.close();
      const error = await rejection(opened.reopen({ masterKey: keyB }));
      expect(error).toBeInstanceOf(MasterKeyError);
      expect(error.message).toContain("Start it with the master key the data was written with");
      expect(error.message).not.toContain(keyA);
      expect(error.message).not.toContain(keyB);
      const again = await opened.reopen({ env: { HUSH_MASTER_KEY: keyA } });
      expect(await again.secretValue(caller, "K")).toBe("v");
    });

    it("explains how to make a key when HUSH_MASTER_KEY is not 32 bytes of base64", async () => {
      for (const bad of ["short", randomBytes(16).toString("base64"), `${keyA}!!`]) {
        const error = await rejection(opened.reopen({ env: { HUSH_MASTER_KEY: bad } }));
        expect(error).toBeInstanceOf(MasterKeyError);
        expect(error.message).toContain("openssl rand -base64 32");
        expect(error.message).not.toContain(bad);
      }
    });
  });

  describe.runIf(backend.name === "sqlite")("the key file", () => {
    it("is created with mode 0600 and refused once others can read it", async () => {
      const path = join(opened.dataDir, "master.key");
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      await service.setSecret(admin, "K", "v");
      await service.close();
      await chmod(path, 0o644);
      const error = await rejection(opened.reopen());
      expect(error).toBeInstanceOf(MasterKeyError);
      expect(error.message).toContain(`chmod 600 ${path}`);
      await chmod(path, 0o600);
      expect(await (await opened.reopen()).secretValue(admin, "K")).toBe("v");
    });

    it("is refused once others can write to it, naming the chmod to run", async () => {
      const path = join(opened.dataDir, "master.key");
      await service.close();
      await chmod(path, 0o620);
      const error = await rejection(opened.reopen());
      expect(error).toBeInstanceOf(MasterKeyError);
      expect(error.message).toContain(`chmod 600 ${path}`);
      expect(error.message).toContain("mode 620");
      await chmod(path, 0o600);
    });

    it("lives in a data folder that no other user can write to", async () => {
      await service.setSecret(admin, "K", "v");
      await service.close();
      for (const mode of [0o777, 0o770, 0o702]) {
        await chmod(opened.dataDir, mode);
        const error = await rejection(opened.reopen());
        expect(error.message, mode.toString(8)).toContain(`chmod 700 ${opened.dataDir}`);
        expect(error.message).toContain("other users");
      }
      // Readable by others is fine: the files in it are 0600.
      await chmod(opened.dataDir, 0o755);
      expect(await (await opened.reopen()).secretValue(admin, "K")).toBe("v");
    });

    it("is never silently recreated when the data needs the old one", async () => {
      await service.setSecret(admin, "K", "v");
      await service.close();
      await rm(join(opened.dataDir, "master.key"));
      const error = await rejection(opened.reopen());
      expect(error).toBeInstanceOf(MasterKeyError);
      expect(error.message).toContain("Restore master.key from your backup");
      await expect(stat(join(opened.dataDir, "master.key"))).rejects.toThrow();
    });
  });
});
