import { HushError } from "@hush/errors";

/** Why the action failed the step, for tests and for the one place that prints it. */
export const ActionErrorCode = {
  /** An input is missing or not one of its allowed values. */
  INVALID_INPUT: "INVALID_INPUT",
  /** A variable GitHub sets for every job step (GITHUB_ENV, ACTIONS_ID_TOKEN_REQUEST_URL…) is unset. */
  NOT_IN_ACTIONS: "NOT_IN_ACTIONS",
  /** GitHub's ID-token endpoint did not give a token. */
  ID_TOKEN: "ID_TOKEN",
  /** Secrets named in `secrets` are not on the server. */
  MISSING_SECRETS: "MISSING_SECRETS",
  /** A secret's name cannot or may not be exported where `export` says. */
  REFUSED_NAME: "REFUSED_NAME",
  /** A name or value holds the file command's delimiter. */
  DELIMITER_COLLISION: "DELIMITER_COLLISION",
} as const;

export type ActionErrorCode = (typeof ActionErrorCode)[keyof typeof ActionErrorCode];

/** A failure the action explains itself: its message is the step's `::error::`, never a value. */
export class ActionError extends HushError {
  override readonly name: string = "ActionError";
  declare readonly code: ActionErrorCode;
}
