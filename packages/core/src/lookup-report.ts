import { describeOrigin, displayPath } from "@hush/config";
import type { ActiveConfiguration } from "./configuration.js";
import { SecretNotFoundError } from "./errors.js";
import { displayEndpoint } from "./server-errors.js";
import { usesServer } from "./uses-server.js";

/**
 * The `SecretNotFoundError` for a secret that is in neither the run context nor
 * `[context.secrets]`, when the server is not asked. Prefect's first sentence, then why: the line
 * that names an unset variable, if that is the reason, and where it looked.
 */
export function localNotFound(active: ActiveConfiguration, name: string): SecretNotFoundError {
  const unset = unsetReason(active, name);
  const first =
    unset === undefined
      ? `Local Secret "${name}" was not found.`
      : `Local Secret "${name}" was not found: ${unset}.`;
  return new SecretNotFoundError(name, `${first} ${lookupReport(active)}`);
}

/**
 * Why a secret the server was asked for is not set locally, when a line of the config names an
 * unset variable for it: `~/.hush/config.toml:3 sets it to "$STRIPE_KEY" and STRIPE_KEY is not
 * set`. Never a value: the reference is what the file says, and the variable is unset.
 */
export function unsetReason(active: ActiveConfiguration, name: string): string | undefined {
  const sources = active.sources;
  const reference = sources?.unsetReferences.find(
    (r) => r.key === `context.secrets.${name}` || r.key.startsWith(`context.secrets.${name}.`),
  );
  if (sources === undefined || reference === undefined) return undefined;
  const where = describeOrigin(reference.origin, sources.home);
  const inner = reference.key.slice(`context.secrets.${name}`.length + 1);
  const what = inner === "" ? "it" : `its ${inner}`;
  return `${where} sets ${what} to "$${reference.variable}" and ${reference.variable} is not set`;
}

/**
 * Where a lookup looked and why, and which config files were read: the end of every
 * `SecretNotFoundError` message.
 */
export function lookupReport(active: ActiveConfiguration): string {
  const { config, sources } = active;
  let mode: string;
  if (usesServer(config)) {
    const server = `the hush server at ${displayEndpoint(config.cloud.endpoint)}`;
    mode = `Looked in the run context, [context.secrets], then ${server}, since [cloud] use_local_secrets = false${from(active, "cloud.use_local_secrets")}.`;
  } else {
    const why =
      config.backend === "cloud"
        ? `[cloud] use_local_secrets = ${String(config.cloud.use_local_secrets)}${from(active, "cloud.use_local_secrets")}; set it to false to ask the hush server`
        : `backend = "${config.backend}"${from(active, "backend")}; the hush server is asked only with backend = "cloud" and [cloud] use_local_secrets = false`;
    mode = `Looked only in the run context and [context.secrets]: local mode, as ${why}.`;
  }
  if (sources === undefined) return `${mode} The config was given to configure().`;
  const file = displayPath(sources.userConfigPath, sources.home);
  const files = sources.userConfigFound
    ? `Config file read: ${file}.`
    : `Config files read: none (${file} does not exist).`;
  const [unknown] = sources.unknownKeys;
  const note =
    unknown === undefined
      ? ""
      : ` Note: ${unknown.message}${sources.unknownKeys.length > 1 ? ` (and ${sources.unknownKeys.length - 1} more unknown keys)` : ""}`;
  return `${mode} ${files}${note}`;
}

/**
 * Where a key's value came from, in parentheses: `(the default)`, `(~/.hush/config.toml:3)`,
 * `(HUSH__CLOUD__USE_LOCAL_SECRETS)`, `(the --local flag)`; nothing when it is not known (a
 * config given to configure() without its sources).
 */
function from(active: ActiveConfiguration, key: string): string {
  const origin = active.sources?.origins.get(key);
  if (origin === undefined) return "";
  if (origin.kind === "default") return " (the default)";
  return ` (${describeOrigin(origin, active.sources?.home ?? "")})`;
}
