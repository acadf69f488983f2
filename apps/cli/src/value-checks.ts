import { LIMITS } from "@hush/schema/limits";
import { usageError } from "./cli-error.js";

/** The flags of the commands that store values (`secrets set`, `import`). */
export interface ValueCheckFlags {
  /** Store an empty value instead of refusing it. */
  allowEmpty?: boolean;
  /** `--no-size-check`: leave the size limit to the server (one started with a higher limit). */
  sizeCheck?: boolean;
}

/**
 * Refuses empty values (exit 2) unless `--allow-empty`: one stray Enter at the prompt, or an
 * empty pipe, must not replace a value with "". Names the secrets, never a value.
 */
export function refuseEmpty(
  entries: ReadonlyArray<[string, unknown]>,
  flags: ValueCheckFlags,
): void {
  if (flags.allowEmpty) return;
  const empty = entries.filter(([, value]) => value === "").map(([name]) => name);
  if (empty.length === 0) return;
  throw usageError(
    empty.length === 1
      ? `The value for ${empty[0]} is empty; nothing was stored. Give a value, or pass --allow-empty to store an empty one.`
      : `The values for ${empty.join(", ")} are empty; nothing was stored. Give values, or pass --allow-empty to store empty ones.`,
  );
}

/** The help of `--no-size-check`, which turns `refuseTooLarge` off. */
export const NO_SIZE_CHECK_HELP = `leave the ${LIMITS.maxValueBytes / 1024} KiB value limit to the server (one set higher)`;

/**
 * Refuses, before anything is sent, a value larger than a hush server takes by default
 * (`LIMITS.maxValueBytes` of `@hush/schema`, measured as the server does: bytes of its JSON
 * text). `--no-size-check` leaves it to the server, which has the last word either way.
 */
export function refuseTooLarge(
  entries: ReadonlyArray<[string, unknown]>,
  flags: ValueCheckFlags,
): void {
  if (flags.sizeCheck === false) return;
  const max = LIMITS.maxValueBytes;
  for (const [name, value] of entries) {
    const bytes = Buffer.byteLength(JSON.stringify(value) ?? "", "utf8");
    if (bytes > max) {
      throw usageError(
        `The value for ${name} is ${bytes} bytes as JSON; a hush server takes at most ${max} bytes (${max / 1024} KiB) per value. Nothing was sent. Keep large files elsewhere and store a path or key here (or pass --no-size-check for a server started with a higher --max-value-bytes).`,
      );
    }
  }
}
