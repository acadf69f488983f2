/**
 * Makes a write to a closed pipe (`hush … | head -1`) end that stream's output quietly instead of
 * crashing with an unhandled `EPIPE`: later writes to it are dropped, and the command finishes
 * with its own exit code, so a write it was doing is never cut in half.
 */
export function quietOnClosedPipe(...streams: NodeJS.WriteStream[]): void {
  for (const stream of streams) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
      stream.write = (() => true) as NodeJS.WriteStream["write"];
    });
  }
}
