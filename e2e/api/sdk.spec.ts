// The SDK (sdk/src) against the real running app with the demo's seeded keys: every call of
// DESIGN.md section 6 it wraps, and the typed errors an agent branches on. The watcher holding the
// real event stream is here too; a kill reaching it is in e2e/ui/kill-switch.spec.ts.
import { expect, test } from "@playwright/test";
import { ApprovalTimeoutError, AuthenticationError, ConflictError, DeniedError, ForbiddenError, InvalidRequestError, Mandate, type MandateEvent } from "@/sdk/src/index";
import { seededAccounts } from "../support/accounts";

function demoKey(agent: string): string {
  const found = seededAccounts().agentKeys.find((entry) => entry.agent === agent);
  if (!found) throw new Error(`The e2e seed has no key for ${agent}.`);
  return found.key;
}

/** One try per call: a retry would hide a server that answers slowly or not at all. */
function client(baseURL: string | undefined, agent: string, onEvent?: (event: MandateEvent) => void): Mandate {
  if (!baseURL) throw new Error("The e2e config sets baseURL.");
  return new Mandate({ url: baseURL, key: demoKey(agent), retry: { attempts: 1 }, ...(onEvent ? { onEvent } : {}) });
}

const DECISION_ID = /^[0-9a-f-]{36}$/;
const reasoning = { instruction: "Triage ticket 4711.", considered: ["read the ticket", "escalate"], chosen: "read the ticket" };

test("whoami answers the agent the key belongs to", async ({ baseURL }) => {
  const me = await client(baseURL, "support-triage").whoami();
  expect(me).toMatchObject({ slug: "support-triage", name: "Support Triage", status: "active", maturity: "senior", id: expect.any(String) });
});

test("status and the kill watcher read the agent's kill-switch state from the real stream", async ({ baseURL }) => {
  const mandate = client(baseURL, "support-triage");
  const status = await mandate.status();
  expect(status).toMatchObject({ state: "active", version: expect.any(Number), since: expect.any(String) });
  const watcher = mandate.watch();
  try {
    await expect(watcher.ready).resolves.toMatchObject({ state: "active", version: status.version });
    expect(watcher.mode).toBe("sse");
    expect(watcher.signal.aborted).toBe(false);
  } finally {
    watcher.stop();
  }
});

test("authorize returns allow with a decision id for an action on the list", async ({ baseURL }) => {
  const decision = await client(baseURL, "support-triage").authorize("helpdesk.ticket.read", { reasoning, resource: "tickets/4711" });
  expect(decision).toEqual({ decisionId: expect.stringMatching(DECISION_ID), effect: "allow", reason: "allowed_by_list" });
});

test("authorize throws DeniedError (not_on_list) for an action off the list", async ({ baseURL }) => {
  const error = await client(baseURL, "support-triage")
    .authorize("github.pr.merge", { reasoning, resource: "acme/api#12" })
    .catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(DeniedError);
  expect(error).toMatchObject({ code: "denied", reason: "not_on_list", decisionId: expect.stringMatching(DECISION_ID) });
});

test("guard runs the function and reports its outcome once; a second report is a ConflictError", async ({ baseURL }) => {
  const events: MandateEvent[] = [];
  const mandate = client(baseURL, "finance-refunds", (event) => events.push(event));
  let ran = 0;
  const result = await mandate.guard("payments.charge.read", { reasoning: { instruction: "Refund request on ticket 4711." }, resource: "charges/ch_1042" }, (_signal, decision) => {
    ran += 1;
    return decision;
  });
  expect(ran).toBe(1);
  expect(result).toMatchObject({ effect: "allow", decisionId: expect.stringMatching(DECISION_ID) });
  // guard reports quietly: a failed report would show up here as "outcome.failed".
  expect(events.filter((event) => event.type === "outcome.failed")).toEqual([]);

  const second = await mandate.reportOutcome(result.decisionId, { status: "succeeded", summary: "again" }).catch((caught: unknown) => caught);
  expect(second).toBeInstanceOf(ConflictError);
  expect(second).toMatchObject({ status: 409, requestId: expect.any(String) });
});

test("guard does not run the function on a deny", async ({ baseURL }) => {
  let ran = false;
  const error = await client(baseURL, "finance-refunds")
    .guard("payments.payout.create", { reasoning: { instruction: "Pay the supplier." } }, () => {
      ran = true;
    })
    .catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(DeniedError);
  expect(error).toMatchObject({ reason: "never" });
  expect(ran).toBe(false);
});

test("delegate hands another agent a token; the delegate is allowed inside it and denied outside it", async ({ baseURL }) => {
  const delegation = await client(baseURL, "finance-refunds").delegate({
    toAgent: "support-triage",
    actions: ["helpdesk.ticket.read"],
    ttlSeconds: 600,
    reasoning: { instruction: "Let support-triage read the refund ticket 4711." },
  });
  expect(delegation).toMatchObject({ delegationId: expect.stringMatching(DECISION_ID), token: expect.any(String), expiresAt: expect.any(String) });
  expect(Date.parse(delegation.expiresAt)).toBeGreaterThan(Date.now());

  const delegate = client(baseURL, "support-triage");
  // Both agents' lists allow reading tickets/*, and the delegation includes it.
  const inside = await delegate.authorize("helpdesk.ticket.read", { reasoning, resource: "tickets/4711", delegationToken: delegation.token });
  expect(inside).toMatchObject({ effect: "allow", decisionId: expect.stringMatching(DECISION_ID) });
  // support-triage may read contacts on its own, but not under a delegation that does not include it.
  const outside = await delegate.authorize("crm.contact.read", { reasoning, delegationToken: delegation.token }).catch((caught: unknown) => caught);
  expect(outside).toBeInstanceOf(DeniedError);
  expect(outside).toMatchObject({ reason: "delegation_scope" });
});

test("an agent acting under a delegation hands on a subset of it with parentToken, one level deeper", async ({ baseURL }) => {
  // finance-refunds → support-triage → crm-hygiene: all three have crm.contact.read on their own lists.
  const root = await client(baseURL, "finance-refunds").delegate({
    toAgent: "support-triage",
    actions: ["crm.contact.read", "helpdesk.ticket.read"],
    ttlSeconds: 600,
    reasoning: { instruction: "Let support-triage look up the refund's customer and ticket." },
  });
  const middle = client(baseURL, "support-triage");
  const child = await middle.delegate({
    toAgent: "crm-hygiene",
    actions: ["crm.contact.read"],
    ttlSeconds: 300,
    reasoning: { instruction: "Hand the contact lookup on for the duplicate check." },
    parentToken: root.token,
  });
  expect(child).toMatchObject({ depth: 2, token: expect.any(String) });
  expect(Date.parse(child.expiresAt)).toBeLessThanOrEqual(Date.parse(root.expiresAt));
  const underChild = await client(baseURL, "crm-hygiene").authorize("crm.contact.read", { reasoning, resource: "contacts/c-881", delegationToken: child.token });
  expect(underChild).toMatchObject({ effect: "allow" });

  // A child never exceeds its parent: email.draft.create is on support-triage's own list but not in the parent delegation.
  const wider = await middle
    .delegate({ toAgent: "crm-hygiene", actions: ["email.draft.create"], ttlSeconds: 300, reasoning: { instruction: "Draft the reply too." }, parentToken: root.token })
    .catch((caught: unknown) => caught);
  expect(wider).toBeInstanceOf(ForbiddenError);
  // Nor may a chain pass through an agent twice.
  const back = await middle
    .delegate({ toAgent: "finance-refunds", actions: ["crm.contact.read"], ttlSeconds: 300, reasoning: { instruction: "Hand it back." }, parentToken: root.token })
    .catch((caught: unknown) => caught);
  expect(back).toBeInstanceOf(InvalidRequestError);
  expect(back).toMatchObject({ status: 422, errors: [expect.objectContaining({ path: "toAgent" })] });
});

test("a refused delegation is a typed error: invalid fields listed, or forbidden for what the agent may not do itself", async ({ baseURL }) => {
  const mandate = client(baseURL, "finance-refunds");
  const tooShort = await mandate
    .delegate({ toAgent: "support-triage", actions: ["helpdesk.ticket.read"], ttlSeconds: 5, reasoning: { instruction: "Quick look." } })
    .catch((caught: unknown) => caught);
  expect(tooShort).toBeInstanceOf(InvalidRequestError);
  expect((tooShort as InvalidRequestError).errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: "ttlSeconds" })]));

  // "Never" on finance-refunds' own list: it cannot hand it on.
  const notItsOwn = await mandate
    .delegate({ toAgent: "support-triage", actions: ["payments.payout.create"], ttlSeconds: 600, reasoning: { instruction: "Pay the supplier for me." } })
    .catch((caught: unknown) => caught);
  expect(notItsOwn).toBeInstanceOf(ForbiddenError);
  expect(notItsOwn).toMatchObject({ status: 403, errors: [expect.objectContaining({ path: "actions.0" })] });
});

test("an unknown key is an AuthenticationError (401)", async ({ baseURL }) => {
  if (!baseURL) throw new Error("The e2e config sets baseURL.");
  const mandate = new Mandate({ url: baseURL, key: `mnd_ZZZZZZZZZZZZ_${"A".repeat(43)}`, retry: { attempts: 1 } });
  const error = await mandate.whoami().catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(AuthenticationError);
  expect(error).toMatchObject({ status: 401, code: "unauthorized" });
  const denied = await mandate.authorize("helpdesk.ticket.read", { reasoning }).catch((caught: unknown) => caught);
  expect(denied).toBeInstanceOf(AuthenticationError);
});

test("an action that needs approval waits on its checkpoint, then throws ApprovalTimeoutError when nobody decides", async ({ baseURL }) => {
  const events: MandateEvent[] = [];
  const mandate = client(baseURL, "finance-refunds", (event) => events.push(event));
  const started = Date.now();
  // Above the line's 500 limit: onConditionFail says a person approves it.
  const error = await mandate
    .authorize("payments.refund.issue", {
      reasoning: { instruction: "Refund the double charge on ticket 4711." },
      resource: "charges/ch_1042",
      params: { amount: 750, currency: "EUR" },
      approvalTimeoutMs: 2_500,
    })
    .catch((caught: unknown) => caught);
  const elapsed = Date.now() - started;

  expect(error).toBeInstanceOf(ApprovalTimeoutError);
  const waiting = events.find((event) => event.type === "checkpoint.waiting");
  expect(waiting).toMatchObject({ decisionId: expect.stringMatching(DECISION_ID), checkpointId: expect.any(String) });
  expect(error).toMatchObject({ code: "approval_timeout", decisionId: (waiting as { decisionId: string }).decisionId, checkpointId: (waiting as { checkpointId: string }).checkpointId });
  // It waited (long-polling the real checkpoint) and ended on time.
  expect(elapsed).toBeGreaterThanOrEqual(2_400);
  expect(elapsed).toBeLessThan(10_000);
});
