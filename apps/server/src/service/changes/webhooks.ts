import { randomBytes } from "node:crypto";
import { isSecretChangeAction, SECRET_CHANGE_ACTIONS } from "@hush/schema/change-actions";
import type { Kysely } from "kysely";
import { openValue, type SealedValue, sealValue } from "../../crypto/envelope.js";
import {
  checkOutboundUrl,
  type OutboundPolicy,
  OutboundUrlError,
} from "../../outbound/outbound-http.js";
import { notifyChange } from "../../storage/change-notifications.js";
import type { Database, WebhooksTable } from "../../storage/schema.js";
import type { AuditLog } from "../audit/audit-log.js";
import type { ChangeFeed } from "../change-feed.js";
import type {
  Caller,
  CreatedWebhook,
  EnvCaller,
  SecretChangeAction,
  WebhookDeliveryRecord,
  WebhookDeliveryStatus,
  WebhookMeta,
} from "../contract.js";
import { outOfScope } from "../environments.js";
import { checkLimit, checkOffset } from "../limits.js";
import { newId } from "../new-id.js";
import { webhookNotFound } from "../not-found.js";
import { NotifiedCache } from "../notified-cache.js";
import { fail, type Outcome, ok, unwrap } from "../outcome.js";
import { forbidden, isAllowed } from "../roles.js";
import { nowIso, type ServiceContext } from "../service-context.js";
import { badInput } from "../validation.js";
import { changeColumns, toChangeRecord } from "./secret-changes.js";

/** The most webhooks one tenant may register. */
export const MAX_WEBHOOKS_PER_TENANT = 20;

/** The longest webhook URL accepted. */
const MAX_URL_LENGTH = 2048;

const WEBHOOK_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** What `createWebhook` takes. */
export interface CreateWebhookInput {
  url: string;
  environment?: string | null;
  events?: readonly SecretChangeAction[] | null;
}

/** Where a webhook's signing secret is sealed: bound to the webhook, never to a secret. */
export function signingSecretAddress(tenantId: string, webhookId: string) {
  return { tenantId, environmentId: `webhook:${webhookId}`, name: "signing-secret", version: 1 };
}

/** A webhook's signing secret, opened from its row. */
export function openSigningSecret(
  context: ServiceContext,
  row: Pick<
    WebhooksTable,
    "id" | "tenant_id" | "key_id" | "wrapped_key" | "iv" | "ciphertext" | "auth_tag"
  >,
): Buffer {
  const sealed: SealedValue = {
    keyId: row.key_id,
    wrappedKey: Buffer.from(row.wrapped_key),
    iv: Buffer.from(row.iv),
    ciphertext: Buffer.from(row.ciphertext),
    authTag: Buffer.from(row.auth_tag),
  };
  return openValue(context.keyRing, signingSecretAddress(row.tenant_id, row.id), sealed);
}

/**
 * The tenant admin's webhooks: registering (the URL checked against the outbound policy, the
 * signing secret made here, sealed like a value and shown once), listing, deleting (its
 * deliveries go with it), enabling after the worker disabled one, and the delivery log.
 */
export class Webhooks {
  readonly #context: ServiceContext;
  readonly #audit: AuditLog;
  readonly #policy: OutboundPolicy;
  // Whether a tenant has any webhook, for SQLite's write path (see `ChangeLog`).
  readonly #any: NotifiedCache<string, boolean>;

  constructor(
    context: ServiceContext,
    audit: AuditLog,
    options: { policy: OutboundPolicy; ttlMs: number; changes?: ChangeFeed | undefined },
  ) {
    this.#context = context;
    this.#audit = audit;
    this.#policy = options.policy;
    this.#any = new NotifiedCache({
      ttlMs: options.ttlMs,
      changes: options.changes,
      maxEntries: 10_000,
      clock: context.clock,
      kind: "webhooks",
    });
  }

  /**
   * Whether the tenant may have webhooks: true until known otherwise (then looked up in the
   * background), so that a write never leaves out a delivery.
   */
  mayHave(tenantId: string): boolean {
    const known = this.#any.get(tenantId);
    if (known !== undefined) return known;
    void this.#context.db
      .selectFrom("webhooks")
      .select("id")
      .where("tenant_id", "=", tenantId)
      .limit(1)
      .executeTakeFirst()
      .then((row) => this.#any.set(tenantId, row !== undefined))
      .catch(() => {});
    return true;
  }

  async create(
    caller: Caller,
    input: CreateWebhookInput,
    environment: EnvCaller | null,
  ): Promise<CreatedWebhook> {
    await this.#audit.require(caller, "manageWebhooks", "CREATE_WEBHOOK");
    const url = this.#checkUrl(input.url);
    const events = checkEvents(input.events);
    // A token scoped to some environments cannot watch the others.
    if (environment === null && caller.environments != null) {
      throw outOfScope(caller, "(every environment)");
    }
    const id = newId();
    const secret = `whsec_${randomBytes(32).toString("base64url")}`;
    const sealed = sealValue(
      this.#context.keyRing,
      signingSecretAddress(caller.tenantId, id),
      Buffer.from(secret),
    );
    const row: WebhooksTable = {
      id,
      tenant_id: caller.tenantId,
      url: url.toString(),
      environment_name: environment?.environmentName ?? null,
      events: events === null ? null : JSON.stringify(events),
      key_id: sealed.keyId,
      wrapped_key: sealed.wrappedKey,
      iv: sealed.iv,
      ciphertext: sealed.ciphertext,
      auth_tag: sealed.authTag,
      created: nowIso(this.#context),
      created_by: caller.tokenName,
      disabled_at: null,
      failing_since: null,
      last_outcome: null,
    };
    const outcome = await this.#context.writer.run(async (db): Promise<Outcome<void>> => {
      const counted = await db
        .selectFrom("webhooks")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("tenant_id", "=", caller.tenantId)
        .executeTakeFirst();
      if (Number(counted?.n ?? 0) >= MAX_WEBHOOKS_PER_TENANT) {
        return fail(
          badInput(
            `A tenant may have at most ${MAX_WEBHOOKS_PER_TENANT} webhooks; delete one it no longer needs first.`,
            { argument: "url" },
          ),
        );
      }
      await db.insertInto("webhooks").values(row).execute();
      await this.#audit.recordIn(db, environment ?? caller, "CREATE_WEBHOOK", "SUCCESS", {
        webhookId: id,
      });
      await notifyChange(db, this.#context.backend, "webhooks");
      return ok(undefined);
    });
    unwrap(outcome);
    this.#any.set(caller.tenantId, true);
    return { webhook: toMeta(row), signingSecret: secret };
  }

  /** The tenant's webhooks (a scoped token sees those of its environments). */
  async list(caller: Caller): Promise<WebhookMeta[]> {
    this.#requireRead(caller);
    const rows = await this.#context.db
      .selectFrom("webhooks")
      .selectAll()
      .where("tenant_id", "=", caller.tenantId)
      .orderBy("created")
      .orderBy("id")
      .execute();
    return rows.filter((row) => inScope(caller, row)).map(toMeta);
  }

  async delete(caller: Caller, id: string): Promise<void> {
    await this.#change(caller, id, "DELETE_WEBHOOK", async (db) => {
      await db.deleteFrom("webhook_deliveries").where("webhook_id", "=", id).execute();
      await db.deleteFrom("webhooks").where("id", "=", id).execute();
    });
    this.#any.delete(caller.tenantId);
  }

  /** Enables a webhook the worker disabled; deliveries resume with the next change. */
  async enable(caller: Caller, id: string): Promise<WebhookMeta> {
    await this.#change(caller, id, "ENABLE_WEBHOOK", async (db) => {
      await db
        .updateTable("webhooks")
        .set({ disabled_at: null, failing_since: null })
        .where("id", "=", id)
        .execute();
    });
    const row = await this.#row(caller, id);
    if (row === undefined) throw webhookNotFound(caller, id);
    return toMeta(row);
  }

  /** A webhook's deliveries, newest first. */
  async deliveries(
    caller: Caller,
    id: string,
    page: { limit?: number | null; offset?: number | null },
  ): Promise<WebhookDeliveryRecord[]> {
    this.#requireRead(caller);
    validateWebhookId(id);
    const limit = checkLimit(page.limit) ?? 50;
    const offset = checkOffset(page.offset) ?? 0;
    const webhook = await this.#row(caller, id);
    if (webhook === undefined || !inScope(caller, webhook)) throw webhookNotFound(caller, id);
    const rows = await this.#context.db
      .selectFrom("webhook_deliveries as d")
      .innerJoin("change_events as e", "e.id", "d.change_event_id")
      .select([
        "d.id as delivery_id",
        "d.status",
        "d.attempts",
        "d.last_attempt_at",
        "d.next_attempt_at",
        "d.last_outcome",
        ...changeColumns(this.#context.backend),
      ])
      .where("d.webhook_id", "=", id)
      .orderBy("d.id", "desc")
      .limit(limit)
      .offset(offset)
      .execute();
    return rows.map((r) => ({
      id: String(r.delivery_id),
      change: toChangeRecord(caller.tenantName, r),
      status: r.status as WebhookDeliveryStatus,
      attempts: r.attempts,
      lastAttemptAt: r.last_attempt_at === null ? null : new Date(r.last_attempt_at),
      nextAttemptAt:
        r.status === "PENDING" && r.next_attempt_at !== null ? new Date(r.next_attempt_at) : null,
      lastOutcome: r.last_outcome,
    }));
  }

  #checkUrl(url: unknown): URL {
    if (typeof url !== "string" || url.length > MAX_URL_LENGTH) {
      throw badInput(`url must be an https:// URL of at most ${MAX_URL_LENGTH} characters.`, {
        argument: "url",
      });
    }
    try {
      return checkOutboundUrl(url, this.#policy);
    } catch (error) {
      if (error instanceof OutboundUrlError) {
        throw badInput(`The webhook URL is refused: ${error.message}`, { argument: "url" });
      }
      throw error;
    }
  }

  #requireRead(caller: Caller): void {
    if (!isAllowed(caller, "manageWebhooks")) throw forbidden(caller, "manageWebhooks");
  }

  #row(caller: Caller, id: string) {
    return this.#context.db
      .selectFrom("webhooks")
      .selectAll()
      .where("tenant_id", "=", caller.tenantId)
      .where("id", "=", id)
      .executeTakeFirst();
  }

  /** A change of one webhook by an admin, audited as `action`; NOT_FOUND when it is not there. */
  async #change(
    caller: Caller,
    id: string,
    action: "DELETE_WEBHOOK" | "ENABLE_WEBHOOK",
    change: (db: Kysely<Database>) => Promise<void>,
  ): Promise<void> {
    validateWebhookId(id);
    await this.#audit.require(caller, "manageWebhooks", action, { webhookId: id });
    const outcome = await this.#context.writer.run(async (db): Promise<Outcome<void>> => {
      const row = await db
        .selectFrom("webhooks")
        .select(["id", "environment_name"])
        .where("tenant_id", "=", caller.tenantId)
        .where("id", "=", id)
        .executeTakeFirst();
      if (row === undefined || !inScope(caller, row)) {
        await this.#audit.recordIn(db, caller, action, "NOT_FOUND", { webhookId: id });
        return fail(webhookNotFound(caller, id));
      }
      await change(db);
      await this.#audit.recordIn(db, caller, action, "SUCCESS", {
        webhookId: id,
        environmentName: row.environment_name,
      });
      await notifyChange(db, this.#context.backend, "webhooks");
      return ok(undefined);
    });
    unwrap(outcome);
  }
}

function validateWebhookId(id: unknown): string {
  if (typeof id === "string" && WEBHOOK_ID.test(id)) return id;
  throw badInput("The webhook id must be one that webhooks lists (a UUID).", { argument: "id" });
}

function checkEvents(
  events: readonly SecretChangeAction[] | null | undefined,
): SecretChangeAction[] | null {
  if (events == null) return null;
  if (!Array.isArray(events) || events.length === 0) {
    throw badInput("events must name at least one action; omit it for every action.", {
      argument: "events",
    });
  }
  for (const event of events) {
    if (!isSecretChangeAction(event)) {
      throw badInput(`events may list only ${SECRET_CHANGE_ACTIONS.join(", ")}.`, {
        argument: "events",
      });
    }
  }
  return SECRET_CHANGE_ACTIONS.filter((action) => events.includes(action));
}

/** Whether a scoped token may see a webhook: one of its environments' (never an all-environments one). */
function inScope(caller: Caller, row: { environment_name: string | null }): boolean {
  const scope = caller.environments ?? null;
  return scope === null || (row.environment_name !== null && scope.includes(row.environment_name));
}

function toMeta(row: WebhooksTable): WebhookMeta {
  return {
    id: row.id,
    url: row.url,
    environment: row.environment_name,
    events: row.events === null ? null : (JSON.parse(row.events) as SecretChangeAction[]),
    created: new Date(row.created),
    createdBy: row.created_by,
    disabledAt: row.disabled_at === null ? null : new Date(row.disabled_at),
    lastOutcome: row.last_outcome,
  };
}
