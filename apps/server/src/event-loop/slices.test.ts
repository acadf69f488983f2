import { describe, expect, it } from "vitest";
import { RawJson } from "../service/raw-json.js";
import { SLICE_BYTES, stringifyInSlices } from "./slices.js";

describe("stringifyInSlices", () => {
  it("writes what JSON.stringify writes", async () => {
    const values: unknown[] = [
      null,
      "text",
      42,
      [],
      {},
      { data: { a: { B: { deep: [1, { c: [null, "d"] }] } }, e: [undefined, () => 1] } },
      { errors: [{ message: "m", extensions: { code: "X" } }], data: null },
      { skipped: undefined, at: new Date(0), 'quo"te': "\u2028" },
      Object.fromEntries([["__proto__", { a: 1 }]]),
    ];
    for (const value of values) {
      expect(await stringifyInSlices(value)).toBe(JSON.stringify(value));
    }
  });

  it("lets other work run while it writes a large answer", async () => {
    const values = Object.fromEntries(
      Array.from({ length: 64 }, (_, i) => [`V${i}`, "x".repeat(SLICE_BYTES / 8)]),
    );
    let ranMeanwhile = false;
    setImmediate(() => {
      ranMeanwhile = true;
    });
    const text = await stringifyInSlices({ data: { secretValues: values } });
    expect(ranMeanwhile).toBe(true);
    expect(text).toBe(JSON.stringify({ data: { secretValues: values } }));
  });

  it("writes a small answer without waiting for the event loop", async () => {
    let ranMeanwhile = false;
    setImmediate(() => {
      ranMeanwhile = true;
    });
    await stringifyInSlices({ data: { secretValue: "x" } });
    expect(ranMeanwhile).toBe(false);
  });
});

describe("stringifyInSlices with stored JSON", () => {
  it("writes a RawJson's text as it is, where JSON.stringify would write its value", async () => {
    const body = {
      data: { a: { X: new RawJson('{"b":1,"1":[true,null]}'), Y: new RawJson('"s"') } },
    };
    expect(await stringifyInSlices(body)).toBe(
      '{"data":{"a":{"X":{"b":1,"1":[true,null]},"Y":"s"}}}',
    );
    expect(JSON.parse(await stringifyInSlices(body))).toEqual(JSON.parse(JSON.stringify(body)));
  });
});
