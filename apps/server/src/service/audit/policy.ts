import { hash } from "node:crypto";
import type { AuditEventRecord } from "../contract.js";

// What the audit log keeps of floods, and what it evicts first. The rule: no caller can evict
// events it did not cause, and none can erase the evidence of what it read. The API README's
// "Audit" and "Audit retention" sections say the same for users; keep them in step.

/** Names an event keeps of a call over several secrets; it counts the others. */
export const NAMES_PER_EVENT = 20;

/**
 * Refused or missed calls of one token recorded one event each per minute (per server
 * process); past it, the token's further refusals and misses of that minute are counted on one
 * suppressed event per action and outcome.
 */
export const REFUSALS_PER_TOKEN_PER_MINUTE = 60;

/** Repeats of an event by the same token within one such window are counted on one event. */
export const REPEAT_WINDOW_MS = 60_000;

/** The share of a tenant's event limit that refusals and misses may hold. */
export const REFUSAL_SHARE = 0.1;

/** The share of a tenant's event limit at which each sweep warns (log and metric). */
export const WARN_SHARE = 0.8;

type Outcome = AuditEventRecord["outcome"];
type Action = AuditEventRecord["action"];

/** A refusal (DENIED) or a miss (NOT_FOUND): kept under a cap of their own, evicted first. */
export function isRefusal(outcome: Outcome): boolean {
  return outcome !== "SUCCESS";
}

/**
 * Whether repeats of the event are counted on one event rather than each stored: reads and
 * refusals are; a write (a new version, a token change) is stored each time.
 */
export function countsRepeats(action: Action, outcome: Outcome): boolean {
  return isRefusal(outcome) || action === "READ_SECRET_VALUE";
}

/** What an event says about the secrets of a call: one name, or the first names and a count. */
export interface SecretsOfCall {
  secretName: string | null;
  secretNames: string[] | null;
  secretNameCount: number | null;
}

/** The names of a call as an event keeps them: one name as is, more as the first few and a count. */
export function secretsOfCall(names: readonly string[]): SecretsOfCall {
  if (names.length === 0) return { secretName: null, secretNames: null, secretNameCount: null };
  if (names.length === 1) {
    return { secretName: names[0]!, secretNames: null, secretNameCount: null };
  }
  return {
    secretName: null,
    secretNames: names.slice(0, NAMES_PER_EVENT),
    secretNameCount: names.length,
  };
}

/**
 * The key under which repeats of an event are counted: the same tenant, token, action,
 * outcome, secret(s), version and target within the same window. Hashed, so that the unique
 * index over it stays small whatever the names.
 */
export function repeatKey(
  event: {
    tenantId: string;
    actorKey: string;
    action: string;
    outcome: string;
    secretName: string | null;
    secretNames: readonly string[] | null;
    secretNameCount: number | null;
    version: number | null;
    target: string | null;
    suppressed: boolean;
    /** Part of the key only when set, so events of the default environment keep their keys. */
    environmentId?: string | null;
    /** Part of the key only for a name without an id (a refused unknown environment). */
    environmentName?: string | null;
    /** Part of the key only when set, so events about no trust keep their keys. */
    trustId?: string | null;
  },
  at: Date,
): string {
  const window = Math.floor(at.getTime() / REPEAT_WINDOW_MS);
  // The one-shot hash: half the cost of createHash() on a short input, once per audited read.
  return hash(
    "sha256",
    JSON.stringify([
      event.environmentId != null
        ? [event.tenantId, event.environmentId]
        : event.environmentName != null
          ? [event.tenantId, null, event.environmentName]
          : event.tenantId,
      event.actorKey,
      event.action,
      event.outcome,
      event.secretName,
      event.secretNames,
      event.secretNameCount,
      event.version,
      event.target,
      event.suppressed,
      window,
      ...(event.trustId != null ? [event.trustId] : []),
    ]),
    "base64url",
  ).slice(0, 22);
}

/**
 * How many events to delete from each actor so that `excess` go, taking from the largest first
 * (water-filling): every actor above some level is cut down to it, and an actor at or below it
 * loses nothing. So one actor's flood is cut back before anyone else loses an event, and others
 * lose events only when they hold as many as the flooder has left.
 */
export function fairShares<K>(counts: ReadonlyMap<K, number>, excess: number): Map<K, number> {
  const cuts = new Map<K, number>();
  if (excess <= 0) return cuts;
  const cutAbove = (level: number) => {
    let cut = 0;
    for (const n of counts.values()) cut += Math.max(0, n - level);
    return cut;
  };
  // The highest level whose cut frees at least `excess` (all of it when there is no such level).
  let low = 0;
  let high = Math.max(0, ...counts.values());
  if (cutAbove(0) <= excess) {
    for (const [key, n] of counts) if (n > 0) cuts.set(key, n);
    return cuts;
  }
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (cutAbove(middle) >= excess) low = middle;
    else high = middle - 1;
  }
  // Cut everyone to level + 1, then one more from the largest until `excess` is met.
  let left = excess;
  for (const [key, n] of counts) {
    const cut = Math.max(0, n - (low + 1));
    if (cut > 0) cuts.set(key, cut);
    left -= cut;
  }
  const atTop = [...counts].filter(([, n]) => n > low).sort((a, b) => b[1] - a[1]);
  for (const [key] of atTop) {
    if (left === 0) break;
    cuts.set(key, (cuts.get(key) ?? 0) + 1);
    left -= 1;
  }
  return cuts;
}
