import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");

interface Manifest {
  name: string;
  private?: boolean;
  exports?: Record<string, unknown>;
  publishConfig?: { exports?: Record<string, unknown> };
}

/** Every workspace package that is published. */
function publishedPackages(): Array<{ dir: string; manifest: Manifest }> {
  const found: Array<{ dir: string; manifest: Manifest }> = [];
  for (const group of ["packages", "apps"]) {
    for (const name of readdirSync(join(root, group))) {
      const dir = join(group, name);
      let manifest: Manifest;
      try {
        manifest = JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8"));
      } catch {
        continue;
      }
      if (!manifest.private) found.push({ dir, manifest });
    }
  }
  return found;
}

/** `exports` without the `@hush/source` condition, which points into sources not published. */
function withoutSource(exports: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(exports).map(([entry, target]) => {
      if (typeof target !== "object" || target === null) return [entry, target];
      const { "@hush/source": _source, ...rest } = target as Record<string, unknown>;
      return [entry, rest];
    }),
  );
}

describe("published exports", () => {
  it.each(publishedPackages().map((p) => [p.manifest.name, p] as const))(
    "%s publishes the entries it exports, without @hush/source",
    (_name, { manifest }) => {
      const published = manifest.publishConfig?.exports;
      if (published === undefined) {
        // Published as it is: then no entry may point into the sources.
        expect(JSON.stringify(manifest.exports ?? {})).not.toContain("@hush/source");
      } else {
        expect(published).toEqual(withoutSource(manifest.exports ?? {}));
      }
    },
  );
});
