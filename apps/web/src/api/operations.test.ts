import { spawnSync } from "node:child_process";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const web = fileURLToPath(new URL("../..", import.meta.url));
const bin = join(web, "..", "..", "node_modules", ".bin");

// The root's drift check covers the root's codegen.yml only; this is the console's. It also
// fails when the schema no longer has what an operation of the console asks for.
it("has generated code up to date with the schema and the console's operations", () => {
  const result = spawnSync("graphql-codegen", ["--config", "codegen.yml", "--check", "--silent"], {
    cwd: web,
    encoding: "utf8",
    env: { ...process.env, PATH: [bin, process.env.PATH].join(delimiter) },
    shell: process.platform === "win32",
  });
  expect(`${result.stdout}${result.stderr}`.trim(), "run pnpm --filter @hush/web codegen").toBe("");
  expect(result.status).toBe(0);
}, 30_000);
