// The release as a maintainer runs it: build, `changeset version` in a copy of the workspace (the
// repository itself is left as it was), then `changeset publish` to the local registry.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { pnpmBin, publishable, root } from "../../workspace-packages.mjs";
import { readJson } from "../json.mjs";
import { cleanEnv, run, step } from "../processes.mjs";
import { copy, work } from "../temp.mjs";
import { authLine } from "../verdaccio.mjs";

export async function buildPackages() {
  const packages = await step("build the packages", async () => {
    await run(
      join(root, "node_modules", ".bin", "turbo"),
      ["run", "build", "--output-logs=errors-only"],
      { cwd: root },
    );
    return publishable();
  });
  console.log(`  publishable: ${packages.map((p) => p.name).join(", ")}`);
  return packages;
}

/** `changeset version` in a copy of the workspace; resolves with each package's new version. */
export async function versionPackages(packages) {
  const versions = await step("changeset version (in a copy of the workspace)", async () => {
    copyWorkspace(packages);
    await run(process.execPath, [changesetBin(), "version"], { cwd: copy, env: cleanEnv() });
    // pnpm rewrites workspace: ranges from the installed workspace links: install them (offline,
    // from the store the workspace was installed from; no build scripts are needed to publish).
    await run(
      pnpmBin(),
      ["install", "--offline", "--frozen-lockfile", "--ignore-scripts", "--reporter=silent"],
      { cwd: copy, env: cleanEnv(), quiet: true },
    );
    return Object.fromEntries(
      packages.map((p) => [p.name, readJson(join(copy, p.dir, "package.json")).version]),
    );
  });
  console.log(`  ${packages.map((p) => `${p.name}@${versions[p.name]}`).join(", ")}`);
  for (const p of packages) {
    const changelog = join(copy, p.dir, "CHANGELOG.md");
    if (!existsSync(changelog))
      throw new Error(`changeset version wrote no CHANGELOG.md for ${p.name}.`);
  }
  return versions;
}

export async function publishPackages(registry) {
  await step("changeset publish", async () => {
    const publishHome = join(work, "publish-home");
    mkdirSync(publishHome);
    writeFileSync(
      join(publishHome, ".npmrc"),
      `@hush:registry=${registry.url}\n${authLine(registry.url)}=${registry.token}\n`,
    );
    await run(process.execPath, [changesetBin(), "publish", "--no-git-tag"], {
      cwd: copy,
      env: {
        ...cleanEnv(),
        // changesets runs `pnpm publish`: the workspace's pnpm, also where none is installed.
        PATH: `${join(root, "node_modules", ".bin")}${delimiter}${process.env.PATH ?? ""}`,
        HOME: publishHome,
        npm_config_userconfig: join(publishHome, ".npmrc"),
        // changesets asks the registry what is published through these variables, not the .npmrc;
        // with both on the local registry, nothing of the release reaches the public one.
        "npm_config_@hush:registry": registry.url,
        npm_config_registry: registry.url,
      },
    });
  });
}

/** The workspace's files (tracked, or new and not ignored) plus the published packages' builds. */
function copyWorkspace(packages) {
  const files = execFileSync(
    "git",
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    { cwd: root, encoding: "utf8" },
  )
    .split("\0")
    .filter((file) => file && existsSync(join(root, file)));
  for (const file of files) cpSync(join(root, file), join(copy, file));
  for (const p of packages) {
    const dist = join(root, p.dir, "dist");
    if (existsSync(dist)) cpSync(dist, join(copy, p.dir, "dist"), { recursive: true });
  }
}

function changesetBin() {
  return join(root, "node_modules", "@changesets", "cli", "bin.js");
}
