import type { HushConfig } from "@hush/config";
import { type Session, tokenOrNone } from "./configuration.js";
import { contextSecrets } from "./context.js";
import { SecretNotFoundError, SecretServerError } from "./errors.js";
import { readFallback, saveFallback } from "./fallback-reads.js";
import { localNotFound, lookupReport, unsetReason } from "./lookup-report.js";
import {
  clientSetupError,
  type ServerAction,
  serverNotFound,
  toSecretError,
} from "./server-errors.js";
import { usesServer } from "./uses-server.js";

type Lookup = { readonly found: true; readonly value: unknown } | { readonly found: false };

const MISSING: Lookup = { found: false };

/** The run context's secrets, then `[context.secrets]`. */
export function lookupLocal(name: string, config: HushConfig): Lookup {
  const run = contextSecrets();
  if (run !== undefined && Object.hasOwn(run, name)) return { found: true, value: run[name] };
  const configured = config.context.secrets;
  if (Object.hasOwn(configured, name)) return { found: true, value: configured[name] };
  return MISSING;
}

/** A secret's raw value: local first, then the server when configured; else not found. */
export async function resolveRaw(session: Session, name: string): Promise<unknown> {
  const local = lookupLocal(name, session.config);
  if (local.found) return local.value;
  if (!usesServer(session.config)) throw localNotFound(session, name);
  const fetch = readOne(session, name);
  try {
    return await (session.values.enabled ? session.values.get(name, fetch) : fetch());
  } catch (error) {
    const fallback = await readFallback(session, [name], error);
    if (fallback !== undefined) return fallback.get(name);
    throw explainNotFound(session, error);
  }
}

/** Raw values by name: local ones first, the rest in one `secretValues` round trip. */
export async function resolveRawMany(
  session: Session,
  names: readonly string[],
): Promise<Map<string, unknown>> {
  const values = new Map<string, unknown>();
  const remote: string[] = [];
  for (const name of new Set(names)) {
    const local = lookupLocal(name, session.config);
    if (local.found) values.set(name, local.value);
    else remote.push(name);
  }
  if (remote.length === 0) return values;
  const [firstRemote] = remote as [string];
  if (!usesServer(session.config)) throw localNotFound(session, firstRemote);

  const pending = new Map<string, Promise<unknown>>();
  const toFetch: string[] = [];
  for (const name of remote) {
    const cached = session.values.enabled
      ? session.values.peek(name, readOne(session, name))
      : undefined;
    if (cached === undefined) toFetch.push(name);
    else pending.set(name, cached);
  }
  if (toFetch.length > 0) {
    const batch = callServer(session, { kind: "read", names: toFetch }, (c) =>
      c.secretValues(toFetch),
    ).then(async (record) => {
      const found = toFetch.filter((name) => hasName(record, name));
      await saveFallback(session, Object.fromEntries(found.map((n) => [n, record[n]])));
      return record;
    });
    for (const name of toFetch) {
      const one = batch.then((record) => pick(record, name, session));
      pending.set(name, one);
      // Cached only once it has arrived, not while pending: a batch fails as a whole when any
      // one name is missing, and a concurrent get() of a name that exists must not share that.
      if (session.values.enabled) {
        one.then(
          (value) => session.values.set(name, value),
          () => {},
        );
      }
    }
  }
  try {
    const fetched = await Promise.all(remote.map((name) => pending.get(name)));
    remote.forEach((name, i) => {
      values.set(name, fetched[i]);
    });
  } catch (error) {
    const fallback = await readFallback(session, remote, error);
    if (fallback === undefined) throw explainNotFound(session, error);
    for (const name of remote) values.set(name, fallback.get(name));
  }
  return values;
}

/** Whether `name` exists, locally or (when configured) in the server's list of names. */
export async function resolveExists(session: Session, name: string): Promise<boolean> {
  if (lookupLocal(name, session.config).found) return true;
  if (!usesServer(session.config)) return false;
  const list = () => callServer(session, { kind: "list" }, (c) => c.secretNames());
  const names = await (session.names.enabled ? session.names.get("", list) : list());
  return names.includes(name);
}

/** A loader of one value from the server, which also keeps it in the fallback file. */
function readOne(session: Session, name: string): () => Promise<unknown> {
  return async () => {
    const value = await callServer(session, { kind: "read", names: [name] }, (c) =>
      c.secretValue(name),
    );
    await saveFallback(session, { [name]: value });
    return value;
  };
}

async function callServer<T>(
  session: Session,
  action: ServerAction,
  call: (client: ReturnType<Session["client"]>) => Promise<T>,
): Promise<T> {
  let client: ReturnType<Session["client"]>;
  try {
    client = session.client();
  } catch (error) {
    throw clientSetupError(error, action);
  }
  try {
    return await call(client);
  } catch (error) {
    const token = tokenOrNone(session.token);
    throw toSecretError(error, {
      endpoint: session.config.cloud.endpoint,
      tokenFrom: token.from,
      tokenOrigin: token.origin,
      home: session.sources?.home,
      useLocalOrigin: session.sources?.origins.get("cloud.use_local_secrets"),
      action,
    });
  }
}

/**
 * A server's not-found, completed: why the secret is not set locally when a line names an unset
 * variable, where the lookup looked and which config files were read. Other errors as they are.
 */
function explainNotFound(session: Session, error: unknown): unknown {
  if (!(error instanceof SecretNotFoundError) || error instanceof SecretServerError) return error;
  const unset = unsetReason(session, error.secretName);
  const locally = unset === undefined ? "" : ` Locally, ${unset}.`;
  return new SecretNotFoundError(
    error.secretName,
    `${error.message}${locally} ${lookupReport(session)}`,
    error.cause === undefined ? undefined : { cause: error.cause },
  );
}

function hasName(record: Record<string, unknown>, name: string): boolean {
  return record !== null && typeof record === "object" && Object.hasOwn(record, name);
}

function pick(record: Record<string, unknown>, name: string, session: Session): unknown {
  if (hasName(record, name)) return record[name];
  // The server answers NOT_FOUND for missing names; an answer without the name is treated alike.
  throw serverNotFound(name, undefined, session.config.cloud.endpoint);
}
