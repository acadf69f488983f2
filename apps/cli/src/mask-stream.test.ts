import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MaskStream } from "./mask-stream.js";

function masked(
  chunks: readonly (string | Buffer)[],
  values: Record<string, string>,
): Promise<string> {
  const stream = Readable.from(chunks.map((c) => Buffer.from(c))).pipe(
    new MaskStream(new Map(Object.entries(values))),
  );
  return text(stream);
}

describe("MaskStream", () => {
  it("masks a value split across chunks, byte by byte too", async () => {
    const output = "token=s3cr3t-value; again s3cr3t-value.";
    const expected = "token=<redacted:API>; again <redacted:API>.";
    expect(await masked([output], { API: "s3cr3t-value" })).toBe(expected);
    expect(await masked([...output], { API: "s3cr3t-value" })).toBe(expected);
    expect(
      await masked(["token=s3cr", "3t-value; again s", "3cr3t-value."], { API: "s3cr3t-value" }),
    ).toBe(expected);
  });

  it("masks multi-byte values split inside a character, and leaves values under 4 characters", async () => {
    const bytes = Buffer.from("x pässwörd y abc");
    const chunks = [bytes.subarray(0, 4), bytes.subarray(4, 9), bytes.subarray(9)];
    expect(await masked(chunks, { P: "pässwörd", S: "abc" })).toBe("x <redacted:P> y abc");
  });

  it("masks the longer of two overlapping values whole", async () => {
    expect(await masked(["key=abcdefgh"], { SHORT: "abcd", LONG: "abcdefgh" })).toBe(
      "key=<redacted:LONG>",
    );
  });

  it("passes output through unchanged when no value occurs, however it is split", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: "grapheme-ascii" }), { maxLength: 8 }),
        async (chunks) => {
          const joined = chunks.join("");
          fc.pre(!joined.includes("zq9#"));
          expect(await masked(chunks, { V: "zq9#x" })).toBe(joined);
        },
      ),
    );
  });

  it("never lets a value through, however the output is split", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 30 }),
        fc.array(fc.nat(40), { maxLength: 6 }),
        async (noise, cuts) => {
          const secret = "S3cr#t-V4lue";
          const whole = Buffer.from(`${noise}${secret}${noise}${secret}`);
          const points = [...new Set(cuts.map((c) => c % (whole.length + 1)))].sort(
            (a, b) => a - b,
          );
          const chunks = [0, ...points].map((start, i) =>
            whole.subarray(start, points[i] ?? whole.length),
          );
          expect(await masked(chunks, { X: secret })).not.toContain(secret);
        },
      ),
    );
  });
});
