// What `hush run --mask` costs: a child printing 50 MB of log lines (with a few secret values in
// them) through `hush run --mask` with 200 secrets, against the same child under `hush run` without
// --mask and against `cat` alone, measured in the same run (rounds interleaved, so that machine
// load hits all alike). Each of the 200 secrets is looked for in about a dozen forms (base64,
// percent-encoded, JSON-escaped…), some 2,400 patterns in all.
//
// Usage: node mask.bench.mjs   (pnpm build first; pnpm bench does). HUSH_BENCH_ROUNDS sets rounds.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { figure, RUNS } from "./support/results.mjs";

const MEGABYTES = 50;
const SECRETS = 200;
const BIN = join(import.meta.dirname, "..", "apps", "cli", "dist", "hush.cjs");
if (!existsSync(BIN)) {
  console.error(`${BIN} does not exist: run pnpm build first (pnpm bench does).`);
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), "hush-bench-mask-"));
try {
  const values = Array.from({ length: SECRETS }, () => randomBytes(24).toString("base64url"));
  const home = join(dir, "home");
  mkdirSync(join(home, ".hush"), { recursive: true });
  writeFileSync(
    join(home, ".hush", "config.toml"),
    `[context.secrets]\n${values.map((v, i) => `SECRET_${i} = "${v}"`).join("\n")}\n`,
  );

  // Log lines as services print them, a secret in one line of every ~20,000.
  const log = join(dir, "output.log");
  const fd = openSync(log, "w");
  let written = 0;
  let line = 0;
  while (written < MEGABYTES * 1024 * 1024) {
    const lines = [];
    for (let i = 0; i < 1000; i++, line++) {
      const secret = line % 20_011 === 7 ? ` token=${values[line % SECRETS]}` : "";
      lines.push(
        `2025-01-01T12:00:${String(line % 60).padStart(2, "0")}.${line % 1000}Z INFO request id=${((line * 2654435761) >>> 0).toString(16)} path=/api/v1/items/${line % 977} status=200 took=${line % 83}ms user=u${line % 5003}${secret}`,
      );
    }
    const chunk = `${lines.join("\n")}\n`;
    writeSync(fd, chunk);
    written += Buffer.byteLength(chunk);
  }
  closeSync(fd);
  const megabytes = written / 1024 / 1024;

  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("HUSH"))),
    HOME: home,
  };
  const cases = {
    cat: ["cat", log],
    unmasked: [process.execPath, BIN, "run", "--local", "--", "cat", log],
    masked: [process.execPath, BIN, "run", "--local", "--mask", "--", "cat", log],
  };
  await time(cases.masked, env); // warm-up: the file cache, the CLI's code cache
  const seconds = { cat: [], unmasked: [], masked: [] };
  let leaked = 0;
  for (let round = 0; round < RUNS; round++) {
    for (const [name, argv] of Object.entries(cases)) {
      const result = await time(argv, env);
      seconds[name].push(result.seconds);
      if (name === "masked") leaked += result.leaked;
      if (result.bytes === 0) throw new Error(`${name} printed nothing`);
    }
  }
  if (leaked > 0) throw new Error(`--mask let ${leaked} values through`);

  const rate = (s) => `${(megabytes / s).toFixed(0)} MB/s`;
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  console.log(
    `${megabytes.toFixed(0)} MB through: cat ${rate(median(seconds.cat))}, hush run ${rate(median(seconds.unmasked))}, ` +
      `hush run --mask (${SECRETS} secrets) ${rate(median(seconds.masked))}`,
  );
  figure({
    id: "7",
    title: `hush run --mask, ${SECRETS} secrets, ${megabytes.toFixed(0)} MB / hush run (time)`,
    ratios: seconds.masked.map((s, i) => s / seconds.unmasked[i]),
    note: `medians: --mask ${median(seconds.masked).toFixed(2)} s (${rate(median(seconds.masked))}), without ${median(seconds.unmasked).toFixed(2)} s, cat alone ${median(seconds.cat).toFixed(2)} s`,
  });
  figure({
    id: "7",
    title: `hush run --mask, ${SECRETS} secrets, ${megabytes.toFixed(0)} MB / cat (time)`,
    ratios: seconds.masked.map((s, i) => s / seconds.cat[i]),
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** Runs `argv`, reading its stdout as a terminal would; its time, bytes and values seen. */
function time([file, ...args], env) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(file, args, { env, stdio: ["ignore", "pipe", "inherit"] });
    let bytes = 0;
    let leaked = 0;
    let tail = "";
    child.stdout.setEncoding("latin1");
    child.stdout.on("data", (text) => {
      bytes += text.length;
      // Only the masked run is checked in full; the token= lines are where values would show.
      const lines = (tail + text).split("\n");
      tail = lines.pop() ?? "";
      for (const l of lines) if (l.includes("token=") && !l.includes("token=<redacted:")) leaked++;
    });
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`${file} ${args.join(" ")} exited ${code}`));
      else resolve({ seconds: Number(process.hrtime.bigint() - start) / 1e9, bytes, leaked });
    });
  });
}
