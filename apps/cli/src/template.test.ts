import { describe, expect, it } from "vitest";
import { CliError } from "./cli-error.js";
import { parseTemplate, renderTemplate } from "./template.js";

describe("parseTemplate", () => {
  it("finds references with or without blanks, in the default or a named environment", () => {
    const template = parseTemplate(
      "a={{hush://A}}\nb = {{  hush://staging/B\t}} {{ not hush }} }}",
      "t.tpl",
    );
    expect(template.references).toEqual([
      { environment: undefined, name: "A", line: 1, column: 3 },
      { environment: "staging", name: "B", line: 2, column: 5 },
    ]);
    expect(template.texts).toEqual(["a=", "\nb = ", " {{ not hush }} }}"]);
  });

  it.each([
    ["x {{ hush://bad name }}", "t.tpl:1:3: The secret name contains a character"],
    ["\n  {{ hush://Prod/A }}", "t.tpl:2:3: The environment name contains a character"],
    ["{{ hush://a/b/c }}", 't.tpl:1:1: It has more than one "/"'],
    ["{{ hush:// }}", "t.tpl:1:1: The secret name is empty"],
    ["{{ hush://A\n}}", 't.tpl:1:1: a {{ hush://NAME }} reference has no closing "}}"'],
  ])("refuses %j with its line:column (exit 2)", (text, message) => {
    let error: unknown;
    try {
      parseTemplate(text, "t.tpl");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(2);
    expect((error as CliError).message).toContain(message);
    expect((error as CliError).message).toContain("Nothing was written.");
  });
});

describe("renderTemplate", () => {
  it("inserts strings exactly and other JSON as JSON text", () => {
    const template = parseTemplate("{{ hush://S }}|{{ hush://O }}|{{ hush://N }}", "t");
    const values: Record<string, unknown> = { S: 'a "$x" \\n\n', O: { k: [1] }, N: 3 };
    expect(renderTemplate(template, (r) => values[r.name])).toBe('a "$x" \\n\n|{"k":[1]}|3');
  });

  it("never expands a reference inside a value: a USER's value cannot pull another secret in", () => {
    const template = parseTemplate("banner={{ hush://BANNER }}", "t");
    const values: Record<string, unknown> = {
      BANNER: "{{ hush://DB_PASSWORD }}",
      DB_PASSWORD: "s3cret",
    };
    const asked: string[] = [];
    const out = renderTemplate(template, (r) => {
      asked.push(r.name);
      return values[r.name];
    });
    expect(out).toBe("banner={{ hush://DB_PASSWORD }}");
    expect(asked).toEqual(["BANNER"]);
  });
});
