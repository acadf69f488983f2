import { getIntrospectionQuery } from "graphql";
import { describe, expect, it } from "vitest";
import { type ApiFixture, codes, openApiForSuite } from "./api-support.js";
import { describeBackends } from "./support/backends.js";

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describeBackends("api operations: values, versions, tokens, audit and transports", (backend) => {
  let api: ApiFixture;
  let admin: string;
  openApiForSuite(backend, (opened) => {
    api = opened;
    admin = api.acme.tokens.TENANT_ADMIN;
  });

  describe("values, versions, rollback and delete", () => {
    it("reads several values at once, and names the missing ones", async () => {
      const caller = api.acme.callers.TENANT_ADMIN;
      await api.service.setSecret(caller, "MANY_1", "one");
      await api.service.setSecret(caller, "MANY_2", { two: 2 });
      const found = await api.gql('{ secretValues(names: ["MANY_1", "MANY_2"]) }', {
        token: api.acme.tokens.RUNNER,
      });
      expect(found.body).toEqual({ data: { secretValues: { MANY_1: "one", MANY_2: { two: 2 } } } });
      const missing = await api.gql("query($names: [String!]!) { secretValues(names: $names) }", {
        token: api.acme.tokens.RUNNER,
        variables: { names: ["MANY_1", "GONE_1", "GONE_2"] },
      });
      expect(missing.body.data).toEqual({ secretValues: null });
      expect(missing.body.errors?.[0]?.extensions).toEqual({
        code: "NOT_FOUND",
        tenant: "acme",
        names: ["GONE_1", "GONE_2"],
      });
      expect(missing.body.errors?.[0]?.path).toEqual(["secretValues"]);
    });

    it("reads every value of the tenant in one round trip when names are left out", async () => {
      const caller = api.acme.callers.TENANT_ADMIN;
      await api.service.setSecret(caller, "ALL_1", "one");
      await api.service.setSecret(caller, "ALL_2", { two: 2 });
      const names = await api.service.secretNames(caller);
      for (const query of ["{ secretValues }", "{ secretValues(names: null) }"]) {
        const all = await api.gql(query, { token: api.acme.tokens.RUNNER });
        expect(all.body.errors).toBeUndefined();
        const values = all.body.data?.secretValues as Record<string, unknown>;
        expect(Object.keys(values).sort()).toEqual([...names].sort());
        expect(values).toMatchObject({ ALL_1: "one", ALL_2: { two: 2 } });
      }
      const denied = await api.gql("{ secretValues }", { token: api.acme.tokens.USER });
      expect(denied.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    });

    it("lists versions newest first, rolls back and deletes", async () => {
      const token = api.acme.tokens.USER;
      for (const value of ["v1", "v2"]) {
        await api.gql(
          'mutation($v: JSON!) { setSecret(input: {name: "VERS", value: $v}) { version } }',
          {
            token,
            variables: { v: value },
          },
        );
      }
      const rollback = await api.gql(
        'mutation { rollbackSecret(input: {name: "VERS", version: 1}) { success version } }',
        { token },
      );
      expect(rollback.body).toEqual({ data: { rollbackSecret: { success: true, version: 3 } } });
      const value = await api.gql('{ secretValue(name: "VERS") }', { token: admin });
      expect(value.body.data?.secretValue).toBe("v1");

      const deleted = await api.gql(
        'mutation { deleteSecret(input: {name: "VERS"}) { success } }',
        {
          token,
        },
      );
      expect(deleted.body).toEqual({ data: { deleteSecret: { success: true } } });
      const versions = await api.gql(
        '{ secretVersions(name: "VERS") { version created createdBy hasValue deleted } }',
        { token: api.acme.tokens.READ_ONLY_USER },
      );
      const list = versions.body.data?.secretVersions as Record<string, unknown>[];
      expect(list.map((v) => [v.version, v.deleted, v.createdBy])).toEqual([
        [4, true, "user"],
        [3, false, "user"],
        [2, false, "user"],
        [1, false, "user"],
      ]);
      expect(list[1]?.hasValue).toBe(true);
      expect(list[0]?.created).toMatch(ISO);

      const gone = await api.gql('{ secretValue(name: "VERS") }', { token: admin });
      expect(gone.body.errors?.[0]).toMatchObject({
        message:
          'No value found for the requested key: the secret VERS was not found in tenant "acme".',
        path: ["secretValue"],
        extensions: { code: "NOT_FOUND" },
      });
      const again = await api.gql('mutation { deleteSecret(input: {name: "VERS"}) { success } }', {
        token,
      });
      expect(codes(again)).toEqual(["NOT_FOUND"]);
    });

    it("answers a rollback to an unknown version with NOT_FOUND", async () => {
      await api.service.setSecret(api.acme.callers.TENANT_ADMIN, "ROLL", "x");
      const response = await api.gql(
        'mutation { rollbackSecret(input: {name: "ROLL", version: 99}) { version } }',
        { token: admin },
      );
      expect(codes(response)).toEqual(["NOT_FOUND"]);
    });
  });

  describe("tokens, audit events and me", () => {
    it("creates a token that works at once, lists it, and revokes it", async () => {
      const created = await api.gql(
        "mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { id token apiToken { id name role created expiresAt revokedAt } } }",
        {
          token: admin,
          variables: {
            input: { name: "ci-runner", role: "RUNNER", expiresAt: "2999-01-01T00:00:00+01:00" },
          },
        },
      );
      expect(created.body.errors).toBeUndefined();
      const payload = created.body.data?.createApiToken as {
        id: string;
        token: string;
        apiToken: Record<string, unknown>;
      };
      expect(payload.token).toMatch(/^hush_/);
      expect(payload.apiToken).toMatchObject({
        id: payload.id,
        name: "ci-runner",
        role: "RUNNER",
        expiresAt: "2998-12-31T23:00:00.000Z",
        revokedAt: null,
      });

      const me = await api.gql("{ me { role tokenId tokenName tenant { id name } } }", {
        token: payload.token,
      });
      expect(me.body).toEqual({
        data: {
          me: {
            role: "RUNNER",
            tokenId: payload.id,
            tokenName: "ci-runner",
            tenant: { id: api.acme.tenant.id, name: "acme" },
          },
        },
      });

      const listed = await api.gql("{ apiTokens { id name role } }", { token: admin });
      expect(listed.body.data?.apiTokens).toContainEqual({
        id: payload.id,
        name: "ci-runner",
        role: "RUNNER",
      });
      expect(listed.raw).not.toContain(payload.token);

      const revoked = await api.gql(
        "mutation($id: ID!) { revokeApiToken(input: {id: $id}) { success } }",
        { token: admin, variables: { id: payload.id } },
      );
      expect(revoked.body).toEqual({ data: { revokeApiToken: { success: true } } });
      const after = await api.gql("{ me { role } }", { token: payload.token });
      expect(after.status).toBe(200);
      expect(codes(after)).toEqual(["UNAUTHENTICATED"]);
      expect(after.body.errors?.[0]?.message).toMatch(/unknown, expired or revoked/);
      expect(after.body.errors?.[0]?.message).toMatch(/hush-server token create/);
    });

    it.each([
      ['expiresAt: "tomorrow"', "literal"],
      ['expiresAt: "2026-02-30T00:00:00Z"', "literal"],
      ['expiresAt: "2026-01-01T10:00:00"', "literal"],
    ])("rejects an invalid DateTime (%s, %s) with BAD_USER_INPUT", async (args) => {
      const response = await api.gql(
        `mutation { createApiToken(input: {name: "x", role: USER, ${args}}) { id } }`,
        { token: admin },
      );
      expect(response.status).toBe(200);
      expect(codes(response)).toEqual(["BAD_USER_INPUT"]);
      expect(response.body.errors?.[0]?.message).toMatch(/ISO-8601/);
    });

    it("rejects an invalid DateTime variable with BAD_USER_INPUT", async () => {
      const response = await api.gql(
        'mutation($at: DateTime) { createApiToken(input: {name: "x", role: USER, expiresAt: $at}) { id } }',
        { token: admin, variables: { at: "next week" } },
      );
      expect(codes(response)).toEqual(["BAD_USER_INPUT"]);
      expect(response.body.errors?.[0]?.message).toMatch(/ISO-8601/);
    });

    it("lists audit events newest first, filtered by name", async () => {
      const caller = api.acme.callers.TENANT_ADMIN;
      await api.service.setSecret(caller, "AUDITED", "x");
      await api.service.secretValue(api.acme.callers.RUNNER, "AUDITED");
      const response = await api.gql(
        '{ auditEvents(name: "AUDITED", limit: 10) { id action secretName version outcome actor at } }',
        { token: admin },
      );
      const events = response.body.data?.auditEvents as Record<string, unknown>[];
      expect(events.map((e) => [e.action, e.actor, e.outcome])).toEqual([
        ["READ_SECRET_VALUE", "runner", "SUCCESS"],
        ["SET_SECRET", "admin", "SUCCESS"],
      ]);
      expect(events[0]?.at).toMatch(ISO);
      expect(response.raw).not.toContain('"x"');
      const paged = await api.gql(
        '{ auditEvents(name: "AUDITED", limit: 1, offset: 1) { action } }',
        {
          token: admin,
        },
      );
      expect(paged.body.data).toEqual({ auditEvents: [{ action: "SET_SECRET" }] });
      // The action filter is the server's, so paging counts only matching events.
      await api.service.setSecret(caller, "OTHER", "y");
      const reads = await api.gql(
        "{ auditEvents(action: READ_SECRET_VALUE, limit: 10) { action secretName } }",
        { token: admin },
      );
      const read = reads.body.data?.auditEvents as Array<{ action: string; secretName: string }>;
      expect(read[0]).toEqual({ action: "READ_SECRET_VALUE", secretName: "AUDITED" });
      expect(new Set(read.map((e) => e.action))).toEqual(new Set(["READ_SECRET_VALUE"]));
      const sets = await api.gql(
        '{ auditEvents(action: SET_SECRET, name: "OTHER", limit: 1) { secretName } }',
        { token: admin },
      );
      expect(sets.body.data).toEqual({ auditEvents: [{ secretName: "OTHER" }] });
      const unknown = await api.gql("{ auditEvents(action: READ_EVERYTHING) { id } }", {
        token: admin,
      });
      expect(codes(unknown)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
      const bad = await api.gql("{ auditEvents(limit: 5000) { id } }", { token: admin });
      expect(codes(bad)).toEqual(["BAD_USER_INPUT"]);
    });

    it("audits the environment mutations, refusals included", async () => {
      const run = (document: string, token = admin) => api.gql(document, { token });
      const made = await run('mutation { createEnvironment(input: {name: "audit-env"}) { name } }');
      expect(made.body.errors).toBeUndefined();
      await api.service.setSecret(api.acme.callers.TENANT_ADMIN, "IN_AUDIT_ENV", "v", "audit-env");
      const refused = await run(
        'mutation { setDefaultEnvironment(input: {name: "audit-env"}) { name } }',
        api.acme.tokens.USER,
      );
      expect(codes(refused)).toEqual(["FORBIDDEN"]);
      const unknown = await run(
        'mutation { deleteEnvironment(input: {name: "no-such-env", force: true}) { success } }',
      );
      expect(codes(unknown)).toEqual(["BAD_USER_INPUT"]);
      const events = async (action: string) =>
        (
          await run(
            `{ auditEvents(action: ${action}, limit: 1) { action outcome actor actorTokenId environment secretName tokenId } }`,
          )
        ).body.data?.auditEvents;
      const adminId = api.acme.callers.TENANT_ADMIN.tokenId;
      expect(await events("CREATE_ENVIRONMENT")).toEqual([
        {
          action: "CREATE_ENVIRONMENT",
          outcome: "SUCCESS",
          actor: "admin",
          actorTokenId: adminId,
          environment: "audit-env",
          secretName: null,
          tokenId: null,
        },
      ]);
      expect(await events("SET_DEFAULT_ENVIRONMENT")).toEqual([
        {
          action: "SET_DEFAULT_ENVIRONMENT",
          outcome: "DENIED",
          actor: "user",
          actorTokenId: api.acme.callers.USER.tokenId,
          environment: "audit-env",
          secretName: null,
          tokenId: null,
        },
      ]);
      const deleted = await run(
        'mutation { deleteEnvironment(input: {name: "audit-env", force: true}) { success } }',
      );
      expect(deleted.body.errors).toBeUndefined();
      // The deleted environment is still named, by its events and by the deletion's.
      expect(await events("DELETE_ENVIRONMENT")).toEqual([
        {
          action: "DELETE_ENVIRONMENT",
          outcome: "SUCCESS",
          actor: "admin",
          actorTokenId: adminId,
          environment: "audit-env",
          secretName: "IN_AUDIT_ENV",
          tokenId: null,
        },
      ]);
      expect(await events("CREATE_ENVIRONMENT")).toMatchObject([{ environment: "audit-env" }]);
    });
  });

  describe("over GET, by operation name, and introspection", () => {
    it("runs a query over GET with variables", async () => {
      await api.service.setSecret(api.acme.callers.TENANT_ADMIN, "GET_ME", "via get");
      const search = new URLSearchParams({
        query: "query Read($name: String!) { secretValue(name: $name) }",
        variables: JSON.stringify({ name: "GET_ME" }),
        operationName: "Read",
      });
      const response = await api.app.inject({
        method: "GET",
        url: `/graphql?${search}`,
        headers: { authorization: `Bearer ${admin}` },
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
      expect(response.json()).toEqual({ data: { secretValue: "via get" } });
    });

    it("runs the operation named by operationName", async () => {
      const document = "query A { secretNames } query B { me { role } }";
      const b = await api.gql(document, { token: admin, operationName: "B" });
      expect(b.body).toEqual({ data: { me: { role: "TENANT_ADMIN" } } });
      const none = await api.gql(document, { token: admin });
      expect(codes(none)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
      const unknown = await api.gql(document, { token: admin, operationName: "C" });
      expect(codes(unknown)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    });

    it("answers GraphiQL's introspection query to a token of any role, not without one", async () => {
      expect(codes(await api.gql(getIntrospectionQuery()))).toEqual(["UNAUTHENTICATED"]);
      const response = await api.gql(getIntrospectionQuery(), {
        token: api.acme.tokens.READ_ONLY_USER,
      });
      expect(response.status).toBe(200);
      expect(response.body.errors).toBeUndefined();
      const schema = response.body.data?.__schema as { types: { name: string }[] };
      expect(schema.types.map((t) => t.name)).toContain("SetSecretInput");
    });
  });
});
