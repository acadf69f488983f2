export type { HushConfig } from "@hush/config";
export { ConfigError } from "@hush/config";
export { HushError, isHushError } from "@hush/errors";
export {
  type ConfigSources,
  type ConfigureOptions,
  configure,
  resetConfiguration,
} from "./configuration.js";
export { type RunContext, withContext } from "./context.js";
export { EnvVarSecret, type EnvVarSecretOptions } from "./env-var-secret.js";
export {
  IdentityError,
  SecretAccessError,
  SecretError,
  SecretErrorCode,
  SecretNotFoundError,
  SecretServerError,
  SecretValidationError,
} from "./errors.js";
export {
  type GitHubIdTokenFailure,
  requestGitHubIdToken,
} from "./github-id-token.js";
export {
  type ExchangedToken,
  expiredLoginError,
  type IdentitySource,
  IdentityTokens,
  type IdentityTokensOptions,
  identityFromConfig,
} from "./identity-tokens.js";
export { Redacted } from "./redacted.js";
export { Secret, type SecretOptions } from "./secret.js";
export type { SecretsClient } from "./secrets-client.js";
export { apiTokenAdvice } from "./token-advice.js";
