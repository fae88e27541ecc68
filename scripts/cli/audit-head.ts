// `mandate audit head`: prints the chain head as one JSON object, {seq, hash, at}, to keep outside
// the database; `audit verify --anchor <seq>:<hash>` later proves the log still holds it.
import { GENESIS_HASH } from "@/lib/audit/canonical-event";
import { readAuditHead } from "@/lib/audit/audit-head";
import { defineCommand } from "@/scripts/cli/command";

export const auditHeadCommand = defineCommand<Record<string, never>>({
  name: "audit head",
  summary: "Print the audit chain's head (seq, hash, time) as JSON.",
  usage: "audit head",
  details: ["Before anything is sealed the head is seq 0 with the genesis hash (64 zeros) and no time."],
  options: {},
  needsSchema: true,
  async prepare() {
    return {};
  },
  async run(_input, { log }) {
    const head = await readAuditHead();
    log(JSON.stringify(head ?? { seq: 0, hash: GENESIS_HASH, at: null }));
  },
});
