import { ConfigErrorCode } from "./config-error.js";
import { SECRET_KEY_PATHS } from "./config-keys.js";
import { valueError } from "./error-site.js";
import { type InterpolationHost, interpolate, ReferenceProblem } from "./interpolate.js";
import { interpolateJsonText } from "./interpolate-json-text.js";
import { isSensitiveKey } from "./is-sensitive-key.js";
import type { OriginTracker } from "./origins.js";
import { isTable, setOwn, type Table } from "./tables.js";
import type { UnsetSecretReference } from "./types.js";

/** A string value being interpolated; the stack of them is the chain a cycle is reported with. */
interface Frame {
  readonly container: object;
  readonly key: string;
  readonly path: readonly string[];
  /** The `${…}` it is resolving right now. */
  reference?: string;
}

const INDEX = /^(?:0|[1-9]\d*)$/;

// A whole value that is one environment reference: `$NAME` or `${NAME}`.
const WHOLE_ENV_REFERENCE = /^\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)\})$/;

/**
 * Interpolates every string of the merged tree in place, in one walk, and deep-freezes it.
 * A `${path}` reference resolves its target first (depth-first, on demand), so references work
 * in any order; a string being resolved that is reached again is a cycle. Along the way it turns
 * TOML dates into ISO strings, gives smol-toml's null-prototype tables the plain prototype, and
 * records each leaf's origin.
 */
export class Resolver {
  private readonly stack: Frame[] = [];
  // Resolved strings in containers not yet frozen, so an env value with a "$" is never expanded twice.
  private readonly resolved = new WeakMap<object, Set<string>>();
  // A resolved path never changes, and many values tend to name the same few keys.
  private readonly lookups = new Map<string, { value: unknown }>();
  // Keys outside the secret ones whose value took text from a secret through a reference.
  private readonly copiesOfSecrets = new Set<string>();
  private readonly host: InterpolationHost;
  /** Local secrets whose whole value names an unset variable, in the order they were met. */
  readonly unsetReferences: UnsetSecretReference[] = [];
  // Their names (the key under context.secrets): left out of the table before it is frozen.
  private readonly unsetSecrets = new Set<string>();

  private readonly env: Readonly<Record<string, string | undefined>>;

  constructor(
    private readonly root: Table,
    env: Readonly<Record<string, string | undefined>>,
    private readonly home: string,
    private readonly origins: OriginTracker,
  ) {
    this.env = env;
    this.host = { env, home, lookup: (path, reference) => this.lookup(path, reference) };
  }

  resolveAll(): void {
    this.resolveContainer(this.root, [], true);
  }

  /**
   * Whether the value at a dotted key must not be shown: a secret key's, or one that a `${…}`
   * reference copied a secret into (`endpoint = "${context.secrets.URL}"`), or one holding such
   * a value (an array or table).
   */
  isSecret(key: string): boolean {
    if (isSensitiveKey(key)) return true;
    for (const copy of this.copiesOfSecrets) {
      if (copy === key || copy.startsWith(`${key}.`)) return true;
    }
    return false;
  }

  /** `track`: whether entries are leaves of the key tree (not array elements) with origins. */
  private resolveContainer(node: object, path: readonly string[], track: boolean): void {
    // Frozen means fully resolved: every container is frozen right after its last entry.
    if (Object.isFrozen(node)) return;
    const isArray = Array.isArray(node);
    if (!isArray && Object.getPrototypeOf(node) === null) {
      Object.setPrototypeOf(node, Object.prototype);
    }
    for (const key of Object.keys(node)) {
      this.resolveEntry(node, key, [...path, key], true, track && !isArray);
    }
    if (isSecretsTable(path)) this.dropUnsetSecrets(node as Table);
    Object.freeze(node);
  }

  /**
   * The resolved value of `container[key]`. `deep`: also resolve a table or array value
   * throughout (a reference's target is; the tables on the way to it are not).
   */
  private resolveEntry(
    container: object,
    key: string,
    path: readonly string[],
    deep: boolean,
    track: boolean,
  ): unknown {
    const value = (container as Table)[key];
    if (Object.isFrozen(container)) return value;
    if (track && this.origins.recording && !(isTable(value) && hasKeys(value))) {
      this.origins.record(path);
    }
    if (typeof value === "string") {
      // Without a `$` or a `~` there is nothing to expand: the text is its own value.
      if (!value.includes("$") && !value.includes("~")) return value;
      if (this.resolved.get(container)?.has(key)) return value;
      const cycleStart = this.stack.findIndex((f) => f.container === container && f.key === key);
      if (cycleStart >= 0) throw this.cycleError(cycleStart);
      const secret = secretNameOf(path);
      if (secret !== undefined && this.isUnsetReference(value, path, secret)) {
        this.markResolved(container, key);
        return value;
      }
      const frame: Frame = { container, key, path };
      this.stack.push(frame);
      let result: unknown;
      try {
        // A secret's JSON text is parsed first, so a variable's quotes cannot change its shape.
        result =
          (secret === undefined ? undefined : interpolateJsonText(value, this.host)) ??
          interpolate(value, this.host);
      } catch (error) {
        throw error instanceof ReferenceProblem ? this.referenceError(frame, error) : error;
      } finally {
        this.stack.pop();
      }
      setOwn(container, key, result);
      this.markResolved(container, key);
      return result;
    }
    if (value instanceof Date) {
      // smol-toml's TomlDate prints the TOML form: 1979-05-27, 07:32:00.000, or a full date-time.
      const iso = value.toISOString();
      setOwn(container, key, iso);
      return iso;
    }
    if (deep && typeof value === "object" && value !== null) {
      this.resolveContainer(value, path, track);
    }
    return value;
  }

  private markResolved(container: object, key: string): void {
    const done = this.resolved.get(container);
    if (done === undefined) this.resolved.set(container, new Set([key]));
    else done.add(key);
  }

  /**
   * Whether `value`, a string inside the local secret `secret`, is exactly one reference to an
   * environment variable that is not set (and, for `${NAME}`, not a config key either); such a
   * secret counts as not set locally, instead of being the literal text as in Prefect.
   */
  private isUnsetReference(value: string, path: readonly string[], secret: string): boolean {
    const match = WHOLE_ENV_REFERENCE.exec(value);
    if (match === null) return false;
    const variable = (match[1] ?? match[2]) as string;
    if (typeof this.env[variable] === "string") return false;
    if (match[2] !== undefined && Object.hasOwn(this.root, variable)) return false;
    this.unsetReferences.push({
      key: path.join("."),
      variable,
      origin: this.origins.of(path),
    });
    this.unsetSecrets.add(secret);
    return true;
  }

  private dropUnsetSecrets(secrets: Table): void {
    for (const name of this.unsetSecrets) {
      if (!Object.hasOwn(secrets, name)) continue;
      delete secrets[name];
      const key = `context.secrets.${name}`;
      for (const recorded of [...this.origins.origins.keys()]) {
        if (recorded === key || recorded.startsWith(`${key}.`))
          this.origins.origins.delete(recorded);
      }
    }
  }

  private lookup(dotted: string, reference: string): { value: unknown } | undefined {
    const frame = this.stack[this.stack.length - 1];
    if (frame !== undefined) frame.reference = reference;
    const found = this.lookups.get(dotted) ?? this.find(dotted);
    // Checked once the target is resolved: it may have copied a secret itself on the way.
    if (found !== undefined && frame !== undefined && this.touchesSecret(dotted)) {
      this.copiesOfSecrets.add(frame.path.join("."));
    }
    return found;
  }

  /** Resolves the value at a dotted path, walking tables and arrays from the root. */
  private find(dotted: string): { value: unknown } | undefined {
    const parts = dotted.split(".");
    const walked: string[] = [];
    let node: unknown = this.root;
    let track = true;
    for (let index = 0; index < parts.length; index++) {
      const part = parts[index] as string;
      if (Array.isArray(node)) {
        if (!INDEX.test(part) || Number(part) >= node.length) return undefined;
        track = false;
      } else if (!isTable(node) || !Object.hasOwn(node, part)) {
        return undefined;
      }
      walked.push(part);
      node = this.resolveEntry(node, part, [...walked], index === parts.length - 1, track);
      // A secret that is not set locally is no key to refer to.
      const secret = secretNameOf(walked);
      if (secret !== undefined && this.unsetSecrets.has(secret)) return undefined;
    }
    const found = { value: node };
    this.lookups.set(dotted, found);
    return found;
  }

  /** Whether `dotted` is a secret, lies inside one, or holds one (a table above it). */
  private touchesSecret(dotted: string): boolean {
    // A reference to a secret key, to a table holding one or to a part of one copies a secret.
    for (const key of [...SECRET_KEY_PATHS, ...this.copiesOfSecrets]) {
      if (dotted === key || dotted.startsWith(`${key}.`) || key.startsWith(`${dotted}.`)) {
        return true;
      }
    }
    return false;
  }

  private cycleError(start: number) {
    const frames = this.stack.slice(start);
    const first = frames[0] as Frame;
    const top = this.stack[this.stack.length - 1] as Frame;
    const chain = [...frames, first].map((f) => f.path.join(".")).join(" → ");
    const key = top.path.join(".");
    const what = this.isSecret(key)
      ? `A \${…} reference in ${key}`
      : `${key} refers to ${top.reference}, which`;
    return valueError(
      ConfigErrorCode.REFERENCE_CYCLE,
      key,
      this.origins.of(top.path),
      this.home,
      `${what} leads back to itself: ${chain}. Give one of these keys a plain value.`,
    );
  }

  private referenceError(frame: Frame, problem: ReferenceProblem) {
    const key = frame.path.join(".");
    const origin = this.origins.of(frame.path);
    // Part of a secret's text is the secret: name the key, never the reference.
    const secret = this.isSecret(key);
    if (problem.kind === "unclosed") {
      const what = secret
        ? `${key} has a "\${" that is never closed (the value is secret, so it is not shown)`
        : `${key} has ${JSON.stringify(shorten(problem.reference))}, a "\${" that is never closed`;
      return valueError(
        ConfigErrorCode.INVALID_REFERENCE,
        key,
        origin,
        this.home,
        `${what}. Close it with "}", or write "\\$" for a literal "$".`,
      );
    }
    const written = problem.reference;
    const name = written.slice(2, -1) === problem.resolvedName ? "" : ` (${problem.resolvedName})`;
    const what = secret
      ? `${key} has a \${…} reference (not shown: the value is secret) that`
      : `${key} refers to ${written}${name}, which`;
    return valueError(
      ConfigErrorCode.UNKNOWN_REFERENCE,
      key,
      origin,
      this.home,
      `${what} is neither a set environment variable nor a config key. ` +
        `Fix the name, set the variable, or write "\\$" for a literal "$".`,
    );
  }
}

function isSecretsTable(path: readonly string[]): boolean {
  return path.length === 2 && path[0] === "context" && path[1] === "secrets";
}

/** The local secret a key path lies in (`context.secrets.AWS.Key` → `AWS`), if any. */
function secretNameOf(path: readonly string[]): string | undefined {
  return path.length >= 3 && path[0] === "context" && path[1] === "secrets" ? path[2] : undefined;
}

function hasKeys(table: Table): boolean {
  for (const _ in table) return true;
  return false;
}

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
