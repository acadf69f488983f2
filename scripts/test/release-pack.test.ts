import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { testDir } from "@hush/test-support";
import { describe, expect, it } from "vitest";

// The README's way to install hush before it is on a registry: `pnpm release:pack`, then the
// `npm install` line it prints, in a project outside the workspace. The root test command builds
// before testing; this runs the pack script on that build as `pnpm release:pack` does.
const root = fileURLToPath(new URL("../..", import.meta.url));
const PACK = join(root, "scripts", "release-pack.mjs");
for (const built of ["packages/core/dist/index.js", "apps/cli/dist/hush.cjs"]) {
  if (!existsSync(join(root, built))) throw new Error(`${built} does not exist: build first`);
}

describe("pnpm release:pack", () => {
  it("prints install lines that work in a fresh project: the library reads a secret, the CLI runs", () => {
    const out = testDir();
    const printed = execFileSync(process.execPath, [PACK, "--out", out], { encoding: "utf8" });
    const installLine = (name: string) => {
      const lines = printed.split("\n");
      const line = lines[lines.findIndex((l) => l.startsWith(`# ${name}: `)) + 1] ?? "";
      expect(line).toMatch(/^npm install /);
      return line.replace(/^npm install /, "").split(" ");
    };

    const home = testDir({
      ".hush/config.toml": '[context.secrets]\nGREETING = "hello from the tarballs"\n',
    });
    const app = testDir({
      "package.json": JSON.stringify({ name: "app", private: true, type: "module" }),
      "read.mjs":
        'import { Secret } from "@hush/core";\nconsole.log(await new Secret("GREETING").get());\n',
    });
    const env = { PATH: process.env.PATH ?? "", HOME: home };
    const npm = (args: string[]) =>
      execFileSync("npm", args, { cwd: app, env, encoding: "utf8", stdio: "pipe" });
    npm(["install", "--no-audit", "--no-fund", ...installLine("@hush/core")]);
    npm(["install", "--no-audit", "--no-fund", ...installLine("@hush/cli")]);

    const read = execFileSync(process.execPath, ["read.mjs"], { cwd: app, env, encoding: "utf8" });
    expect(read.trim()).toBe("hello from the tarballs");
    const hush = join(app, "node_modules", ".bin", "hush");
    const listed = execFileSync(hush, ["secrets", "list", "--local"], { env, encoding: "utf8" });
    expect(listed).toContain("GREETING");
  }, 180_000);
});
