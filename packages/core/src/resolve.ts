import type { HushConfig } from "@hush/config";
import { type ActiveConfiguration, tokenOrNone } from "./configuration.js";
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
export async function resolveRaw(active: ActiveConfiguration, name: string): Promise<unknown> {
  const local = lookupLocal(name, active.config);
  if (local.found) return local.value;
  if (!usesServer(active.config)) throw localNotFound(active, name);
  const fetch = readOne(active, name);
  try {
    return await (active.values.enabled ? active.values.get(name, fetch) : fetch());
  } catch (error) {
    const fallback = await readFallback(active, [name], error);
    if (fallback !== undefined) return fallback.get(name);
    throw explainNotFound(active, error);
  }
}

/** Raw values by name: local ones first, the rest in one `secretValues` round trip. */
export async function resolveRawMany(
  active: ActiveConfiguration,
  names: readonly string[],
): Promise<Map<string, unknown>> {
  const values = new Map<string, unknown>();
  const remote: string[] = [];
  for (const name of new Set(names)) {
    const local = lookupLocal(name, active.config);
    if (local.found) values.set(name, local.value);
    else remote.push(name);
  }
  if (remote.length === 0) return values;
  const [firstRemote] = remote as [string];
  if (!usesServer(active.config)) throw localNotFound(active, firstRemote);

  const pending = new Map<string, Promise<unknown>>();
  const toFetch: string[] = [];
  for (const name of remote) {
    const cached = active.values.enabled
      ? active.values.peek(name, readOne(active, name))
      : undefined;
    if (cached === undefined) toFetch.push(name);
    else pending.set(name, cached);
  }
  if (toFetch.length > 0) {
    const batch = callServer(active, { kind: "read", names: toFetch }, (c) =>
      c.secretValues(toFetch),
    ).then(async (record) => {
      const found = toFetch.filter((name) => hasName(record, name));
      await saveFallback(active, Object.fromEntries(found.map((n) => [n, record[n]])));
      return record;
    });
    for (const name of toFetch) {
      const one = batch.then((record) => pick(record, name, active));
      pending.set(name, one);
      // Cached only once it has arrived, not while pending: a batch fails as a whole when any
      // one name is missing, and a concurrent get() of a name that exists must not share that.
      if (active.values.enabled) {
        one.then(
          (value) => active.values.set(name, value),
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
    const fallback = await readFallback(active, remote, error);
    if (fallback === undefined) throw explainNotFound(active, error);
    for (const name of remote) values.set(name, fallback.get(name));
  }
  return values;
}

/** Whether `name` exists, locally or (when configured) in the server's list of names. */
export async function resolveExists(active: ActiveConfiguration, name: string): Promise<boolean> {
  if (lookupLocal(name, active.config).found) return true;
  if (!usesServer(active.config)) return false;
  const list = () => callServer(active, { kind: "list" }, (c) => c.secretNames());
  const names = await (active.names.enabled ? active.names.get("", list) : list());
  return names.includes(name);
}

/** A loader of one value from the server, which also keeps it in the fallback file. */
function readOne(active: ActiveConfiguration, name: string): () => Promise<unknown> {
  return async () => {
    const value = await callServer(active, { kind: "read", names: [name] }, (c) =>
      c.secretValue(name),
    );
    await saveFallback(active, { [name]: value });
    return value;
  };
}

async function callServer<T>(
  active: ActiveConfiguration,
  action: ServerAction,
  call: (client: ReturnType<ActiveConfiguration["client"]>) => Promise<T>,
): Promise<T> {
  let client: ReturnType<ActiveConfiguration["client"]>;
  try {
    client = active.client();
  } catch (error) {
    throw clientSetupError(error, action);
  }
  try {
    return await call(client);
  } catch (error) {
    const token = tokenOrNone(active.token);
    throw toSecretError(error, {
      endpoint: active.config.cloud.endpoint,
      tokenFrom: token.from,
      tokenOrigin: token.origin,
      identity: token.identity?.describe(),
      home: active.sources?.home,
      useLocalOrigin: active.sources?.origins.get("cloud.use_local_secrets"),
      action,
      environment: active.environment,
    });
  }
}

/**
 * A server's not-found, completed: why the secret is not set locally when a line names an unset
 * variable, where the lookup looked and which config files were read. Other errors as they are.
 */
function explainNotFound(active: ActiveConfiguration, error: unknown): unknown {
  if (!(error instanceof SecretNotFoundError) || error instanceof SecretServerError) return error;
  const unset = unsetReason(active, error.secretName);
  const locally = unset === undefined ? "" : ` Locally, ${unset}.`;
  return new SecretNotFoundError(
    error.secretName,
    `${error.message}${locally} ${lookupReport(active)}`,
    error.cause === undefined ? undefined : { cause: error.cause },
  );
}

function hasName(record: Record<string, unknown>, name: string): boolean {
  return record !== null && typeof record === "object" && Object.hasOwn(record, name);
}

function pick(record: Record<string, unknown>, name: string, active: ActiveConfiguration): unknown {
  if (hasName(record, name)) return record[name];
  // The server answers NOT_FOUND for missing names; an answer without the name is treated alike.
  throw serverNotFound(
    name,
    undefined,
    active.config.cloud.endpoint,
    undefined,
    active.environment,
  );
}
