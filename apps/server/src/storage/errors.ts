import { HushError } from "@hush/errors";

/** The database could not be opened, migrated or reached. */
export class StorageError extends HushError {
  override readonly name: string = "StorageError";
  constructor(message: string, options?: { cause?: unknown }) {
    super("STORAGE", message, options);
  }
}
