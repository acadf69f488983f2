import pg from "pg";
import type { Logger } from "pino";
import { CHANGES_CHANNEL, type ChangeKind, type ChangeNoticeSink } from "./change-notifications.js";

const KINDS: ReadonlySet<string> = new Set<ChangeKind>([
  "keys",
  "tokens",
  "environments",
  "webhooks",
]);
const TENANT_CHANGES = "changes:";
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5000;

/**
 * Listens on PostgreSQL for what other replicas changed (`LISTEN hush_changes`) on a connection
 * of its own, and feeds the notices to `feed`. When the connection is lost, the feed goes not
 * live (caches fall back to a short life) and the listener reconnects with a growing delay;
 * once listening again, the feed resyncs.
 */
export class ChangeListener {
  readonly #url: string;
  readonly #feed: ChangeNoticeSink;
  readonly #logger: Logger | undefined;
  #client: pg.Client | undefined;
  #retryMs = FIRST_RETRY_MS;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: {
    databaseUrl: string;
    feed: ChangeNoticeSink;
    logger?: Logger | undefined;
  }) {
    this.#url = options.databaseUrl;
    this.#feed = options.feed;
    this.#logger = options.logger;
  }

  /** Connects and listens; resolves once listening, or after the first failure (then retries). */
  async start(): Promise<void> {
    await this.#connect();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => {});
  }

  async #connect(): Promise<void> {
    if (this.#closed) return;
    const client = new pg.Client({ connectionString: this.#url, keepAlive: true });
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      if (this.#client === client) this.#client = undefined;
      void client.end().catch(() => {});
      if (this.#closed) return;
      this.#feed.setLive(false);
      this.#logger?.warn(
        { err: error && { message: error.message }, retryInMs: this.#retryMs },
        "lost the PostgreSQL change notifications; caches fall back to a short life until they are back",
      );
      this.#timer = setTimeout(() => void this.#connect(), this.#retryMs);
      this.#timer.unref();
      this.#retryMs = Math.min(this.#retryMs * 2, MAX_RETRY_MS);
    };
    client.on("error", onLost);
    client.on("end", () => onLost());
    client.on("notification", (message) => {
      if (message.channel !== CHANGES_CHANNEL || !message.payload) return;
      if (KINDS.has(message.payload)) this.#feed.emit(message.payload as ChangeKind);
      else if (message.payload.startsWith(TENANT_CHANGES)) {
        this.#feed.emit("changes", message.payload.slice(TENANT_CHANGES.length));
      }
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (error) {
      onLost(error as Error);
      return;
    }
    if (this.#closed) {
      await client.end().catch(() => {});
      return;
    }
    this.#client = client;
    this.#retryMs = FIRST_RETRY_MS;
    if (!this.#feed.live) this.#logger?.info("listening to PostgreSQL change notifications again");
    this.#feed.setLive(true);
  }
}
