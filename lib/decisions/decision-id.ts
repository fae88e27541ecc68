// Ids for decisions and checkpoints, made in the process so the answer can carry them before the
// commit. UUIDv7 (RFC 9562) rather than v4: the leading 48 bits are the time in ms, so new rows
// land at the right edge of the primary-key index instead of on random pages — fewer pages
// dirtied and fewer full-page images in the WAL per batch once the table outgrows memory.
import { randomFillSync } from "node:crypto";

const bytes = Buffer.alloc(16);
// Random bytes drawn 4 KiB at a time: one CSPRNG call per ~400 ids instead of one per id.
const random = Buffer.alloc(4096);
let used = random.length;

export function newDecisionId(now: number = Date.now()): string {
  if (used + 10 > random.length) {
    randomFillSync(random);
    used = 0;
  }
  random.copy(bytes, 6, used, used + 10);
  used += 10;
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70; // version 7
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // variant 10
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
