/**
 * Every change action, the values of the schema's `SecretChangeAction` enum, in the order people
 * are shown them (the console's webhook event choices, `hush webhooks create --events`). A test
 * keeps it equal to the enum in `schema.graphql`.
 */
export const SECRET_CHANGE_ACTIONS = [
  "SET",
  "DELETE",
  "ROLLBACK",
  "COPY",
  "CREATE_ENVIRONMENT",
  "DELETE_ENVIRONMENT",
] as const;

export type SecretChangeActionName = (typeof SECRET_CHANGE_ACTIONS)[number];

/** Whether `name` is one of {@link SECRET_CHANGE_ACTIONS}, exactly (upper case). */
export function isSecretChangeAction(name: string): name is SecretChangeActionName {
  return (SECRET_CHANGE_ACTIONS as readonly string[]).includes(name);
}

/** Each change action as people read it, for choices and lists. */
export const SECRET_CHANGE_ACTION_LABELS: Readonly<Record<SecretChangeActionName, string>> = {
  SET: "Set value",
  DELETE: "Delete secret",
  ROLLBACK: "Roll back",
  COPY: "Copy to environment",
  CREATE_ENVIRONMENT: "Create environment",
  DELETE_ENVIRONMENT: "Delete environment",
};

/**
 * A change in one line for people, never a value: the action, the secret and version when
 * there is one, and the environment.
 *
 * @example describeSecretChange({ action: "SET", name: "DB_URL", version: 3, environment: "production" })
 * // "SET DB_URL v3 in production"
 */
export function describeSecretChange(change: {
  action: SecretChangeActionName;
  name?: string | null;
  version?: number | null;
  environment: string;
}): string {
  const secret = change.name == null ? "" : ` ${change.name}`;
  const version = change.version == null ? "" : ` v${change.version}`;
  return `${change.action}${secret}${version} in ${change.environment}`;
}
