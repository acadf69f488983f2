import { setTimeout as sleep } from "node:timers/promises";
import { escapeForDisplay } from "@hush/schema/display-text";
import type { CommandContext } from "./command-context.js";
import type { ServerClient } from "./lazy-client.js";
import type { Output } from "./output.js";

/** One committed change, as `secretChanges` sends it: never a value. */
export type SecretChange = Awaited<ReturnType<ServerClient["secretChanges"]>>["changes"][number];

/** How long the server may hold one long-poll open (its limit is 25 s). */
const WAIT_SECONDS = 20;
/** Waits after a failed poll: doubling from 1 s, at most 30 s. */
const BACKOFF_MS = { first: 1_000, max: 30_000 } as const;

/**
 * The changes of one server environment, followed with `secretChanges` long-polls: `begin` takes
 * the newest cursor (so only later changes count), `follow` then polls until aborted. A failed
 * poll (server down, 5xx, refused token) is retried with backoff and warned about once per
 * outage; the feed itself never gives up, so the process it serves keeps running.
 */
export class ChangeFeed {
  readonly #client: ServerClient;
  readonly #names: string[] | undefined;
  readonly #out: Output;
  readonly #where: string;
  #cursor: string | undefined;

  /**
   * @param environment - the environment followed; undefined: the command's own.
   * @param names - only these secrets' changes; undefined: every change in the environment.
   */
  constructor(
    context: CommandContext,
    environment: string | undefined,
    names: readonly string[] | undefined,
    signal: AbortSignal,
  ) {
    const { endpoint } = context.credentials();
    const env = environment ?? context.environment;
    // The command's credentials: an identity's exchanged token is renewed as polls go on.
    this.#client = context.newClient({
      ...(env === undefined ? {} : { environment: env }),
      // A held poll answers within WAIT_SECONDS; failures are retried here, with the backoff above.
      timeoutMs: (WAIT_SECONDS + 15) * 1_000,
      retries: 0,
      fetch: abortable(signal),
    });
    this.#names = names === undefined ? undefined : [...names];
    this.#out = context.out;
    this.#where = env === undefined ? endpoint : `${endpoint}, environment "${env}"`;
  }

  /** Takes the newest cursor: changes committed after this call are the ones `follow` sees. */
  async begin(): Promise<void> {
    this.#cursor = (await this.#poll(0)).cursor;
  }

  /** Polls until `signal` is aborted, handing each page of changes to `onChanges`. */
  async follow(onChanges: (changes: SecretChange[]) => void, signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        // After a failure, a quick poll first: it says at once whether the server is back.
        const page = await this.#poll(failures > 0 ? 0 : WAIT_SECONDS);
        if (failures > 0) this.#out.info(`hush: following changes on ${this.#where} again.`);
        failures = 0;
        this.#cursor = page.cursor;
        if (page.changes.length > 0) onChanges(page.changes);
      } catch (error) {
        if (signal.aborted) return;
        if (failures === 0) {
          this.#out.warn(
            `Cannot follow changes on ${this.#where}: ${failureText(error)} Trying again; what runs now is kept.`,
          );
        }
        const wait = Math.min(BACKOFF_MS.first * 2 ** failures, BACKOFF_MS.max);
        failures += 1;
        await sleep(wait, undefined, { signal }).catch(() => undefined);
      }
    }
  }

  #poll(waitSeconds: number) {
    return this.#client.secretChanges({
      ...(this.#cursor === undefined ? {} : { after: this.#cursor }),
      ...(this.#names === undefined ? {} : { names: this.#names }),
      waitSeconds,
    });
  }
}

/** Node's fetch, with every request also cut short when `signal` is aborted. */
function abortable(signal: AbortSignal): typeof fetch {
  return (input, init) =>
    fetch(input, {
      ...init,
      signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal,
    });
}

/** An error's message for a warning, with control and bidi characters shown as escapes. */
export function failureText(error: unknown): string {
  return escapeForDisplay(error instanceof Error ? error.message : String(error));
}
