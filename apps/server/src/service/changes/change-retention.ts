import type { ServiceContext } from "../service-context.js";
import { CHANGE_EVENTS_KEPT_DAYS } from "./secret-changes.js";

const DAY_MS = 86_400_000;

/**
 * Deletes the change events older than {@link CHANGE_EVENTS_KEPT_DAYS} days, with their webhook
 * deliveries (long settled: the last try comes about an hour after the change). A follower whose
 * cursor was among them is told to start again (see `SecretChanges`). Answers how many events
 * were deleted; run by the audit retention sweep.
 */
export async function pruneChangeEvents(context: ServiceContext): Promise<number> {
  const cutoff = new Date(context.clock().getTime() - CHANGE_EVENTS_KEPT_DAYS * DAY_MS);
  const before = cutoff.toISOString();
  return context.writer.run(async (db) => {
    await db
      .deleteFrom("webhook_deliveries")
      .where("change_event_id", "in", (eb) =>
        eb.selectFrom("change_events").select("id").where("at", "<", before),
      )
      .execute();
    const deleted = await db
      .deleteFrom("change_events")
      .where("at", "<", before)
      .executeTakeFirst();
    return Number(deleted.numDeletedRows);
  });
}
