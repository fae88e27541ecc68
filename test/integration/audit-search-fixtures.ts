// Shared by the search index's tests: small scan windows, the indexer's watermark and the events
// past it, and indexer rounds on their own connections.
import { indexAuditSearch } from "@/lib/audit/index-audit-search";
import { pool } from "@/lib/db/pool";

// Windows this small send a search to the index after 40 candidate events.
export const TINY = { firstWindow: 40, maxWindow: 160 };
export const one = async <T>(sql: string, values: unknown[] = []) => (await pool().query<{ v: T }>(sql, values)).rows[0]?.v;
export const watermark = async () => (await one<string>("SELECT seq::text AS v FROM audit_search_progress WHERE id = 1"))!;
export const head = async () => (await one<string>("SELECT coalesce(max(seq), 0)::text AS v FROM audit_seal"))!;
export const sealOf = async (id: string) => one<string>("SELECT seq::text AS v FROM audit_seal WHERE event_id = $1::bigint", [id]);
export const isIndexed = async (id: string) => (await pool().query("SELECT 1 FROM audit_search WHERE event_id = $1::bigint", [id])).rowCount === 1;
/** Events the viewer must check directly: queued, or sealed past the watermark. */
export const tail = async () =>
  Number(await one<string>("SELECT ((SELECT count(*) FROM audit_unsealed) + (SELECT count(*) FROM audit_seal WHERE seq > (SELECT seq FROM audit_search_progress)))::text AS v"));

/** One indexer round on its own connection. */
export async function indexRound(batchSize?: number) {
  const client = await pool().connect();
  try {
    return await indexAuditSearch(client, { batchSize });
  } finally {
    client.release();
  }
}

export async function indexAll(): Promise<void> {
  for (let round = await indexRound(); round.read > 0; round = await indexRound());
}
