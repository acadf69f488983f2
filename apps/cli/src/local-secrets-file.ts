import { mkdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { loadConfig } from "@hush/config";
import { writePrivateFileSync } from "@hush/config/private-file";
import { CliError } from "./cli-error.js";
import { ExitCode } from "./exit-codes.js";
import { EditRefused, editSecretsTable } from "./toml-secrets-edit.js";

/** Where the local secrets live and how the config is read back. */
export interface LocalSecretsTarget {
  /** The user config file. */
  readonly path: string;
  readonly env: NodeJS.ProcessEnv;
  readonly home: string;
}

const BOM = "\ufeff";

/**
 * Sets (`value` a string) or deletes (`value` undefined) a secret in `[context.secrets]` of the
 * user config file, in place: only that key's line changes. The new text is written to a temp
 * file beside it (same mode), read back through `@hush/config` to prove the secret now reads as
 * intended, and only then renamed over the file; anything else leaves the file as it was.
 *
 * @returns false when deleting a name the file does not have.
 */
export function editLocalSecret(
  target: LocalSecretsTarget,
  name: string,
  value: string | undefined,
): boolean {
  return editLocalSecrets(target, new Map([[name, value]]));
}

/** {@link editLocalSecret} for several names at once: all are written, or none. */
export function editLocalSecrets(
  target: LocalSecretsTarget,
  changes: ReadonlyMap<string, string | undefined>,
): boolean {
  const { path } = target;
  for (const [name, value] of changes) {
    if (value !== undefined && (value === "~" || value.startsWith("~/"))) {
      throw refused(
        path,
        `the value of ${name} starts with ~/, which the config reads as a path in the home folder`,
      );
    }
  }
  let text: string;
  let mode = 0o600;
  try {
    text = readFileSync(path, "utf8");
    mode = statSync(path).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      throw refused(path, `it cannot be read (${(error as NodeJS.ErrnoException).code})`);
    }
    if ([...changes.values()].every((v) => v === undefined)) return false;
    text = "";
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  }
  const bom = text.startsWith(BOM) ? BOM : "";
  let edited = text.slice(bom.length);
  for (const [name, value] of changes) {
    try {
      edited = editSecretsTable(edited, name, value);
    } catch (error) {
      if (!(error instanceof EditRefused)) throw error;
      if (value === undefined && /has no line/.test(error.message)) return false;
      throw refused(path, error.message);
    }
  }
  writeChecked(target, bom + edited, mode, changes);
  return true;
}

function writeChecked(
  target: LocalSecretsTarget,
  text: string,
  mode: number,
  changes: ReadonlyMap<string, string | undefined>,
): void {
  const { path } = target;
  const staged = `${path}.hush-edit`;
  try {
    writePrivateFileSync(staged, text, mode);
    // Read back as every hush program will, without the environment's own secret overrides.
    const env = Object.fromEntries(
      Object.entries(target.env).filter(([key]) => !key.toUpperCase().startsWith("HUSH__CONTEXT")),
    );
    const secrets = loadConfig({
      env,
      homeDir: target.home,
      userConfigPath: staged,
      warnUnknownKeys: false,
    }).context.secrets;
    for (const [name, value] of changes) {
      const ok =
        value === undefined
          ? !Object.hasOwn(secrets, name)
          : Object.hasOwn(secrets, name) && sameValue(secrets[name], value);
      if (!ok) throw refused(path, `${name} would not read back as written`);
    }
    renameSync(staged, path);
  } catch (error) {
    rmSync(staged, { force: true });
    if (error instanceof CliError) throw error;
    throw refused(
      path,
      `it cannot be written (${(error as NodeJS.ErrnoException).code ?? "the new text does not load"})`,
    );
  }
}

function sameValue(read: unknown, written: string): boolean {
  if (read === written) return true;
  if (typeof read === "string") return false;
  try {
    return isDeepStrictEqual(read, JSON.parse(written));
  } catch {
    return false;
  }
}

function refused(path: string, reason: string): CliError {
  return new CliError(
    ExitCode.ERROR,
    "CONFIG_NOT_EDITABLE",
    `Cannot safely edit ${path}: ${reason}. Nothing was changed. Edit its [context.secrets] table by hand, or use --cloud to work with the server.`,
  );
}
