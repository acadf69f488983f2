import { randomBytes } from "node:crypto";
import { type HushServerProcess, startHushServer } from "@hush/test-support";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { childEnv, graphql, runBin, testDir } from "./support/bin.js";

const ADMIN_URL = process.env.HUSH_TEST_POSTGRES_URL || undefined;
// Another replica must see a change within this time; polled, so a fast one passes at once.
const WITHIN_MS = 1000;

async function adminQuery(url: string, text: string): Promise<Array<Record<string, unknown>>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

/** Polls `check` until it is true or `WITHIN_MS` passed since `since`; true when it became true. */
async function within(since: number, check: () => Promise<boolean>): Promise<boolean> {
  for (;;) {
    if (await check()) return true;
    if (Date.now() - since > WITHIN_MS) return check();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const codeOf = (response: { errors?: unknown[] }) =>
  (response.errors?.[0] as { extensions?: { code?: string } } | undefined)?.extensions?.code;

describe.runIf(ADMIN_URL !== undefined)(
  "two hush-server replicas on one PostgreSQL",
  {
    timeout: 120_000,
  },
  () => {
    let databaseUrl: string;
    let dbName: string;
    let dir: string;
    let cleanup: () => Promise<void>;
    let env: NodeJS.ProcessEnv;
    let admin: string;
    let a: HushServerProcess;
    let b: HushServerProcess;

    // One database, one data folder and two servers for the whole suite; each test uses names
    // of its own.
    beforeAll(async () => {
      dbName = `hush_test_${randomBytes(6).toString("hex")}`;
      await adminQuery(ADMIN_URL!, `create database ${dbName}`);
      const parsed = new URL(ADMIN_URL!);
      parsed.pathname = `/${dbName}`;
      databaseUrl = parsed.toString();
      ({ dir, cleanup } = await testDir());
      // One key file for both: the data folder is shared, as a mounted volume would be.
      env = childEnv(dir, { HUSH_DATABASE_URL: databaseUrl });
      const init = await runBin(["init", "--json"], { cwd: dir, env });
      expect(init.stderr).toBe("");
      admin = JSON.parse(init.stdout).token;
      [a, b] = await Promise.all([
        startHushServer([], { cwd: dir, env }),
        startHushServer([], { cwd: dir, env }),
      ]);
    }, 60_000);
    afterAll(async () => {
      for (const server of [a, b]) {
        if (server?.child.exitCode === null) await server.stop("SIGKILL");
      }
      await cleanup?.();
      await adminQuery(ADMIN_URL!, `drop database if exists ${dbName} with (force)`);
    });

    const createRunner = async (name: string) => {
      const created = await graphql(
        a.url,
        admin,
        `mutation($name: String!) { createApiToken(input: { name: $name, role: RUNNER }) { id token } }`,
        { name },
      );
      return created.data!.createApiToken as { id: string; token: string };
    };

    it("a token revoked through one replica stops working on the other within 1 s", async () => {
      const runner = await createRunner("ci");
      // B checks the token, and so caches the check.
      expect(await graphql(b.url, runner.token, "{ secretNames }")).toEqual({
        data: { secretNames: [] },
      });
      const revoked = await graphql(
        a.url,
        admin,
        "mutation($id: ID!) { revokeApiToken(input: { id: $id }) { success } }",
        { id: runner.id },
      );
      expect(revoked).toEqual({ data: { revokeApiToken: { success: true } } });
      const since = Date.now();
      const refusedOnB = await within(
        since,
        async () =>
          codeOf(await graphql(b.url, runner.token, "{ secretNames }")) === "UNAUTHENTICATED",
      );
      expect(refusedOnB).toBe(true);
    });

    it("a token revoked with hush-server token revoke stops working on both within 1 s", async () => {
      const runner = await createRunner("offline");
      for (const server of [a, b]) {
        expect(await graphql(server.url, runner.token, "{ secretNames }")).toEqual({
          data: { secretNames: [] },
        });
      }
      const revoked = await runBin(["token", "revoke", runner.id], { cwd: dir, env });
      expect(revoked.code).toBe(0);
      const since = Date.now();
      for (const server of [a, b]) {
        const refused = await within(
          since,
          async () =>
            codeOf(await graphql(server.url, runner.token, "{ secretNames }")) ===
            "UNAUTHENTICATED",
        );
        expect(refused).toBe(true);
      }
    });

    it("a secret set or deleted through one replica is seen by the other within 1 s", async () => {
      const runner = await createRunner("reader");
      const read = async () => graphql(b.url, runner.token, '{ secretValue(name: "SHARED") }');
      expect(codeOf(await read())).toBe("NOT_FOUND");
      await graphql(
        a.url,
        admin,
        'mutation { setSecret(input: { name: "SHARED", value: "one" }) { success } }',
      );
      let since = Date.now();
      expect(await within(since, async () => (await read()).data?.secretValue === "one")).toBe(
        true,
      );

      await graphql(
        a.url,
        admin,
        'mutation { deleteSecret(input: { name: "SHARED" }) { success } }',
      );
      since = Date.now();
      expect(await within(since, async () => codeOf(await read()) === "NOT_FOUND")).toBe(true);
    });

    it("an environment created, made the default or deleted through one replica is seen by the other within 1 s", async () => {
      const listOnB = async () =>
        (await graphql(b.url, admin, "{ environments { name isDefault } }")).data?.environments as
          | Array<{ name: string; isDefault: boolean }>
          | undefined;
      const defaultOnB = async () => (await listOnB())?.find((e) => e.isDefault)?.name;
      const onA = async (mutation: string) =>
        expect((await graphql(a.url, admin, mutation)).errors).toBeUndefined();
      // B reads the list, and so caches it.
      expect((await listOnB())?.map((e) => e.name)).toEqual(["production"]);

      await onA('mutation { createEnvironment(input: { name: "replicated" }) { name } }');
      let since = Date.now();
      expect(
        await within(since, async () =>
          ((await listOnB()) ?? []).some((e) => e.name === "replicated"),
        ),
      ).toBe(true);

      await onA('mutation { setDefaultEnvironment(input: { name: "replicated" }) { name } }');
      since = Date.now();
      expect(await within(since, async () => (await defaultOnB()) === "replicated")).toBe(true);
      await onA('mutation { setDefaultEnvironment(input: { name: "production" }) { name } }');
      since = Date.now();
      expect(await within(since, async () => (await defaultOnB()) === "production")).toBe(true);

      await onA('mutation { deleteEnvironment(input: { name: "replicated" }) { success } }');
      since = Date.now();
      const readThere = () =>
        graphql(b.url, admin, '{ secretNames(environment: "replicated") }').then(codeOf);
      expect(await within(since, async () => (await readThere()) === "BAD_USER_INPUT")).toBe(true);
      expect((await listOnB())?.map((e) => e.name)).toEqual(["production"]);
    });

    it("both keep answering through a key rotation and learn the new key without a restart", async () => {
      const runner = await createRunner("rotation");
      for (let i = 0; i < 20; i++) {
        await graphql(
          a.url,
          admin,
          `mutation { setSecret(input: { name: "K${i}", value: "v${i}" }) { success } }`,
        );
      }
      const pids = [a.child.pid, b.child.pid];
      let failures = 0;
      let served = 0;
      let stop = false;
      // Both replicas read and write all through the rotation.
      const traffic = (async () => {
        for (let n = 0; !stop; n++) {
          const server = n % 2 === 0 ? a : b;
          const i = n % 20;
          const value = await graphql(server.url, runner.token, `{ secretValue(name: "K${i}") }`);
          const write = await graphql(
            server.url,
            admin,
            `mutation { setSecret(input: { name: "W${n % 5}", value: "w${n}" }) { success } }`,
          );
          if (value.data?.secretValue !== `v${i}` || write.errors !== undefined) failures++;
          served++;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      })();
      let rotated: Awaited<ReturnType<typeof runBin>>;
      try {
        rotated = await runBin(["rotate-key", "--batch-size", "4"], {
          cwd: dir,
          env,
          timeout: 60_000,
        });
      } finally {
        stop = true;
        await traffic;
      }
      expect(rotated.stderr).toBe("");
      expect(rotated.code).toBe(0);
      const newId = /Added master key (\w+)/.exec(rotated.stdout)![1];
      expect(served).toBeGreaterThan(0);
      expect(failures).toBe(0);

      // Each replica now writes under the new key: it learnt it while running.
      const since = Date.now();
      const bothUseNewKey = await within(since, async () => {
        for (const [server, name] of [
          [a, "FROM_A"],
          [b, "FROM_B"],
        ] as const) {
          await graphql(
            server.url,
            admin,
            `mutation { setSecret(input: { name: "${name}", value: "x" }) { success } }`,
          );
        }
        const rows = await adminQuery(
          databaseUrl,
          "select distinct v.key_id from secret_versions v join secrets s on s.tenant_id = v.tenant_id and s.name = v.name and s.current_version = v.version where s.name in ('FROM_A', 'FROM_B')",
        );
        return rows.length === 1 && rows[0]!.key_id === newId;
      });
      expect(bothUseNewKey).toBe(true);
      // Values written under the old key by a replica that had not learnt the new one yet are
      // re-wrapped by running the command again (it finishes the rotation rather than adding a
      // key); then the old key can be retired.
      const stale = await adminQuery(
        databaseUrl,
        `select count(*)::int as n from secret_versions where key_id is not null and key_id <> '${newId}'`,
      );
      if ((stale[0]!.n as number) > 0) {
        const finished = await runBin(["rotate-key"], { cwd: dir, env });
        expect(finished.stdout).toContain("finishing that rotation");
      }
      const retired = await runBin(["rotate-key", "--retire"], { cwd: dir, env });
      expect(retired.stdout).toContain("Retired master key");
      const keys = await adminQuery(
        databaseUrl,
        "select distinct key_id from secret_versions where key_id is not null",
      );
      expect(keys).toEqual([{ key_id: newId }]);
      for (const server of [a, b]) {
        expect(
          (await graphql(server.url, runner.token, '{ secretValue(name: "K7") }')).data,
        ).toEqual({
          secretValue: "v7",
        });
      }
      expect([a.child.pid, b.child.pid]).toEqual(pids);
      expect([a.child.exitCode, b.child.exitCode]).toEqual([null, null]);
    });
  },
);
