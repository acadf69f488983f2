import { randomUUID } from "node:crypto";
import { appendFileSync } from "node:fs";
import { ActionError } from "./action-error.js";

/**
 * The text to append to a file command (`$GITHUB_ENV`, `$GITHUB_OUTPUT`) that sets each
 * `[name, text]`: `NAME<<DELIMITER`, the text, `DELIMITER`, the heredoc-like form that takes
 * any multi-line text. The delimiter is random, so a value cannot end its own block and set other
 * variables; a name or text that holds it anyway is refused, naming the secret, before anything
 * is written.
 */
export function fileCommandText(
  entries: ReadonlyArray<readonly [name: string, text: string]>,
  delimiter = `ghadelimiter_${randomUUID()}`,
): string {
  const colliding = entries.filter(
    ([name, text]) => name.includes(delimiter) || text.includes(delimiter),
  );
  if (colliding.length > 0) {
    throw new ActionError(
      "DELIMITER_COLLISION",
      `Nothing was exported: the name or value of ${colliding.map(([n]) => n).join(", ")} holds the random delimiter ${delimiter}. Run the step again.`,
    );
  }
  return entries.map(([name, text]) => `${name}<<${delimiter}\n${text}\n${delimiter}\n`).join("");
}

/**
 * The file GitHub names in variable `variable` (`GITHUB_ENV`, `GITHUB_OUTPUT`), looked up before
 * anything is written, so that a missing one leaves the others as they were.
 */
export function fileCommandPath(env: NodeJS.ProcessEnv, variable: string): string {
  const file = env[variable];
  if (file === undefined || file === "") {
    throw new ActionError(
      "NOT_IN_ACTIONS",
      `${variable} is not set: this action runs as a step of a GitHub Actions job, which sets it.`,
    );
  }
  return file;
}

/** Appends `text` to a file command's file in one write: after every check passed. */
export function appendFileCommand(file: string, text: string): void {
  appendFileSync(file, text, "utf8");
}
