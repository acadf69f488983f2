import { describe, expect, it } from "vitest";
import { load, loadError } from "../test/helpers.js";
import { ConfigErrorCode } from "./index.js";

describe("[context.secrets]: a whole value that names an unset variable", () => {
  it("leaves out a secret written as exactly $NAME or ${NAME} when the variable is unset", () => {
    const { config, unsetReferences, origins, file } = load(
      '[context.secrets]\nOTHER = "x"\nSTRIPE_KEY = "$STRIPE_KEY"\nBRACED = "${BRACED_VAR}"\n',
    );
    expect(config.context.secrets).toEqual({ OTHER: "x" });
    expect(unsetReferences).toEqual([
      {
        key: "context.secrets.STRIPE_KEY",
        variable: "STRIPE_KEY",
        origin: { kind: "file", file, line: 3, column: 14 },
      },
      {
        key: "context.secrets.BRACED",
        variable: "BRACED_VAR",
        origin: { kind: "file", file, line: 4, column: 10 },
      },
    ]);
    expect(origins.has("context.secrets.STRIPE_KEY")).toBe(false);
    expect(origins.has("context.secrets.OTHER")).toBe(true);
  });

  it("uses the variable when it is set, even to an empty string", () => {
    const toml = '[context.secrets]\nSTRIPE_KEY = "$STRIPE_KEY"\nB = "${B}"\n';
    const { config, unsetReferences } = load(toml, { STRIPE_KEY: "sk_live", B: "" });
    expect(config.context.secrets).toEqual({ STRIPE_KEY: "sk_live", B: "" });
    expect(unsetReferences).toEqual([]);
  });

  it("keeps Prefect's rule for a reference inside longer text: it stays as written", () => {
    const { config, unsetReferences } = load(
      '[context.secrets]\nURL = "https://$HOST/x"\nPAIR = "$A$B"\n',
    );
    expect(config.context.secrets).toEqual({ URL: "https://$HOST/x", PAIR: "$A$B" });
    expect(unsetReferences).toEqual([]);
  });

  it("keeps ${name} a config reference when a top-level key has that name", () => {
    const { config, unsetReferences } = load(
      'backend = "cloud"\n[context.secrets]\nB = "${backend}"\n',
    );
    expect(config.context.secrets).toEqual({ B: "cloud" });
    expect(unsetReferences).toEqual([]);
  });

  it("leaves out a whole nested secret when one of its values names an unset variable", () => {
    const { config, unsetReferences } = load(
      '[context.secrets.AWS]\nRegion = "eu-west-1"\nKey = "$AWS_KEY"\n[context.secrets]\nX = "1"\n',
    );
    expect(config.context.secrets).toEqual({ X: "1" });
    expect(unsetReferences.map((r) => [r.key, r.variable])).toEqual([
      ["context.secrets.AWS.Key", "AWS_KEY"],
    ]);
  });

  it("applies to a secret given by an environment override too, naming the variable", () => {
    const { config, unsetReferences } = load(undefined, {
      HUSH__CONTEXT__SECRETS__STRIPE_KEY: "$STRIPE_KEY",
    });
    expect(config.context.secrets).toEqual({});
    expect(unsetReferences).toEqual([
      {
        key: "context.secrets.STRIPE_KEY",
        variable: "STRIPE_KEY",
        origin: { kind: "env", variable: "HUSH__CONTEXT__SECRETS__STRIPE_KEY" },
      },
    ]);
  });

  it("makes a ${…} reference to such a secret an unknown reference, not its literal text", () => {
    const error = loadError(
      '[t]\nkey = "${context.secrets.STRIPE_KEY}"\n[context.secrets]\nSTRIPE_KEY = "$STRIPE_KEY"\n',
    );
    expect(error.code).toBe(ConfigErrorCode.UNKNOWN_REFERENCE);
    expect(error.key).toBe("t.key");
  });

  it("only applies to [context.secrets]: elsewhere $NAME unset stays as written", () => {
    const { config, unsetReferences } = load('[t]\nv = "$UNSET_VAR"\n');
    expect(config.t).toEqual({ v: "$UNSET_VAR" });
    expect(unsetReferences).toEqual([]);
  });
});

describe("[context.secrets]: JSON text is parsed before interpolation", () => {
  it("keeps a JSON secret's shape whatever quotes, backslashes or newlines a variable holds", () => {
    const toml = `[context.secrets]\nDB_CREDENTIALS = '{"user": "app", "password": "$DB_PASSWORD"}'\n`;
    for (const password of ['p"w', "back\\slash", "two\nlines", '"},"x":{"']) {
      const { config } = load(toml, { DB_PASSWORD: password });
      const text = config.context.secrets.DB_CREDENTIALS as string;
      expect(JSON.parse(text)).toEqual({ user: "app", password });
    }
  });

  it("interpolates inside arrays and nested objects, and leaves keys alone", () => {
    const toml = `[context.secrets]\nLIST = '[{"$K": ["$A", "x-\${B}"]}]'\n`;
    const { config } = load(toml, { A: 'a"', B: "b\\", K: "key" });
    expect(JSON.parse(config.context.secrets.LIST as string)).toEqual([{ $K: ['a"', "x-b\\"] }]);
  });

  it("keeps a leaf that names an unset variable as written, as Prefect did", () => {
    const toml = `[context.secrets]\nDB = '{"password": "$UNSET_PASSWORD"}'\n`;
    const { config, unsetReferences } = load(toml);
    expect(JSON.parse(config.context.secrets.DB as string)).toEqual({
      password: "$UNSET_PASSWORD",
    });
    expect(unsetReferences).toEqual([]);
  });

  it("interpolates text that is not JSON as text", () => {
    const toml = `[context.secrets]\nNOT_JSON = '{user: $U}'\n`;
    expect(load(toml, { U: 'a"' }).config.context.secrets.NOT_JSON).toBe('{user: a"}');
  });

  it("still reports an unknown ${…} inside a JSON leaf, without quoting it", () => {
    const error = loadError(`[context.secrets]\nDB = '{"password": "\${nope.nothing}"}'\n`);
    expect(error.code).toBe(ConfigErrorCode.UNKNOWN_REFERENCE);
    expect(error.key).toBe("context.secrets.DB");
    expect(error.message).not.toContain("nope");
  });
});

describe("string values from files are not cast", () => {
  it('keeps port = "$PORT" a string, where Prefect made it a number', () => {
    const { config } = load(
      '[t]\nport = "$PORT"\nflag = "true"\n[context.secrets]\nP = "$PORT"\n',
      {
        PORT: "8080",
      },
    );
    expect(config.t).toEqual({ port: "8080", flag: "true" });
    expect(config.context.secrets.P).toBe("8080");
  });
});
