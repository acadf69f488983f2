// Config fuzzing: random TOML files and `HUSH__…` environments, built with fast-check, give
// `loadConfig` (strict or not) a value or a `ConfigError`, never another exception, and never an
// error message (its own or a cause's) or unknown-key warning that quotes a secret. Secrets are planted as unique markers in
// `[context.secrets]`, `cloud.api_key` and their environment overrides, and referenced from other
// keys with `${…}` so that a secret flows into places where errors quote values.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadConfigWithOrigins } from "@hush/config";
import fc from "fast-check";

const MARKER = "zq7SECRET";
const marker = fc.nat({ max: 1e9 }).map((n) => `${MARKER}${n}x`);

/** A bare or quoted TOML key, sometimes one that means something to hush. */
const key = fc.oneof(
  fc.constantFrom("backend", "endpoint", "api_key", "use_local_secrets", "secret_cache_ttl_ms"),
  fc.constantFrom("API_KEY", "DB", "__proto__", "constructor", "toString", "a.b", '"quoted key"'),
  fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,12}$/),
);

/** A `${…}` reference, as hush's config writes it. */
const ref = (inner) => `\${${inner}}`;

/** References and environment syntax a string value may hold. */
const fragment = fc.oneof(
  fc.constantFrom(
    "$HOME",
    "$UNSET_VAR",
    ref("HOME"),
    ref("cloud.endpoint"),
    ref("backend"),
    "$" + "{",
  ),
  fc.constantFrom(
    ref("context.secrets.API_KEY"),
    ref("cloud.api_key"),
    ref(`${ref("backend")}.endpoint`),
  ),
  fc.constantFrom("\\$", "~/", "http://", "@", "}", "{", "\\u0000", "\\n", "é", "😀"),
  fc.stringMatching(/^[A-Za-z0-9 ._:/-]{0,10}$/),
);

/** A value in TOML syntax; `secret` values carry a marker. */
const value = (secret) =>
  fc.oneof(
    fc
      .tuple(fc.array(fragment, { maxLength: 4 }), secret ? marker : fc.constant(""))
      .map(([parts, m]) => JSON.stringify(`${parts.join("")}${m}`)),
    fc.constantFrom("true", "false", "0", "-1", "1e400", "nan", "inf", "1979-05-27T07:32:00Z"),
    fc.integer().map(String),
    fc.constantFrom("[]", "[1, 2]", '["a", 1]', "{}", "{ a = 1 }", '{ endpoint = "x" }'),
    secret
      ? marker.map((m) => `"""\n${m}\n"""`)
      : fc.constantFrom("'literal $HOME'", '"""\nmulti\n"""'),
  );

/** A line that is not valid TOML on its own. */
const broken = fc.constantFrom(
  "= value",
  "key =",
  "[unclosed",
  'key = "unterminated',
  "key = 1.2.3",
  "[[ ]]",
  "key = { a = }",
  "key = [1,",
  "\u0000",
  "\udc00",
  "key = 'it''s'",
);

const section = fc.constantFrom(
  "",
  "[cloud]",
  "[context]",
  "[context.secrets]",
  "[context.secrets.nested]",
  "[other]",
  "[cloud.deeper]",
  "[[cloud]]",
);

/** A section's lines; under `[context.secrets]` and for `api_key`, the values are secrets. */
const block = section.chain((header) =>
  fc
    .array(
      fc.oneof(
        {
          weight: 40,
          arbitrary: key.chain((k) =>
            value(
              header.startsWith("[context.secrets") || (header === "[cloud]" && k === "api_key"),
            ).map((v) => `${k} = ${v}`),
          ),
        },
        { weight: 1, arbitrary: broken },
      ),
      { maxLength: 6 },
    )
    .map((lines) => [header, ...lines].join("\n")),
);

const tomlFile = fc.array(block, { maxLength: 5 }).map((blocks) => blocks.join("\n"));

/** `HUSH__…` variables; those naming a secret carry a marker. */
const envName = fc.oneof(
  fc.constantFrom("HUSH__BACKEND", "HUSH__CLOUD__ENDPOINT", "HUSH__CLOUD__USE_LOCAL_SECRETS"),
  fc.constantFrom(
    "HUSH__CLOUD",
    "HUSH__CONTEXT",
    "HUSH__CLOUD____X",
    "HUSH__",
    "HUSH__CONTEXT__SECRETS",
  ),
  fc.constantFrom(
    "HUSH__CLOUD__API_KEY",
    "HUSH__CONTEXT__SECRETS__API_KEY",
    "HUSH__CONTEXT__SECRETS__A__B",
  ),
  fc.stringMatching(/^HUSH__[A-Z_]{1,20}$/),
);
const envValue = (name) => {
  const secret = name === "HUSH__CLOUD__API_KEY" || name.startsWith("HUSH__CONTEXT__SECRETS");
  return fc.oneof(
    fc
      .tuple(fc.array(fragment, { maxLength: 3 }), secret ? marker : fc.constant(""))
      .map(([p, m]) => `${p.join("")}${m}`),
    fc.constantFrom("true", "FALSE", "42", "-0", "{}", "[]", '{"endpoint": 1}', '{"a":', "null"),
    secret ? marker.map((m) => JSON.stringify({ k: m })) : fc.constant('{"k": "v"}'),
  );
};
const environment = fc
  .array(
    envName.chain((name) => envValue(name).map((v) => [name, v])),
    { maxLength: 5 },
  )
  .map((entries) => Object.fromEntries([["HOME", "/home/fuzz"], ...entries]));

function messages(error) {
  const out = [];
  for (let e = error, depth = 0; e && depth < 5; e = e.cause, depth++)
    out.push(String(e.message ?? e));
  return out.join("\n");
}

/**
 * Runs the property `runs` times (plus a pass over raw random text); resolves with a summary, or
 * rejects with fast-check's counterexample.
 */
export async function configFuzz({ runs }) {
  const dir = mkdtempSync(join(tmpdir(), "hush-config-fuzz-"));
  const file = join(dir, "config.toml");
  const outcomes = { value: 0, ConfigError: 0 };
  const check = (text, env, strict) => {
    writeFileSync(file, text);
    try {
      // Unknown keys: an error when strict, else a warning; both are checked for secrets.
      const loaded = loadConfigWithOrigins({
        env,
        userConfigPath: file,
        homeDir: "/home/fuzz",
        strict,
        warnUnknownKeys: false,
      });
      const warnings = JSON.stringify(loaded.unknownKeys ?? []);
      if (warnings.includes(MARKER))
        throw new Error(`an unknown-key warning quotes a secret: ${warnings}`);
      outcomes.value++;
    } catch (error) {
      if (!(error instanceof ConfigError)) {
        throw new Error(
          `loadConfig threw ${error?.name ?? typeof error}, not a ConfigError: ${error?.stack ?? error}`,
        );
      }
      const text = messages(error);
      if (text.includes(MARKER)) throw new Error(`a ConfigError quotes a secret: ${text}`);
      outcomes.ConfigError++;
    }
  };
  try {
    fc.assert(
      fc.property(tomlFile, environment, fc.boolean(), (text, env, strict) =>
        check(text, env, strict),
      ),
      { numRuns: runs },
    );
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), environment, (text, env) =>
        check(text, env, false),
      ),
      { numRuns: Math.ceil(runs / 4) },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return `${outcomes.value + outcomes.ConfigError} inputs: ${outcomes.value} loaded, ${outcomes.ConfigError} ConfigErrors, no other exception, no secret quoted`;
}
