import { randomFillSync } from "node:crypto";

let lastMs = 0;
let sequence = 0;

// Random bytes are drawn from the CSPRNG for 256 ids at a time: one call per id cost more than
// the rest of making it (every value read writes an audit event with a new id).
const IDS_PER_FILL = 256;
const random = Buffer.alloc(16 * IDS_PER_FILL);
let used = IDS_PER_FILL;

/**
 * A UUIDv7-shaped id: ids made later sort later (within a process, even in the same
 * millisecond), so audit events can be ordered by id when their timestamps tie.
 */
export function newId(nowMs: number = Date.now()): string {
  if (nowMs > lastMs) {
    lastMs = nowMs;
    sequence = 0;
  } else {
    sequence += 1;
    // 12 bits of sequence per millisecond; borrow the next millisecond when they run out.
    if (sequence > 0xfff) {
      lastMs += 1;
      sequence = 0;
    }
  }
  if (used === IDS_PER_FILL) {
    randomFillSync(random);
    used = 0;
  }
  const bytes = random.subarray(used * 16, (used + 1) * 16);
  used += 1;
  bytes.writeUIntBE(lastMs, 0, 6);
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
