import { constants } from "node:os";

/**
 * Resolves when hush is asked to stop (Ctrl-C, SIGTERM) with the exit code a shell reports for
 * that signal (130, 143): for the commands that run until stopped, `hush inject --watch`.
 */
export function untilStopSignal(): Promise<number> {
  return new Promise((resolve) => {
    const signals = ["SIGINT", "SIGTERM"] as const;
    const handlers = signals.map((signal) => {
      const handler = () => {
        for (const [s, h] of handlers) process.off(s, h);
        resolve(128 + constants.signals[signal]);
      };
      return [signal, handler] as const;
    });
    for (const [signal, handler] of handlers) process.on(signal, handler);
  });
}
