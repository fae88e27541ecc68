import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { ApprovalTimeoutError, DeniedError, Mandate, MandateError, type MandateEvent } from "../src/index.ts";
import { KEY, delay, hold, json, startFake, type Fake } from "./fake-mandate.ts";

const reasoning = { instruction: "Triage ticket 4711", considered: ["read it", "ignore it"], chosen: "read it", rationale: "Need the details." };
const fakes: Fake[] = [];
after(() => Promise.all(fakes.map((fake) => fake.close())));

async function fake(routes: Parameters<typeof startFake>[0]) {
  const started = await startFake(routes);
  fakes.push(started);
  return { fake: started, mandate: new Mandate({ url: started.url, key: KEY, retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 } }) };
}

const pending = { decisionId: "d-2", effect: "pending", reason: "policy_checkpoint", checkpointId: "c-1", expiresAt: new Date(Date.now() + 60_000).toISOString() };

describe("authorize", () => {
  test("allow returns the decision and sends the full request body", async () => {
    const { fake: server, mandate } = await fake({
      "POST /api/v1/decisions": (_request, response) => json(response, 200, { decisionId: "d-1", effect: "allow", reason: "allowed_by_list" }),
    });
    const decision = await mandate.authorize("helpdesk.ticket.read", { reasoning, resource: "tickets/4711", params: { fields: ["subject"] }, traceId: "t-1", onBehalfOf: "user-9" });
    assert.deepEqual(decision, { decisionId: "d-1", effect: "allow", reason: "allowed_by_list" });
    const [sent] = server.hits("POST /api/v1/decisions");
    assert.deepEqual(sent?.body, { action: "helpdesk.ticket.read", resource: "tickets/4711", params: { fields: ["subject"] }, reasoning, onBehalfOf: "user-9", traceId: "t-1" });
    assert.equal(sent?.headers["content-type"], "application/json");
  });

  test("deny throws DeniedError with the reason and decision id, and is never retried", async () => {
    const { fake: server, mandate } = await fake({
      "POST /api/v1/decisions": (_request, response) => json(response, 200, { decisionId: "d-9", effect: "deny", reason: "not_on_list" }),
    });
    const error = await mandate.authorize("payments.refund.issue", { reasoning }).catch((caught: unknown) => caught);
    assert.ok(error instanceof DeniedError);
    assert.equal(error.reason, "not_on_list");
    assert.equal(error.decisionId, "d-9");
    assert.equal(error.code, "denied");
    assert.equal(server.hits("POST /api/v1/decisions").length, 1);
  });

  test("pending waits on the checkpoint long-poll until a person approves", async () => {
    let polls = 0;
    const events: MandateEvent[] = [];
    const server = await startFake({
      "POST /api/v1/decisions": (_request, response) => json(response, 200, pending),
      "GET /api/v1/checkpoints/:id": async (request, response) => {
        polls += 1;
        if (polls === 1) return json(response, 200, { status: "pending" });
        await delay(150); // the server holds the long-poll until the approver decides
        json(response, 200, { status: "approved", decidedBy: { name: "Ana Approver" }, note: "fine", decidedAt: "2026-01-01T00:00:00Z" });
      },
    });
    fakes.push(server);
    const mandate = new Mandate({ url: server.url, key: KEY, onEvent: (event) => events.push(event) });
    const decision = await mandate.authorize("slack.channel.invite_external", { reasoning });
    assert.deepEqual(decision, {
      decisionId: "d-2",
      effect: "allow",
      reason: "policy_checkpoint",
      checkpointId: "c-1",
      decidedBy: { name: "Ana Approver" },
      note: "fine",
      decidedAt: "2026-01-01T00:00:00Z",
    });
    const hits = server.hits("GET /api/v1/checkpoints/:id");
    assert.equal(hits.length, 2);
    const wait = Number(hits[0]?.query.get("wait"));
    assert.ok(wait >= 1 && wait <= 25, `wait=${wait}`);
    assert.ok(events.some((event) => event.type === "checkpoint.waiting" && event.checkpointId === "c-1"));
  });

  for (const [status, reason] of [["denied", "approval_denied"], ["expired", "approval_expired"]] as const) {
    test(`pending then ${status} throws DeniedError(${reason}) with checkpoint and note`, async () => {
      const { mandate } = await fake({
        "POST /api/v1/decisions": (_request, response) => json(response, 200, pending),
        "GET /api/v1/checkpoints/:id": (_request, response) => json(response, 200, { status, note: status === "denied" ? "not this customer" : undefined }),
      });
      const error = await mandate.authorize("email.send", { reasoning }).catch((caught: unknown) => caught);
      assert.ok(error instanceof DeniedError);
      assert.equal(error.reason, reason);
      assert.equal(error.decisionId, "d-2");
      assert.equal(error.checkpointId, "c-1");
      if (status === "denied") assert.equal(error.note, "not this customer");
    });
  }

  test("an abort signal ends the wait for approval with the signal's reason", async () => {
    const { mandate } = await fake({
      "POST /api/v1/decisions": (_request, response) => json(response, 200, pending),
      "GET /api/v1/checkpoints/:id": async (_request, response) => {
        await hold(5_000);
        json(response, 200, { status: "approved" });
      },
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const error = await mandate.authorize("email.send", { reasoning, signal: controller.signal }).catch((caught: unknown) => caught);
    assert.ok(error instanceof Error && error.name === "AbortError", String(error));
    assert.ok(Date.now() - started < 1_000);
  });

  test("an already aborted signal asks nothing", async () => {
    const { fake: server, mandate } = await fake({ "POST /api/v1/decisions": (_request, response) => json(response, 200, pending) });
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    await assert.rejects(mandate.authorize("email.send", { reasoning, signal: controller.signal }), /stop/);
    assert.equal(server.requests.length, 0);
  });

  test("approvalTimeoutMs throws ApprovalTimeoutError, even mid long-poll", async () => {
    const { mandate } = await fake({
      "POST /api/v1/decisions": (_request, response) => json(response, 200, pending),
      "GET /api/v1/checkpoints/:id": async (_request, response) => {
        await hold(3_000);
        json(response, 200, { status: "pending" });
      },
    });
    const started = Date.now();
    const error = await mandate.authorize("email.send", { reasoning, approvalTimeoutMs: 200 }).catch((caught: unknown) => caught);
    assert.ok(error instanceof ApprovalTimeoutError, String(error));
    assert.equal(error.checkpointId, "c-1");
    // The timeout asked for, to the millisecond: agents print and match this message.
    assert.match(error.message, /within 200 ms\.$/);
    assert.ok(Date.now() - started < 1_500);
  });

  test("without approvalTimeoutMs the wait follows the checkpoint's expiry when a person extends it", async () => {
    // Expired 59.5 s ago: one more second of grace. The checkpoint's answers then carry a later expiry.
    const soon = { ...pending, expiresAt: new Date(Date.now() - 59_500).toISOString() };
    let polls = 0;
    const { mandate } = await fake({
      "POST /api/v1/decisions": (_request, response) => json(response, 200, soon),
      "GET /api/v1/checkpoints/:id": async (_request, response) => {
        polls += 1;
        if (polls === 1) {
          await hold(300);
          json(response, 200, { status: "pending", expiresAt: new Date(Date.now() + 60_000).toISOString() });
          return;
        }
        await hold(800);
        json(response, 200, { status: "approved", decidedBy: { name: "Ada" }, decidedAt: new Date().toISOString() });
      },
    });
    const decision = await mandate.authorize("email.send", { reasoning });
    assert.equal(decision.effect, "allow");
    assert.equal(polls, 2);
  });

  test("an answer it does not understand is never an allow", async () => {
    const { mandate } = await fake({
      "POST /api/v1/decisions": (_request, response) => json(response, 200, { decisionId: "d-3", effect: "maybe", reason: "?" }),
    });
    const error = await mandate.authorize("crm.contact.read", { reasoning }).catch((caught: unknown) => caught);
    assert.ok(error instanceof MandateError && error.code === "invalid_response");
  });

  test("reasoning.instruction is required before anything is sent", async () => {
    const { fake: server, mandate } = await fake({});
    await assert.rejects(mandate.authorize("crm.contact.read", { reasoning: { instruction: " " } }), TypeError);
    assert.equal(server.requests.length, 0);
  });
});
