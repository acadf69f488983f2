import { readFileSync, writeFileSync } from "node:fs";

export function readJson(file) {
  return JSON.parse(readFileSync(file, "utf8"));
}

export function writeJson(file, value) {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Checks the JSON the app printed last, and says it was read as expected. */
export function expectJson(out, expected, what) {
  const got = JSON.parse(out.trim().split("\n").at(-1));
  if (JSON.stringify(got) !== JSON.stringify(expected)) {
    throw new Error(
      `The app did not read ${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(got)}.`,
    );
  }
  console.log(`  read ${Object.keys(expected)[0]} as expected`);
}
