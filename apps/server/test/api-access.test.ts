import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../src/index.js";
import { type ApiFixture, type ApiResponse, openApi } from "./api-support.js";
import { describeBackends } from "./support/backends.js";

type Who = Role | "no token";
type Tenant = "own" | "other";
type Outcome = "ok" | "FORBIDDEN" | "UNAUTHENTICATED" | "NOT_FOUND";

const WHO: readonly Who[] = ["TENANT_ADMIN", "USER", "RUNNER", "READ_ONLY_USER", "no token"];
const EVERY_ROLE: readonly Role[] = ["TENANT_ADMIN", "USER", "RUNNER", "READ_ONLY_USER"];
const VALUES: readonly Role[] = ["TENANT_ADMIN", "RUNNER"];
const WRITES: readonly Role[] = ["TENANT_ADMIN", "USER"];
const ADMIN: readonly Role[] = ["TENANT_ADMIN"];

/** What one operation needs: a secret or token to act on, named by the case's tenant. */
interface Target {
  /** A secret of the caller's own tenant ("own") or only of the other tenant ("other"). */
  name: string;
  /** Its version before the operation, for rollbacks. */
  version: number;
  /** An API token id in the caller's tenant ("own") or the other tenant ("other"). */
  tokenId: string;
}

interface Operation {
  field: string;
  document: string;
  variables(target: Target): Record<string, unknown>;
  allowed: readonly Role[];
  /** Whether it acts on one secret or token, which another tenant's must hide as NOT_FOUND. */
  targeted: boolean;
}

const OPERATIONS: readonly Operation[] = [
  {
    field: "secret",
    document: "{ secret(order_by: {name: asc}) { name version } }",
    variables: () => ({}),
    allowed: EVERY_ROLE,
    targeted: false,
  },
  ...["secretNames", "secret_names"].map((field) => ({
    field,
    document: `{ ${field} }`,
    variables: () => ({}),
    allowed: EVERY_ROLE,
    targeted: false,
  })),
  {
    field: "secretVersions",
    document: "query($name: String!) { secretVersions(name: $name) { version } }",
    variables: ({ name }: Target) => ({ name }),
    allowed: EVERY_ROLE,
    targeted: true,
  },
  ...["secretValue", "secret_value"].map((field) => ({
    field,
    document: `query($name: String!) { ${field}(name: $name) }`,
    variables: ({ name }: Target) => ({ name }),
    allowed: VALUES,
    targeted: true,
  })),
  {
    field: "secretValues",
    document: "query($names: [String!]!) { secretValues(names: $names) }",
    variables: ({ name }: Target) => ({ names: [name] }),
    allowed: VALUES,
    targeted: true,
  },
  ...["setSecret", "set_secret"].map((field) => ({
    field,
    document: `mutation($name: String!) { ${field}(input: {name: $name, value: "new"}) { success } }`,
    variables: ({ name }: Target) => ({ name }),
    allowed: WRITES,
    // Setting a name another tenant uses makes a secret of one's own: checked separately below.
    targeted: false,
  })),
  ...["deleteSecret", "delete_secret"].map((field) => ({
    field,
    document: `mutation($name: String!) { ${field}(input: {name: $name}) { success } }`,
    variables: ({ name }: Target) => ({ name }),
    allowed: WRITES,
    targeted: true,
  })),
  {
    field: "rollbackSecret",
    document:
      "mutation($name: String!, $version: Int!) { rollbackSecret(input: {name: $name, version: $version}) { version } }",
    variables: ({ name, version }: Target) => ({ name, version: version - 1 }),
    allowed: WRITES,
    targeted: true,
  },
  {
    field: "apiTokens",
    document: "{ apiTokens { id name } }",
    variables: () => ({}),
    allowed: ADMIN,
    targeted: false,
  },
  {
    field: "auditEvents",
    document: "{ auditEvents(limit: 5) { action } }",
    variables: () => ({}),
    allowed: ADMIN,
    targeted: false,
  },
  {
    field: "createApiToken",
    document: 'mutation { createApiToken(input: {name: "made", role: READ_ONLY_USER}) { id } }',
    variables: () => ({}),
    allowed: ADMIN,
    targeted: false,
  },
  {
    field: "revokeApiToken",
    document: "mutation($id: ID!) { revokeApiToken(input: {id: $id}) { success } }",
    variables: ({ tokenId }: Target) => ({ id: tokenId }),
    allowed: ADMIN,
    targeted: true,
  },
  {
    field: "me",
    document: "{ me { role environment environments } }",
    variables: () => ({}),
    allowed: EVERY_ROLE,
    targeted: false,
  },
  {
    field: "environments",
    document: "{ environments { name isDefault secretCount } }",
    variables: () => ({}),
    allowed: EVERY_ROLE,
    targeted: false,
  },
  {
    field: "compareEnvironments",
    document:
      '{ compareEnvironments(from: "production", to: "staging") { equal secrets { name status } } }',
    variables: () => ({}),
    allowed: EVERY_ROLE,
    targeted: false,
  },
  {
    field: "createEnvironment",
    document: 'mutation { createEnvironment(input: {name: "made"}) { name } }',
    variables: () => ({}),
    allowed: ADMIN,
    targeted: false,
  },
  {
    field: "setDefaultEnvironment",
    document: 'mutation { setDefaultEnvironment(input: {name: "production"}) { name } }',
    variables: () => ({}),
    allowed: ADMIN,
    targeted: false,
  },
  {
    field: "copySecrets",
    document:
      'mutation($name: String!) { copySecrets(input: {from: "production", to: "staging", names: [$name], overwrite: true}) { copied { name } } }',
    variables: ({ name }: Target) => ({ name }),
    allowed: WRITES,
    targeted: true,
  },
];

function expected(operation: Operation, who: Who, tenant: Tenant): Outcome {
  if (who === "no token") return "UNAUTHENTICATED";
  if (!operation.allowed.includes(who)) return "FORBIDDEN";
  return tenant === "other" && operation.targeted ? "NOT_FOUND" : "ok";
}

const CASES = OPERATIONS.flatMap((operation) =>
  WHO.flatMap((who) =>
    (operation.targeted ? (["own", "other"] as const) : (["own"] as const)).map((tenant) => ({
      operation,
      who,
      tenant,
      outcome: expected(operation, who, tenant),
    })),
  ),
);

function outcomeOf(response: ApiResponse): Outcome {
  const error = response.body.errors?.[0];
  return error === undefined ? "ok" : (error.extensions.code as Outcome);
}

describeBackends("api access matrix", (backend) => {
  let api: ApiFixture;
  beforeAll(async () => {
    api = await openApi(backend);
    await api.service.createEnvironment(api.acme.callers.TENANT_ADMIN, "staging");
    await api.service.createEnvironment(api.globex.callers.TENANT_ADMIN, "staging");
  });
  afterAll(async () => {
    await api?.close();
  });

  /** A fresh target for one case: a secret with two versions and a token to revoke. */
  async function target(tenant: Tenant, label: string): Promise<Target> {
    const owner = tenant === "own" ? api.acme : api.globex;
    const admin = owner.callers.TENANT_ADMIN;
    const name = `${tenant.toUpperCase()}_${label}`;
    await api.service.setSecret(admin, name, "first");
    const { version } = await api.service.setSecret(admin, name, "second");
    const { apiToken } = await api.service.createApiToken(admin, {
      name: `victim-${name}`,
      role: "USER",
    });
    return { name, version, tokenId: apiToken.id };
  }

  it.each(CASES)(
    "$operation.field as $who on the $tenant tenant → $outcome",
    async ({ operation, who, tenant, outcome }) => {
      const label = `${operation.field}_${who.replace(" ", "_")}`;
      const variables = operation.variables(await target(tenant, label));
      const token = who === "no token" ? undefined : api.acme.tokens[who];
      const response = await api.gql(operation.document, { variables, token });
      expect(response.status).toBe(200);
      expect(outcomeOf(response)).toBe(outcome);
      if (outcome === "ok") {
        expect(response.body.data?.[operation.field]).toBeDefined();
      } else {
        expect(response.body.errors).toHaveLength(1);
        expect(response.body.errors?.[0]?.path).toEqual([operation.field]);
      }
      if (outcome === "FORBIDDEN") {
        const roles = operation.allowed.map((role) => role);
        for (const role of roles) expect(response.body.errors?.[0]?.message).toContain(role);
      }
      if (outcome === "UNAUTHENTICATED") {
        expect(response.body.errors?.[0]?.message).toMatch(/Authorization: Bearer/);
      }
    },
  );

  describe("another tenant's secret looks exactly like a missing one", () => {
    const targeted = OPERATIONS.filter(
      (operation) => operation.targeted && operation.field !== "revokeApiToken",
    );
    it.each(targeted)("$field", async (operation) => {
      const role = operation.allowed[0]!;
      const token = api.acme.tokens[role];
      const theirs = await target("other", `hidden_${operation.field}`);
      const hidden = await api.gql(operation.document, {
        token,
        variables: operation.variables(theirs),
      });
      // The same name once it exists nowhere.
      await api.service.deleteSecret(api.globex.callers.TENANT_ADMIN, theirs.name);
      const missing = await api.gql(operation.document, {
        token,
        variables: operation.variables({ ...theirs, name: `${theirs.name}_NONE` }),
      });
      expect(hidden.body.errors?.[0]?.extensions.code).toBe("NOT_FOUND");
      expect(hidden.raw.replaceAll(theirs.name, "NAME")).toBe(
        missing.raw.replaceAll(`${theirs.name}_NONE`, "NAME"),
      );
    });

    it("revokeApiToken", async () => {
      const theirs = await target("other", "hidden_token");
      const revoke = (id: string) =>
        api.gql("mutation($id: ID!) { revokeApiToken(input: {id: $id}) { success } }", {
          token: api.acme.tokens.TENANT_ADMIN,
          variables: { id },
        });
      const hidden = await revoke(theirs.tokenId);
      const missing = await revoke("00000000-0000-7000-8000-000000000000");
      expect(hidden.raw.replaceAll(theirs.tokenId, "ID")).toBe(
        missing.raw.replaceAll("00000000-0000-7000-8000-000000000000", "ID"),
      );
      const globexTokens = await api.service.apiTokens(api.globex.callers.TENANT_ADMIN);
      expect(globexTokens.find((t) => t.id === theirs.tokenId)?.revokedAt).toBeNull();
    });

    it("lists never show another tenant's names, and a set of the same name is one's own", async () => {
      const theirs = await target("other", "listed");
      const token = api.acme.tokens.TENANT_ADMIN;
      const listed = await api.gql("{ secret { name } secretNames secret_names }", { token });
      expect(listed.raw).not.toContain(theirs.name);
      const set = await api.gql(
        'mutation($name: String!) { setSecret(input: {name: $name, value: "mine"}) { version } }',
        { token, variables: { name: theirs.name } },
      );
      expect(set.body.data).toEqual({ setSecret: { version: 1 } });
      expect(await api.service.secretValue(api.globex.callers.TENANT_ADMIN, theirs.name)).toBe(
        "second",
      );
    });
  });
});

// Every secret operation, for every role, by a token scoped to staging: staging acts as the
// role allows, production is FORBIDDEN naming the environment (and audited).
const SCOPED: ReadonlyArray<{ field: string; document: string; allowed: readonly Role[] }> = [
  {
    field: "secretNames",
    document: "query($env: String) { secretNames(environment: $env) }",
    allowed: EVERY_ROLE,
  },
  {
    field: "secret",
    document: "query($env: String) { secret(environment: $env) { name } }",
    allowed: EVERY_ROLE,
  },
  {
    field: "secretVersions",
    document:
      'query($env: String) { secretVersions(name: "SCOPED", environment: $env) { version } }',
    allowed: EVERY_ROLE,
  },
  {
    field: "secretValue",
    document: 'query($env: String) { secretValue(name: "SCOPED", environment: $env) }',
    allowed: VALUES,
  },
  {
    field: "secretValues",
    document: 'query($env: String) { secretValues(names: ["SCOPED"], environment: $env) }',
    allowed: VALUES,
  },
  {
    field: "setSecret",
    document:
      'mutation($env: String) { setSecret(input: {name: "SCOPED", value: "v"}, environment: $env) { version } }',
    allowed: WRITES,
  },
  {
    field: "setSecrets",
    document:
      'mutation($env: String) { setSecrets(input: {secrets: [{name: "SCOPED", value: "v"}]}, environment: $env) { success } }',
    allowed: WRITES,
  },
  {
    field: "rollbackSecret",
    document:
      'mutation($env: String) { rollbackSecret(input: {name: "SCOPED", version: 1}, environment: $env) { version } }',
    allowed: WRITES,
  },
  {
    field: "compareEnvironments",
    document: 'query($env: String!) { compareEnvironments(from: "staging", to: $env) { equal } }',
    allowed: EVERY_ROLE,
  },
];

describeBackends("api access by environment scope", (backend) => {
  let api: ApiFixture;
  const scoped = {} as Record<Role, string>;
  beforeAll(async () => {
    api = await openApi(backend);
    const admin = api.acme.callers.TENANT_ADMIN;
    await api.service.createEnvironment(admin, "staging");
    for (const env of ["staging", "production"]) {
      await api.service.setSecret(admin, "SCOPED", `${env}-1`, env);
      await api.service.setSecret(admin, "SCOPED", `${env}-2`, env);
    }
    for (const role of EVERY_ROLE) {
      const made = await api.service.createApiToken(admin, {
        name: `staging-${role.toLowerCase()}`,
        role,
        environments: ["staging"],
      });
      scoped[role] = made.token;
    }
  });
  afterAll(async () => {
    await api?.close();
  });

  const cases = SCOPED.flatMap((operation) =>
    EVERY_ROLE.flatMap((role) =>
      (["staging", "production"] as const).map((env) => ({
        operation,
        role,
        env,
        outcome: env === "production" || !operation.allowed.includes(role) ? "FORBIDDEN" : "ok",
      })),
    ),
  );
  it.each(cases)(
    "$operation.field as a $role scoped to staging in $env → $outcome",
    async ({ operation, role, env, outcome }) => {
      const response = await api.gql(operation.document, {
        token: scoped[role],
        variables: { env },
      });
      expect(outcomeOf(response)).toBe(outcome);
      if (env === "production") {
        expect(response.body.errors?.[0]?.extensions).toMatchObject({
          code: "FORBIDDEN",
          environment: "production",
          permission: "useEnvironment",
        });
        expect(response.raw).not.toContain("production-");
      }
    },
  );

  it("uses the token's only environment when a request names none", async () => {
    const response = await api.gql(
      '{ secretValue(name: "SCOPED") me { environment environments } }',
      {
        token: scoped.RUNNER,
      },
    );
    expect(response.body.data).toEqual({
      // The matrix above rolled it back to its first value.
      secretValue: "staging-1",
      me: { environment: "staging", environments: ["staging"] },
    });
  });

  it("keeps Prefect's snake_case operations on the default environment", async () => {
    const token = api.acme.tokens.TENANT_ADMIN;
    const set = await api.gql(
      'mutation { set_secret(input: {name: "PREFECT", value: "p"}) { success } }',
      { token },
    );
    expect(set.body.data).toEqual({ set_secret: { success: true } });
    const read = await api.gql('{ secret_value(name: "PREFECT") secret_names }', { token });
    expect(read.body.data).toMatchObject({ secret_value: "p" });
    expect(await api.service.secretNames(api.acme.callers.TENANT_ADMIN, "staging")).not.toContain(
      "PREFECT",
    );
    expect(
      await api.service.secretValue(
        api.acme.callers.TENANT_ADMIN,
        "PREFECT",
        undefined,
        "production",
      ),
    ).toBe("p");
  });
});
