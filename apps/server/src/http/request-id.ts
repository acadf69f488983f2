import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";

// Ids from a proxy are reused when they are short and plain, so they are safe in logs and headers.
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request id: a safe incoming `x-request-id`, else a new UUID. */
export function requestIdFor(request: IncomingMessage): string {
  const incoming = request.headers["x-request-id"];
  return typeof incoming === "string" && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}
