// The auditors' "Verify chain" button: runs the verifier over the whole sealed chain, says how many
// events still wait for the sealer, and records that the check was run and what it found.
import "server-only";
import { recordAudit, type Actor } from "@/lib/audit/record";
import { verifyAuditChain, type VerifyResult } from "@/lib/audit/verify-chain";
import { db } from "@/lib/db/client";
import { pool } from "@/lib/db/pool";
import { assertCan, type Caller } from "@/lib/people/assert-can";

/** Counting unsealed rows stops here: past it the sealer is plainly not running. */
const UNSEALED_CAP = 10_000;

export interface ChainCheck extends VerifyResult {
  /** Events appended but not chained yet (capped at UNSEALED_CAP). */
  unsealed: number;
  unsealedCapped: boolean;
}

export async function checkAuditChain(person: Caller, actor: Actor): Promise<ChainCheck> {
  assertCan(person, "audit.view");
  const result = await verifyAuditChain();
  const { rows } = await pool().query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM audit_unsealed LIMIT ${UNSEALED_CAP + 1}) AS waiting`,
  );
  const unsealed = Math.min(rows[0]?.n ?? 0, UNSEALED_CAP);
  await recordAudit(db(), actor, {
    type: "audit.verified",
    data: {
      ok: result.ok,
      checked: result.checked,
      head: result.head ? { seq: result.head.seq, hash: result.head.hash } : null,
      firstBreak: result.firstBreak ? { ...result.firstBreak } : null,
      durationMs: result.durationMs,
    },
  });
  return { ...result, unsealed, unsealedCapped: (rows[0]?.n ?? 0) > UNSEALED_CAP };
}
