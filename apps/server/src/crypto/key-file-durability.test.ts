import * as fs from "node:fs";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FsRecordingFsyncs } from "@hush/test-support";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { addKeyToFile, createKeyFile } from "./load-key-ring.js";

// Which paths were fsync'd, in order.
vi.mock("node:fs", async (importOriginal) =>
  (await import("@hush/test-support")).recordingFsyncs(await importOriginal()),
);
const { synced } = fs as FsRecordingFsyncs;

describe("the master key file is durable before it is used", () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), "hush-durable-"));
    synced.length = 0;
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it("fsyncs a new key file and its folder", () => {
    const { path } = createKeyFile(dataDir);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(synced).toEqual([path, dataDir]);
  });

  it("fsyncs a rotated key file before it replaces the old one, then the folder", () => {
    const { path } = createKeyFile(dataDir);
    synced.length = 0;
    addKeyToFile(path);
    expect(JSON.parse(readFileSync(path, "utf8")).keys).toHaveLength(2);
    expect(synced).toHaveLength(2);
    expect(synced[0]).toMatch(/master\.key\.\d+-[0-9a-z]{10}\.tmp$/);
    expect(synced[1]).toBe(dataDir);
  });
});
