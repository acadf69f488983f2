import { HushError } from "@hush/errors";

/** The master key is missing, malformed, exposed or not the one the data was written with. */
export class MasterKeyError extends HushError {
  override readonly name: string = "MasterKeyError";
  constructor(message: string, options?: { cause?: unknown }) {
    super("MASTER_KEY", message, options);
  }
}

/**
 * A stored value could not be decrypted: the ciphertext was moved from another row or tampered
 * with. Internal: the transport masks it, the server log keeps it.
 */
export class DecryptionError extends HushError {
  override readonly name: string = "DecryptionError";
  constructor(message: string, options?: { cause?: unknown }) {
    super("DECRYPTION_FAILED", message, options);
  }
}
