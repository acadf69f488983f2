export { AUDIT_ACTIONS, type AuditActionName, describeAuditSubject } from "./audit-actions.js";
export {
  describeSecretChange,
  isSecretChangeAction,
  SECRET_CHANGE_ACTION_LABELS,
  SECRET_CHANGE_ACTIONS,
  type SecretChangeActionName,
} from "./change-actions.js";
export {
  escapeForDisplay,
  hasUnsafeDisplayChars,
  UNSAFE_DISPLAY_CHARS,
} from "./display-text.js";
export { ErrorCode } from "./error-code.js";
export {
  type ErrorExtensions,
  type ErrorExtensionsByCode,
  hasErrorCode,
  RateLimitScope,
  type ReceivedErrorExtensions,
  UnauthenticatedReason,
} from "./error-extensions.js";
export { LIMITS } from "./limits.js";
export { type Permission, permissions, roleMay } from "./permissions.js";
export { RequestLimit } from "./request-limit.js";
export { isRoleName, listRoleNames, ROLE_NAMES, ROLES, type RoleName } from "./roles.js";
export { schemaPath, typeDefs } from "./schema-sdl.js";
export {
  ENVIRONMENT_NAME_RULE,
  environmentNameError,
  SECRET_NAME_RULE,
  secretNameError,
} from "./secret-name.js";
export {
  isStartupVariable,
  STARTUP_VARIABLE_REASON,
  STARTUP_VARIABLES,
} from "./startup-variables.js";
export {
  API_TOKEN_CHARS,
  API_TOKEN_LENGTH,
  API_TOKEN_PREFIX,
  containsTokenLike,
  isApiTokenShaped,
  redactTokenLike,
  TOKEN_LIKE_MIN_CHARS,
  TOKEN_LIKE_REASON,
  TOKEN_PLACEHOLDER,
} from "./token-shape.js";
