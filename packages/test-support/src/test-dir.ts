import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { onTestFinished } from "vitest";

/**
 * A temp folder holding `files` (relative path → content), removed when the test finishes: the
 * fixture every test that needs a config file or a home folder builds from an object.
 */
export function testDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "hush-test-"));
  for (const [path, content] of Object.entries(files)) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
