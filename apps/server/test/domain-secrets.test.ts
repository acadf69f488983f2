import { rejection } from "@hush/test-support";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Caller, HushService } from "../src/index.js";
import { describeBackends, type OpenedBackend } from "./support/backends.js";
import { seedTenant } from "./support/seed.js";

function codeOf(promise: Promise<unknown>) {
  return promise.then(
    () => "resolved",
    (error: { code?: string }) => error.code,
  );
}

describeBackends("secrets", (backend) => {
  let opened: OpenedBackend;
  let service: HushService;
  let admin: Caller;

  beforeEach(async () => {
    opened = await backend.open();
    service = opened.service;
    admin = (await seedTenant(service)).callers.TENANT_ADMIN;
  });
  afterEach(async () => {
    await opened.cleanup();
  });

  describe("set and read", () => {
    it("returns any JSON value as it was set, and overwrites with a new version", async () => {
      const values = ["VALUE", 42, true, { user: "a", password: "b", n: [1, 2] }, [1, "x"], ""];
      for (const [i, value] of values.entries()) {
        expect(await service.setSecret(admin, "KEY", value)).toEqual({ version: i + 1 });
        expect(await service.secretValue(admin, "KEY")).toEqual(value);
      }
    });

    it("keeps the JSON text of a string as a string (no reparsing on the server)", async () => {
      await service.setSecret(admin, "S", '{"a":1}');
      expect(await service.secretValue(admin, "S")).toBe('{"a":1}');
    });

    it("reads several values at once and names the missing ones", async () => {
      await service.setSecret(admin, "A", 1);
      await service.setSecret(admin, "B", { b: 2 });
      expect(await service.secretValues(admin, ["A", "B", "A"])).toEqual({ A: 1, B: { b: 2 } });
      const error = await rejection(service.secretValues(admin, ["A", "NOPE", "ALSO_NOPE"]));
      expect(error.code).toBe("NOT_FOUND");
      expect(error.extensions).toEqual({ tenant: admin.tenantName, names: ["NOPE", "ALSO_NOPE"] });
      expect(await service.secretValues(admin, [])).toEqual({});
    });

    it("reads every secret of the tenant when no names are given, deleted ones aside", async () => {
      const other = (await seedTenant(service, "globex")).callers.TENANT_ADMIN;
      expect(await service.secretValues(admin, undefined)).toEqual({});
      await service.setSecret(admin, "B", { b: 2 });
      await service.setSecret(admin, "A", 1);
      await service.setSecret(admin, "A", 2);
      await service.setSecret(admin, "GONE", "x");
      await service.deleteSecret(admin, "GONE");
      await service.setSecret(other, "THEIRS", "not acme's");
      const values = await service.secretValues(admin, undefined);
      expect(values).toEqual({ A: 2, B: { b: 2 } });
      expect(Object.keys(values)).toEqual(["A", "B"]);
      const reads = (await service.auditEvents(admin, { limit: 10, offset: 0 })).filter(
        (event) => event.action === "READ_SECRET_VALUE",
      );
      expect(reads.map((event) => [event.secretName, event.version]).sort()).toEqual([
        ["A", 2],
        ["B", 1],
      ]);
    });

    it("treats a secret named __proto__ as an ordinary name", async () => {
      await service.setSecret(admin, "__proto__", "p");
      const values = await service.secretValues(admin, ["__proto__"]);
      expect(Object.keys(values)).toEqual(["__proto__"]);
      expect(Object.getPrototypeOf(values)).toBe(Object.prototype);
    });

    it("answers NOT_FOUND with the agreed message for a missing name", async () => {
      await expect(service.secretValue(admin, "MISSING")).rejects.toMatchObject({
        code: "NOT_FOUND",
        message:
          'No value found for the requested key: the secret MISSING was not found in tenant "acme".',
      });
    });
  });

  describe("delete", () => {
    it("removes the secret from values and listings but keeps its history", async () => {
      await service.setSecret(admin, "GONE", "v1");
      await service.deleteSecret(admin, "GONE");
      expect(await codeOf(service.secretValue(admin, "GONE"))).toBe("NOT_FOUND");
      expect(await service.secretNames(admin)).toEqual([]);
      expect(await service.listSecrets(admin, { orderBy: [] })).toEqual([]);
      const versions = await service.secretVersions(admin, "GONE");
      expect(versions.map((v) => [v.version, v.deleted, v.hasValue])).toEqual([
        [2, true, false],
        [1, false, true],
      ]);
    });

    it("is NOT_FOUND for a missing or already deleted secret", async () => {
      expect(await codeOf(service.deleteSecret(admin, "NEVER"))).toBe("NOT_FOUND");
      await service.setSecret(admin, "ONCE", 1);
      await service.deleteSecret(admin, "ONCE");
      expect(await codeOf(service.deleteSecret(admin, "ONCE"))).toBe("NOT_FOUND");
    });

    it("continues the numbering when a deleted name is set again", async () => {
      await service.setSecret(admin, "AGAIN", 1);
      await service.deleteSecret(admin, "AGAIN");
      expect(await service.setSecret(admin, "AGAIN", 2)).toEqual({ version: 3 });
      expect(await service.secretValue(admin, "AGAIN")).toBe(2);
      expect(await service.secretNames(admin)).toEqual(["AGAIN"]);
    });
  });

  describe("versions and rollback", () => {
    it("lists versions newest first with who wrote them", async () => {
      await service.setSecret(admin, "V", 1);
      await service.setSecret(admin, "V", 2);
      const versions = await service.secretVersions(admin, "V");
      expect(versions.map((v) => v.version)).toEqual([2, 1]);
      expect(versions[0]).toMatchObject({ createdBy: "admin", hasValue: true, deleted: false });
      expect(versions[0]!.created).toBeInstanceOf(Date);
      expect(await codeOf(service.secretVersions(admin, "NO_SUCH"))).toBe("NOT_FOUND");
    });

    it("restores an earlier value as a new version", async () => {
      await service.setSecret(admin, "R", "first");
      await service.setSecret(admin, "R", "second");
      expect(await service.rollbackSecret(admin, "R", 1)).toEqual({ version: 3 });
      expect(await service.secretValue(admin, "R")).toBe("first");
      expect((await service.secretVersions(admin, "R")).map((v) => v.version)).toEqual([3, 2, 1]);
    });

    it("brings a deleted secret back", async () => {
      await service.setSecret(admin, "UNDO", { a: 1 });
      await service.deleteSecret(admin, "UNDO");
      expect(await service.rollbackSecret(admin, "UNDO", 1)).toEqual({ version: 3 });
      expect(await service.secretValue(admin, "UNDO")).toEqual({ a: 1 });
    });

    it("refuses versions without a value and unknown versions", async () => {
      await service.setSecret(admin, "T", 1);
      await service.deleteSecret(admin, "T");
      await expect(service.rollbackSecret(admin, "T", 2)).rejects.toMatchObject({
        code: "BAD_USER_INPUT",
        message: expect.stringContaining("marks a deletion"),
      });
      await expect(service.rollbackSecret(admin, "T", 9)).rejects.toMatchObject({
        code: "NOT_FOUND",
        message: expect.stringContaining("Version 9 of the secret T"),
      });
      expect(await codeOf(service.rollbackSecret(admin, "NONE", 1))).toBe("NOT_FOUND");
      expect(await codeOf(service.rollbackSecret(admin, "T", 0))).toBe("BAD_USER_INPUT");
      expect(await codeOf(service.rollbackSecret(admin, "T", 1.5))).toBe("BAD_USER_INPUT");
    });

    it("keeps the last 10 values; older versions keep only their metadata", async () => {
      for (let i = 1; i <= 13; i++) await service.setSecret(admin, "MANY", `value-${i}`);
      const versions = await service.secretVersions(admin, "MANY");
      expect(versions).toHaveLength(13);
      expect(versions.filter((v) => v.hasValue).map((v) => v.version)).toEqual([
        13, 12, 11, 10, 9, 8, 7, 6, 5, 4,
      ]);
      expect(await codeOf(service.rollbackSecret(admin, "MANY", 3))).toBe("BAD_USER_INPUT");
      expect(await service.rollbackSecret(admin, "MANY", 4)).toEqual({ version: 14 });
      expect(await service.secretValue(admin, "MANY")).toBe("value-4");
    });

    it("counts only versions with values toward the kept ones (tombstones do not)", async () => {
      const small = await opened.reopen({ maxVersions: 2 });
      const caller = (await seedTenant(small, "small")).callers.TENANT_ADMIN;
      await small.setSecret(caller, "K", 1);
      await small.setSecret(caller, "K", 2);
      await small.deleteSecret(caller, "K");
      await small.setSecret(caller, "K", 4);
      const versions = await small.secretVersions(caller, "K");
      expect(versions.map((v) => [v.version, v.hasValue])).toEqual([
        [4, true],
        [3, false],
        [2, true],
        [1, false],
      ]);
    });
  });

  describe("listing", () => {
    beforeEach(async () => {
      for (const name of ["b_2", "a.1", "C-3", "bx2", "A_4"]) {
        await service.setSecret(admin, name, name);
      }
    });

    it("lists names sorted byte-wise", async () => {
      expect(await service.secretNames(admin)).toEqual(["A_4", "C-3", "a.1", "b_2", "bx2"]);
    });

    it("filters with _eq, _in and a case-sensitive _like", async () => {
      const names = async (where: object) =>
        (await service.listSecrets(admin, { where, orderBy: [] })).map((s) => s.name);
      expect(await names({ name: { _eq: "a.1" } })).toEqual(["a.1"]);
      expect(await names({ name: { _in: ["bx2", "nope", "C-3"] } })).toEqual(["C-3", "bx2"]);
      expect(await names({ name: { _in: [] } })).toEqual([]);
      expect(await names({ name: { _like: "b%" } })).toEqual(["b_2", "bx2"]);
      expect(await names({ name: { _like: "B%" } })).toEqual([]);
      expect(await names({ name: { _like: "b\\_%" } })).toEqual(["b_2"]);
      expect(await names({ name: { _like: "%", _in: ["a.1", "A_4"], _eq: "A_4" } })).toEqual([
        "A_4",
      ]);
    });

    it("orders, limits and pages", async () => {
      const list = (q: Partial<Parameters<HushService["listSecrets"]>[1]>) =>
        service.listSecrets(admin, { orderBy: [], ...q }).then((r) => r.map((s) => s.name));
      expect(await list({ orderBy: [{ field: "name", direction: "desc" }] })).toEqual([
        "bx2",
        "b_2",
        "a.1",
        "C-3",
        "A_4",
      ]);
      expect(await list({ limit: 2, offset: 1 })).toEqual(["C-3", "a.1"]);
      expect(await list({ offset: 4 })).toEqual(["bx2"]);
      await service.setSecret(admin, "a.1", "newer");
      const byUpdated = await list({
        orderBy: [{ field: "updated", direction: "desc" }],
        limit: 1,
      });
      expect(byUpdated).toEqual(["a.1"]);
      expect(await codeOf(list({ limit: 0 }))).toBe("BAD_USER_INPUT");
      expect(await codeOf(list({ limit: 1001 }))).toBe("BAD_USER_INPUT");
      expect(await codeOf(list({ offset: -1 }))).toBe("BAD_USER_INPUT");
    });

    it("returns metadata: version, times and who wrote it", async () => {
      const [meta] = await service.listSecrets(admin, {
        where: { name: { _eq: "bx2" } },
        orderBy: [],
      });
      expect(meta).toMatchObject({ name: "bx2", version: 1, updatedBy: "admin" });
      expect(meta!.updated.getTime()).toBeGreaterThanOrEqual(meta!.created.getTime());
    });
  });

  describe("names and limits", () => {
    it.each([
      ["", "is empty"],
      ["x".repeat(256), "256 characters"],
      [".hidden", 'starts with "."'],
      ["has space", "not allowed"],
      ["nul\u0000byte", "not allowed"],
      ["ünï", "not allowed"],
      ["a/b", "not allowed"],
    ])("refuses the name %j, naming the rule", async (name, rule) => {
      for (const call of [
        () => service.setSecret(admin, name, 1),
        () => service.secretValue(admin, name),
        () => service.deleteSecret(admin, name),
        () => service.secretVersions(admin, name),
        () => service.rollbackSecret(admin, name, 1),
        () => service.secretValues(admin, ["OK", name]),
      ]) {
        await expect(call()).rejects.toMatchObject({
          code: "BAD_USER_INPUT",
          message: expect.stringContaining(rule),
        });
      }
    });

    it("accepts every allowed character and 255-character names", async () => {
      const long = "a".repeat(255);
      await service.setSecret(admin, long, 1);
      await service.setSecret(admin, "Az09_.-", 2);
      expect(await service.secretNames(admin)).toEqual(["Az09_.-", long]);
    });

    it("refuses values over the limit without echoing them", async () => {
      const big = `CANARY-${"x".repeat(65_536)}`;
      const error = await rejection(service.setSecret(admin, "BIG", big));
      expect(error.code).toBe("BAD_USER_INPUT");
      expect(error.message).toContain("65536");
      expect(error.message).not.toContain("CANARY");
      // Exactly at the limit is fine: the JSON string's quotes count.
      await service.setSecret(admin, "EXACT", "y".repeat(65_534));
    });

    it("honours maxValueBytes", async () => {
      const strict = await opened.reopen({ maxValueBytes: 10 });
      const caller = (await seedTenant(strict, "strict")).callers.TENANT_ADMIN;
      await strict.setSecret(caller, "OK", "12345678");
      expect(await codeOf(strict.setSecret(caller, "NO", "123456789"))).toBe("BAD_USER_INPUT");
    });

    it("refuses null and values that are not JSON", async () => {
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      for (const value of [null, undefined, circular, 10n, () => 1]) {
        expect(await codeOf(service.setSecret(admin, "BAD", value))).toBe("BAD_USER_INPUT");
      }
      expect(await service.secretNames(admin)).toEqual([]);
    });

    it("caps secretValues at 1000 names", async () => {
      const names = Array.from({ length: 1001 }, (_, i) => `N${i}`);
      expect(await codeOf(service.secretValues(admin, names))).toBe("BAD_USER_INPUT");
    });

    it("refuses to read all values of a tenant with more than 1000 secrets, saying what to do", async () => {
      const entries = Array.from({ length: 1001 }, (_, i) => ({ name: `N${i}`, value: i }));
      await service.setSecrets(admin, entries.slice(0, 1000));
      expect(Object.keys(await service.secretValues(admin, undefined))).toHaveLength(1000);
      await service.setSecret(admin, "N1000", 1000);
      const error = await rejection(service.secretValues(admin, undefined));
      expect(error.code).toBe("BAD_USER_INPUT");
      expect(error.message).toMatch(/more than 1000 secrets.*name the ones you need/);
    });
  });

  describe("tenant isolation", () => {
    it("makes another tenant's secrets look exactly like missing ones", async () => {
      const other = (await seedTenant(service, "globex")).callers.TENANT_ADMIN;
      await service.setSecret(admin, "SHARED_NAME", "acme's");
      await service.setSecret(other, "SHARED_NAME", "globex's");
      await service.setSecret(admin, "ONLY_ACME", 1);

      expect(await service.secretValue(other, "SHARED_NAME")).toBe("globex's");
      expect(await service.secretNames(other)).toEqual(["SHARED_NAME"]);
      const fromOther = await rejection(service.secretValue(other, "ONLY_ACME"));
      const missing = await rejection(service.secretValue(other, "NEVER_SET"));
      expect(fromOther.code).toBe("NOT_FOUND");
      expect(fromOther.message).toBe(missing.message.replace("NEVER_SET", "ONLY_ACME"));
      for (const call of [
        () => service.deleteSecret(other, "ONLY_ACME"),
        () => service.secretVersions(other, "ONLY_ACME"),
        () => service.rollbackSecret(other, "ONLY_ACME", 1),
        () => service.secretValues(other, ["ONLY_ACME"]),
      ]) {
        expect(await codeOf(call())).toBe("NOT_FOUND");
      }
      expect(await service.secretValue(admin, "ONLY_ACME")).toBe(1);
      expect(
        await service.listSecrets(other, { where: { name: { _like: "%" } }, orderBy: [] }),
      ).toHaveLength(1);
    });
  });

  it("survives a restart: values and versions are durable", async () => {
    await service.setSecret(admin, "DURABLE", { kept: true });
    await service.close();
    const again = await opened.reopen();
    expect(await again.secretValue(admin, "DURABLE")).toEqual({ kept: true });
    expect(await again.ready()).toBeUndefined();
  });
});
