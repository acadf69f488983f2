import { ActionError } from "./action-error.js";

/** Where the secrets go: the job's environment (`$GITHUB_ENV`) or the step's outputs. */
export type ExportTarget = "env" | "outputs";

/** The action's inputs (action.yml), read and checked. */
export interface ActionInputs {
  /** The hush server's base URL. */
  readonly endpoint: string;
  /** The environment to read; undefined: the token's only environment, else the tenant's default. */
  readonly environment: string | undefined;
  /** The secrets to read; undefined: every secret the token may read. */
  readonly secrets: readonly string[] | undefined;
  /** A hush API token; undefined: exchange the job's OpenID Connect token for one. */
  readonly token: string | undefined;
  /** The audience of the job's OpenID Connect token, as the server's trust expects. */
  readonly audience: string;
  /** The tenant to exchange the OpenID Connect token with, when trusts of several match it. */
  readonly tenant: string | undefined;
  readonly export: ExportTarget;
  /** Start-up variables (`isStartupVariable`) the caller allows to be exported, upper-cased. */
  readonly allowEnv: ReadonlySet<string>;
}

/** The inputs action.yml declares, and the only ones the action reads. */
export const INPUT_NAMES = [
  "endpoint",
  "environment",
  "secrets",
  "token",
  "audience",
  "tenant",
  "export",
  "allow-env",
] as const;

export type InputName = (typeof INPUT_NAMES)[number];

/**
 * Input `name` as GitHub passes it to a JavaScript action: the variable `INPUT_<NAME>`, spaces
 * as `_`, upper-cased, dashes kept (`allow-env` is `INPUT_ALLOW-ENV`); trimmed, as
 * `@actions/core` reads inputs.
 */
export function getInput(env: NodeJS.ProcessEnv, name: InputName): string {
  return (env[`INPUT_${name.replaceAll(" ", "_").toUpperCase()}`] ?? "").trim();
}

/** The action's inputs from `env`; an `ActionError` saying which input to fix when one is wrong. */
export function readInputs(env: NodeJS.ProcessEnv): ActionInputs {
  const endpoint = getInput(env, "endpoint");
  if (endpoint === "") {
    throw new ActionError(
      "INVALID_INPUT",
      "The input endpoint is required: the hush server's URL, e.g. endpoint: https://hush.example.com",
    );
  }
  const target = getInput(env, "export") || "env";
  if (target !== "env" && target !== "outputs") {
    throw new ActionError(
      "INVALID_INPUT",
      `The input export must be env (the job's environment) or outputs (this step's outputs); got "${target}".`,
    );
  }
  const secrets = names(getInput(env, "secrets"));
  return {
    endpoint,
    environment: getInput(env, "environment") || undefined,
    secrets: secrets.length === 0 ? undefined : [...new Set(secrets)],
    token: getInput(env, "token") || undefined,
    audience: getInput(env, "audience") || "hush",
    tenant: getInput(env, "tenant") || undefined,
    export: target,
    allowEnv: new Set(names(getInput(env, "allow-env")).map((n) => n.toUpperCase())),
  };
}

/** Names one per line (commas also separate them), blank lines skipped. */
function names(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((n) => n.trim())
    .filter((n) => n !== "");
}
