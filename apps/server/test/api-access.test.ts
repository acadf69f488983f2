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
    document: "{ me { role } }",
    variables: () => ({}),
    allowed: EVERY_ROLE,
    targeted: false,
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
