export { AUDIT_ACTIONS, type AuditActionName, describeAuditSubject } from "./audit-actions.js";
export {
  escapeForDisplay,
  hasUnsafeDisplayChars,
  UNSAFE_DISPLAY_CHARS,
} from "./display-text.js";
export { ErrorCode } from "./error-code.js";
export { LIMITS } from "./limits.js";
export { type Permission, permissions, type RoleName, roleMay } from "./permissions.js";
export { RequestLimit } from "./request-limit.js";
export { schemaPath, typeDefs } from "./schema-sdl.js";
export {
  isStartupVariable,
  STARTUP_VARIABLE_REASON,
  STARTUP_VARIABLES,
} from "./startup-variables.js";
