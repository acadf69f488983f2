/**
 * The texts to mask for one secret's value, each for an `::add-mask::` line: the text the action
 * exports (the value, or its JSON for a non-string value); each line of a multi-line text, as it
 * is and trimmed, since the runner masks the log line by line; the JSON-string form of each
 * (`JSON.stringify` without its quotes: a newline as `\n`, a quote as `\"`), as a later step
 * that prints JSON shows it; and for an object or array, the same for each string inside.
 */
export function maskForms(value: unknown): string[] {
  const forms = new Set<string>();
  const add = (text: string) => {
    const lines = text.split(/\r?\n|\r/);
    const texts = lines.length > 1 ? [text, ...lines, ...lines.map((l) => l.trim())] : [text];
    for (const t of texts) {
      if (t.trim() === "") continue;
      forms.add(t);
      forms.add(JSON.stringify(t).slice(1, -1));
    }
  };
  add(exportedText(value));
  if (typeof value === "object" && value !== null) {
    for (const text of stringsIn(value)) add(text);
  }
  return [...forms];
}

/** A value as the action exports it: a string as it is, anything else as its JSON text. */
export function exportedText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function stringsIn(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (typeof value !== "object" || value === null) return [];
  return Object.values(value).flatMap(stringsIn);
}
