import type { StandardSchemaV1 } from "@standard-schema/spec";
import { SecretValidationError } from "./errors.js";

/**
 * `value` checked by a Standard Schema validator (zod, valibot, arktype, …), as the validator
 * outputs it.
 *
 * @throws {SecretValidationError} naming `name` and the failing paths, never the value.
 */
export async function validateValue<T>(
  name: string,
  schema: StandardSchemaV1<unknown, T>,
  value: unknown,
): Promise<T> {
  const result = await schema["~standard"].validate(value);
  if (result.issues === undefined) return result.value;
  const paths = [...new Set(result.issues.map((issue) => pathOf(issue.path)))];
  const where = paths.map((path) => (path === "" ? "the value itself" : path)).join(", ");
  const vendor = schema["~standard"].vendor;
  throw new SecretValidationError(
    name,
    paths,
    `Secret "${name}" does not match its schema (${vendor}) at ${where}; the value is not shown. ` +
      `Fix the value stored for "${name}", or the schema given to new Secret("${name}", { schema }).`,
  );
}

function pathOf(path: StandardSchemaV1.Issue["path"]): string {
  if (path === undefined) return "";
  return path
    .map((segment) => String(typeof segment === "object" ? segment.key : segment))
    .join(".");
}
