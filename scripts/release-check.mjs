// `pnpm release:check`: the release, proved end to end. In a temporary copy of the workspace (the
// repository itself is left as it was) it runs the release exactly as a maintainer would,
// `changeset version` then `changeset publish`, against a real npm registry started locally
// (Verdaccio, temp storage, no uplinks). Then, in a fresh project outside the workspace with its
// own HOME, it installs the published packages and uses them as a user would: an app reads a local
// and a server secret through @hush/core, `npx @hush/server init` and `start` serve it, and a
// downstream TypeScript package type-checks the generated operation types of @hush/graphql under
// `moduleResolution: "nodenext"` and `"bundler"`. Every tarball is checked first: publint, "are
// the types wrong", and no tests, fixtures or sources in it.
//
// The steps live in release-check/steps/, the files they copy in release-check/fixtures/.
// `--keep` leaves the temporary folder (its path is printed) for a look around.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { cleanUp, seconds, step } from "./release-check/processes.mjs";
import { buildPackages, publishPackages, versionPackages } from "./release-check/steps/release.mjs";
import { usePublishedPackages } from "./release-check/steps/use.mjs";
import { work } from "./release-check/temp.mjs";
import { startVerdaccio } from "./release-check/verdaccio.mjs";
import { root } from "./workspace-packages.mjs";

const started = performance.now();

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    console.error(`\nrelease check: stopped by ${signal}.`);
    cleanUp();
    process.exit(1);
  });
}

try {
  await main();
  console.log(`\nrelease check passed in ${seconds(started)}.`);
} catch (error) {
  console.error(`\nrelease check FAILED: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
} finally {
  cleanUp();
}

async function main() {
  const statusBefore = gitStatus();

  const packages = await buildPackages();
  const versions = await versionPackages(packages);

  const registry = await step("start Verdaccio", startVerdaccio);
  console.log(`  ${registry.url} (storage ${relative(work, registry.storage)}, no uplinks)`);

  await publishPackages(registry);
  await usePublishedPackages(packages, versions, registry);

  const statusAfter = gitStatus();
  if (statusAfter !== statusBefore) {
    throw new Error(`The release check changed the repository:\n${statusAfter}`);
  }
}

function gitStatus() {
  if (!existsSync(join(root, ".git"))) return "";
  return execFileSync("git", ["status", "--porcelain"], { cwd: root, encoding: "utf8" });
}
