// Separation of duties for checkpoints: nobody decides or extends what an agent they deployed, own
// or technically own asks for — nor what another agent asks on that agent's behalf, under a
// delegation (the decision's delegation chain names every agent it acts for). One SQL condition,
// so the vote, the extension, the detail view and the inbox's "your agent" badge judge it the
// same way.
import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";

export const SOD_REFUSAL = "You deployed or own this agent, or an agent it acts for, so someone else must decide its checkpoints (separation of duties).";

/** Where the person's id goes in STAKE (a bound parameter either way, never spliced text). */
const PERSON = "\u0000person\u0000";

// True when the person has a stake in the checkpoint aliased `c` in the surrounding query: in its
// agent, or in any agent of its decision's delegation chain. The chain is written by the decision
// writer; the CASE keeps a malformed entry from failing the cast.
const STAKE = `EXISTS (
    SELECT 1
    FROM decision sod_d
    CROSS JOIN LATERAL (
      SELECT c.agent_id AS agent_id
      UNION
      SELECT CASE WHEN link->>'agentId' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN (link->>'agentId')::uuid END
      FROM jsonb_array_elements(CASE WHEN jsonb_typeof(sod_d.delegation_chain) = 'array' THEN sod_d.delegation_chain ELSE '[]'::jsonb END) AS link
    ) AS sod_chain
    JOIN agent sod_a ON sod_a.id = sod_chain.agent_id
    WHERE sod_d.id = c.decision_id
      AND (sod_a.deployed_by_id = ${PERSON}::uuid
        OR sod_a.technical_owner_id IS NOT DISTINCT FROM ${PERSON}::uuid
        OR EXISTS (SELECT 1 FROM agent_owner sod_o WHERE sod_o.agent_id = sod_a.id AND sod_o.person_id = ${PERSON}::uuid))
  )`;

/** The stake condition for Prisma's raw queries, the person's id bound. */
export function stakeSql(personId: string): Prisma.Sql {
  const parts = STAKE.split(PERSON);
  return new Prisma.Sql(parts, parts.slice(1).map(() => personId));
}

/** The stake condition for a pg query whose parameter `param` (e.g. "$5") holds the person's id. */
export function stakeText(param: `$${number}`): string {
  return STAKE.split(PERSON).join(param);
}
