import { randomBytes } from "node:crypto";
import type {
  ApiToken,
  AuditAction,
  AuditEvent,
  AuditOutcome,
  Me,
  Role,
  Secret,
  Secret_Bool_Exp,
  Secret_Order_By,
  SecretVersion,
} from "../generated/graphql.js";
import { fakeError } from "./fake-error.js";
import { SecretStore } from "./secret-store.js";

/** Who is calling: the token a request authenticated with. */
export interface FakeCaller {
  readonly tokenId: string;
  readonly tokenName: string;
  readonly role: Role;
}

interface TokenRecord {
  id: string;
  name: string;
  role: Role;
  created: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

const NAME_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,254}$/;
const MAX_VALUE_BYTES = 65_536;
const VALUE_READERS: readonly Role[] = ["TENANT_ADMIN", "RUNNER"];
const WRITERS: readonly Role[] = ["TENANT_ADMIN", "USER"];
const ADMINS: readonly Role[] = ["TENANT_ADMIN"];

/**
 * One tenant of the fake server: its secrets, tokens and audit log, and the rules of the real
 * server (roles, names, limits, versions) applied to every operation.
 */
export class FakeTenant {
  readonly id = "fake-tenant";
  readonly secrets = new SecretStore();
  readonly #tokens = new Map<string, TokenRecord>();
  readonly #tokensById = new Map<string, TokenRecord>();
  readonly #audit: AuditEvent[] = [];
  #nextToken = 1;
  #nextEvent = 1;

  constructor(
    readonly name: string,
    tokens: Readonly<Record<string, Role>>,
    secrets: Readonly<Record<string, unknown>>,
  ) {
    for (const [token, role] of Object.entries(tokens)) {
      this.#addToken(token, { name: `token-${this.#nextToken}`, role, expiresAt: null });
    }
    for (const [name, value] of Object.entries(secrets)) this.secrets.set(name, value);
  }

  /** The caller a bearer token stands for; undefined when unknown, revoked or expired. */
  authenticate(token: string): FakeCaller | undefined {
    const record = this.#tokens.get(token);
    if (record === undefined || record.revokedAt !== null) return undefined;
    if (record.expiresAt !== null && Date.parse(record.expiresAt) <= Date.now()) return undefined;
    return { tokenId: record.id, tokenName: record.name, role: record.role };
  }

  setSecret(caller: FakeCaller, name: string, value: unknown): { version: number } {
    this.#require(caller, WRITERS, "Setting secrets");
    checkName(name);
    const bytes = Buffer.byteLength(JSON.stringify(value) ?? "");
    if (bytes > MAX_VALUE_BYTES) {
      throw fakeError(
        "BAD_USER_INPUT",
        `The value of the secret ${name} is ${bytes} bytes as JSON; the limit is ${MAX_VALUE_BYTES}.`,
      );
    }
    const version = this.secrets.write(name, value, caller.tokenName);
    this.#record(caller, "SET_SECRET", "SUCCESS", name, version);
    return { version };
  }

  deleteSecret(caller: FakeCaller, name: string): void {
    this.#require(caller, WRITERS, "Deleting secrets");
    if (!this.secrets.has(name)) {
      this.#record(caller, "DELETE_SECRET", "NOT_FOUND", name);
      throw this.#notFound(name);
    }
    const version = this.secrets.remove(name, caller.tokenName);
    this.#record(caller, "DELETE_SECRET", "SUCCESS", name, version);
  }

  rollbackSecret(caller: FakeCaller, name: string, version: number): { version: number } {
    this.#require(caller, WRITERS, "Rolling back secrets");
    const target = this.secrets.record(name)?.versions.find((v) => v.version === version);
    if (target === undefined) {
      this.#record(caller, "ROLLBACK_SECRET", "NOT_FOUND", name);
      throw this.secrets.record(name) === undefined
        ? this.#notFound(name)
        : fakeError(
            "NOT_FOUND",
            `Version ${version} of the secret ${name} was not found in tenant "${this.name}".`,
          );
    }
    if (!target.hasValue) {
      throw fakeError(
        "BAD_USER_INPUT",
        `Version ${version} of the secret ${name} has no stored value (it is a deletion or older ` +
          "than the kept versions); roll back to a version whose hasValue is true.",
      );
    }
    const created = this.secrets.write(name, target.value, caller.tokenName);
    this.#record(caller, "ROLLBACK_SECRET", "SUCCESS", name, created);
    return { version: created };
  }

  secretValue(caller: FakeCaller, name: string): unknown {
    this.#requireValueReader(caller, [name]);
    if (!this.secrets.has(name)) {
      this.#record(caller, "READ_SECRET_VALUE", "NOT_FOUND", name);
      throw this.#notFound(name);
    }
    this.#record(caller, "READ_SECRET_VALUE", "SUCCESS", name, this.#currentVersion(name));
    return this.secrets.get(name);
  }

  secretValues(caller: FakeCaller, names: readonly string[]): Record<string, unknown> {
    if (names.length > 1000) {
      throw fakeError(
        "BAD_USER_INPUT",
        `secretValues takes at most 1000 names; got ${names.length}.`,
      );
    }
    this.#requireValueReader(caller, names);
    const missing = [...new Set(names.filter((name) => !this.secrets.has(name)))];
    if (missing.length > 0) {
      for (const name of missing) this.#record(caller, "READ_SECRET_VALUE", "NOT_FOUND", name);
      const list = missing.join(", ");
      throw missing.length === 1
        ? this.#notFound(list, { names: missing })
        : fakeError("NOT_FOUND", `The secrets ${list} were not found in tenant "${this.name}".`, {
            names: missing,
          });
    }
    const values: Record<string, unknown> = {};
    for (const name of names) {
      values[name] = this.secrets.get(name);
      this.#record(caller, "READ_SECRET_VALUE", "SUCCESS", name, this.#currentVersion(name));
    }
    return values;
  }

  secretNames(caller: FakeCaller): string[] {
    this.#require(caller, ["TENANT_ADMIN", "USER", "RUNNER", "READ_ONLY_USER"], "Listing secrets");
    return [...this.secrets.keys()].sort();
  }

  listSecrets(
    caller: FakeCaller,
    query: {
      where?: Secret_Bool_Exp | null;
      order_by?: readonly Secret_Order_By[] | null;
      limit?: number | null;
      offset?: number | null;
    },
  ): Secret[] {
    const names = this.secretNames(caller);
    checkRange("limit", query.limit, 1, 1000);
    checkRange("offset", query.offset, 0, Number.MAX_SAFE_INTEGER);
    const matches = nameFilter(query.where);
    const secrets = names.filter(matches).map((name) => this.#meta(name));
    const order = query.order_by?.length ? query.order_by : [{ name: "asc" as const }];
    secrets.sort((a, b) => {
      for (const key of order) {
        for (const [field, direction] of Object.entries(key)) {
          if (direction == null) continue;
          const x = a[field as keyof Secret] as string;
          const y = b[field as keyof Secret] as string;
          if (x !== y) return (x < y ? -1 : 1) * (direction === "desc" ? -1 : 1);
        }
      }
      return 0;
    });
    const offset = query.offset ?? 0;
    return secrets.slice(offset, query.limit == null ? undefined : offset + query.limit);
  }

  secretVersions(caller: FakeCaller, name: string): SecretVersion[] {
    this.secretNames(caller);
    const record = this.secrets.record(name);
    if (record === undefined) throw this.#notFound(name);
    return record.versions
      .map(({ version, created, createdBy, hasValue, deleted }) => ({
        version,
        created,
        createdBy,
        hasValue,
        deleted,
      }))
      .reverse();
  }

  createApiToken(
    caller: FakeCaller,
    input: { name: string; role: Role; expiresAt?: string | null },
  ): { id: string; token: string; apiToken: ApiToken } {
    this.#require(caller, ADMINS, "Managing API tokens");
    if (input.name.length < 1 || input.name.length > 255) {
      throw fakeError("BAD_USER_INPUT", "A token name must be 1 to 255 characters long.");
    }
    const token = `hush_${randomBytes(32).toString("base64url")}`;
    const record = this.#addToken(token, {
      name: input.name,
      role: input.role,
      expiresAt: input.expiresAt ?? null,
    });
    this.#record(caller, "CREATE_API_TOKEN", "SUCCESS", null);
    return { id: record.id, token, apiToken: { ...record } };
  }

  apiTokens(caller: FakeCaller): ApiToken[] {
    this.#require(caller, ADMINS, "Managing API tokens");
    return [...this.#tokensById.values()].map((record) => ({ ...record }));
  }

  revokeApiToken(caller: FakeCaller, id: string): void {
    this.#require(caller, ADMINS, "Managing API tokens");
    const record = this.#tokensById.get(id);
    if (record === undefined) {
      this.#record(caller, "REVOKE_API_TOKEN", "NOT_FOUND", null);
      throw fakeError("NOT_FOUND", `The API token ${id} was not found in tenant "${this.name}".`);
    }
    record.revokedAt ??= new Date().toISOString();
    this.#record(caller, "REVOKE_API_TOKEN", "SUCCESS", null);
  }

  auditEvents(
    caller: FakeCaller,
    query: { limit?: number | null; offset?: number | null; name?: string | null },
  ): AuditEvent[] {
    this.#require(caller, ADMINS, "Reading the audit log");
    checkRange("limit", query.limit, 1, 1000);
    checkRange("offset", query.offset, 0, Number.MAX_SAFE_INTEGER);
    const offset = query.offset ?? 0;
    return this.#audit
      .filter((event) => query.name == null || event.secretName === query.name)
      .reverse()
      .slice(offset, offset + (query.limit ?? 100))
      .map((event) => ({ ...event }));
  }

  me(caller: FakeCaller): Me {
    return {
      tenant: { id: this.id, name: this.name },
      role: caller.role,
      tokenId: caller.tokenId,
      tokenName: caller.tokenName,
    };
  }

  #addToken(token: string, input: { name: string; role: Role; expiresAt: string | null }) {
    const record: TokenRecord = {
      id: `tok_${this.#nextToken++}`,
      created: new Date().toISOString(),
      revokedAt: null,
      ...input,
    };
    this.#tokens.set(token, record);
    this.#tokensById.set(record.id, record);
    return record;
  }

  #require(caller: FakeCaller, roles: readonly Role[], what: string): void {
    if (roles.includes(caller.role)) return;
    throw fakeError(
      "FORBIDDEN",
      `${what} needs the role ${roles.join(" or ")}; this token's role is ${caller.role}.`,
    );
  }

  #requireValueReader(caller: FakeCaller, names: readonly string[]): void {
    if (VALUE_READERS.includes(caller.role)) return;
    for (const name of names) this.#record(caller, "READ_SECRET_VALUE", "DENIED", name);
    this.#require(caller, VALUE_READERS, "Reading secret values");
  }

  #notFound(name: string, extensions?: Record<string, unknown>) {
    return fakeError(
      "NOT_FOUND",
      `The secret ${name} was not found in tenant "${this.name}".`,
      extensions,
    );
  }

  #currentVersion(name: string): number | null {
    return this.secrets.record(name)?.versions.at(-1)?.version ?? null;
  }

  #meta(name: string): Secret {
    const record = this.secrets.record(name)!;
    const current = record.versions.at(-1)!;
    return {
      name,
      version: current.version,
      created: record.created,
      updated: current.created,
      updatedBy: current.createdBy,
    };
  }

  #record(
    caller: FakeCaller,
    action: AuditAction,
    outcome: AuditOutcome,
    secretName: string | null,
    version: number | null = null,
  ): void {
    this.#audit.push({
      id: `evt_${this.#nextEvent++}`,
      action,
      secretName,
      version,
      outcome,
      actor: caller.tokenName,
      at: new Date().toISOString(),
    });
  }
}

function checkName(name: string): void {
  if (!NAME_PATTERN.test(name)) {
    throw fakeError(
      "BAD_USER_INPUT",
      "A secret name must be 1 to 255 characters from A-Z, a-z, 0-9, '_', '.' and '-', " +
        "and must not start with '.'.",
    );
  }
}

function checkRange(what: string, value: number | null | undefined, min: number, max: number) {
  if (value != null && (value < min || value > max)) {
    throw fakeError(
      "BAD_USER_INPUT",
      max === Number.MAX_SAFE_INTEGER
        ? `${what} must be at least ${min}.`
        : `${what} must be between ${min} and ${max}.`,
    );
  }
}

function nameFilter(where: Secret_Bool_Exp | null | undefined): (name: string) => boolean {
  const condition = where?.name;
  if (condition == null) return () => true;
  const like = condition._like == null ? undefined : likePattern(condition._like);
  return (name) =>
    (condition._eq == null || name === condition._eq) &&
    (condition._in == null || condition._in.includes(name)) &&
    (like === undefined || like.test(name));
}

/** SQL LIKE, case-sensitive as on the server: `%` any run, `_` any one character. */
function likePattern(pattern: string): RegExp {
  const source = [...pattern]
    .map((char) =>
      char === "%" ? ".*" : char === "_" ? "." : char.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
    )
    .join("");
  return new RegExp(`^${source}$`, "s");
}
