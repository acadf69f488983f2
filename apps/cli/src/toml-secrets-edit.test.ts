import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { EditRefused, editSecretsTable } from "./toml-secrets-edit.js";

const DOC = `# top comment
backend = "cloud"   # trailing

[context.secrets]
  # indented comment
  DB = 'old' # keep me
  "dotted.name" = "x"

# between tables
[cloud]
endpoint = "http://127.0.0.1:4200"
`;

describe("editSecretsTable", () => {
  it("replaces a value and keeps its trailing comment and every other byte", () => {
    expect(editSecretsTable(DOC, "DB", "new")).toBe(
      DOC.replace("DB = 'old' # keep me", 'DB = "new" # keep me'),
    );
  });

  it("adds a key after the table's last key, with its indentation", () => {
    const out = editSecretsTable(DOC, "API", "v");
    expect(out).toBe(
      DOC.replace('  "dotted.name" = "x"\n', '  "dotted.name" = "x"\n  API = "v"\n'),
    );
  });

  it("removes only the key's line, and knows quoted names", () => {
    expect(editSecretsTable(DOC, "dotted.name", undefined)).toBe(
      DOC.replace('  "dotted.name" = "x"\n', ""),
    );
  });

  it("appends the table to a file without one, and keeps CRLF line ends", () => {
    const crlf = 'backend = "cloud"\r\n';
    expect(editSecretsTable(crlf, "A", "1")).toBe(
      'backend = "cloud"\r\n\r\n[context.secrets]\r\nA = "1"\r\n',
    );
    expect(editSecretsTable("", "A", "1")).toBe('[context.secrets]\nA = "1"\n');
  });

  it("escapes $ for the config's interpolation and writes any text as a valid TOML string", () => {
    const value = 'a "q" \\ $HOME\n\t\u007f ü';
    const out = editSecretsTable("", "V", value);
    expect((parse(out) as { context: { secrets: { V: string } } }).context.secrets.V).toBe(
      value.replaceAll("$", "\\$"),
    );
  });

  it("adds after a last value that spans lines, and removes such a value whole", () => {
    const doc = '[context.secrets]\nA = """\nmulti\n"""  # c\n\n[cloud]\n';
    expect(editSecretsTable(doc, "B", "2")).toBe(doc.replace("# c\n", '# c\nB = "2"\n'));
    expect(editSecretsTable(doc, "A", undefined)).toBe("[context.secrets]\n\n[cloud]\n");
  });

  it("refuses what it cannot edit safely", () => {
    expect(() => editSecretsTable('[context]\nsecrets = { A = "1" }\n', "B", "2")).toThrow(
      EditRefused,
    );
    expect(() => editSecretsTable('context.secrets.A = "1"\n', "B", "2")).toThrow(EditRefused);
    expect(() => editSecretsTable('[context.secrets]\nA = """\nmulti\n"""\n', "A", "2")).toThrow(
      /spans several lines/,
    );
    expect(() => editSecretsTable("not toml [", "A", "1")).toThrow(/not valid TOML/);
  });
});
