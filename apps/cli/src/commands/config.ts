import { statSync } from "node:fs";
import { type ConfigOrigin, describeOrigin, type LoadedConfig } from "@hush/config";
import { isHushError } from "@hush/errors";
import type { Command } from "commander";
import { ExitCode } from "../exit-codes.js";
import { table } from "../output.js";
import type { Session } from "../session.js";
import { example, type SessionFor } from "./shared.js";

const MASK = "••••••";

export function registerConfig(program: Command, session: SessionFor): void {
  const config = program.command("config").description("Show and check the hush configuration.");

  config
    .command("show")
    .description("Show every config value (secrets masked), optionally with where it came from.")
    .option(
      "--origins",
      "add where each value came from: default, file:line, env variable, auth.toml or a flag",
    )
    .option("--json", "print JSON")
    .addHelpText("after", example("hush config show --origins"))
    .action((flags: { origins?: boolean; json?: boolean }, command: Command) => {
      const s = session(command);
      const rows = configRows(s.loaded, s.sources().origins);
      if (flags.json) {
        s.out.json(
          rows.map((r) => ({
            key: r.key,
            value: r.value,
            ...(flags.origins ? { origin: r.origin } : {}),
          })),
        );
        return;
      }
      s.out.data(
        table(
          flags.origins ? ["KEY", "VALUE", "ORIGIN"] : ["KEY", "VALUE"],
          rows.map((r) => [
            r.key,
            display(r.value),
            ...(flags.origins ? [originColumn(r.origin, s.home)] : []),
          ]),
        ),
      );
    });

  config
    .command("path")
    .description("Print the path of the user config file.")
    .option("--json", "print JSON: { path, exists }")
    .addHelpText("after", example("hush config path", '$EDITOR "$(hush config path)"'))
    .action((flags: { json?: boolean }, command: Command) => {
      const s = session(command);
      if (flags.json) {
        s.out.json({ path: s.loaded.userConfigPath, exists: s.loaded.userConfigFound });
        return;
      }
      s.out.data(s.loaded.userConfigPath);
      if (!s.loaded.userConfigFound)
        s.out.info("(it does not exist yet: the built-in defaults apply)");
    });

  config
    .command("doctor")
    .description(
      "Check the setup: file syntax, unknown keys, unset $VARs in secrets, the server and the token.\nExits 1 when anything is wrong.",
    )
    .option("--json", "print JSON")
    .addHelpText("after", example("hush config doctor"))
    .action(async (flags: { json?: boolean }, command: Command) => {
      const s = session(command);
      s.options.quietUnknownKeys = true;
      const checks = await doctor(s);
      if (flags.json) s.out.json(checks);
      else {
        for (const c of checks) {
          const mark =
            c.status === "ok"
              ? s.out.paint("green", "ok  ", process.stdout)
              : c.status === "warn"
                ? s.out.paint("yellow", "warn", process.stdout)
                : s.out.paint("red", "FAIL", process.stdout);
          s.out.data(`${mark}  ${c.check}: ${c.message}`);
        }
      }
      if (checks.some((c) => c.status !== "ok")) process.exitCode = ExitCode.ERROR;
    });
}

interface Row {
  key: string;
  value: unknown;
  origin: ConfigOrigin;
}

function configRows(loaded: LoadedConfig, origins: LoadedConfig["origins"]): Row[] {
  return [...origins]
    .map(([key, origin]) => ({
      key,
      value: loaded.isSecret(key) ? MASK : valueAt(loaded.config, key),
      origin,
    }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function valueAt(tree: unknown, key: string): unknown {
  let node = tree;
  for (const part of key.split(".")) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function display(value: unknown): string {
  return typeof value === "string" ? value : (JSON.stringify(value) ?? "");
}

/** The ORIGIN column: `default`, `env HUSH__…`, or where else the value came from. */
function originColumn(origin: ConfigOrigin, home: string): string {
  if (origin.kind === "default") return "default";
  if (origin.kind === "env") return `env ${origin.variable}`;
  return describeOrigin(origin, home);
}

interface Check {
  check: string;
  status: "ok" | "warn" | "fail";
  message: string;
}

async function doctor(s: Session): Promise<Check[]> {
  const checks: Check[] = [];
  let loaded: LoadedConfig;
  try {
    loaded = s.loaded;
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
      message: `${unset.key} (${describeOrigin(unset.origin, s.home)}) is $${unset.variable}, which is not set, so the secret counts as not set. Set ${unset.variable}, or change the value.`,
    });
  }
  const mode = await s.mode({});
  checks.push({
    check: "mode",
    status: "ok",
    message:
      mode === "server"
        ? `secrets not in [context.secrets] are read from the server at ${loaded.config.cloud.endpoint}${savedByLogin(loaded)}`
        : 'local: secrets come from [context.secrets] only (set [cloud] use_local_secrets = false and backend = "cloud" to use the server)',
  });
  if (exists(s.auth.path)) {
    try {
      s.auth.get(loaded.config.cloud.endpoint);
      checks.push({
        check: "credentials file",
        status: "ok",
        message: `${s.auth.path} is private (0600)`,
      });
    } catch (error) {
      if (!isHushError(error)) throw error;
      checks.push({ check: "credentials file", status: "fail", message: error.message });
      // Without a usable token there is no server check to make.
      if (loaded.config.cloud.api_key === "") return checks;
    }
  }
  const { endpoint, token, source } = s.credentials();
  try {
    const me = await s.client().me();
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
        status: mode === "server" || token !== "" ? "fail" : "warn",
        message:
          token === ""
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
