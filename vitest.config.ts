import { defineConfig } from "vitest/config";

// One run covers every workspace package; each package's own vitest.config.ts is a project.
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*", "examples/*", "tests", "scripts"],
    reporters: ["default", "./scripts/summary-reporter.mjs"],
  },
});
