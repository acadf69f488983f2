import type { Compilable, CompiledQuery } from "kysely";

/**
 * A statement built and compiled once, then filled in with new values: on the hot write path,
 * building and compiling a Kysely query costs more than running it on SQLite.
 *
 * `build` gets one placeholder per key and must pass each one only as a value, never as a table
 * or column name: the placeholders are found again among the compiled parameters, and a key
 * that is not found there is an error at once. `prepareQuery` is this, for reads.
 */
export function queryTemplate<K extends string>(
  keys: readonly K[],
  // Typed never, so that a placeholder fits any column; each is a string only the template knows.
  build: (placeholders: Record<K, never>) => Compilable<unknown>,
): (values: Record<K, unknown>) => CompiledQuery {
  const placeholders = {} as Record<K, never>;
  const keyOf = new Map<unknown, K>();
  for (const key of keys) {
    const placeholder = `\u0000template:${key}\u0000`;
    placeholders[key] = placeholder as never;
    keyOf.set(placeholder, key);
  }
  const compiled = build(placeholders).compile();
  const slots = compiled.parameters.map((parameter) => keyOf.get(parameter));
  for (const key of keys) {
    if (!slots.includes(key)) {
      throw new Error(`queryTemplate: the placeholder ${key} is not a parameter of the query.`);
    }
  }
  return (values) => ({
    ...compiled,
    parameters: slots.map((key, i) => (key === undefined ? compiled.parameters[i] : values[key])),
  });
}
