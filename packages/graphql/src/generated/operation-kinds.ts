/** Each operation's method name and kind: what the client's methods are made from. */
export const OPERATION_KINDS = {
  setSecret: "mutation",
  setSecrets: "mutation",
  deleteSecret: "mutation",
  rollbackSecret: "mutation",
  secretValue: "query",
  secretValues: "query",
  allSecretValues: "query",
  secretNames: "query",
  secrets: "query",
  secretVersions: "query",
  me: "query",
  auditEvents: "query",
  createApiToken: "mutation",
  apiTokens: "query",
  revokeApiToken: "mutation",
} as const;
