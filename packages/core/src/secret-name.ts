import { SecretError, SecretErrorCode } from "./errors.js";

/** Prefect accepts any key for local secrets, so only an empty or non-string name is refused. */
export function assertSecretName(name: unknown): asserts name is string {
  if (typeof name !== "string" || name.length === 0) {
    throw new SecretError(SecretErrorCode.BAD_INPUT, "A secret name must be provided.");
  }
}
