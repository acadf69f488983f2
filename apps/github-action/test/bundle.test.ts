import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join } from "node:path";
import { testDir } from "@hush/test-support";
import { describe, expect, it } from "vitest";
import { ACTION } from "./support.js";

describe("dist/index.js", () => {
  it("imports nothing but Node's own modules", () => {
    const bundle = readFileSync(ACTION, "utf8");
    const imported = [
      ...bundle.matchAll(/^import .* from "([^"]+)";?$/gm),
      ...bundle.matchAll(/\bimport\("([^"]+)"\)/g),
      ...bundle.matchAll(/\brequire\("([^"]+)"\)/g),
    ].map((match) => match[1]!.replace(/^node:/, ""));
    expect(imported.length).toBeGreaterThan(0);
    expect(imported.filter((name) => !builtinModules.includes(name))).toEqual([]);
  });

  it("runs as GitHub runs it, in a checkout without node_modules", () => {
    const dir = testDir({
      "package.json": readFileSync(join(ACTION, "../../package.json"), "utf8"),
    });
    mkdirSync(join(dir, "dist"));
    copyFileSync(ACTION, join(dir, "dist", "index.js"));
    let stdout = "";
    try {
      execFileSync(process.execPath, [join(dir, "dist", "index.js")], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? "", INPUT_ENDPOINT: "ftp://nowhere", INPUT_TOKEN: "t" },
        encoding: "utf8",
      });
    } catch (error) {
      stdout = (error as { stdout: string; status: number }).stdout;
      expect((error as { status: number }).status).toBe(1);
    }
    // The client's own message: @hush/graphql is in the bundle.
    expect(stdout).toBe(
      "::add-mask::t\n::error::The hush endpoint must be an http:// or https:// URL; got one starting with ftp:. Set the endpoint to the hush server's base URL, e.g. http://127.0.0.1:4200.\n",
    );
  });
});
