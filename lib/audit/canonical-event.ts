// The one encoding of an audit row that the seal hashes, shared by the sealer and the verifier.
// PostgreSQL renders the row as one text (so the driver decodes one field, not sixteen, and a
// verifier keeps up with hundreds of thousands of rows a second); Node hashes it with the chain
// position:
//   hash = sha256_hex("mandate.audit.v1\n" + seq + "\n" + prev_hash + "\n" + canonical)
// canonical is the immutable columns in a fixed order, one per line, NULL as "~":
//   - free text (request_id, ip, user_agent, type, subject_type, subject_id, trace_id, parent_id)
//     as "<byte length>:<text>" (octet_length, UTF-8 in Mandate's databases), so a newline inside
//     a value cannot shift one into the next;
//   - id and the time as integers (the time in microseconds since the epoch, never a string that
//     depends on the session's time zone or date style), uuids and actor_type as PostgreSQL
//     prints them, data and reasoning as jsonb prints them (keys sorted and de-duplicated by
//     jsonb itself; JSON text never holds a raw newline).
// The seal (seq, prev_hash, hash) was never part of it, which let it move from audit_event into
// audit_seal without touching a hash. test/unit/audit pins the formula; test/integration/audit-seal
// pins a rendered row and fails if audit_event gains a column this list does not cover.
// No `server-only`: the CLI and the benchmark use it too.
import { hash } from "node:crypto";

/** The prev_hash of the first sealed row (seq 1). */
export const GENESIS_HASH = "0".repeat(64);

/** Hash version tag: changing the encoding means a new tag, never a silent change. */
const PREFIX = "mandate.audit.v1\n";

/** Every column of audit_event, in hashing order (the seal itself lives in audit_seal). */
export const CANONICAL_COLUMNS = [
  "id",
  "created_at",
  "actor_type",
  "actor_person_id",
  "actor_agent_id",
  "request_id",
  "ip",
  "user_agent",
  "agent_id",
  "type",
  "subject_type",
  "subject_id",
  "data",
  "reasoning",
  "trace_id",
  "parent_id",
] as const;

const FREE_TEXT = new Set(["request_id", "ip", "user_agent", "type", "subject_type", "subject_id", "trace_id", "parent_id"]);

/** The canonical columns as SQL text expressions, comma-separated (for an ARRAY[...] of text). */
export function canonicalElements(alias: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(alias)) throw new Error(`Bad SQL alias "${alias}".`);
  const element = (name: string) => {
    const column = `${alias}.${name}`;
    if (name === "created_at") return `(extract(epoch FROM ${column}) * 1000000)::bigint::text`;
    return FREE_TEXT.has(name) ? `octet_length(${column})::text || ':' || ${column}` : `${column}::text`;
  };
  return CANONICAL_COLUMNS.map(element).join(", ");
}

/** SQL expression (text) of a row's canonical encoding; `alias` names audit_event in the query. */
export function canonicalSql(alias: string): string {
  return `array_to_string(ARRAY[${canonicalElements(alias)}], E'\\n', '~')`;
}

/** The seal hash of one row: its canonical text at position `seq` after `prevHash`. */
export function sealHash(seq: string | number | bigint, prevHash: string, canonical: string): string {
  return hash("sha256", `${PREFIX}${seq}\n${prevHash}\n${canonical}`, "hex");
}

/** A stored hash as the sealer writes it: 64 lowercase hex digits. */
export function isHash(value: unknown): value is string {
  return typeof value === "string" && /^[0-9a-f]{64}$/.test(value);
}
