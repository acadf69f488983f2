import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MaskedOutput, MaskRules } from "./mask-stream.js";

/** What MaskedOutput writes for `chunks` (stream 0 unless [stream, chunk]), both streams in one. */
function masked(
  chunks: readonly (string | Buffer | [0 | 1, string | Buffer])[],
  values: Record<string, string>,
): string {
  const written: Buffer[] = [];
  const output = new MaskedOutput(new MaskRules(new Map(Object.entries(values))), {
    write: (_stream, bytes) => written.push(Buffer.from(bytes)) > 0,
    pause: () => {},
    resume: () => {},
  });
  for (const chunk of chunks) {
    const [stream, bytes] = Array.isArray(chunk) ? chunk : [0 as const, chunk];
    output.write(stream, Buffer.from(bytes));
  }
  output.end();
  return Buffer.concat(written).toString("utf8");
}

describe("MaskedOutput", () => {
  it("masks a value split across chunks, byte by byte too", () => {
    const output = "token=s3cr3t-value; again s3cr3t-value.";
    const expected = "token=<redacted:API>; again <redacted:API>.";
    expect(masked([output], { API: "s3cr3t-value" })).toBe(expected);
    expect(masked([...output], { API: "s3cr3t-value" })).toBe(expected);
    expect(
      masked(["token=s3cr", "3t-value; again s", "3cr3t-value."], { API: "s3cr3t-value" }),
    ).toBe(expected);
  });

  it("masks multi-byte values split inside a character, and leaves values under 4 characters", () => {
    const bytes = Buffer.from("x pässwörd y abc");
    const chunks = [bytes.subarray(0, 4), bytes.subarray(4, 9), bytes.subarray(9)];
    expect(masked(chunks, { P: "pässwörd", S: "abc" })).toBe("x <redacted:P> y abc");
  });

  it("masks the longer of two overlapping values whole, and two values that overlap as one", () => {
    expect(masked(["key=abcdefgh"], { SHORT: "abcd", LONG: "abcdefgh" })).toBe(
      "key=<redacted:LONG>",
    );
    expect(masked(["x abcd1234wxyz y"], { A: "abcd1234", B: "1234wxyz" })).toBe("x <redacted:A> y");
  });

  it("masks the encoded forms of a value", () => {
    const v = "p@ss wörd/+1";
    // Each form, and the encoded text before the value where it is part of a longer one.
    const forms: [string, string][] = [
      [Buffer.from(v).toString("base64"), ""],
      [Buffer.from(v).toString("base64url"), ""],
      [Buffer.from(`user:${v}`).toString("base64"), "dXNlcj"],
      [Buffer.from(`ab${v}`).toString("base64url"), "YW"],
      [encodeURIComponent(v), ""],
      [encodeURIComponent(v).toLowerCase(), ""],
      [new URLSearchParams({ v }).toString().slice(2), ""],
      [JSON.stringify(v), ""],
      [JSON.stringify(v).replace("ö", "\\u00f6"), ""],
    ];
    for (const [form, before] of forms) {
      const output = masked([`[${form}]`], { V: v });
      expect(output, form).toMatch(new RegExp(`^\\[${before}.{0,3}<redacted:V>.{0,3}\\]$`));
    }
  });

  it("masks a multi-line value written with CRLF or LF line ends", () => {
    const v = "line one\nline two";
    expect(masked(["a line one\r\nline two b"], { V: v })).toBe("a <redacted:V> b");
    expect(masked(["a line one\nline two b"], { V: "line one\r\nline two" })).toBe(
      "a <redacted:V> b",
    );
  });

  it("keeps the two streams in the order their output came, holding one while the other may hold a value", () => {
    expect(masked(["one abcd", [1, "two\n"], "efgh three\n"], { V: "abcdefgh" })).toBe(
      "one <redacted:V>two\n three\n",
    );
    expect(masked(["one abcd", [1, "two\n"], "-three\n"], { V: "abcdefgh" })).toBe(
      "one abcdtwo\n-three\n",
    );
  });

  it("masks the rest of a value whose start was flushed, and holds back no more than it must", async () => {
    const written: string[] = [];
    const output = new MaskedOutput(
      new MaskRules(new Map([["V", "abcdefgh"]])),
      {
        write: (_stream, bytes) => written.push(Buffer.from(bytes).toString()) > 0,
        pause: () => {},
        resume: () => {},
      },
      5,
    );
    output.write(0, Buffer.from("x abcd"));
    expect(written).toEqual(["x "]);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(written).toEqual(["x ", "abcd"]);
    output.write(0, Buffer.from("efgh y"));
    output.end();
    expect(written.join("")).toBe("x abcd<redacted:V> y");
  });

  it("passes output through unchanged when no value occurs, however it is split", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "grapheme-ascii" }), { maxLength: 8 }), (chunks) => {
        const joined = chunks.join("");
        fc.pre(!joined.includes("zq9#") && !joined.includes("enE5I3"));
        expect(masked(chunks, { V: "zq9#x" })).toBe(joined);
      }),
    );
  });

  it("never lets a value through, however the output is split", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 30 }),
        fc.array(fc.nat(40), { maxLength: 6 }),
        (noise, cuts) => {
          const secret = "S3cr#t-V4lue";
          const whole = Buffer.from(`${noise}${secret}${noise}${secret}`);
          const points = [...new Set(cuts.map((c) => c % (whole.length + 1)))].sort(
            (a, b) => a - b,
          );
          const chunks = [0, ...points].map((start, i) =>
            whole.subarray(start, points[i] ?? whole.length),
          );
          expect(masked(chunks, { X: secret })).not.toContain(secret);
        },
      ),
    );
  });
});
