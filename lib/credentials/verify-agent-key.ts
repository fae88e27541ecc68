// The agent API's key check, on the hot path: one indexed lookup by the public prefix through raw
// pg (about 4× cheaper than Prisma), a constant-time comparison of the secret's hash, and no
// write on the way except last_used_at, at most once a minute per key. No caching: a revoked or
// expired key fails on the very next call, on every instance.
//
// Timing: an unknown prefix costs the same lookup and a comparison against a dummy hash, and a
// revoked or expired key is refused only after its comparison, so the time taken does not tell
// unknown from wrong from revoked. A malformed key is refused without the lookup: the format is
// public, so that difference tells an attacker nothing about any key.
import "server-only";
import { hashSecret, parseAgentKey, secretMatches } from "@/lib/credentials/key-format";
import { pool } from "@/lib/db/pool";

export interface VerifiedKey {
  agentId: string;
  credentialId: string;
  /** So a cache of verified keys can refuse the key once it expires. */
  expiresAt: Date | null;
}

interface KeyRow {
  id: string;
  agent_id: string;
  secret_hash: string;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const LOOKUP = {
  // Named: pg prepares it once per connection.
  name: "mandate-verify-agent-key",
  text: "select id, agent_id, secret_hash, expires_at, revoked_at, last_used_at from credential where prefix = $1",
};
const TOUCH = {
  name: "mandate-touch-agent-key",
  // The guard in SQL keeps several instances from all writing in the same minute.
  text: "update credential set last_used_at = $2 where id = $1 and (last_used_at is null or last_used_at <= $3)",
};
const TOUCH_INTERVAL_MS = 60_000;
/** A real hash of nothing anyone holds: unknown prefixes compare against it. */
const DUMMY_HASH = hashSecret("mandate-unknown-prefix-dummy-secret");

/** Per instance: when this process last wrote last_used_at for a key, so a burst writes once. */
const touchedAt = new Map<string, number>();

export async function verifyAgentKey(raw: unknown, now: Date = new Date()): Promise<VerifiedKey | null> {
  const parsed = parseAgentKey(raw);
  if (!parsed) {
    secretMatches("", DUMMY_HASH);
    return null;
  }
  const { rows } = await pool().query<KeyRow>({ ...LOOKUP, values: [parsed.prefix] });
  const row = rows[0];
  const matches = secretMatches(parsed.secret, row?.secret_hash ?? DUMMY_HASH);
  if (!row || !matches) return null;
  if (row.revoked_at !== null) return null;
  if (row.expires_at !== null && row.expires_at.getTime() <= now.getTime()) return null;

  await touch(row, now);
  return { agentId: row.agent_id, credentialId: row.id, expiresAt: row.expires_at };
}

async function touch(row: KeyRow, now: Date): Promise<void> {
  const due = now.getTime() - TOUCH_INTERVAL_MS;
  if (row.last_used_at !== null && row.last_used_at.getTime() > due) return;
  if ((touchedAt.get(row.id) ?? -Infinity) > due) return;
  if (touchedAt.size > 10_000) for (const [id, at] of touchedAt) if (at <= due) touchedAt.delete(id);
  touchedAt.set(row.id, now.getTime());
  try {
    await pool().query({ ...TOUCH, values: [row.id, now, new Date(due)] });
  } catch {
    // "Last used" is a convenience for people; a failed write must not refuse a valid key.
    touchedAt.delete(row.id);
  }
}
