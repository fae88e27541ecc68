// `mandate audit verify` and `mandate audit head` run as operators run them: a child process
// with DATABASE_URL set. A broken chain must end in a non-zero exit code.
import { spawn } from "node:child_process";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { GENESIS_HASH } from "@/lib/audit/canonical-event";
import { EVENT_AT, appendEvents, rowAt, sealAll, tamper } from "./audit-seal-fixtures";

const root = path.resolve(import.meta.dirname, "..", "..");
const tsx = path.join(root, "node_modules", ".bin", "tsx");

function mandate(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, ["--tsconfig", "tsconfig.node.json", "scripts/mandate.ts", ...args], {
      cwd: root,
      env: process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

// Each run starts tsx afresh (seconds each on a busy machine), and some tests run three.
describe("npm run mandate -- audit", { timeout: 120_000 }, () => {
  beforeAll(async () => {
    const empty = await mandate(["audit", "head"]);
    expect(empty.code).toBe(0);
    expect(JSON.parse(empty.stdout)).toEqual({ seq: 0, hash: GENESIS_HASH, at: null });
    await appendEvents(12);
    await sealAll();
  });

  it("prints the head as JSON and verifies the intact chain, also against that head", async () => {
    const head = await mandate(["audit", "head"]);
    expect(head.code).toBe(0);
    const printed = JSON.parse(head.stdout) as { seq: number; hash: string; at: string };
    expect(printed).toEqual({ seq: 12, hash: (await rowAt(12)).hash, at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });

    const run = await mandate(["audit", "verify", "--anchor", `${printed.seq}:${printed.hash}`]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^OK: 12 sealed event\(s\) from seq 1 verified/);

    const json = await mandate(["audit", "verify", "--json", "--from", "5"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, checked: 8, from: 5, head: { seq: 12, hash: printed.hash } });
  });

  it("exits 1 and names the seq and the problem when the chain is broken", async () => {
    await tamper(`UPDATE audit_event SET subject_id = 'forged' WHERE ${EVENT_AT}`, [7]);
    const run = await mandate(["audit", "verify"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`BROKEN at seq 7 (event id ${(await rowAt(7)).id}): changed.`);
    expect(run.stdout).toContain("6 sealed event(s) from seq 1 verified");
    expect(run.stderr).toContain("mandate: the audit chain is broken at seq 7 (changed).");
    expect(run.stderr).not.toContain("    at ");

    const json = await mandate(["audit", "verify", "--json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, checked: 6, firstBreak: { seq: 7, problem: "changed" } });
  });

  it.each([
    [["--from", "0"], "--from is a sequence number"],
    [["--from", "abc"], "--from is a sequence number"],
    [["--anchor", "12:XYZ"], "--anchor is <seq>:<hash>"],
    [["--anchor", "12"], "--anchor is <seq>:<hash>"],
  ])("refuses %j with the usage and exit code 2", async (flags, message) => {
    const run = await mandate(["audit", "verify", ...flags]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain("Usage: npm run mandate -- audit verify");
  });

  it("answers --from past the head with one line and exit code 1", async () => {
    const run = await mandate(["audit", "verify", "--from", "99"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("mandate: from (99) is past the head of the chain (seq 12).");
  });
});
