import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["@hush/source"] },
  ssr: { resolve: { conditions: ["@hush/source"] } },
  test: {
    name: "@hush/github-action",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    globalSetup: ["./test/build-once.ts"],
  },
});
