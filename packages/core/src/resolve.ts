import type { HushConfig } from "@hush/config";
import type { Session } from "./configuration.js";
import { contextSecrets } from "./context.js";
import { SecretNotFoundError } from "./errors.js";
import {
  clientSetupError,
  type ServerAction,
  serverNotFound,
  toSecretError,
} from "./server-errors.js";

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

/** Prefect's rule: the server is asked only when `use_local_secrets` is exactly `false`. */
export function usesServer(config: HushConfig): boolean {
  return config.backend === "cloud" && config.cloud.use_local_secrets === false;
}

export function localNotFound(name: string): SecretNotFoundError {
  return new SecretNotFoundError(name, `Local Secret "${name}" was not found.`);
}

/** A secret's raw value: local first, then the server when configured; else not found. */
export async function resolveRaw(session: Session, name: string): Promise<unknown> {
  const local = lookupLocal(name, session.config);
  if (local.found) return local.value;
  if (!usesServer(session.config)) throw localNotFound(name);
  const fetch = () =>
    callServer(session, { kind: "read", names: [name] }, (c) => c.secretValue(name));
  if (session.cacheTtlMs <= 0) return fetch();
  return session.values.getOrLoad(name, fetch);
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
  if (!usesServer(session.config)) throw localNotFound(firstRemote);

  const pending = new Map<string, Promise<unknown>>();
  const toFetch: string[] = [];
  for (const name of remote) {
    const cached = session.cacheTtlMs > 0 ? session.values.get(name) : undefined;
    if (cached === undefined) toFetch.push(name);
    else pending.set(name, cached);
  }
  if (toFetch.length > 0) {
    const batch = callServer(session, { kind: "read", names: toFetch }, (c) =>
      c.secretValues(toFetch),
    );
    for (const name of toFetch) {
      const one = batch.then((record) => pick(record, name, session));
      pending.set(name, one);
      // Cached only once it has arrived, not while pending: a batch fails as a whole when any
      // one name is missing, and a concurrent get() of a name that exists must not share that.
      if (session.cacheTtlMs > 0) {
        one.then(
          (value) => session.values.set(name, Promise.resolve(value)),
          () => {},
        );
      }
    }
  }
  const fetched = await Promise.all(remote.map((name) => pending.get(name)));
  remote.forEach((name, i) => {
    values.set(name, fetched[i]);
  });
  return values;
}

/** Whether `name` exists, locally or (when configured) in the server's list of names. */
export async function resolveExists(session: Session, name: string): Promise<boolean> {
  if (lookupLocal(name, session.config).found) return true;
  if (!usesServer(session.config)) return false;
  const list = () => callServer(session, { kind: "list" }, (c) => c.secretNames());
  const names = await (session.cacheTtlMs > 0 ? session.names.getOrLoad("", list) : list());
  return names.includes(name);
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
    throw toSecretError(error, {
      endpoint: session.config.cloud.endpoint,
      apiKeySet: session.config.cloud.api_key !== "",
      action,
    });
  }
}

function pick(record: Record<string, unknown>, name: string, session: Session): unknown {
  if (record !== null && typeof record === "object" && Object.hasOwn(record, name)) {
    return record[name];
  }
  // The server answers NOT_FOUND for missing names; an answer without the name is treated alike.
  throw serverNotFound(name, undefined, session.config.cloud.endpoint);
}
