import type * as fs from "node:fs";

/** `node:fs` with `synced`: the paths fsync'd, in order (fds mapped back to what openSync opened). */
export type FsRecordingFsyncs = typeof fs & { synced: string[] };

/**
 * A stand-in for `node:fs` that records which paths are fsync'd, for a test of durability:
 * `vi.mock("node:fs", async (real) => (await import("@hush/test-support")).recordingFsyncs(await real()))`,
 * then read `synced` from the mocked module.
 */
export function recordingFsyncs(real: typeof fs): FsRecordingFsyncs {
  const opened = new Map<number, string>();
  const synced: string[] = [];
  return {
    ...real,
    synced,
    openSync: (path: fs.PathLike, flags: fs.OpenMode, mode?: fs.Mode | null) => {
      const fd = real.openSync(path, flags, mode);
      opened.set(fd, String(path));
      return fd;
    },
    fsyncSync: (fd: number) => {
      synced.push(opened.get(fd) ?? `fd ${fd}`);
      real.fsyncSync(fd);
    },
  };
}
