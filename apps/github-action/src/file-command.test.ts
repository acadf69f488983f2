import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { testDir } from "@hush/test-support";
import { describe, expect, it } from "vitest";
import { ActionError } from "./action-error.js";
import { appendFileCommand, fileCommandPath, fileCommandText } from "./file-command.js";

describe("fileCommandText", () => {
  it("writes each text between its name and a random delimiter", () => {
    const text = fileCommandText([
      ["A", "one\ntwo"],
      ["B", ""],
    ]);
    const delimiter = /^A<<(ghadelimiter_[0-9a-f-]{36})$/m.exec(text)?.[1];
    expect(text).toBe(`A<<${delimiter}\none\ntwo\n${delimiter}\nB<<${delimiter}\n\n${delimiter}\n`);
    expect(fileCommandText([["A", "x"]])).not.toContain(delimiter);
  });

  it("refuses a value or name that holds the delimiter, naming the secret and not the value", () => {
    const delimiter = "ghadelimiter_fixed";
    const value = `line\n${delimiter}\nNODE_OPTIONS=--require evil`;
    const refused = (() => {
      try {
        fileCommandText(
          [
            ["SAFE", "fine"],
            ["SMUGGLER", value],
            [`X${delimiter}`, "fine"],
          ],
          delimiter,
        );
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(ActionError);
    expect((refused as ActionError).code).toBe("DELIMITER_COLLISION");
    expect((refused as ActionError).message).toMatch(/^Nothing was exported: .*SMUGGLER, X/);
    expect((refused as ActionError).message).not.toContain("NODE_OPTIONS=--require evil");
  });
});

describe("appendFileCommand", () => {
  it("appends to the file, after what earlier steps wrote", () => {
    const file = join(testDir(), "env");
    writeFileSync(file, "EARLIER=1\n");
    appendFileCommand(fileCommandPath({ GITHUB_ENV: file }, "GITHUB_ENV"), "A<<D\nx\nD\n");
    expect(readFileSync(file, "utf8")).toBe("EARLIER=1\nA<<D\nx\nD\n");
  });

  it("says the step must run in GitHub Actions when the variable is unset", () => {
    expect(() => fileCommandPath({}, "GITHUB_OUTPUT")).toThrow(
      "GITHUB_OUTPUT is not set: this action runs as a step of a GitHub Actions job",
    );
  });
});
