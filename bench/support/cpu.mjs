// A server process's CPU time, read from outside: the user and system time of the whole process
// (every thread, the writer thread included, and threads that have exited) from /proc/PID/stat,
// fields 14 and 15, in clock ticks. Read before and after a measured window and divided by the
// requests answered in it, it gives the server's CPU per request, a figure that does not depend on
// how much of the machine the load generator leaves to the server.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** Clock ticks per second (`getconf CLK_TCK`, 100 on Linux almost everywhere). */
const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** The CPU time process `pid` has used so far, in µs, or NaN where /proc is missing. */
export function cpuMicros(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces: count from after it,
    // where field 3 (the state) is the first.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[14 - 3]) + Number(fields[15 - 3]);
    return (ticks * 1e6) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/** µs for a figure: whole above 10, else two decimals; "n/a" for NaN. */
export function formatMicros(us) {
  if (Number.isNaN(us)) return "n/a";
  return us >= 10 ? us.toFixed(0) : us.toFixed(2);
}
