import { createHmac } from "node:crypto";
import type { SecretChangeRecord } from "../contract.js";

/** The header that carries a delivery's signature: `sha256=<hex HMAC-SHA256 of the body>`. */
export const SIGNATURE_HEADER = "X-Hush-Signature";

/**
 * One delivery's POST: its JSON body (the change, never a value, with the delivery id and the
 * time of this try inside what is signed) and its headers. The receiver checks the signature
 * with the secret shown when the webhook was created, and drops repeats by `X-Hush-Delivery`.
 */
export function webhookRequest(
  deliveryId: string,
  change: SecretChangeRecord,
  at: Date,
  signingSecret: Buffer,
): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({
    id: deliveryId,
    event: change.action,
    timestamp: at.toISOString(),
    change: {
      id: change.id,
      tenant: change.tenant,
      environment: change.environment,
      name: change.name,
      action: change.action,
      version: change.version,
      at: change.at.toISOString(),
      actor: change.actor,
    },
  });
  const signature = createHmac("sha256", signingSecret).update(body).digest("hex");
  return {
    body,
    headers: {
      "Content-Type": "application/json",
      "User-Agent": "hush-webhooks",
      "X-Hush-Event": change.action,
      "X-Hush-Delivery": deliveryId,
      [SIGNATURE_HEADER]: `sha256=${signature}`,
    },
  };
}
