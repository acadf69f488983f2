import { dirname } from "node:path";
import { SecretError, SecretErrorCode } from "./errors.js";

type Crypto = typeof import("node:crypto");

// node:crypto and node:fs/promises load on the file's first read or write: a program that never
// uses the fallback file does not pay the ~4 ms they add to its start.
const modules = () => Promise.all([import("node:crypto"), import("node:fs/promises")]);

const FORMAT = "hush-fallback-v1";
const HKDF_INFO = "hush fallback file v1";

/** What the fallback file holds, encrypted: the values last read from one server. */
interface Contents {
  readonly endpoint: string;
  readonly values: Record<string, { readonly value: unknown; readonly savedAt: number }>;
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
    return { source: "fallback-key", secret };
  }
  if (apiKey === "") return undefined;
  return { source: "api-key", secret: Buffer.from(apiKey, "utf8") };
}

/**
 * An encrypted copy of the values read from one hush server, for reads while it is unreachable.
 * AES-256-GCM; the key is the fallback key itself, or HKDF-SHA256 of the API token with a random
 * salt per write. Each write replaces the file atomically (a temporary file with mode 0600, synced,
 * then renamed), so a reader never sees half a file and the values never sit in a readable one.
 */
export class FallbackFile {
  #values: Map<string, FallbackValue> | undefined;
  #writing: Promise<void> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly endpoint: string,
    private readonly key: FallbackKey,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /**
   * Adds values just read from the server and writes the file. Writes are queued, one at a time.
   * @throws the file system's error when the file cannot be written (the caller warns).
   */
  save(values: Readonly<Record<string, unknown>>): Promise<void> {
    return this.#update((all) => {
      const savedAt = this.now();
      for (const [name, value] of Object.entries(values)) all.set(name, { value, savedAt });
      return true;
    });
  }

  /** Removes names the server says it does not have, so a deleted secret is not served later. */
  forget(names: readonly string[]): Promise<void> {
    return this.#update((all) => {
      let changed = false;
      for (const name of names) changed = all.delete(name) || changed;
      return changed;
    });
  }

  /** The values kept in the file, by name; undefined when there is none it can read. */
  async read(): Promise<Map<string, FallbackValue> | undefined> {
    await this.#writing.catch(() => {});
    return this.#load();
  }

  /** Applies `change` to the kept values, and writes them when it returns true. */
  #update(change: (all: Map<string, FallbackValue>) => boolean): Promise<void> {
    const next = this.#writing
      .catch(() => {})
      .then(async () => {
        this.#values ??= (await this.#load()) ?? new Map();
        if (!change(this.#values)) return;
        await this.#write(this.#values);
      });
    this.#writing = next;
    return next;
  }

  async #load(): Promise<Map<string, FallbackValue> | undefined> {
    const [crypto, { readFile }] = await modules();
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch {
      return undefined;
    }
    const contents = this.#decrypt(text, crypto);
    if (contents === undefined || contents.endpoint !== this.endpoint) return undefined;
    return new Map(Object.entries(contents.values));
  }

  #decrypt(text: string, crypto: Crypto): Contents | undefined {
    try {
      const file = JSON.parse(text) as Record<string, string>;
      if (file.format !== FORMAT || file.key !== this.key.source) return undefined;
      const salt = Buffer.from(file.salt ?? "", "base64");
      const decipher = crypto.createDecipheriv(
        "aes-256-gcm",
        this.#keyFor(salt, crypto),
        Buffer.from(file.iv ?? "", "base64"),
      );
      decipher.setAAD(Buffer.from(`${FORMAT}\u0000${file.key}`));
      decipher.setAuthTag(Buffer.from(file.tag ?? "", "base64"));
      const plain = Buffer.concat([
        decipher.update(Buffer.from(file.data ?? "", "base64")),
        decipher.final(),
      ]);
      return JSON.parse(plain.toString("utf8")) as Contents;
    } catch {
      // Another key (a rotated token), another format, or a damaged file: nothing to use.
      return undefined;
    }
  }

  async #write(values: Map<string, FallbackValue>): Promise<void> {
    const [crypto, { mkdir, open, rename, unlink }] = await modules();
    const contents: Contents = { endpoint: this.endpoint, values: Object.fromEntries(values) };
    const salt = crypto.randomBytes(16);
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv("aes-256-gcm", this.#keyFor(salt, crypto), iv);
    cipher.setAAD(Buffer.from(`${FORMAT}\u0000${this.key.source}`));
    const data = Buffer.concat([cipher.update(JSON.stringify(contents), "utf8"), cipher.final()]);
    const text = JSON.stringify({
      format: FORMAT,
      key: this.key.source,
      salt: salt.toString("base64"),
      iv: iv.toString("base64"),
      tag: cipher.getAuthTag().toString("base64"),
      data: data.toString("base64"),
    });
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const temporary = `${this.path}.${process.pid}.${crypto.randomBytes(6).toString("hex")}.tmp`;
    try {
      const handle = await open(temporary, "wx", 0o600);
      try {
        await handle.writeFile(text, "utf8");
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, this.path);
    } catch (error) {
      await unlink(temporary).catch(() => {});
      throw error;
    }
  }

  #keyFor(salt: Buffer, crypto: Crypto): Buffer {
    if (this.key.source === "fallback-key") return this.key.secret;
    return Buffer.from(crypto.hkdfSync("sha256", this.key.secret, salt, HKDF_INFO, 32));
  }
}
