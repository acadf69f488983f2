// Every published tarball, checked before anyone installs it: publint, "are the types wrong",
// and no tests, fixtures or sources in it.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "./processes.mjs";
import { scriptsBin, tarballs } from "./temp.mjs";

/** Downloads a published tarball the way npm would: the packument's dist.tarball. */
export async function download(registryUrl, name, version) {
  const packument = await (await fetch(`${registryUrl}${name.replace("/", "%2f")}`)).json();
  const dist = packument.versions?.[version]?.dist;
  if (!dist) throw new Error(`${name}@${version} is not on the local registry.`);
  const response = await fetch(dist.tarball);
  if (!response.ok) throw new Error(`Downloading ${dist.tarball} failed: HTTP ${response.status}.`);
  const file = join(tarballs, `${name.replace("@", "").replace("/", "-")}-${version}.tgz`);
  writeFileSync(file, Buffer.from(await response.arrayBuffer()));
  return file;
}

export async function checkTarball(p, tarball) {
  const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" })
    .split("\n")
    .filter(Boolean)
    .map((file) => file.replace(/^package\//, ""));
  const manifest = JSON.parse(
    execFileSync("tar", ["-xzOf", tarball, "package/package.json"], { encoding: "utf8" }),
  );
  const problems = manifestProblems(p, files, manifest);
  if (problems.length > 0) throw new Error(`${p.name}: ${problems.join("; ")}.`);

  await run(join(scriptsBin, "publint"), ["run", tarball, "--strict"], {
    cwd: tarballs,
    quiet: true,
  }).catch((error) => {
    throw new Error(`publint found problems in ${p.name}: ${error.message}`);
  });
  // ESM-only packages: "require() of ESM" is by design, so the esm-only profile.
  await run(join(scriptsBin, "attw"), [tarball, "--profile", "esm-only", "--no-color"], {
    cwd: tarballs,
    quiet: true,
  }).catch((error) => {
    throw new Error(`"are the types wrong" found problems in ${p.name}: ${error.message}`);
  });
  console.log(`  ${p.name}: ${files.length} files, publint and attw clean`);
}

function manifestProblems(p, files, manifest) {
  const problems = [];
  const stray = files.filter(
    (file) =>
      /(^|\/)(src|test|tests|fixtures|__fixtures__)\//.test(file) ||
      /\.test\.|\.tsbuildinfo$/.test(file),
  );
  if (stray.length > 0)
    problems.push(`tests, fixtures or sources in the tarball: ${stray.join(", ")}`);
  if (!files.includes("README.md")) problems.push("no README.md");
  if (!files.includes("LICENSE")) problems.push("no LICENSE");
  for (const field of ["license", "repository", "engines", "exports"]) {
    if (manifest[field] === undefined) problems.push(`no "${field}" in package.json`);
  }
  if (manifest.private) problems.push('"private": true');
  if (manifest.repository?.directory !== p.dir) {
    problems.push(`repository.directory is ${manifest.repository?.directory}, not ${p.dir}`);
  }
  const text = JSON.stringify(manifest);
  if (text.includes("workspace:")) problems.push("a workspace: range was not rewritten");
  if (text.includes("@hush/source"))
    problems.push("the exports still name the @hush/source condition");
  for (const [entry, target] of Object.entries(manifest.exports ?? {})) {
    if (entry !== "./package.json" && typeof target === "object" && !target.types) {
      problems.push(`exports["${entry}"] has no types`);
    }
  }
  for (const target of Object.values(manifest.bin ?? {})) {
    if (!files.includes(target.replace(/^\.\//, "")))
      problems.push(`the bin ${target} is not in the tarball`);
  }
  return problems;
}
