import * as fs from "node:fs";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FsRecordingFsyncs } from "@hush/test-support";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createPrivateFileSync, writePrivateFile, writePrivateFileSync } from "./private-file.js";

// Which paths were fsync'd, in order.
vi.mock("node:fs", async (importOriginal) =>
  (await import("@hush/test-support")).recordingFsyncs(await importOriginal()),
);
const { synced } = fs as FsRecordingFsyncs;
const posix = process.platform !== "win32";

describe("private files are written atomically and durably", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "hush-private-file-"));
    synced.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("replaces a file through a synced temp file, with the mode, then fsyncs the folder", () => {
    const path = join(dir, "auth.toml");
    writeFileSync(path, "old", { mode: 0o644 });
    writePrivateFileSync(path, "new");
    expect(readFileSync(path, "utf8")).toBe("new");
    if (posix) expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(synced).toHaveLength(2);
    expect(synced[0]).toMatch(/[\\/]\.auth\.toml\.\d+-[0-9a-z]{10}\.tmp$/);
    expect(synced[1]).toBe(dir);
    expect(readdirSync(dir)).toEqual(["auth.toml"]);
  });

  it("leaves the file as it was and no temp file when the write fails", () => {
    const path = join(dir, "missing", "auth.toml");
    expect(() => writePrivateFileSync(path, "new")).toThrow(
      expect.objectContaining({ code: "ENOENT" }),
    );
    const target = join(dir, "folder");
    fs.mkdirSync(target);
    expect(() => writePrivateFileSync(target, "new")).toThrow();
    expect(readdirSync(dir)).toEqual(["folder"]);
  });

  it("creates a file only when there is none, and fsyncs it and its folder", () => {
    const path = join(dir, "master.key");
    createPrivateFileSync(path, "key");
    expect(synced).toEqual([path, dir]);
    if (posix) expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(() => createPrivateFileSync(path, "other")).toThrow(
      expect.objectContaining({ code: "EEXIST" }),
    );
    expect(readFileSync(path, "utf8")).toBe("key");
  });

  it("writes the same way without blocking, with the mode given", async () => {
    const path = join(dir, "cache.json");
    await writePrivateFile(path, "{}", 0o640);
    await writePrivateFile(path, new TextEncoder().encode("[]"), 0o640);
    expect(readFileSync(path, "utf8")).toBe("[]");
    if (posix) expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(["cache.json"]);
    await expect(writePrivateFile(join(dir, "no", "x"), "{}")).rejects.toMatchObject({
      code: "ENOENT",
    });
    expect(readdirSync(dir)).toEqual(["cache.json"]);
  });
});
