import { describe, expect, it } from "vitest";
import { scrubMessage } from "./scrub-message.js";

describe("scrubMessage", () => {
  it.each([
    [
      'String cannot represent a non string value: ["s3cret"]',
      "String cannot represent a non string value.",
    ],
    ['Int cannot represent non-integer value: "s3cret"', "Int cannot represent non-integer value."],
    [
      'Expected value of type "String!", found "s3cret"; String cannot represent…',
      'Expected value of type "String!".',
    ],
    ['Syntax Error: Unexpected String "s3cret".', "Syntax Error: Unexpected String."],
    ['Syntax Error: Expected Name, found String "s3cret".', "Syntax Error: Expected Name."],
  ])("cuts the quoted input out of %j", (message, scrubbed) => {
    expect(scrubMessage(message)).toBe(scrubbed);
  });

  it("leaves messages without quoted input alone", () => {
    const message = 'Cannot query field "secretz" on type "Query". Did you mean "secret"?';
    expect(scrubMessage(message)).toBe(message);
    expect(scrubMessage('Syntax Error: Unexpected Name "secretz".')).toBe(
      'Syntax Error: Unexpected Name "secretz".',
    );
  });

  it("replaces names shaped like an API token, which graphql-js quotes", () => {
    const token = `hush_${"A1_-".repeat(11)}`;
    for (const message of [
      `Cannot query field "${token}" on type "Query".`,
      `Unknown argument "${token}" on field "Query.secretValue".`,
      `Value "${token}" does not exist in "Role" enum.`,
      `Variable "$${token}" is never used.`,
      `Syntax Error: Unexpected Name "${token}".`,
    ]) {
      expect(scrubMessage(message)).not.toContain(token);
      expect(scrubMessage(message)).toContain("hush_…");
    }
  });
});
