import { describe, expect, it } from "vitest";
import { HushError, isHushError } from "./index.js";

class ExampleError extends HushError {}

describe("HushError", () => {
  it("carries a code, names itself after the subclass and keeps the cause", () => {
    const cause = new Error("low-level");
    const error = new ExampleError("NOT_FOUND", "Nothing here.", { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe("NOT_FOUND");
    expect(error.name).toBe("ExampleError");
    expect(error.cause).toBe(cause);
    expect(String(error)).toBe("ExampleError: Nothing here.");
  });

  it("is recognised by isHushError, with or without a code", () => {
    const error = new HushError("FORBIDDEN", "No.");
    expect(isHushError(error)).toBe(true);
    expect(isHushError(error, "FORBIDDEN")).toBe(true);
    expect(isHushError(error, "NOT_FOUND")).toBe(false);
    expect(isHushError(new Error("plain"))).toBe(false);
  });
});
