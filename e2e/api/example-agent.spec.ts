// The example agent (scripts/agent-demo.ts, `npm run agent:demo`) run as a child process against
// the real app with a demo key, as an agent developer would run it: every step it prints, and a
// clean exit. Nobody approves in this run, so its approval step waits briefly and is skipped.
import { spawn } from "node:child_process";
import { expect, test } from "@playwright/test";
import { seededAccounts } from "../support/accounts";

const CHILD_LIMIT_MS = 60_000;

function demoKey(agent: string): string {
  const found = seededAccounts().agentKeys.find((entry) => entry.agent === agent);
  if (!found) throw new Error(`The e2e seed has no key for ${agent}.`);
  return found.key;
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

function runDemo(env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["tsx", "--tsconfig", "tsconfig.node.json", "scripts/agent-demo.ts"], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group, so the limit below ends npx and the tsx under it together.
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    }, CHILD_LIMIT_MS);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

test("the example agent reads, is denied, waits on a checkpoint, delegates and reports outcomes, then exits 0", async ({ baseURL }) => {
  test.setTimeout(CHILD_LIMIT_MS + 15_000);
  if (!baseURL) throw new Error("The e2e config sets baseURL.");
  const run = await runDemo({
    MANDATE_URL: baseURL,
    MANDATE_AGENT_KEY: demoKey("finance-refunds"),
    MANDATE_DEMO_ROUNDS: "1",
    MANDATE_APPROVAL_TIMEOUT_MS: "2000",
  });
  const output = `${run.stdout}\n--- stderr ---\n${run.stderr}`;
  await test.info().attach("example agent output", { body: output, contentType: "text/plain" });

  expect(run.timedOut, `the example agent ran longer than ${CHILD_LIMIT_MS} ms:\n${output}`).toBe(false);
  expect(run.code, output).toBe(0);
  const lines = run.stdout.split("\n").map((line) => line.trim());
  const after = (prefix: string) => {
    const index = lines.findIndex((line) => line.startsWith(prefix));
    expect(index, `no line starting "${prefix}" in:\n${output}`).toBeGreaterThanOrEqual(0);
    return lines.slice(index + 1);
  };
  const decision = "decision [0-9a-f-]{36}";

  expect(run.stdout).toContain(`Mandate example agent → ${baseURL}/api/v1`);
  expect(run.stdout).toContain("I am Finance Refunds (finance-refunds) · active · principal");
  expect(run.stdout).toMatch(/Kill watcher: /);

  // 1. An allowed read, done, its outcome reported.
  const read = after("1. Check the original charge — payments.charge.read charges/ch_1042");
  expect(read[0]).toMatch(new RegExp(`^allow · allowed_by_list · ${decision}$`));
  expect(read[1]).toBe("did it; outcome reported: succeeded");

  // 2. Off its list: denied, with the reason.
  const offList = after("2. Delete the customer's CRM record (not on its list) — crm.record.delete contacts/c-881");
  expect(offList[0]).toMatch(new RegExp(`^deny · not_on_list · ${decision}$`));

  // 3. Above its refund limit: a checkpoint, waited on, then skipped when nobody decides in time.
  const approval = after("3. Refund 750 EUR (above its 500 limit) — payments.refund.issue charges/ch_1042");
  expect(approval[0]).toMatch(/^pending · checkpoint \S+( \(expires .+\))?$/);
  expect(approval[1]).toMatch(/^waiting for an approver/);
  expect(approval[2]).toMatch(new RegExp(`^timed out · No decision on checkpoint \\S+ within 2000 ms · skipped, not done · ${decision}$`));

  // 4. The delegation to a second agent.
  const delegation = after("4. Delegate helpdesk.ticket.read to support-triage for 10 minutes");
  expect(delegation[0]).toMatch(/^delegation [0-9a-f-]{36} · expires \S+ · token \S+… \(support-triage passes it as delegationToken\)$/);

  // One round of queue work: allowed, done, outcome reported.
  const work = after("q1. Check charge ch_1043 — payments.charge.read charges/ch_1043");
  expect(work[0]).toMatch(new RegExp(`^allow · allowed_by_list · ${decision}$`));
  expect(work[1]).toBe("did it; outcome reported: succeeded");
  expect(run.stderr).not.toMatch(/stopped on an error/);
});
