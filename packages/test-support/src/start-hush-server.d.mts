import type { ChildProcess } from "node:child_process";

/** The workspace's built `hush-server` command (`apps/server/dist/bin.js`). */
export declare const HUSH_SERVER_BIN: string;

export interface StartHushServerOptions {
  /** The `hush-server` script to run. @default HUSH_SERVER_BIN */
  bin?: string;
  cwd?: string;
  /** The server's whole environment. @default { PATH } (no HUSH_* of the machine leaks in) */
  env?: NodeJS.ProcessEnv;
  /** Options for node itself, e.g. `["--cpu-prof"]`. */
  nodeOptions?: readonly string[];
  /**
   * Write the server's stdout to this file, as a deployment's collector would, instead of a pipe
   * this process reads; the listening line is then read from the file.
   */
  logFile?: string;
  /** How long to wait for the listening line before killing the server. @default 20000 */
  timeoutMs?: number;
}

/** How a started server ended. */
export interface HushServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running `hush-server start`. */
export interface HushServerProcess {
  /** Its base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly child: ChildProcess;
  /** What it printed so far. */
  output(): { stdout: string; stderr: string };
  /** Sends `signal` (SIGTERM by default) and resolves once it exited. */
  stop(signal?: NodeJS.Signals): Promise<HushServerExit>;
}

/**
 * Starts `hush-server start --host 127.0.0.1 --port 0 ARGS` (later `args` win) and resolves once
 * it prints its `listening on` line; rejects, with everything it printed, when it exits first or
 * does not listen within `timeoutMs`.
 */
export declare function startHushServer(
  args?: readonly string[],
  options?: StartHushServerOptions,
): Promise<HushServerProcess>;
