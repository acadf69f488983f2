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
import { KEPT_VALUES, SecretStore } from "./secret-store.js";

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

interface Permission {
  readonly roles: readonly Role[];
  readonly doing: string;
}

// What each kind of operation needs, worded as the server words it. Listing names, metadata and
// versions is open to every role.
const READ_VALUES: Permission = {
  roles: ["TENANT_ADMIN", "RUNNER"],
  doing: "Reading secret values",
};
const WRITE_SECRETS: Permission = {
  roles: ["TENANT_ADMIN", "USER"],
  doing: "Setting, deleting and rolling back secrets",
};
const MANAGE_TOKENS: Permission = { roles: ["TENANT_ADMIN"], doing: "Managing API tokens" };
const READ_AUDIT: Permission = { roles: ["TENANT_ADMIN"], doing: "Reading audit events" };

const NAME_CHARS = /^[A-Za-z0-9_.-]+$/;
const NAME_RULE =
  'names use only letters, digits, "_", "." and "-", are 1 to 255 characters long and do not start with "."';
const MAX_VALUE_BYTES = 65_536;
const MAX_LIST = 1000;

/**
 * One tenant of the fake server: its secrets, tokens and audit log, and the rules of the real
 * server (roles, names, limits, versions, messages) applied to every operation.
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
    checkName(name);
    this.#require(caller, WRITE_SECRETS);
    const bytes = Buffer.byteLength(JSON.stringify(value) ?? "");
    if (bytes > MAX_VALUE_BYTES) {
      throw badInput(
        `The value is ${bytes} bytes serialised as JSON; the limit is ${MAX_VALUE_BYTES} bytes. ` +
          "Store large files elsewhere and keep only a reference or key here.",
      );
    }
    const version = this.secrets.write(name, value, caller.tokenName);
    this.#record(caller, "SET_SECRET", "SUCCESS", name, version);
    return { version };
  }

  deleteSecret(caller: FakeCaller, name: string): void {
    checkName(name);
    this.#require(caller, WRITE_SECRETS);
    if (!this.secrets.has(name)) {
      this.#record(caller, "DELETE_SECRET", "NOT_FOUND", name);
      throw this.#notFound(name);
    }
    const version = this.secrets.remove(name, caller.tokenName);
    this.#record(caller, "DELETE_SECRET", "SUCCESS", name, version);
  }

  rollbackSecret(caller: FakeCaller, name: string, version: number): { version: number } {
    checkName(name);
    if (!Number.isSafeInteger(version) || version < 1) {
      throw badInput("The version to roll back to must be a whole number from 1 upwards.");
    }
    this.#require(caller, WRITE_SECRETS);
    const record = this.secrets.record(name);
    const target = record?.versions.find((v) => v.version === version);
    if (target === undefined) {
      this.#record(caller, "ROLLBACK_SECRET", "NOT_FOUND", name);
      throw record === undefined
        ? this.#notFound(name)
        : fakeError(
            "NOT_FOUND",
            `Version ${version} of the secret ${name} was not found in tenant "${this.name}"; ` +
              "secretVersions lists the versions there are.",
          );
    }
    if (!target.hasValue) {
      const why = target.deleted
        ? "marks a deletion"
        : `is older than the ${KEPT_VALUES} values kept`;
      throw badInput(
        `Version ${version} of the secret ${name} has no value to restore (it ${why}); ` +
          "roll back to a version with hasValue: true.",
      );
    }
    const created = this.secrets.write(name, target.value, caller.tokenName);
    this.#record(caller, "ROLLBACK_SECRET", "SUCCESS", name, created);
    return { version: created };
  }

  secretValue(caller: FakeCaller, name: string): unknown {
    checkName(name);
    this.#requireValueReader(caller, [name]);
    if (!this.secrets.has(name)) {
      this.#record(caller, "READ_SECRET_VALUE", "NOT_FOUND", name);
      throw this.#notFound(name);
    }
    this.#record(caller, "READ_SECRET_VALUE", "SUCCESS", name, this.#currentVersion(name));
    return this.secrets.get(name);
  }

  secretValues(caller: FakeCaller, names: readonly string[]): Record<string, unknown> {
    if (names.length > MAX_LIST) {
      throw badInput(`names takes at most ${MAX_LIST} entries; split the request.`);
    }
    for (const name of names) checkName(name);
    const unique = [...new Set(names)];
    this.#requireValueReader(caller, unique);
    const missing = unique.filter((name) => !this.secrets.has(name));
    if (missing.length > 0) {
      for (const name of missing) this.#record(caller, "READ_SECRET_VALUE", "NOT_FOUND", name);
      const list = missing.slice(0, 10).join(", ") + (missing.length > 10 ? ", …" : "");
      throw missing.length === 1
        ? this.#notFound(list, { names: missing })
        : fakeError(
            "NOT_FOUND",
            `${missing.length} secrets were not found in tenant "${this.name}": ${list}.`,
            { names: missing },
          );
    }
    const values: Record<string, unknown> = {};
    for (const name of unique) {
      values[name] = this.secrets.get(name);
      this.#record(caller, "READ_SECRET_VALUE", "SUCCESS", name, this.#currentVersion(name));
    }
    return values;
  }

  secretNames(_caller: FakeCaller): string[] {
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
    checkPage(query);
    if ((query.where?.name?._in?.length ?? 0) > MAX_LIST) {
      throw badInput(`where.name._in takes at most ${MAX_LIST} entries; split the request.`);
    }
    const secrets = this.secretNames(caller)
      .filter(nameFilter(query.where))
      .map((name) => this.#meta(name));
    // Ties are broken by name, as on the server.
    const order = [...(query.order_by ?? []), { name: "asc" as const }];
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

  secretVersions(_caller: FakeCaller, name: string): SecretVersion[] {
    checkName(name);
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
    // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
    if (!/^[^\u0000-\u001f\u007f]{1,100}$/u.test(input.name)) {
      throw badInput(
        "The token name must be 1 to 100 characters without control characters, e.g. ci-runner.",
      );
    }
    if (input.name.trim() !== input.name) {
      throw badInput("The token name must not start or end with spaces, e.g. ci-runner.");
    }
    if (input.expiresAt != null && Date.parse(input.expiresAt) <= Date.now()) {
      throw badInput("expiresAt is in the past; give a time in the future, or none.");
    }
    this.#require(caller, MANAGE_TOKENS);
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
    this.#require(caller, MANAGE_TOKENS);
    return [...this.#tokensById.values()].map((record) => ({ ...record }));
  }

  revokeApiToken(caller: FakeCaller, id: string): void {
    this.#require(caller, MANAGE_TOKENS);
    const record = this.#tokensById.get(id);
    if (record === undefined) {
      this.#record(caller, "REVOKE_API_TOKEN", "NOT_FOUND", null);
      throw fakeError(
        "NOT_FOUND",
        `The API token ${id} was not found in tenant "${this.name}"; apiTokens lists the tokens there are.`,
      );
    }
    // Revoking twice keeps the first revocation time.
    record.revokedAt ??= new Date().toISOString();
    this.#record(caller, "REVOKE_API_TOKEN", "SUCCESS", null);
  }

  auditEvents(
    caller: FakeCaller,
    query: { limit?: number | null; offset?: number | null; name?: string | null },
  ): AuditEvent[] {
    checkPage(query);
    if (query.name != null) checkName(query.name);
    this.#require(caller, READ_AUDIT);
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

  #require(caller: FakeCaller, { roles, doing }: Permission): void {
    if (roles.includes(caller.role)) return;
    const allowed = `the ${roles.join(" or ")} role`;
    throw fakeError(
      "FORBIDDEN",
      `${doing} needs ${allowed}; this token has the ${caller.role} role. ` +
        `Ask a tenant admin for a token with ${allowed}.`,
    );
  }

  #requireValueReader(caller: FakeCaller, names: readonly string[]): void {
    if (READ_VALUES.roles.includes(caller.role)) return;
    for (const name of names) this.#record(caller, "READ_SECRET_VALUE", "DENIED", name);
    this.#require(caller, READ_VALUES);
  }

  #notFound(name: string, extensions?: Record<string, unknown>) {
    return fakeError(
      "NOT_FOUND",
      `No value found for the requested key: the secret ${name} was not found in tenant "${this.name}".`,
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

/** The server's name rule; the message names the broken rule, never the input. */
function checkName(name: string): void {
  if (name.length === 0) throw badInput(`The secret name is empty: ${NAME_RULE}.`);
  if (name.length > 255) {
    throw badInput(`The secret name is ${name.length} characters long: ${NAME_RULE}.`);
  }
  if (!NAME_CHARS.test(name)) {
    throw badInput(`The secret name contains a character that is not allowed: ${NAME_RULE}.`);
  }
  if (name.startsWith(".")) throw badInput(`The secret name starts with ".": ${NAME_RULE}.`);
}

function checkPage(query: { limit?: number | null; offset?: number | null }): void {
  if (query.limit != null && (query.limit < 1 || query.limit > MAX_LIST)) {
    throw badInput(`limit must be between 1 and ${MAX_LIST}; page through more with offset.`);
  }
  if (query.offset != null && query.offset < 0) throw badInput("offset must be 0 or more.");
}

function badInput(message: string) {
  return fakeError("BAD_USER_INPUT", message);
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

/**
 * SQL LIKE as the server runs it: case-sensitive, `%` any run, `_` any one character, and a
 * backslash making the next character literal.
 */
function likePattern(pattern: string): RegExp {
  let source = "";
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i]!;
    if (char === "\\" && i + 1 < chars.length) source += escapeRegExp(chars[++i]!);
    else if (char === "%") source += ".*";
    else if (char === "_") source += ".";
    else source += escapeRegExp(char);
  }
  return new RegExp(`^${source}$`, "su");
}

function escapeRegExp(char: string): string {
  return char.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
