import { isStartupVariable, STARTUP_VARIABLE_REASON } from "@hush/schema/startup-variables";
import { ActionError } from "./action-error.js";
import type { ExportTarget } from "./inputs.js";

/** What a shell, and so every later `run:` step, can take as a variable name. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** What GitHub takes as an output's name (`steps.<id>.outputs.<name>`). */
const OUTPUT_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** Variables the runner sets itself; GitHub ignores or misreads them in `$GITHUB_ENV`. */
const RESERVED_PREFIXES = ["GITHUB_", "RUNNER_"];

/**
 * Refuses, in one `ActionError` naming every secret at fault (never a value), the secrets that
 * cannot or may not be exported to `target`: for `env`, names that are not variable names,
 * names GitHub reserves, and start-up variables (`isStartupVariable`, the rule `hush run`
 * follows) not named in `allowEnv`; for `outputs`, names that are not output names.
 */
export function checkExportNames(
  names: readonly string[],
  target: ExportTarget,
  allowEnv: ReadonlySet<string>,
): void {
  const problems: string[] = [];
  const refuse = (test: (name: string) => boolean, why: (list: string) => string) => {
    const refused = names.filter(test);
    if (refused.length > 0) problems.push(why(refused.join(", ")));
  };
  if (target === "outputs") {
    refuse(
      (n) => !OUTPUT_NAME.test(n),
      (list) =>
        `${list}: not output names (letters, digits, "_" and "-", not starting with a digit or "-"). Rename them on the server.`,
    );
  } else {
    refuse(
      (n) => !ENV_NAME.test(n),
      (list) =>
        `${list}: not environment variable names (letters, digits and "_", not starting with a digit). Use export: outputs, or rename them on the server.`,
    );
    refuse(
      (n) => ENV_NAME.test(n) && RESERVED_PREFIXES.some((p) => n.toUpperCase().startsWith(p)),
      (list) =>
        `${list}: GitHub reserves the GITHUB_ and RUNNER_ variables. Use export: outputs, or rename them on the server.`,
    );
    refuse(
      (n) => ENV_NAME.test(n) && isStartupVariable(n) && !allowEnv.has(n.toUpperCase()),
      (list) =>
        `${list}: as environment variables ${STARTUP_VARIABLE_REASON} in every later step of the job. Name each in the input allow-env to export it anyway, or use export: outputs.`,
    );
  }
  if (problems.length > 0) {
    throw new ActionError("REFUSED_NAME", `Nothing was exported. ${problems.join(" ")}`);
  }
}
