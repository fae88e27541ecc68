// Names a broken link found by the walker. The position of the first break is certain; the kind
// is the most likely explanation of what the rows show, checked in this order:
//   - the row links to the row two places back: the one in between was slipped in ("inserted");
//   - the row that really follows the last good one sits elsewhere in the chain ("reordered"), or
//     just behind this row, which then is an intruder ("inserted");
//   - the row's hash is right for the next position: a row before it was removed and the rest
//     renumbered ("deleted");
//   - otherwise it is a row that does not belong to this chain ("inserted").
import type pg from "pg";
import { sealHash } from "@/lib/audit/canonical-event";
import type { BrokenLink, ChainBreak } from "@/lib/audit/verify-walk";

// No index on prev_hash (it would cost every insert); this scan runs once, only on a broken chain.
const SUCCESSOR = "SELECT s.seq::text AS seq, s.hash FROM audit_seal AS s WHERE s.prev_hash = $1 AND s.seq <> $2 ORDER BY s.seq LIMIT 1";

export async function classifyLink(client: pg.ClientBase, link: BrokenLink): Promise<ChainBreak> {
  const { seq, id } = link;
  if (link.beforePrev !== null && link.prevHash === link.beforePrev) {
    return { seq: seq - 1, id: null, problem: "inserted", detail: `seq ${seq - 1} is not part of the chain: seq ${seq} links to the row before it` };
  }
  const successor = (await client.query<{ seq: string; hash: string }>(SUCCESSOR, [link.expectedPrev, seq])).rows[0];
  if (successor) {
    const at = Number(successor.seq);
    if (successor.hash !== link.prevHash && at === seq + 1) {
      return { seq, id, problem: "inserted", detail: `seq ${seq} is not part of the chain: the row that follows seq ${seq - 1} is at seq ${at}` };
    }
    return { seq, id, problem: "reordered", detail: `the row that follows seq ${seq - 1} was moved to seq ${at}` };
  }
  if (link.canonical !== null && sealHash(seq + 1, link.prevHash, link.canonical) === link.hash) {
    return { seq, id, problem: "deleted", detail: `a row before seq ${seq} was removed and the rows after it renumbered` };
  }
  return { seq, id, problem: "inserted", detail: `seq ${seq} does not link to seq ${seq - 1}: its prev_hash matches no row of the chain` };
}
