export { ConfigError, ConfigErrorCode, type ConfigErrorDetails } from "./config-error.js";
export {
  CONFIG_KEYS,
  type ConfigKey,
  type ConfigKeyType,
  envVariableFor,
} from "./config-keys.js";
export { decodeSecretText } from "./decode-secret-text.js";
export { describeOrigin } from "./describe-origin.js";
export { displayPath } from "./error-site.js";
export { isSensitiveKey } from "./is-sensitive-key.js";
export { loadConfig, loadConfigWithOrigins } from "./load-config.js";
export {
  authFilePath,
  DEFAULT_ENDPOINT_KEY,
  endpointKey,
  isExpired,
  readAuthFile,
  type SavedCredentials,
  savedCredentials,
  savedDefaultEndpoint,
} from "./saved-credentials.js";
export type {
  Backend,
  ConfigOrigin,
  HushConfig,
  LoadConfigOptions,
  LoadedConfig,
  UnknownConfigKey,
  UnsetSecretReference,
} from "./types.js";
