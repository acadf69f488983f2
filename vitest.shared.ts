import { defineProject } from "vitest/config";

/**
 * The per-package test project. Workspace packages resolve to their sources through the
 * `@hush/source` export condition, so tests need no prior build.
 */
export function hushProject(name: string, overrides: { testTimeout?: number } = {}) {
  return defineProject({
    resolve: { conditions: ["@hush/source"] },
    ssr: { resolve: { conditions: ["@hush/source"] } },
    test: {
      name,
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      environment: "node",
      testTimeout: overrides.testTimeout ?? 10_000,
    },
  });
}
