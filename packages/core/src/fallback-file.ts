import { dirname } from "node:path";
import { endpointKey } from "@hush/config";
import { writePrivateFile } from "@hush/config/private-file";
import { SecretError, SecretErrorCode } from "./errors.js";

type Crypto = typeof import("node:crypto");

// node:crypto and node:fs/promises load on the file's first read or write: a program that never
// uses the fallback file does not pay the ~4 ms they add to its start.
const modules = () => Promise.all([import("node:crypto"), import("node:fs/promises")]);

// v1 files (bound to the endpoint only) are not read: the next successful read replaces them.
const FORMAT = "hush-fallback-v2";
const HKDF_INFO = "hush fallback file v1";
/** The most tokens of one tenant a file remembers; the oldest is dropped first. */
const MAX_TOKENS = 16;

type Saved = Record<string, { readonly value: unknown; readonly savedAt: number }>;

/**
 * What the fallback file holds, encrypted: the values last read from one server, apart for each
 * environment. `values` are those read without naming an environment (the server's choice), as
 * files written before environments hold them; `environments` the others, by name.
 */
interface Contents {
  readonly values: Saved;
  readonly environments?: Record<string, Saved>;
}

/** The values kept for each environment (`""`: none named), by name. */
type Kept = Map<string, Map<string, FallbackValue>>;

/**
 * Who a file is for, in its header and in the AAD of its encryption: keyed hashes of the server
 * endpoint, of the tenant's id, and of each API token of that tenant that has written it. Offline,
 * a reader cannot ask the server its tenant: it proves it by holding one of those tokens.
 */
interface Binding {
  /** Tells whether the reader has the file's key at all (another key: every other tag differs). */
  readonly key: string;
  readonly endpoint: string;
  /** Empty when the writer's client could not tell its tenant. */
  readonly tenant: string;
  readonly tokens: readonly string[];
}

/** Why {@link FallbackFile.read} found nothing to use. */
export type FallbackMiss =
  /** No file. */
  | "none"
  /** A file for another server endpoint. */
  | "other-server"
  /** A file for another tenant, or for a token of this one that has not read from the server. */
  | "other-tenant"
  /** Another key, an older format, or a damaged file. */
  | "unreadable";

/** What {@link FallbackFile.read} found. */
export type FallbackContents =
  | { readonly values: Map<string, FallbackValue>; readonly miss?: undefined }
  | { readonly values?: undefined; readonly miss: FallbackMiss };

interface Loaded {
  readonly kept: Kept;
  readonly binding: Binding;
}

/** A value kept in the fallback file, and when it was last read from the server. */
export interface FallbackValue {
  readonly value: unknown;
  readonly savedAt: number;
}

/** How the file's key is made; stored in the file so a reader knows which key to use. */
type KeySource = "fallback-key" | "api-key";

/** Where the key comes from: `HUSH__CLOUD__FALLBACK_KEY` (32 bytes, base64) or the API token. */
export interface FallbackKey {
  readonly source: KeySource;
  readonly secret: Buffer;
  /** The API token that reads and writes the file, to which the file is bound. */
  readonly apiKey: string;
}

/**
 * The key of the fallback file: `[cloud] fallback_key` (usually `HUSH__CLOUD__FALLBACK_KEY`), 32
 * bytes in base64; else derived from the API token with HKDF-SHA256; undefined without either.
 *
 * @throws {SecretError} `BAD_INPUT` for a fallback_key that is not 32 bytes of base64 (not quoted).
 */
export function fallbackKey(fallbackKeyText: string, apiKey: string): FallbackKey | undefined {
  if (fallbackKeyText !== "") {
    const secret = Buffer.from(fallbackKeyText, "base64");
    if (secret.length !== 32 || !/^[A-Za-z0-9+/]+={0,2}$/.test(fallbackKeyText.trim())) {
      throw new SecretError(
        SecretErrorCode.BAD_INPUT,
        "[cloud] fallback_key (HUSH__CLOUD__FALLBACK_KEY) must be 32 random bytes in base64 " +
          "(it is not shown). Make one with `openssl rand -base64 32`, or unset it to derive " +
          "the key from the API token.",
      );
    }
    return { source: "fallback-key", secret, apiKey };
  }
  if (apiKey === "") return undefined;
  return { source: "api-key", secret: Buffer.from(apiKey, "utf8"), apiKey };
}

/**
 * An encrypted copy of the values read from one hush server for one tenant, for reads while the
 * server is unreachable. AES-256-GCM; the key is the fallback key itself, or HKDF-SHA256 of the
 * API token with a random salt per write. The file is bound (in the AAD) to the endpoint, the
 * tenant and the tenant's tokens that wrote it: a reader with another endpoint, or a token the
 * file does not know, gets nothing, even with the same fallback key. A token the file does not
 * know joins it on its first successful server read when the server says it belongs to the same
 * tenant (`me`); a token of another tenant starts a new file. Each write replaces the file
 * atomically (a temporary file with mode 0600, synced, then renamed), so a reader never sees half
 * a file and the values never sit in a readable one. Values are kept apart for each environment
 * (`[cloud] environment`): a reader gets only its own environment's copies.
 */
export class FallbackFile {
  #loaded: Loaded | undefined;
  #writing: Promise<void> = Promise.resolve();

  readonly #now: () => number;
  /** The environment this reader reads and writes; `""` when it names none. */
  readonly #environment: string;

  constructor(
    readonly path: string,
    private readonly endpoint: string,
    private readonly key: FallbackKey,
    options: { readonly environment?: string; readonly now?: () => number } = {},
  ) {
    this.#now = options.now ?? (() => Date.now());
    this.#environment = options.environment?.trim() ?? "";
  }

  /**
   * Adds values just read from the server and writes the file. Writes are queued, one at a time.
   * `tenant` is asked (once) only when the file does not know this token yet: the tenant's id, or
   * undefined when it cannot be told.
   * @throws the file system's error when the file cannot be written (the caller warns).
   */
  save(
    values: Readonly<Record<string, unknown>>,
    tenant: () => Promise<string | undefined> = async () => undefined,
  ): Promise<void> {
    return this.#update(tenant, (all) => {
      const savedAt = this.#now();
      for (const [name, value] of Object.entries(values)) all.set(name, { value, savedAt });
      return true;
    });
  }

  /** Removes names the server says it does not have, so a deleted secret is not served later. */
  forget(names: readonly string[]): Promise<void> {
    return this.#update(undefined, (all) => {
      let changed = false;
      for (const name of names) changed = all.delete(name) || changed;
      return changed;
    });
  }

  /**
   * The values kept in the file for this endpoint, token and environment, by name; or why there
   * are none.
   */
  async read(): Promise<FallbackContents> {
    await this.#writing.catch(() => {});
    const crypto = await import("node:crypto");
    const file = await this.#readFile();
    if (file === undefined) return { miss: "none" };
    const own = this.#tags(crypto);
    if (file.binding === undefined || file.binding.key !== own.key) return { miss: "unreadable" };
    if (!file.binding.tokens.includes(own.token)) return { miss: "other-tenant" };
    if (file.binding.endpoint !== own.endpoint) return { miss: "other-server" };
    const kept = this.#decrypt(file, crypto);
    if (kept === undefined) return { miss: "unreadable" };
    return { values: kept.get(this.#environment) ?? new Map() };
  }

  /**
   * Applies `change` to the kept values, and writes them when it returns true. Without `tenant`
   * (a forget), a file this token may not use is left as it is.
   */
  #update(
    tenant: (() => Promise<string | undefined>) | undefined,
    change: (all: Map<string, FallbackValue>) => boolean,
  ): Promise<void> {
    const next = this.#writing
      .catch(() => {})
      .then(async () => {
        this.#loaded ??= await this.#loadForWrite(tenant);
        if (this.#loaded === undefined) return;
        const { kept } = this.#loaded;
        const own = kept.get(this.#environment) ?? new Map<string, FallbackValue>();
        if (!change(own)) return;
        kept.set(this.#environment, own);
        await this.#write(this.#loaded);
      });
    this.#writing = next;
    return next;
  }

  /**
   * What a write starts from: the file's values when it is this token's, or (asking `tenant`)
   * this tenant's; else nothing, for a new file bound to this token and tenant.
   */
  async #loadForWrite(
    tenant: (() => Promise<string | undefined>) | undefined,
  ): Promise<Loaded | undefined> {
    const crypto = await import("node:crypto");
    const file = await this.#readFile();
    const own = this.#tags(crypto);
    const binding = file?.binding;
    const sameServer =
      binding !== undefined && binding.key === own.key && binding.endpoint === own.endpoint;
    if (file !== undefined && sameServer && binding.tokens.includes(own.token)) {
      const kept = this.#decrypt(file, crypto);
      if (kept !== undefined) return { kept, binding };
    }
    if (tenant === undefined) return undefined;
    const id = await tenant().catch(() => undefined);
    const tenantTag = id === undefined ? "" : this.#tag(crypto, "tenant", id);
    if (file !== undefined && sameServer && tenantTag !== "" && binding.tenant === tenantTag) {
      const kept = this.#decrypt(file, crypto);
      if (kept !== undefined) {
        const tokens = [...binding.tokens, own.token].slice(-MAX_TOKENS);
        return { kept, binding: { ...binding, tokens } };
      }
    }
    return {
      kept: new Map(),
      binding: { key: own.key, endpoint: own.endpoint, tenant: tenantTag, tokens: [own.token] },
    };
  }

  async #readFile(): Promise<
    { fields: Record<string, unknown>; binding: Binding | undefined } | undefined
  > {
    const { readFile } = await import("node:fs/promises");
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch {
      return undefined;
    }
    try {
      const fields = JSON.parse(text) as Record<string, unknown>;
      const { check, endpoint, tenant, tokens } = fields;
      const valid =
        fields.format === FORMAT &&
        fields.key === this.key.source &&
        typeof check === "string" &&
        typeof endpoint === "string" &&
        typeof tenant === "string" &&
        Array.isArray(tokens) &&
        tokens.every((t) => typeof t === "string");
      return { fields, binding: valid ? { key: check, endpoint, tenant, tokens } : undefined };
    } catch {
      return { fields: {}, binding: undefined };
    }
  }

  #decrypt(
    file: { fields: Record<string, unknown>; binding: Binding | undefined },
    crypto: Crypto,
  ): Kept | undefined {
    if (file.binding === undefined) return undefined;
    const field = (name: string) => Buffer.from(String(file.fields[name] ?? ""), "base64");
    try {
      const decipher = crypto.createDecipheriv(
        "aes-256-gcm",
        this.#keyFor(field("salt"), crypto),
        field("iv"),
      );
      decipher.setAAD(this.#aad(file.binding));
      decipher.setAuthTag(field("tag"));
      const plain = Buffer.concat([decipher.update(field("data")), decipher.final()]);
      const contents = JSON.parse(plain.toString("utf8")) as Contents;
      const kept: Kept = new Map([["", new Map(Object.entries(contents.values))]]);
      for (const [name, saved] of Object.entries(contents.environments ?? {})) {
        if (name !== "") kept.set(name, new Map(Object.entries(saved)));
      }
      return kept;
    } catch {
      // Another key (a rotated token), or a damaged or altered file: nothing to use.
      return undefined;
    }
  }

  async #write({ kept, binding }: Loaded): Promise<void> {
    const [crypto, { mkdir }] = await modules();
    const named = [...kept].filter(([name, values]) => name !== "" && values.size > 0);
    const contents: Contents = {
      values: Object.fromEntries(kept.get("") ?? []),
      ...(named.length === 0
        ? {}
        : {
            environments: Object.fromEntries(
              named.map(([name, values]) => [name, Object.fromEntries(values)]),
            ),
          }),
    };
    const salt = crypto.randomBytes(16);
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv("aes-256-gcm", this.#keyFor(salt, crypto), iv);
    cipher.setAAD(this.#aad(binding));
    const data = Buffer.concat([cipher.update(JSON.stringify(contents), "utf8"), cipher.final()]);
    const text = JSON.stringify({
      format: FORMAT,
      key: this.key.source,
      check: binding.key,
      endpoint: binding.endpoint,
      tenant: binding.tenant,
      tokens: binding.tokens,
      salt: salt.toString("base64"),
      iv: iv.toString("base64"),
      tag: cipher.getAuthTag().toString("base64"),
      data: data.toString("base64"),
    });
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    await writePrivateFile(this.path, text, 0o600);
  }

  /** The AAD: the format, the key's source and everything the file is bound to. */
  #aad(binding: Binding): Buffer {
    return Buffer.from(
      [
        FORMAT,
        this.key.source,
        binding.key,
        binding.endpoint,
        binding.tenant,
        ...binding.tokens,
      ].join("\u0000"),
    );
  }

  /** This reader's key, endpoint and token, as the file's header keeps them. */
  #tags(crypto: Crypto): { key: string; endpoint: string; token: string } {
    return {
      key: this.#tag(crypto, "key", ""),
      endpoint: this.#tag(crypto, "endpoint", endpointKey(this.endpoint)),
      token: this.#tag(crypto, "token", this.key.apiKey),
    };
  }

  /**
   * A keyed hash (HMAC-SHA256 with the file's key material, 128 bits), so that the header tells
   * nothing about the endpoint, tenant or tokens to whoever lacks the key.
   */
  #tag(crypto: Crypto, kind: string, text: string): string {
    return crypto
      .createHmac("sha256", this.key.secret)
      .update(`hush fallback ${kind}\u0000${text}`)
      .digest("base64url")
      .slice(0, 22);
  }

  #keyFor(salt: Buffer, crypto: Crypto): Buffer {
    if (this.key.source === "fallback-key") return this.key.secret;
    return Buffer.from(crypto.hkdfSync("sha256", this.key.secret, salt, HKDF_INFO, 32));
  }
}
