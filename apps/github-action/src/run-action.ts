import { HushError } from "@hush/errors";
import { ApiError, TransportError } from "@hush/graphql";
import { ActionError } from "./action-error.js";
import { checkExportNames } from "./export-names.js";
import { appendFileCommand, fileCommandPath, fileCommandText } from "./file-command.js";
import { getInput, readInputs } from "./inputs.js";
import { exportedText, maskForms } from "./mask-forms.js";
import { apiToken, readSecrets } from "./read-secrets.js";
import { workflowCommand } from "./workflow-commands.js";

/** Where the action writes its log: the step's stdout, which the runner reads commands from. */
export interface ActionLog {
  write(text: string): unknown;
}

/** The step output that lists the names exported, one per line. */
export const EXPORTED_OUTPUT = "exported";

/**
 * The action, as a function of its environment: reads the secrets the inputs ask for and
 * exports them, masked first. The one error boundary: a failure is one `::error::` line and
 * exit code 1, and leaves `$GITHUB_ENV` and `$GITHUB_OUTPUT` as they were.
 */
export async function runAction(env: NodeJS.ProcessEnv, log: ActionLog): Promise<number> {
  try {
    await exportSecrets(env, log);
    return 0;
  } catch (error) {
    log.write(workflowCommand("error", failure(error)));
    return 1;
  }
}

async function exportSecrets(env: NodeJS.ProcessEnv, log: ActionLog): Promise<void> {
  const mask = (text: string) => {
    if (text.trim() !== "") log.write(workflowCommand("add-mask", text));
  };
  // Before anything can fail and print: a token pasted into the wrong input is masked too.
  mask(getInput(env, "token"));
  const inputs = readInputs(env);
  const token = await apiToken(inputs, env, mask);
  const values = await readSecrets(inputs, token);
  const names = Object.keys(values).sort();
  for (const name of names) for (const form of maskForms(values[name])) mask(form);

  checkExportNames(names, inputs.export, inputs.allowEnv);
  if (inputs.export === "outputs" && names.includes(EXPORTED_OUTPUT)) {
    throw new ActionError(
      "REFUSED_NAME",
      `Nothing was exported. ${EXPORTED_OUTPUT}: this action's own output lists the names exported. Use export: env, or rename it on the server.`,
    );
  }
  const entries = names.map((name) => [name, exportedText(values[name])] as const);
  const listed = [EXPORTED_OUTPUT, names.join("\n")] as const;
  const outputFile = fileCommandPath(env, "GITHUB_OUTPUT");
  if (inputs.export === "env") {
    const envFile = fileCommandPath(env, "GITHUB_ENV");
    // Both texts before either write: each may refuse a delimiter in a value.
    const envText = fileCommandText(entries);
    const outputText = fileCommandText([listed]);
    appendFileCommand(envFile, envText);
    appendFileCommand(outputFile, outputText);
  } else {
    appendFileCommand(outputFile, fileCommandText([...entries, listed]));
  }
  const where = inputs.export === "env" ? "the job's environment" : "this step's outputs";
  const from = inputs.environment === undefined ? "" : ` (environment ${inputs.environment})`;
  log.write(
    names.length === 0
      ? `hush: no secrets to export from ${inputs.endpoint}${from}.\n`
      : `hush: exported ${names.length} secret${names.length === 1 ? "" : "s"} from ${inputs.endpoint}${from} to ${where}: ${names.join(", ")}\n`,
  );
}

/**
 * The step's error message: a hush error's own message (never a value) with what to check among
 * the action's inputs, else the stack.
 */
function failure(error: unknown): string {
  if (error instanceof TransportError) return `${error.message} Check the input endpoint.`;
  if (
    error instanceof ApiError &&
    (error.code === "UNAUTHENTICATED" || error.code === "FORBIDDEN")
  ) {
    return `${error.message} Check the input token: a hush API token with the role RUNNER or TENANT_ADMIN, or empty for the job's OpenID Connect token.`;
  }
  if (error instanceof HushError) return error.message;
  if (error instanceof Error) return `Unexpected error: ${error.stack ?? error.message}`;
  return `Unexpected error: ${String(error)}`;
}
