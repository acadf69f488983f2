import { sql } from "kysely";
import { prepareQuery } from "../storage/prepared-query.js";
import type { EnvCaller, ListSecretsQuery, SecretMeta } from "./contract.js";
import { validatePage } from "./limits.js";
import type { ServiceContext } from "./service-context.js";

// OFFSET needs a LIMIT on SQLite; this stands for "no limit" and binds as an integer everywhere.
const NO_LIMIT = 2_147_483_647;

/** Listing a tenant's secrets: names and metadata, open to every role. */
export class SecretQueries {
  readonly #context: ServiceContext;
  // The query of a frequent call, compiled once.
  readonly #liveNames;

  constructor(context: ServiceContext) {
    this.#context = context;
    const db = context.db;
    this.#liveNames = prepareQuery(context.read, ["tenantId", "environmentId"], (p) =>
      db
        .selectFrom("secrets")
        .select("name")
        .where("tenant_id", "=", p.tenantId)
        .where("environment_id", "=", p.environmentId)
        .where("deleted", "=", 0)
        .orderBy("name"),
    );
  }

  async secretNames(caller: EnvCaller): Promise<string[]> {
    const rows = await this.#liveNames({
      tenantId: caller.tenantId,
      environmentId: caller.environmentId,
    });
    return rows.map((r) => r.name);
  }

  async listSecrets(caller: EnvCaller, query: ListSecretsQuery): Promise<SecretMeta[]> {
    const { limit, offset } = query;
    validatePage(limit, offset);
    const filter = query.where?.name;
    if (filter?._in != null && filter._in.length === 0) return [];

    let q = this.#context.db
      .selectFrom("secrets")
      .select(["name", "current_version", "created", "updated", "updated_by"])
      .where("tenant_id", "=", caller.tenantId)
      .where("environment_id", "=", caller.environmentId)
      .where("deleted", "=", 0);
    if (filter?._eq != null) q = q.where("name", "=", filter._eq);
    // An explicit ESCAPE: SQLite has no default escape character, PostgreSQL's is the backslash.
    if (filter?._like != null) q = q.where(sql<boolean>`name like ${filter._like} escape '\\'`);
    if (filter?._in != null) q = q.where("name", "in", [...filter._in]);
    for (const { field, direction } of query.orderBy) q = q.orderBy(field, direction);
    if (!query.orderBy.some((o) => o.field === "name")) q = q.orderBy("name", "asc");
    if (limit !== undefined || offset !== undefined) q = q.limit(limit ?? NO_LIMIT);
    if (offset !== undefined) q = q.offset(offset);

    const rows = await q.execute();
    return rows.map((r) => ({
      name: r.name,
      version: r.current_version,
      created: new Date(r.created),
      updated: new Date(r.updated),
      updatedBy: r.updated_by,
    }));
  }
}
