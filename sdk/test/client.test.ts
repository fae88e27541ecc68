import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { DeniedError, Mandate, type MandateEvent } from "../src/index.ts";
import { KEY, json, problem, startFake, type Fake, type Handler } from "./fake-mandate.ts";

const reasoning = { instruction: "Triage ticket 4711" };
const fakes: Fake[] = [];
after(() => Promise.all(fakes.map((fake) => fake.close())));

async function setup(routes: Record<string, Handler>) {
  const server = await startFake(routes);
  fakes.push(server);
  const events: MandateEvent[] = [];
  const mandate = new Mandate({ url: server.url, key: KEY, retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 10 }, onEvent: (event) => events.push(event) });
  return { server, mandate, events };
}

const allow: Handler = (_request, response) => json(response, 200, { decisionId: "d-1", effect: "allow", reason: "allowed_by_list" });
const recordOutcome: Handler = (_request, response) => json(response, 200, { ok: true });

describe("reportOutcome and delegate", () => {
  test("reportOutcome posts status, summary and data to the decision", async () => {
    const { server, mandate } = await setup({ "POST /api/v1/decisions/:id/outcome": recordOutcome });
    await mandate.reportOutcome("d-7", { status: "succeeded", summary: "Labelled as billing", data: { labels: ["billing"] } });
    const [sent] = server.hits("POST /api/v1/decisions/:id/outcome");
    assert.equal(sent?.path, "/api/v1/decisions/d-7/outcome");
    assert.deepEqual(sent?.body, { status: "succeeded", summary: "Labelled as billing", data: { labels: ["billing"] } });
  });

  test("delegate posts the narrowed actions and returns the token", async () => {
    const { server, mandate } = await setup({
      "POST /api/v1/delegations": (_request, response) => json(response, 201, { delegationId: "g-1", token: "mdt_abc", expiresAt: "2026-01-01T01:00:00Z" }),
    });
    const delegation = await mandate.delegate({ toAgent: "finance-refunds", actions: ["helpdesk.ticket.read"], ttlSeconds: 600, reasoning: { instruction: "Refund request on 4711" } });
    assert.deepEqual(delegation, { delegationId: "g-1", token: "mdt_abc", expiresAt: "2026-01-01T01:00:00Z" });
    assert.deepEqual(server.hits("POST /api/v1/delegations")[0]?.body, {
      toAgent: "finance-refunds",
      actions: ["helpdesk.ticket.read"],
      ttlSeconds: 600,
      reasoning: { instruction: "Refund request on 4711" },
    });
  });

  test("delegate passes parentToken when the agent itself acts under a delegation", async () => {
    const { server, mandate } = await setup({
      "POST /api/v1/delegations": (_request, response) => json(response, 201, { delegationId: "g-2", token: "mdt_child", expiresAt: "2026-01-01T01:00:00Z", depth: 2 }),
    });
    const delegation = await mandate.delegate({ toAgent: "crm-hygiene", actions: ["helpdesk.ticket.read"], ttlSeconds: 300, reasoning, parentToken: "mdt_parent" });
    assert.equal(delegation.depth, 2);
    assert.equal((server.hits("POST /api/v1/delegations")[0]?.body as { parentToken?: string }).parentToken, "mdt_parent");
  });

  test("whoami reads GET /agent", async () => {
    const { mandate } = await setup({
      "GET /api/v1/agent": (_request, response) => json(response, 200, { id: "a-1", slug: "support-triage", name: "Support Triage", status: "active", maturity: "senior", owners: [] }),
    });
    const agent = await mandate.whoami();
    assert.equal(agent.name, "Support Triage");
    assert.deepEqual(agent.owners, []);
  });
});

describe("guard", () => {
  test("runs the work after an allow and reports success", async () => {
    const { server, mandate } = await setup({ "POST /api/v1/decisions": allow, "POST /api/v1/decisions/:id/outcome": recordOutcome });
    const controller = new AbortController();
    const result = await mandate.guard("helpdesk.ticket.read", { reasoning, signal: controller.signal }, (signal, decision) => {
      assert.equal(signal, controller.signal);
      assert.equal(decision.decisionId, "d-1");
      return { subject: "Printer on fire" };
    });
    assert.deepEqual(result, { subject: "Printer on fire" });
    assert.deepEqual(server.hits("POST /api/v1/decisions/:id/outcome")[0]?.body, { status: "succeeded" });
  });

  test("reports a failure with the error and rethrows the same error", async () => {
    const { server, mandate } = await setup({ "POST /api/v1/decisions": allow, "POST /api/v1/decisions/:id/outcome": recordOutcome });
    const boom = new RangeError("helpdesk answered 500");
    await assert.rejects(
      mandate.guard("helpdesk.ticket.update", { reasoning }, async () => {
        throw boom;
      }),
      (error) => error === boom,
    );
    assert.deepEqual(server.hits("POST /api/v1/decisions/:id/outcome")[0]?.body, { status: "failed", summary: "RangeError: helpdesk answered 500" });
  });

  test("a deny never runs the work and reports nothing", async () => {
    const { server, mandate } = await setup({
      "POST /api/v1/decisions": (_request, response) => json(response, 200, { decisionId: "d-2", effect: "deny", reason: "never" }),
    });
    let ran = false;
    await assert.rejects(
      mandate.guard("crm.record.delete", { reasoning }, () => {
        ran = true;
      }),
      DeniedError,
    );
    assert.equal(ran, false);
    assert.equal(server.hits("POST /api/v1/decisions/:id/outcome").length, 0);
  });

  test("a failed outcome report does not mask the work's result", async () => {
    const { mandate, events } = await setup({
      "POST /api/v1/decisions": allow,
      "POST /api/v1/decisions/:id/outcome": (_request, response) => problem(response, 409, "conflict", "Outcome already reported."),
    });
    assert.equal(await mandate.guard("helpdesk.ticket.read", { reasoning }, () => 42), 42);
    assert.ok(events.some((event) => event.type === "outcome.failed" && event.decisionId === "d-1"));
  });
});
