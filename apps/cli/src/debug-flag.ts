/**
 * Whether `--debug` is on the command line, before a `--` (after it, the words are another
 * command's). Read before the bundle loads (bin.ts) and by the error boundary.
 */
export function isDebug(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  return (end === -1 ? argv : argv.slice(0, end)).includes("--debug");
}
