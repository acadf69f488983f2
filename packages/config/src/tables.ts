/** A TOML table or JSON object as the loader handles it (smol-toml's have a null prototype). */
export type Table = Record<string, unknown>;

/** Whether `value` is a table: a plain or null-prototype object, not an array or a date. */
export function isTable(value: unknown): value is Table {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype;
}

/** Sets an own property, even one named `__proto__` (which plain assignment would not create). */
export function setOwn(table: object, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(table, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  } else {
    (table as Table)[key] = value;
  }
}

/** An own property's value, or undefined; never one inherited from `Object.prototype`. */
export function getOwn(table: object, key: string): unknown {
  return Object.hasOwn(table, key) ? (table as Table)[key] : undefined;
}

/** A short description of a value's type for messages: "a string", "a table", … */
export function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (isTable(value)) return "a table";
  if (typeof value === "boolean") return "a boolean";
  return `a ${typeof value}`;
}
