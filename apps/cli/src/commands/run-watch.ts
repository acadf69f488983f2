import { constants } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { ChangeFeed, failureText, type SecretChange } from "../change-feed.js";
import {
  type ChildEnd,
  exitAs,
  forwardSignals,
  type RunningChild,
  startChild,
} from "../child-process.js";
import { usageError } from "../cli-error.js";
import { Coalesced } from "../coalesced.js";
import type { CommandContext } from "../command-context.js";
import { callerNamed } from "../environment-rules.js";
import { secretTexts } from "../secret-texts.js";
import { childEnvironment, maskFlushMs, type RunInput } from "./run.js";

/** `hush run --watch`'s own flags. */
export interface WatchFlags {
  /** Send this signal on a change instead of restarting the command. */
  signal?: string | undefined;
  /** Seconds between SIGTERM and SIGKILL when the command is restarted. */
  gracePeriod?: string | undefined;
}

/** @default 10 seconds between SIGTERM and SIGKILL. */
const GRACE_SECONDS = 10;

/** Changes that can change a value the command was given. */
const VALUE_CHANGES = new Set<SecretChange["action"]>(["SET", "DELETE", "ROLLBACK"]);

/**
 * `hush run --watch -- CMD…`: runs CMD as `hush run` does (the same environment, masking, signals
 * and exit code) and follows the server's changes of its secrets. On a change (a burst is one),
 * the new values are read first: when they cannot be, the running command is kept with a
 * warning and the read is tried again; when they differ, CMD is restarted with them (SIGTERM,
 * `--grace-period`, SIGKILL), or sent `--signal` and left running. When CMD ends by itself, hush
 * ends with its exit code.
 */
export async function runWatching(
  input: RunInput & WatchFlags,
  context: CommandContext,
): Promise<number> {
  const named = callerNamed(input);
  const reload = input.signal === undefined ? undefined : signalNamed(input.signal);
  const graceMs = gracePeriodMs(input.gracePeriod);
  const mode = await context.mode(input);
  if (mode !== "server") {
    throw usageError(
      "--watch follows the hush server's changes, but this command reads local secrets ([context.secrets] of the config file, as [cloud] use_local_secrets is not false). Pass --cloud to read and follow the server.",
    );
  }
  const stopFeed = new AbortController();
  const feed = new ChangeFeed(context, undefined, named.only && [...named.only], stopFeed.signal);
  // The cursor first, then the values: a change committed in between is still seen.
  await feed.begin();
  let values = await secretTexts(context, mode, input);
  const prefix = input.prefix ?? "";
  const flushMs = input.mask ? maskFlushMs(context.env) : undefined;
  const environmentOf = (v: ReadonlyMap<string, string>) =>
    childEnvironment(v, prefix, named, context.out, context.env);
  const start = (env: Record<string, string>, v: ReadonlyMap<string, string>) =>
    startChild(input.argv, env, input.mask ? v : undefined, flushMs);

  let child: RunningChild = await start(environmentOf(values), values);
  let stopAsked = false;
  let replacing: Promise<void> | undefined;
  const stopForwarding = forwardSignals((signal) => {
    if (signal !== "SIGHUP") stopAsked = true;
    child.kill(signal);
  });

  /** Stops the running command (SIGTERM, the grace period, SIGKILL) and starts it with `env`. */
  const replace = async (env: Record<string, string>, v: ReadonlyMap<string, string>) => {
    const old = child;
    const killed = new AbortController();
    old.kill("SIGTERM");
    void sleep(graceMs, undefined, { signal: killed.signal }).then(
      () => old.kill("SIGKILL"),
      () => undefined,
    );
    await old.ended.catch(() => undefined);
    killed.abort();
    if (!stopAsked) child = await start(env, v);
  };

  const update = new Coalesced(
    async () => {
      const next = await secretTexts(context, mode, input);
      const changed = changedNames(values, next);
      if (changed.length === 0) return;
      // Refuses, before the command is touched, values no environment can hold (named by --only).
      const env = environmentOf(next);
      values = next;
      const list = changed.join(", ");
      if (reload !== undefined) {
        child.kill(reload);
        context.out.info(`hush: ${list} changed; sent ${reload} to the command.`);
        return;
      }
      context.out.info(`hush: ${list} changed; restarting the command.`);
      replacing = replace(env, next);
      await replacing.catch(() => undefined);
    },
    (error) =>
      context.out.warn(
        `Kept the running command: the changed secrets could not be read (${failureText(error)}) Trying again shortly.`,
      ),
  );
  void feed.follow((changes) => {
    for (const change of changes) {
      if (change.action === "DELETE_ENVIRONMENT") {
        context.out.warn(
          `The environment "${change.environment}" was deleted; the running command is kept.`,
        );
      }
    }
    if (changes.some((change) => VALUE_CHANGES.has(change.action))) update.trigger();
  }, stopFeed.signal);

  try {
    for (;;) {
      const current = child;
      let end: ChildEnd;
      try {
        end = await current.ended;
      } finally {
        // A restart ends the command hush started; it waits for the new one to start.
        if (replacing !== undefined) await replacing;
      }
      if (child === current) {
        stopForwarding();
        return exitAs(end);
      }
    }
  } finally {
    stopForwarding();
    update.stop();
    stopFeed.abort();
  }
}

/** The names whose values differ between `before` and `after` (added and removed ones too). */
function changedNames(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((name) => before.get(name) !== after.get(name)).sort();
}

/** `--signal`'s value as a signal name: `HUP`, `sighup` and `SIGHUP` are SIGHUP. */
function signalNamed(text: string): NodeJS.Signals {
  const upper = text.trim().toUpperCase();
  const name = upper.startsWith("SIG") ? upper : `SIG${upper}`;
  if (!Object.hasOwn(constants.signals, name) || name === "SIGKILL" || name === "SIGSTOP") {
    throw usageError(
      `--signal ${text} is not a signal a program can handle. Name one such as SIGHUP or SIGUSR1.`,
    );
  }
  return name as NodeJS.Signals;
}

/** `--grace-period`'s seconds, in milliseconds. */
function gracePeriodMs(text: string | undefined): number {
  if (text === undefined) return GRACE_SECONDS * 1_000;
  const seconds = Number(text);
  if (text.trim() === "" || !Number.isFinite(seconds) || seconds < 0 || seconds > 3_600) {
    throw usageError(
      `--grace-period takes seconds from 0 to 3600, not "${text}". Nothing was run.`,
    );
  }
  return seconds * 1_000;
}
