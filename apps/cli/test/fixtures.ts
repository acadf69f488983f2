/** Fixtures shared by the CLI's test files. */

/** A user config with a comment on every kind of line: edits must keep each byte. */
export const CONFIG = `# my hush config
backend = "cloud"   # the default

[context.secrets]
# the database
DB_URL = "postgres://db" # local only

[cloud]
use_local_secrets = true
`;

export const TRICKY = `a 'single' "double" $HOME \`tick\` back\\slash\nnew line ünï €`;
/** Values that every dotenv reader can be given exactly (see dotenvQuote). */
export const DOTENV_SAFE = {
  Q: `a 'single' quote, # and =\nnew line ünï €`,
  R: "`tick` $(echo no) \\n literal\nline two",
  S: `"double" \`tick\` $x`,
};
