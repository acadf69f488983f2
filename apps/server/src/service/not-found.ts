import type { ErrorExtensions } from "@hush/schema";
import type { Caller } from "./contract.js";
import { ServiceError } from "./errors.js";

// The NOT_FOUND errors of the API, worded once; `extensions` name the tenant and what was
// missing (`ErrorExtensionsByCode["NOT_FOUND"]` of @hush/schema).

/** A secret (or any of its values) that the caller's tenant does not have. */
export function secretNotFound(caller: Caller, name: string): ServiceError {
  return notFound(
    // Prefect 1.x clients turn an error containing "No value found for the requested key" into a
    // KeyError; the phrase stays in the message for them.
    `No value found for the requested key: the secret ${name} was not found in tenant "${caller.tenantName}".`,
    { tenant: caller.tenantName, name },
  );
}

/** Several secrets, named in `extensions.names`, missing from one read. */
export function secretsNotFound(caller: Caller, missing: readonly string[]): ServiceError {
  const list = missing.slice(0, 10).join(", ") + (missing.length > 10 ? ", …" : "");
  return notFound(
    missing.length === 1
      ? `The secret ${missing[0]} was not found in tenant "${caller.tenantName}".`
      : `${missing.length} secrets were not found in tenant "${caller.tenantName}": ${list}.`,
    { tenant: caller.tenantName, names: [...missing] },
  );
}

export function versionNotFound(caller: Caller, name: string, version: number): ServiceError {
  return notFound(
    `Version ${version} of the secret ${name} was not found in tenant "${caller.tenantName}".`,
    { tenant: caller.tenantName, name, version },
  );
}

export function apiTokenNotFound(caller: Caller, id: string): ServiceError {
  return notFound(
    `The API token ${id} was not found in tenant "${caller.tenantName}"; the token list shows the ids there are.`,
    { tenant: caller.tenantName, id },
  );
}

export function webhookNotFound(caller: Caller, id: string): ServiceError {
  return notFound(
    `The webhook ${id} was not found in tenant "${caller.tenantName}"; the webhooks list shows the ids there are.`,
    { tenant: caller.tenantName, id },
  );
}

export function tenantNotFound(tenantName: string): ServiceError {
  return notFound(
    `There is no tenant named "${tenantName}". Create it with: hush-server tenant create ${tenantName}`,
    { tenant: tenantName },
  );
}

function notFound(message: string, extensions: Omit<ErrorExtensions<"NOT_FOUND">, "code">) {
  return new ServiceError("NOT_FOUND", message, { extensions });
}
