// `mandate audit verify`: walks the sealed audit chain, recomputing every hash and link, and
// exits 1 at the first break (with where and what). --anchor checks a head published earlier.
import { AppError } from "@/lib/http/errors";
import { verifyAuditChain, type VerifyResult } from "@/lib/audit/verify-chain";
import { UsageError, defineCommand } from "@/scripts/cli/command";
import { stringFlag } from "@/scripts/cli/acting-person";

interface Input {
  from: number;
  anchor?: { seq: number; hash: string };
  json: boolean;
}

export const auditVerifyCommand = defineCommand<Input>({
  name: "audit verify",
  summary: "Verify the audit chain; exit 1 at the first changed, deleted, inserted or reordered row.",
  usage: "audit verify [--from <seq>] [--anchor <seq>:<hash>] [--json]",
  details: [
    "--from starts at that sequence number, trusting the row before it. --anchor is a head printed earlier by",
    "`audit head` (or posted to the head webhook): the chain must still hold that row with that hash.",
  ],
  options: { from: { type: "string" }, anchor: { type: "string" }, json: { type: "boolean" } },
  needsSchema: true,
  async prepare(flags) {
    const from = stringFlag(flags, "from") ?? "1";
    if (!/^[1-9][0-9]{0,15}$/.test(from)) throw new UsageError(`--from is a sequence number of 1 or more (got "${from}").`);
    const anchor = stringFlag(flags, "anchor");
    const parts = anchor === undefined ? undefined : /^([0-9]{1,16}):([0-9a-f]{64})$/.exec(anchor);
    if (parts === null) throw new UsageError("--anchor is <seq>:<hash>, the hash 64 lowercase hex digits, as `audit head` prints them.");
    return { from: Number(from), anchor: parts ? { seq: Number(parts[1]), hash: parts[2]! } : undefined, json: flags.json === true };
  },
  async run(input, { log }) {
    // Progress only for a person watching; stdout stays the result alone.
    const tty = process.stderr.isTTY;
    const result = await verifyAuditChain({
      from: input.from,
      anchor: input.anchor,
      onProgress: tty ? (checked) => process.stderr.write(`\r${checked.toLocaleString("en-US")} verified …`) : undefined,
    });
    if (tty) process.stderr.write("\r\x1b[K");
    log(input.json ? JSON.stringify(result) : describe(result));
    if (!result.ok) throw new AppError("conflict", `the audit chain is broken at seq ${result.firstBreak?.seq} (${result.firstBreak?.problem}).`);
  },
});

function describe(result: VerifyResult): string {
  const rate = result.durationMs > 0 ? ` (${Math.round((result.checked / result.durationMs) * 1000).toLocaleString("en-US")} events/s)` : "";
  const counted = `${result.checked.toLocaleString("en-US")} sealed event(s) from seq ${result.from} verified in ${(result.durationMs / 1000).toFixed(1)} s${rate}`;
  if (result.ok) return result.head ? `OK: ${counted}. Head: seq ${result.head.seq}, hash ${result.head.hash}.` : "OK: nothing is sealed yet.";
  const found = result.firstBreak!;
  return [`BROKEN at seq ${found.seq}${found.id ? ` (event id ${found.id})` : ""}: ${found.problem}. ${found.detail}.`, `${counted} before it.`].join("\n");
}
