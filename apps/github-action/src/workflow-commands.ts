/**
 * GitHub's workflow commands are lines of stdout, `::name::data`. The runner reads `%25`, `%0D`
 * and `%0A` in data back as `%`, CR and LF (as `@actions/core`'s `escapeData` writes them), so a
 * message or a mask with a line break stays one command and cannot start another.
 */
export function escapeData(data: string): string {
  return data.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}

/** The line that runs workflow command `name` with `data`. */
export function workflowCommand(name: "add-mask" | "error" | "warning", data: string): string {
  return `::${name}::${escapeData(data)}\n`;
}
