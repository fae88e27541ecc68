"use server";
// The audit page's one action: check the hash chain now.
import { z } from "zod";
import { consoleAction } from "@/lib/auth/action";
import { checkAuditChain, type ChainCheck } from "@/lib/audit/check-audit-chain";

export const verifyChain = consoleAction("audit.view", z.object({}), async ({ person, actor }) => {
  const result: ChainCheck = await checkAuditChain(person, actor);
  return { data: result };
});
