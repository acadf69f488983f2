import { statSync } from "node:fs";
import { describeOrigin, type LoadedConfig } from "@hush/config";
import { isHushError } from "@hush/errors";
import type { CommandContext } from "../command-context.js";
import { ExitCode } from "../exit-codes.js";

/**
 * `hush config doctor`: checks the config file, unknown keys, unset `$VAR`s, the server and the
 * token; prints one line a check and returns the exit code (1 when anything is wrong).
 */
export async function configDoctor(
  input: { json?: boolean | undefined },
  context: CommandContext,
): Promise<ExitCode> {
  context.options.quietUnknownKeys = true;
  const checks = await doctor(context);
  if (input.json) context.out.json(checks);
  else {
    const { out, stdout } = context;
    for (const c of checks) {
      const mark =
        c.status === "ok"
          ? out.paint("green", "ok  ", stdout)
          : c.status === "warn"
            ? out.paint("yellow", "warn", stdout)
            : out.paint("red", "FAIL", stdout);
      out.data(`${mark}  ${c.check}: ${c.message}`);
    }
  }
  return checks.some((c) => c.status !== "ok") ? ExitCode.ERROR : ExitCode.OK;
}

interface Check {
  check: string;
  status: "ok" | "warn" | "fail";
  message: string;
}

async function doctor(context: CommandContext): Promise<Check[]> {
  const checks: Check[] = [];
  let loaded: LoadedConfig;
  try {
    loaded = context.loaded;
  } catch (error) {
    if (!isHushError(error)) throw error;
    return [{ check: "config file", status: "fail", message: error.message }];
  }
  checks.push({
    check: "config file",
    status: "ok",
    message: loaded.userConfigFound
      ? `${loaded.userConfigPath} loads`
      : `${loaded.userConfigPath} does not exist; built-in defaults apply`,
  });
  for (const unknown of loaded.unknownKeys) {
    checks.push({
      check: "unknown key",
      status: "fail",
      message: unknown.message,
    });
  }
  for (const unset of loaded.unsetReferences) {
    checks.push({
      check: "unset variable",
      status: "fail",
      message: `${unset.key} (${describeOrigin(unset.origin, context.home)}) is $${unset.variable}, which is not set, so the secret counts as not set. Set ${unset.variable}, or change the value.`,
    });
  }
  const mode = await context.mode({});
  checks.push({
    check: "mode",
    status: "ok",
    message:
      mode === "server"
        ? `secrets not in [context.secrets] are read from the server at ${loaded.config.cloud.endpoint}${savedByLogin(loaded)}, ${inEnvironment(context.environment)}`
        : 'local: secrets come from [context.secrets] only (set [cloud] use_local_secrets = false and backend = "cloud" to use the server)',
  });
  if (exists(context.auth.path)) {
    try {
      context.auth.get(loaded.config.cloud.endpoint);
      checks.push({
        check: "credentials file",
        status: "ok",
        message: `${context.auth.path} is private (0600)`,
      });
    } catch (error) {
      if (!isHushError(error)) throw error;
      checks.push({ check: "credentials file", status: "fail", message: error.message });
      // Without a usable token there is no server check to make.
      if (loaded.config.cloud.api_key === "") return checks;
    }
  }
  const { endpoint, token, source, identity, expiredAt } = context.credentials();
  checks.push({
    check: "credential",
    status: expiredAt === undefined ? "ok" : "fail",
    message:
      identity !== undefined
        ? `no API token is set, so tokens are exchanged for ${source}`
        : expiredAt !== undefined
          ? `the token \`hush login --oidc\` saved in ${source} expired at ${expiredAt}; run \`hush login --oidc\` again`
          : token === ""
            ? "none: no API token is set or saved, and no identity ([cloud] identity_token_file or identity)"
            : `the API token from ${source}`,
  });
  if (expiredAt !== undefined) return checks;
  try {
    const me = await context.client().me();
    checks.push({
      check: "server",
      status: "ok",
      message: `${endpoint}${savedByLogin(loaded, endpoint)} is reachable`,
    });
    checks.push({
      check: "token",
      status: "ok",
      message: `valid: "${me.tokenName}", role ${me.role}, tenant "${me.tenant.name}" (from ${source})`,
    });
  } catch (error) {
    if (!isHushError(error)) throw error;
    if (
      error.code === "NETWORK" ||
      error.code === "TIMEOUT" ||
      error.code === "BAD_RESPONSE" ||
      error.code === "HTTP_ERROR"
    ) {
      checks.push({
        check: "server",
        status: mode === "server" ? "fail" : "warn",
        message: error.message,
      });
    } else {
      checks.push({ check: "server", status: "ok", message: `${endpoint} is reachable` });
      checks.push({
        check: "token",
        status: mode === "server" || token !== "" || identity !== undefined ? "fail" : "warn",
        message:
          identity !== undefined
            ? error.message
            : token === ""
              ? `no API token for ${endpoint}. Run \`hush login\`, or set [cloud] api_key / HUSH__CLOUD__API_KEY.`
              : `the token from ${source} was not accepted (${error.code}). Run \`hush login\` with a valid token.`,
      });
    }
  }
  return checks;
}

/** " (the default `hush login` saved in …/auth.toml)" when that is where the endpoint came from. */
function savedByLogin(loaded: LoadedConfig, endpoint = loaded.config.cloud.endpoint): string {
  const origin = loaded.origins.get("cloud.endpoint");
  return origin?.kind === "login" && endpoint === loaded.config.cloud.endpoint
    ? ` (the default \`hush login\` saved in ${origin.file})`
    : "";
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Which server environment reads use, as `config doctor` says it. */
function inEnvironment(environment: string | undefined): string {
  return environment === undefined
    ? "in the token's only environment, else the tenant's default ([cloud] environment is not set)"
    : `in environment "${environment}" ([cloud] environment)`;
}
