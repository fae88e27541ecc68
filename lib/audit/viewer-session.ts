// The viewer's and the export's queries run in one short read-only transaction with two planner
// settings of their own. random_page_cost 1.1 (PostgreSQL's default of 4 models spinning disks)
// lets the planner walk an agent's or a person's (…, id) index in order instead of scanning the
// whole table by id; JIT is off because compiling a plan costs more than these queries take.
// The snapshot is shared, so a page's ids and its rows come from the same moment.
import "server-only";
import type pg from "pg";

export async function inViewerSession<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL random_page_cost = 1.1; SET LOCAL jit = off");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error("rollback failed");
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
