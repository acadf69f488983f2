const PLACEHOLDER = "<redacted>";

// Shorter strings would turn ordinary words of a message into placeholders; the server never
// echoes values anyway, this is a second line of defence.
const MIN_LENGTH = 6;

/** The strings of `value` worth hiding from messages: itself, or its string leaves. */
export function sensitiveStrings(value: unknown): string[] {
  const found: string[] = [];
  const visit = (node: unknown, depth: number) => {
    if (typeof node === "string") {
      if (node.length >= MIN_LENGTH) found.push(node);
    } else if (typeof node === "number" || typeof node === "bigint") {
      if (String(node).length >= MIN_LENGTH) found.push(String(node));
    } else if (node !== null && typeof node === "object" && depth < 20) {
      for (const child of Object.values(node)) visit(child, depth + 1);
    }
  };
  visit(value, 0);
  if (value !== null && typeof value === "object") {
    const json = safeStringify(value);
    if (json !== undefined && json.length >= MIN_LENGTH) found.push(json);
  }
  // Longest first, so that a leaf inside a longer secret does not split it.
  return [...new Set(found)].sort((a, b) => b.length - a.length);
}

/**
 * `text` with every occurrence of the given secrets replaced by a placeholder; secrets shorter
 * than 6 characters are left alone, as they would match ordinary words.
 */
export function scrub(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_LENGTH && result.includes(secret)) {
      result = result.split(secret).join(PLACEHOLDER);
    }
  }
  return result;
}

function safeStringify(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}
