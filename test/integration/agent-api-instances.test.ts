// Two data-plane instances on one database, each with its own pool, writer, caches and LISTEN
// connection: rate limits hold across them (also under a concurrent burst), a key revoked and a
// list changed through the console's use cases take effect on the other instance within a
// second, and a database that goes away mid-run never yields an allow that was not committed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { revokeCredential } from "@/lib/credentials/revoke-credential";
import { addPermission } from "@/lib/permissions/add-permission";
import { removePermission } from "@/lib/permissions/remove-permission";
import { ask, call, startDatabaseProxy, startPlane, startTwoPlanes, stopTwoPlanes, waitFor, type Answer, type Plane } from "./decide-harness";
import { makeAgent, type Org } from "./decide-fixtures";

let a: Plane;
let b: Plane;
let org: Org;

beforeAll(async () => ({ a, b, org } = await startTwoPlanes()));
afterAll(() => stopTwoPlanes(a, b));

const effectOf = (answer: Answer) => `${answer.status} ${String(answer.body.effect)} ${String(answer.body.reason)}`;

describe("rate limits across instances", () => {
  it("counts the allows of both instances against one limit", async () => {
    const agent = await makeAgent(org, { lines: [{ action: "t.doc.list", perMinute: 3 }] });
    const order = [a, b, a, b, a];
    const answers: string[] = [];
    for (const plane of order) answers.push(effectOf(await call(plane, "POST", "/decisions", { key: agent.key, body: ask("t.doc.list") })));
    expect(answers).toEqual(["200 allow allowed_by_list", "200 allow allowed_by_list", "200 allow allowed_by_list", "200 deny rate_limited", "200 deny rate_limited"]);
  });

  it("lets exactly the limit through when both instances are hit at once", async () => {
    const agent = await makeAgent(org, { lines: [{ action: "t.doc.list", perHour: 5 }] });
    const burst = await Promise.all(
      Array.from({ length: 30 }, (_, i) => call(i % 2 ? a : b, "POST", "/decisions", { key: agent.key, body: ask("t.doc.list") })),
    );
    expect(burst.every((answer) => answer.status === 200)).toBe(true);
    const allowed = burst.filter((answer) => answer.body.effect === "allow");
    expect(allowed).toHaveLength(5);
    expect(burst.filter((answer) => answer.body.reason === "rate_limited")).toHaveLength(25);
    expect(await db().decision.count({ where: { agentId: agent.id, effect: "allow" } })).toBe(5);
  });
});

describe("changes made on one instance's database reach the other within a second", () => {
  it("refuses a key on B within a second of its revocation through the console use case", async () => {
    const agent = await makeAgent(org, { lines: [{ action: "t.doc.read" }] });
    // B has verified (and cached) the key.
    expect((await call(b, "GET", "/agent", { key: agent.key })).status).toBe(200);
    expect((await call(b, "GET", "/agent", { key: agent.key })).status).toBe(200);
    await db().$transaction((tx) => revokeCredential(tx, org.admin, org.actor, { agentId: agent.id, credentialId: agent.credentialId }));
    const took = await waitFor(async () => (await call(b, "GET", "/agent", { key: agent.key })).status === 401, 1_000);
    expect(took).toBeLessThan(1_000);
    const decision = await call(b, "POST", "/decisions", { key: agent.key, body: ask("t.doc.read") });
    expect(decision.status).toBe(401);
  });

  it("decides on B by the new list within a second of a line being added, then removed", async () => {
    const agent = await makeAgent(org, { lines: [{ action: "t.doc.read" }] });
    const onB = async () => (await call(b, "POST", "/decisions", { key: agent.key, body: ask("t.doc.write") })).body.reason;
    expect(await onB()).toBe("not_on_list");
    const added = await addPermission(org.admin, org.actor, { agentId: agent.id, action: "t.doc.write", effect: "allow", justification: "Writes docs now." });
    expect(await waitFor(async () => (await onB()) === "allowed_by_list", 1_000)).toBeLessThan(1_000);
    const me = await call(b, "GET", "/agent", { key: agent.key });
    expect(me.body.listVersion).toBe(added.listVersion);
    await removePermission(org.admin, org.actor, { agentId: agent.id, permissionId: added.id });
    expect(await waitFor(async () => (await onB()) === "not_on_list", 1_000)).toBeLessThan(1_000);
  });
});

describe("the database goes away mid-run", () => {
  it("answers 503 (never allow) once it is gone, and every allow it gave was committed", async () => {
    const agent = await makeAgent(org, { lines: [{ action: "t.doc.read" }] });
    const proxy = await startDatabaseProxy(process.env.DATABASE_URL!);
    const plane = await startPlane({ databaseUrl: proxy.url, ownListener: true });
    const answers: Answer[] = [];
    let running = true;
    const workers = Array.from({ length: 6 }, async () => {
      while (running) answers.push(await call(plane, "POST", "/decisions", { key: agent.key, body: ask("t.doc.read") }));
    });
    try {
      await waitFor(() => answers.filter((answer) => answer.body.effect === "allow").length >= 20, 5_000);
      await proxy.stop();
      const cut = answers.length;
      await waitFor(() => answers.length >= cut + 30, 10_000);
      running = false;
      await Promise.all(workers);

      const after = answers.slice(cut + 12);
      expect(after.length).toBeGreaterThan(0);
      for (const answer of after) {
        expect(answer.status, answer.text).toBe(503);
        expect(answer.body).toMatchObject({ code: "unavailable" });
      }
      for (const answer of answers) expect([200, 503]).toContain(answer.status);
      const allowIds = answers.filter((answer) => answer.body.effect === "allow").map((answer) => String(answer.body.decisionId));
      const committed = await db().decision.count({ where: { id: { in: allowIds }, effect: "allow" } });
      expect(committed).toBe(allowIds.length);
    } finally {
      running = false;
      await Promise.all(workers);
      await plane.close();
    }
  });
});
