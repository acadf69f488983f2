import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { contextSecrets, withContext } from "./context.js";

describe("withContext", () => {
  it("sets the run's secrets for everything it awaits, and only inside the run", async () => {
    expect(contextSecrets()).toBeUndefined();
    const seen = await withContext({ secrets: { A: "1" } }, async () => {
      await sleep(1);
      return contextSecrets();
    });
    expect(seen).toEqual({ A: "1" });
    expect(contextSecrets()).toBeUndefined();
  });

  it("nests: an inner run's secrets replace the outer ones, and the outer ones come back", () => {
    withContext({ secrets: { A: "outer", B: "outer" } }, () => {
      withContext({ secrets: { A: "inner" } }, () => {
        expect(contextSecrets()).toEqual({ A: "inner" });
      });
      withContext({}, () => {
        expect(contextSecrets()).toEqual({ A: "outer", B: "outer" });
      });
      expect(contextSecrets()).toEqual({ A: "outer", B: "outer" });
    });
  });

  it("keeps concurrent runs apart", async () => {
    const run = (id: string, delays: number[]) =>
      withContext({ secrets: { ID: id } }, async () => {
        const seen: unknown[] = [];
        for (const ms of delays) {
          await sleep(ms);
          seen.push(contextSecrets()?.ID);
        }
        return seen;
      });
    const results = await Promise.all([run("a", [3, 1, 2]), run("b", [1, 3, 1]), run("c", [2, 2])]);
    expect(results).toEqual([
      ["a", "a", "a"],
      ["b", "b", "b"],
      ["c", "c"],
    ]);
  });

  it("takes a snapshot: changing the object afterwards does not change the running flow", () => {
    const secrets: Record<string, string> = { A: "1" };
    withContext({ secrets }, () => {
      secrets.A = "2";
      expect(contextSecrets()?.A).toBe("1");
    });
  });
});
