// The example agent (`npm run agent:demo`): a scripted agent that talks to a running Mandate through
// the SDK exactly as an outside agent would — it imports sdk/, never lib/. It reads (allowed), tries
// something off its list (denied), asks for something a person must approve and waits, delegates to
// a second agent, then works its queue until it is killed, stopping within a second.
//
// `npm run agent:demo -- --loop` skips the script and only works the queue, until someone kills the
// agent (or stops every agent) from the console: it then says who stopped it, how, and how long after
// the click it heard. Without a kill-switch status to watch it does not start (fail closed).
//
// Environment:
//   MANDATE_URL                  where Mandate runs (default http://localhost:3000)
//   MANDATE_AGENT_KEY            the agent's key (required)
//   MANDATE_DELEGATE_TO          the agent to delegate to (default: the scenario's)
//   MANDATE_DEMO_ROUNDS          rounds of queue work after the script (default: until stopped; ignored with --loop)
//   MANDATE_APPROVAL_TIMEOUT_MS  how long step 3 waits for an approver before skipping the step
//                                (default: until the checkpoint expires); the e2e suite sets it short
import {
  ApprovalTimeoutError,
  DeniedError,
  KilledError,
  Mandate,
  MandateError,
  type AuthorizeOptions,
  type Decision,
  type MandateEvent,
  type WatchMode,
} from "../sdk/src/index.ts";

interface Step {
  title: string;
  action: string;
  resource?: string;
  params?: Record<string, unknown>;
  instruction: string;
  /** Printed before the step, when the demo data cannot show what the step is about. */
  note?: string;
}

interface Scenario {
  read: Step;
  offList: Step;
  approval: Step;
  delegate: { to: string; actions: string[] };
  /** One unit of the queue worked after the script; `n` numbers it. */
  work: (n: number) => Step;
}

// Real action keys from the demo organisation (lib/demo/demo-agents.ts), one scenario per demo agent.
const SCENARIOS: Record<string, Scenario> = {
  "support-triage": {
    read: { title: "Read the ticket it is triaging", action: "helpdesk.ticket.read", resource: "tickets/4711", instruction: "Triage new ticket #4711" },
    offList: { title: "Close the ticket as a duplicate (not on its list)", action: "helpdesk.ticket.close", resource: "tickets/4711", instruction: "Customer says: just close this, it is a duplicate" },
    approval: {
      title: "Reply to the customer directly (external communication)",
      action: "helpdesk.ticket.reply",
      resource: "tickets/4711",
      params: { to: "jo@customer.example" },
      instruction: "Tell the customer we are on it",
      note: "support-triage's demo list has no line that needs approval, so expect a deny here; run with a finance-refunds or crm-hygiene key to see a checkpoint.",
    },
    delegate: { to: "finance-refunds", actions: ["helpdesk.ticket.read"] },
    work: (n) => ({ title: `Triage ticket #${4711 + n}`, action: "helpdesk.ticket.read", resource: `tickets/${4711 + n}`, instruction: `Triage new ticket #${4711 + n}` }),
  },
  "finance-refunds": {
    read: { title: "Check the original charge", action: "payments.charge.read", resource: "charges/ch_1042", instruction: "Refund request on ticket #4711" },
    offList: { title: "Delete the customer's CRM record (not on its list)", action: "crm.record.delete", resource: "contacts/c-881", instruction: "Customer asks to be forgotten" },
    approval: { title: "Refund 750 EUR (above its 500 limit)", action: "payments.refund.issue", resource: "charges/ch_1042", params: { amount: 750, currency: "EUR" }, instruction: "Refund the double charge on ticket #4711" },
    delegate: { to: "support-triage", actions: ["helpdesk.ticket.read"] },
    work: (n) => ({ title: `Check charge ch_${1042 + n}`, action: "payments.charge.read", resource: `charges/ch_${1042 + n}`, instruction: `Refund request on ticket #${4711 + n}` }),
  },
  "crm-hygiene": {
    read: { title: "Scan a contact for duplicates", action: "crm.contact.read", resource: "contacts/c-881", instruction: "Weekly duplicate scan" },
    offList: { title: "Log a call note (not on its list)", action: "crm.note.create", resource: "contacts/c-881", instruction: "Weekly duplicate scan" },
    approval: { title: "Merge a duplicate (deletes the losing contact)", action: "crm.record.delete", resource: "contacts/c-882", instruction: "Merge duplicate c-882 into c-881" },
    delegate: { to: "support-triage", actions: ["crm.contact.read"] },
    work: (n) => ({ title: `Scan contact c-${881 + n}`, action: "crm.contact.read", resource: `contacts/c-${881 + n}`, instruction: "Weekly duplicate scan" }),
  },
};

const say = (line = "") => console.log(line);
const detail = (line: string) => console.log(`   ${line}`);
/** decidedBy is whatever the server says about the approver: a name, or a person with one. */
function by(decidedBy: unknown): string {
  if (typeof decidedBy === "string") return ` by ${decidedBy}`;
  const person = decidedBy as { name?: unknown; email?: unknown } | undefined;
  const name = typeof person?.name === "string" ? person.name : typeof person?.email === "string" ? person.email : undefined;
  return name ? ` by ${name}` : "";
}
const short = (id: string) => (id.length > 13 ? `${id.slice(0, 8)}…` : id);

function onEvent(event: MandateEvent): void {
  if (event.type === "checkpoint.waiting") {
    const until = event.expiresAt ? ` (expires ${new Date(event.expiresAt).toLocaleTimeString()})` : "";
    detail(`pending · checkpoint ${short(event.checkpointId)}${until}`);
    detail("waiting for an approver… approve or deny it in the console inbox (/approvals)");
  } else if (event.type === "retry") detail(`(Mandate did not answer: ${event.error.message.replace(/\.$/, "")} — retrying in ${event.delayMs} ms)`);
  else if (event.type === "drill.acknowledged") detail(`(kill drill ${short(event.drillId)} acknowledged in ${event.latencyMs} ms)`);
  else if (event.type === "watch.mode") detail(`(kill watcher now uses ${event.mode})`);
  else if (event.type === "outcome.failed") detail(`(could not report the outcome of ${short(event.decisionId)}: ${event.error.message})`);
}

/** Pretend work. A forced kill interrupts it; after a graceful one it finishes and reports. */
function work(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    const onAbort = () => {
      if (signal.reason instanceof KilledError && signal.reason.graceful) return;
      clearTimeout(timer);
      reject(signal.reason);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Idle time between units of work: any stop ends it. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

async function ask(mandate: Mandate, step: Step, signal: AbortSignal, n: number | string, approvalTimeoutMs?: number): Promise<Decision | null> {
  say(`${n}. ${step.title} — ${step.action}${step.resource ? ` ${step.resource}` : ""}`);
  if (step.note) detail(`note: ${step.note}`);
  const options: AuthorizeOptions = { reasoning: { instruction: step.instruction }, resource: step.resource, params: step.params, signal, approvalTimeoutMs };
  try {
    const decision = await mandate.authorize(step.action, options);
    const approved = decision.checkpointId ? ` · approved${by(decision.decidedBy)}${decision.note ? ` ("${decision.note}")` : ""}` : "";
    detail(`allow · ${decision.reason}${approved} · decision ${decision.decisionId}`);
    return decision;
  } catch (error) {
    if (error instanceof ApprovalTimeoutError) {
      // The action must not run; the checkpoint stays in the inbox until it expires.
      detail(`timed out · ${error.detail.replace(/\.$/, "")} · skipped, not done · decision ${error.decisionId}`);
      return null;
    }
    if (!(error instanceof DeniedError)) throw error;
    const note = error.note ? ` ("${error.note}")` : "";
    detail(`deny · ${error.reason}${note} · decision ${error.decisionId}`);
    return null;
  }
}

async function act(mandate: Mandate, decision: Decision, signal: AbortSignal, summary: string): Promise<void> {
  await work(400, signal);
  await mandate.reportOutcome(decision.decisionId, { status: "succeeded", summary });
  detail(`did it; outcome reported: succeeded`);
}

async function main(): Promise<number> {
  const url = process.env.MANDATE_URL || "http://localhost:3000";
  const key = process.env.MANDATE_AGENT_KEY;
  if (!key) {
    console.error(
      "MANDATE_AGENT_KEY is not set: the example agent needs an agent key.\n" +
        "Create one for a demo agent, e.g.\n" +
        "  npm run mandate -- key create --agent finance-refunds --label demo --as <admin e-mail>\n" +
        "then run  MANDATE_AGENT_KEY=mnd_… npm run agent:demo",
    );
    return 2;
  }
  const loop = process.argv.slice(2).includes("--loop");
  const rounds = process.env.MANDATE_DEMO_ROUNDS && !loop ? Number(process.env.MANDATE_DEMO_ROUNDS) : Infinity;
  if (rounds !== Infinity && !(Number.isInteger(rounds) && rounds >= 0)) {
    console.error("MANDATE_DEMO_ROUNDS must be a whole number (rounds of queue work after the script); leave it unset to work until stopped.");
    return 2;
  }
  const approvalTimeoutMs = process.env.MANDATE_APPROVAL_TIMEOUT_MS ? Number(process.env.MANDATE_APPROVAL_TIMEOUT_MS) : undefined;
  if (approvalTimeoutMs !== undefined && !(Number.isInteger(approvalTimeoutMs) && approvalTimeoutMs > 0)) {
    console.error("MANDATE_APPROVAL_TIMEOUT_MS must be a whole number of milliseconds above 0; leave it unset to wait until the checkpoint expires.");
    return 2;
  }
  const mandate = new Mandate({ url, key, onEvent });

  say(`Mandate example agent → ${mandate.apiUrl}`);
  const me = await mandate.whoami();
  say(`I am ${me.name} (${me.slug}) · ${me.status} · ${me.maturity}`);
  const scenario = SCENARIOS[me.slug] ?? SCENARIOS["support-triage"]!;
  if (!SCENARIOS[me.slug]) say(`(no scenario for ${me.slug}; using support-triage's actions)`);

  const watcher = await startWatcher(mandate);
  const { signal } = watcher;
  signal.addEventListener("abort", () => announceStop(signal.reason, watcher.mode), { once: true });
  const interrupted = () => {
    say("\n■ Ctrl-C: stopping.");
    watcher.stop();
    process.exit(130);
  };
  process.once("SIGINT", interrupted);

  try {
    if (loop) {
      const consoleUrl = mandate.apiUrl.replace(/\/api\/v1$/, "");
      say(`Kill me from the console (${consoleUrl}/agents/${me.slug}), or stop every agent from the overview, and watch me stop.`);
    } else {
      await runScript(mandate, scenario, signal, approvalTimeoutMs);
    }

    say(`\nWorking the queue${Number.isFinite(rounds) ? ` (${rounds} rounds)` : " until stopped — kill me from the console and watch me stop"}…`);
    for (let n = 1; n <= rounds; n++) {
      const step = scenario.work(n);
      const decision = await ask(mandate, step, signal, `q${n}`);
      if (decision) await act(mandate, decision, signal, `${step.title}: done`);
      signal.throwIfAborted(); // after a graceful kill the round finishes, then nothing new starts
      await pause(1_500, signal);
    }
    watcher.stop();
    return 0;
  } catch (error) {
    watcher.stop();
    if (signal.aborted && error === signal.reason) return error instanceof KilledError ? 0 : 1;
    throw error;
  } finally {
    process.off("SIGINT", interrupted);
  }
}

/** Steps 1–4: an allowed read, a deny, a checkpoint, a delegation. */
async function runScript(mandate: Mandate, scenario: Scenario, signal: AbortSignal, approvalTimeoutMs: number | undefined): Promise<void> {
  const read = await ask(mandate, scenario.read, signal, 1);
  if (read) await act(mandate, read, signal, `${scenario.read.title}: done`);
  await ask(mandate, scenario.offList, signal, 2);
  const approved = await ask(mandate, scenario.approval, signal, 3, approvalTimeoutMs);
  if (approved) await act(mandate, approved, signal, `${scenario.approval.title}: done after approval`);

  const to = process.env.MANDATE_DELEGATE_TO || scenario.delegate.to;
  say(`4. Delegate ${scenario.delegate.actions.join(", ")} to ${to} for 10 minutes`);
  try {
    const delegation = await mandate.delegate({ toAgent: to, actions: scenario.delegate.actions, ttlSeconds: 600, reasoning: { instruction: `Let ${to} read what it needs for ticket #4711` } }, { signal });
    detail(`delegation ${delegation.delegationId} · expires ${delegation.expiresAt} · token ${delegation.token.slice(0, 8)}… (${to} passes it as delegationToken)`);
  } catch (error) {
    if (!(error instanceof MandateError) || error instanceof DeniedError || signal.aborted) throw error;
    detail(`refused: ${error.status ?? ""} ${error.code} — ${error.detail}`);
  }
}

/**
 * The kill watcher — or no agent at all: without a kill-switch status this agent could not be
 * stopped, so any failure to read it (a 404 from an older Mandate included) ends the demo (fail closed).
 */
async function startWatcher(mandate: Mandate): Promise<{ signal: AbortSignal; stop: () => void; mode: WatchMode }> {
  await mandate.status();
  const watcher = mandate.watch();
  const status = await watcher.ready;
  say(`Kill watcher: ${watcher.mode}, state ${status.state}, dead-man lease 30 s\n`);
  return watcher;
}

/** What the person who pressed the switch wants to see: stopped, how, why, and how fast. */
function announceStop(reason: unknown, mode: WatchMode): void {
  if (!(reason instanceof KilledError)) {
    say(`\n■ Mandate says stop: ${reason instanceof Error ? reason.message : String(reason)}`);
    return;
  }
  const heardMs = reason.since ? Date.now() - Date.parse(reason.since) : NaN;
  const heard = Number.isFinite(heardMs) && heardMs >= 0 && heardMs < 60_000 ? ` — heard ${Math.round(heardMs)} ms after it (by this machine's clock, over ${mode})` : "";
  say(`\n■ ${reason.state === "killed" ? "KILLED" : reason.state.toUpperCase()} (${reason.mode})${reason.reason ? `: ${reason.reason}` : ""}${heard}`);
  detail(reason.graceful ? "graceful: the work in progress finishes and reports its outcome; nothing new starts." : "forced: the work in progress is abandoned now.");
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const text = error instanceof MandateError ? `${error.code}${error.status ? ` (HTTP ${error.status})` : ""}: ${error.detail}` : String(error);
    console.error(`\nThe example agent stopped on an error — ${text}`);
    process.exit(1);
  },
);
