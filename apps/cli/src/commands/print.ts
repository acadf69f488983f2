import type { CommandContext } from "../command-context.js";

/**
 * What a read command prints: `value` as JSON with `--json`, else the text `render` makes of it
 * (a table, mostly), rendered only when it is printed.
 */
export function printJsonOr(
  context: CommandContext,
  flags: { json?: boolean | undefined },
  value: unknown,
  render: () => string,
): void {
  if (flags.json) context.out.json(value);
  else context.out.data(render());
}
