// "Senior acts and the owners are notified" (DESIGN.md §5 rule 6), through real HTTP: a senior
// agent's allowed non-read action is stored with notify_owners and says so in its audit row; a
// read, a principal's action, a junior's (pending) and a denial are not. The overview's list
// shows each person only the agents they own or are technical owner of, within the window.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { listOwnerNotices, NOTICE_DAYS } from "@/lib/monitoring/list-owner-notices";
import { ask, call, startTwoPlanes, stopTwoPlanes, type Plane } from "./decide-harness";
import { auditRowOf, makeAgent, type Org } from "./decide-fixtures";

let a: Plane;
let b: Plane;
let org: Org;

beforeAll(async () => ({ a, b, org } = await startTwoPlanes()));
afterAll(() => stopTwoPlanes(a, b));

async function decideAs(key: string, action: string) {
  const answer = await call(a, "POST", "/decisions", { key, body: ask(action, { resource: `docs/${randomUUID().slice(0, 8)}` }) });
  expect(answer.status, answer.text).toBe(200);
  const id = String(answer.body.decisionId);
  return { id, effect: answer.body.effect, row: await db().decision.findUniqueOrThrow({ where: { id } }), audit: await auditRowOf(id) };
}

describe("owner notices", () => {
  it("are kept for a senior agent's allowed non-read actions only", async () => {
    const lines = [{ action: "t.doc.read" }, { action: "t.doc.write" }, { action: "t.doc.delete", effect: "deny" as const }];
    const senior = await makeAgent(org, { maturity: "senior", lines });
    const principal = await makeAgent(org, { maturity: "principal", lines });
    const junior = await makeAgent(org, { maturity: "junior", lines });

    const wrote = await decideAs(senior.key, "t.doc.write");
    expect(wrote.effect).toBe("allow");
    expect(wrote.row.notifyOwners).toBe(true);
    expect(wrote.audit).toMatchObject({ data: { effect: "allow", ownersNotified: true } });

    for (const [agent, action, effect] of [
      [senior, "t.doc.read", "allow"],
      [senior, "t.doc.delete", "deny"],
      [principal, "t.doc.write", "allow"],
      [junior, "t.doc.write", "pending"],
    ] as const) {
      const other = await decideAs(agent.key, action);
      expect(other.effect, `${action}`).toBe(effect);
      expect(other.row.notifyOwners, `${action} → ${effect}`).toBe(false);
      expect((other.audit?.data as Record<string, unknown>).ownersNotified).toBeUndefined();
    }
  });

  it("reach the agent's owners and technical owner, nobody else, within the window", async () => {
    const owner = await db().person.create({ data: { email: `owner-${randomUUID().slice(0, 8)}@example.com`, name: "Olga Owner", roles: [] } });
    const stranger = await db().person.create({ data: { email: `str-${randomUUID().slice(0, 8)}@example.com`, name: "Sam Stranger", roles: ["admin"] } });
    const senior = await makeAgent(org, { maturity: "senior", lines: [{ action: "t.doc.write" }] });
    await db().agentOwner.create({ data: { agentId: senior.id, personId: owner.id } });
    const first = await decideAs(senior.key, "t.doc.write");
    const second = await decideAs(senior.key, "t.doc.write");

    const seen = await listOwnerNotices(owner);
    expect(seen.map((notice) => notice.id)).toEqual([second.id, first.id]);
    expect(seen[0]).toMatchObject({ action: "t.doc.write", agentSlug: senior.slug, instruction: "Handle ticket 4711 for the customer." });
    // The fixture makes the org's admin the technical owner (and a business owner) of every agent.
    expect((await listOwnerNotices({ id: org.adminId })).map((notice) => notice.id)).toEqual(expect.arrayContaining([first.id, second.id]));
    // An admin who owns nothing is not addressed: the audit is where others read these.
    expect(await listOwnerNotices(stranger)).toEqual([]);
    expect(await listOwnerNotices(owner, { limit: 1 })).toHaveLength(1);
    const later = new Date(Date.now() + (NOTICE_DAYS + 1) * 86_400_000);
    expect(await listOwnerNotices(owner, { now: later })).toEqual([]);
  });
});
