import { describe, expect, it } from "vitest";
import { ServiceError } from "../../service/errors.js";
import { formatServiceError } from "./format-errors.js";

const TOKEN = `hush_${"a".repeat(43)}`;

describe("formatServiceError", () => {
  it("keeps the code and the extensions' fields", () => {
    const error = new ServiceError("NOT_FOUND", "Not here.", {
      extensions: { tenant: "acme", names: ["A"], code: "IGNORED" },
    });
    expect(formatServiceError(error)).toEqual({
      message: "Not here.",
      extensions: { code: "NOT_FOUND", tenant: "acme", names: ["A"] },
    });
  });

  it("never sends anything shaped like a token, in the message or in a field", () => {
    const error = new ServiceError("BAD_USER_INPUT", `Not ${TOKEN}.`, {
      extensions: { argument: TOKEN, nested: { list: [`x ${TOKEN}`, 3] } },
    });
    const formatted = formatServiceError(error);
    expect(JSON.stringify(formatted)).not.toContain(TOKEN);
    expect(formatted.extensions).toEqual({
      code: "BAD_USER_INPUT",
      argument: "hush_…",
      nested: { list: ["x hush_…", 3] },
    });
  });
});
