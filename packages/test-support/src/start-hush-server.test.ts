import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { rejection } from "./rejection.js";
import { startHushServer } from "./start-hush-server.mjs";
import { testDir } from "./test-dir.js";

// Stand-ins for the built hush-server: each prints what it was started with, then behaves.
const FAKES = {
  // Ready for SIGTERM before it says it listens, as hush-server is (else a stop can come first).
  "listens.mjs": `process.on("SIGTERM", () => { console.log("stopped"); process.exit(0); });
console.log(JSON.stringify(process.argv.slice(2)));
console.log("hush-server listening on http://127.0.0.1:1234");
setInterval(() => {}, 1000);`,
  "fails.mjs": `console.error("the data folder is locked"); process.exit(3);`,
  "hangs.mjs": `console.log("starting"); setInterval(() => {}, 1000);`,
};

describe("startHushServer", () => {
  it("starts `start` on a loopback port and resolves with the URL it prints", async () => {
    const dir = testDir(FAKES);
    const server = await startHushServer(["--dev"], { bin: join(dir, "listens.mjs") });
    expect(server.url).toBe("http://127.0.0.1:1234");
    expect(JSON.parse(server.output().stdout.split("\n")[0]!)).toEqual([
      "start",
      "--host",
      "127.0.0.1",
      "--port",
      "0",
      "--dev",
    ]);
    const exit = await server.stop();
    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain("stopped");
  });

  it("reads the listening line from the log file when given one", async () => {
    const dir = testDir(FAKES);
    const logFile = join(dir, "server.log");
    const server = await startHushServer([], { bin: join(dir, "listens.mjs"), logFile });
    expect(server.url).toBe("http://127.0.0.1:1234");
    expect(readFileSync(logFile, "utf8")).toContain("listening on");
    rmSync(logFile);
    expect((await server.stop()).stdout).toContain("listening on");
  });

  it("rejects with what the server printed when it exits first", async () => {
    const dir = testDir(FAKES);
    const error = await rejection(startHushServer([], { bin: join(dir, "fails.mjs") }));
    expect(error.message).toMatch(/exited early \(exit code 3\)/);
    expect(error.message).toContain("the data folder is locked");
  });

  it("kills the server and rejects with its output when it does not listen in time", async () => {
    const dir = testDir(FAKES);
    const error = await rejection(
      startHushServer([], { bin: join(dir, "hangs.mjs"), timeoutMs: 300 }),
    );
    expect(error.message).toMatch(/did not say "listening on" within 300 ms/);
    expect(error.message).toContain("starting");
  });

  it("says how to build when the command is missing", async () => {
    const error = await rejection(startHushServer([], { bin: join(testDir(), "bin.js") }));
    expect(error.message).toMatch(/does not exist: build it first/);
  });
});
