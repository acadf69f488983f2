export { AUDIT_ACTIONS, type AuditActionName, describeAuditSecrets } from "./audit-actions.js";
export { ErrorCode } from "./error-code.js";
export { type Permission, permissions, type RoleName, roleMay } from "./permissions.js";
export { schemaPath, typeDefs } from "./schema-sdl.js";
