import { timingSafeEqual } from "node:crypto";
import { valueDigest } from "../crypto/value-digest.js";
import type { EnvCaller, EnvironmentComparison, SecretDifference } from "./contract.js";
import type { SecretVersions } from "./secret-versions.js";
import { sealedOf } from "./secret-versions.js";
import type { ServiceContext } from "./service-context.js";
import { currentVersions } from "./value-reads.js";

interface CurrentRow {
  name: string;
  version: number;
  digest: Buffer | null;
  digest_key_id: string | null;
  key_id: string | null;
  wrapped_key: Buffer | null;
  iv: Buffer | null;
  ciphertext: Buffer | null;
  auth_tag: Buffer | null;
}

/**
 * Compares two environments' live secrets by the keyed digests of their current values: only
 * whether they are equal comes out, never a value or a digest. A digest missing (rows written
 * before digests were kept) or made under another master key than the current one (after a
 * rotation) is computed again here, from the value decrypted on the server, and stored.
 */
export class EnvironmentCompare {
  readonly #context: ServiceContext;
  readonly #versions: SecretVersions;

  constructor(context: ServiceContext, versions: SecretVersions) {
    this.#context = context;
    this.#versions = versions;
  }

  async compare(from: EnvCaller, to: EnvCaller): Promise<EnvironmentComparison> {
    const [a, b] = await Promise.all([this.#current(from), this.#current(to)]);
    const bByName = new Map(b.map((row) => [row.name, row]));
    const names = [...new Set([...a.map((r) => r.name), ...bByName.keys()])].sort((x, y) =>
      x < y ? -1 : x > y ? 1 : 0,
    );
    const aByName = new Map(a.map((row) => [row.name, row]));
    const secrets: Array<{ name: string; status: SecretDifference }> = [];
    for (const name of names) {
      const left = aByName.get(name);
      const right = bByName.get(name);
      let status: SecretDifference;
      if (left === undefined) status = "MISSING_FROM";
      else if (right === undefined) status = "MISSING_TO";
      else {
        const [x, y] = [await this.#digest(from, left), await this.#digest(to, right)];
        status = x.length === y.length && timingSafeEqual(x, y) ? "SAME" : "DIFFERENT";
      }
      secrets.push({ name, status });
    }
    return {
      from: from.environmentName,
      to: to.environmentName,
      equal: secrets.every((s) => s.status === "SAME"),
      secrets,
    };
  }

  #current(at: EnvCaller): Promise<CurrentRow[]> {
    return currentVersions(this.#context.db)
      .select([
        "s.name",
        "v.version",
        "v.digest",
        "v.digest_key_id",
        "v.key_id",
        "v.wrapped_key",
        "v.iv",
        "v.ciphertext",
        "v.auth_tag",
      ])
      .where("s.tenant_id", "=", at.tenantId)
      .where("s.environment_id", "=", at.environmentId)
      .where("s.deleted", "=", 0)
      .execute();
  }

  /** The row's digest under the current master key, made and stored if it has none such. */
  async #digest(at: EnvCaller, row: CurrentRow): Promise<Buffer> {
    const ring = this.#context.keyRing;
    if (row.digest !== null && row.digest_key_id === ring.current.id)
      return Buffer.from(row.digest);
    const sealed = sealedOf(row);
    if (sealed === undefined) return Buffer.alloc(0);
    const plaintext = this.#versions.open(at, row.name, row.version, sealed);
    const { digest, keyId } = valueDigest(ring, at.tenantId, plaintext);
    plaintext.fill(0);
    // Kept for the next comparison; a write that replaced the row meanwhile is left alone.
    await this.#context.writer.run((db) =>
      db
        .updateTable("secret_versions")
        .set({ digest, digest_key_id: keyId })
        .where("tenant_id", "=", at.tenantId)
        .where("environment_id", "=", at.environmentId)
        .where("name", "=", row.name)
        .where("version", "=", row.version)
        .where("ciphertext", "is not", null)
        .execute(),
    );
    return digest;
  }
}
