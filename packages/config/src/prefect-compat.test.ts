// Prefect 1.x's configuration tests (tests/test_configuration.py), ported to hush's names. Where
// hush fixes a Prefect pain point the test says so.
import { describe, expect, it } from "vitest";
import { load, loadError } from "../test/helpers.js";
import { ConfigErrorCode } from "./index.js";

const TEMPLATE = `
    debug = false

    [general]
    x = 1
    y = "hi"

        [general.nested]
        x = "\${general.x}"
        x_interpolated = "\${general.x} + 1"
        y = "\${general.y} or bye"

    [interpolation]
    key = "x"
    value = "\${general.nested.\${interpolation.key}}"

    [env_vars]
    interpolated_path = "$PATH"
    interpolated_from_non_string_key_bool = "\${env_vars.true}"
    interpolated_from_non_string_key_string = "\${env_vars.true} string"
    not_interpolated_path = "xxx$PATHxxx"

    [logging]
    format = "log-format"
`;

const ENV = {
  HUSH__ENV_VARS__NEW_KEY: "TEST",
  HUSH__ENV_VARS__TWICE__NESTED__NEW_KEY: "TEST",
  HUSH__ENV_VARS__TRUE: "true",
  HUSH__ENV_VARS__FALSE: "false",
  HUSH__ENV_VARS__INT: "10",
  HUSH__ENV_VARS__NEGATIVE_INT: "-10",
  HUSH__ENV_VARS__FLOAT: "7.5",
  HUSH__ENV_VARS__NEGATIVE_FLOAT: "-7.5",
  HUSH__CONTEXT__SECRETS__AWS_CREDENTIALS:
    '{"ACCESS_KEY": "abcdef", "SECRET_ACCESS_KEY": "ghijklmn"}',
  PATH: "1/2/3",
  HUSH__ENV_VARS__ESCAPED_CHARACTERS: "line 1\nline 2\rand 3\tand 4",
};

type Tables = Record<string, Record<string, unknown>>;

function config(env: Record<string, string> = ENV): Tables {
  return load(TEMPLATE, env).config as unknown as Tables;
}

describe("Prefect 1.x configuration behaviour", () => {
  it("keeps the file's sections and top-level keys", () => {
    const c = config();
    expect(c.debug).toBe(false);
    expect(c.general?.nested).toBeDefined();
    expect(c).not.toHaveProperty("x");
  });

  it("creates objects from JSON in environment variables", () => {
    expect(config().context?.secrets).toEqual({
      AWS_CREDENTIALS: { ACCESS_KEY: "abcdef", SECRET_ACCESS_KEY: "ghijklmn" },
    });
  });

  it("interpolates references, keeping the type of a whole-value reference", () => {
    const { general } = config();
    expect(general?.nested).toEqual({ x: 1, x_interpolated: "1 + 1", y: "hi or bye" });
  });

  it("resolves nested references", () => {
    expect(config().interpolation?.value).toBe(1);
  });

  it("expands environment variables, but not inside a longer name", () => {
    const { env_vars } = config();
    expect(env_vars?.interpolated_path).toBe("1/2/3");
    expect(env_vars?.not_interpolated_path).toBe("xxx$PATHxxx");
  });

  it("casts environment values", () => {
    expect(config().env_vars).toMatchObject({
      true: true,
      false: false,
      int: 10,
      negative_int: -10,
      float: 7.5,
      negative_float: -7.5,
    });
  });

  it("keeps a cast value's type through a whole-value reference (JS spells booleans true)", () => {
    expect(config().env_vars).toMatchObject({
      interpolated_from_non_string_key_bool: true,
      interpolated_from_non_string_key_string: "true string",
    });
  });

  it("adds new keys and nested tables from environment variables", () => {
    const { env_vars } = config();
    expect(env_vars?.new_key).toBe("TEST");
    expect(env_vars?.twice).toEqual({ nested: { new_key: "TEST" } });
  });

  it("keeps real escape characters in environment values", () => {
    expect(config().env_vars?.escaped_characters).toBe("line 1\nline 2\rand 3\tand 4");
  });

  it("FIX: a reference to a missing key is an error, not an empty string", () => {
    const error = loadError(`${TEMPLATE}\n[bad]\nbad_value = "\${general.bad_key}"\n`, ENV);
    expect(error.code).toBe(ConfigErrorCode.UNKNOWN_REFERENCE);
    expect(error.key).toBe("bad.bad_value");
    expect(error.message).toContain("${general.bad_key}");
  });

  it("keeps mixed-case keys from the file, while environment keys are lower-cased", () => {
    const { config: c } = load("[SeCtIoN]\nKeY = 1\n", { HUSH__SECTION__KEY: "2" });
    expect(c.SeCtIoN).toEqual({ KeY: 1 });
    expect(c.section).toEqual({ key: 2 });
  });

  it("lower-cases context keys but not those of context secrets", () => {
    const { config: c } = load('[context]\nspECIAL_TOP_key = "foo"\n[context.secrets]\nKeY = 1\n', {
      HUSH__CONTEXT__SECRETS__mY_spECIal_kEY: "42",
      HUSH__CONTEXT__strange_VAlUE: "false",
      HUSH__CONTEXT__FLOW_RUN_ID: "12345",
      HUSH__CONTEXT__FLOW_ID: "56789",
    });
    expect(c.context).toEqual({
      spECIAL_TOP_key: "foo",
      secrets: { KeY: 1, mY_spECIal_kEY: 42 },
      strange_value: false,
      flow_run_id: 12345,
      flow_id: 56789,
    });
  });

  it("interpolates after every layer is in, so references see the user file and overrides", () => {
    const c = config({ ...ENV, HUSH__GENERAL__X: "2" });
    expect(c.general?.nested).toMatchObject({ x: 2, x_interpolated: "2 + 1" });
    expect(c.interpolation?.value).toBe(2);
  });
});
