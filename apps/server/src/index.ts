export { DecryptionError, MasterKeyError } from "./crypto/errors.js";
export { type BuildAppOptions, buildApp } from "./http/app.js";
export { serveMetrics } from "./metrics/metrics-route.js";
export { ServerMetrics } from "./metrics/server-metrics.js";
export type {
  ApiTokenMeta,
  AuditAction,
  AuditEventRecord,
  Caller,
  ExchangedToken,
  IdentityClaim,
  IdentityTrustInput,
  IdentityTrustMeta,
  ListSecretsQuery,
  Role,
  SecretMeta,
  SecretsService,
  SecretVersionMeta,
} from "./service/contract.js";
export { ServiceError, ServiceErrorCode } from "./service/errors.js";
export type { HushService, OfflineTrustMeta, TenantInfo } from "./service/hush-service.js";
export { type OpenServiceOptions, openService } from "./service/open-service.js";
export { SERVICE_DEFAULTS } from "./service/service-defaults.js";
export { StorageError } from "./storage/errors.js";
