// The agent API's refusals through real HTTP: one 401 for every kind of bad key (same body, same
// header, about the same time), and a table of malformed decision bodies, each a 4xx problem
// document naming the field, none of which writes anything.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { closeNotify } from "@/lib/db/notify";
import { revokeCredential } from "@/lib/credentials/revoke-credential";
import { ask, call, sleep, startPlane, type Plane } from "./decide-harness";
import { makeAgent, seedOrg, type Org, type TestAgent } from "./decide-fixtures";

let plane: Plane;
let org: Org;
let agent: TestAgent;
const keys: Record<string, string | null> = {};

beforeAll(async () => {
  org = await seedOrg();
  agent = await makeAgent(org, { lines: [{ action: "t.doc.read" }] });
  const revoked = await makeAgent(org, { lines: [{ action: "t.doc.read" }] });
  await db().$transaction((tx) => revokeCredential(tx, org.admin, org.actor, { agentId: revoked.id, credentialId: revoked.credentialId }));
  const expired = await makeAgent(org, { lines: [{ action: "t.doc.read" }] });
  await db().credential.update({ where: { id: expired.credentialId }, data: { expiresAt: new Date(Date.now() - 1_000) } });
  const [scheme, prefix] = agent.key.split("_");
  Object.assign(keys, {
    missing: null,
    "not a bearer": `Basic ${Buffer.from("a:b").toString("base64")}`,
    malformed: "mnd_short",
    "wrong secret": `${scheme}_${prefix}_${"A".repeat(43)}`,
    unknown: `mnd_ZZZZZZZZZZZZ_${"B".repeat(43)}`,
    revoked: revoked.key,
    expired: expired.key,
  });
  plane = await startPlane();
});

afterAll(async () => {
  await plane.close();
  await closeNotify();
});

function authorization(kind: string): Record<string, string> {
  const value = keys[kind];
  if (value === null || value === undefined) return {};
  return { authorization: value.startsWith("Basic ") ? value : `Bearer ${value}` };
}

describe("401 for every bad key, all alike", () => {
  const kinds = ["missing", "not a bearer", "malformed", "wrong secret", "unknown", "revoked", "expired"];

  it("answers the same problem document and header on both agent routes", async () => {
    const seen = new Set<string>();
    for (const kind of kinds) {
      for (const [method, path] of [["GET", "/agent"], ["POST", "/decisions"]] as const) {
        const answer = await call(plane, method, path, { headers: authorization(kind), ...(method === "POST" ? { body: ask("t.doc.read") } : {}) });
        expect(answer.status, `${kind} ${path}`).toBe(401);
        expect(answer.headers.get("content-type")).toContain("application/problem+json");
        expect(answer.headers.get("www-authenticate")).toMatch(/^Bearer/);
        const { requestId, ...problem } = answer.body;
        expect(requestId).toEqual(expect.any(String));
        seen.add(JSON.stringify(problem));
      }
    }
    expect(seen.size).toBe(1);
    expect(JSON.parse([...seen][0]!)).toMatchObject({ status: 401, code: "unauthorized", title: "Unauthorized" });
  });

  it("refuses a cached key once it expires", async () => {
    const soon = await makeAgent(org, { lines: [{ action: "t.doc.read" }], keyExpiresAt: new Date(Date.now() + 1_500) });
    expect((await call(plane, "GET", "/agent", { key: soon.key })).status).toBe(200);
    await sleep(1_600);
    expect((await call(plane, "GET", "/agent", { key: soon.key })).status).toBe(401);
  });
});


const deep = (levels: number): Record<string, unknown> => {
  let value: Record<string, unknown> = { leaf: 1 };
  for (let i = 1; i < levels; i += 1) value = { n: value };
  return value;
};
const BIG = "x".repeat(16 * 1024 + 1);
const reasoning = { instruction: "Read the doc." };

const badBodies: Array<{ name: string; raw?: string; body?: unknown; contentType?: string; status: number; code: string; paths?: string[] }> = [
  { name: "malformed JSON", raw: '{"action": ', status: 400, code: "invalid_json" },
  { name: "an empty body", raw: "", status: 400, code: "invalid_json" },
  { name: "a JSON array", body: [1, 2], status: 400, code: "validation_failed", paths: ["(root)"] },
  { name: "no reasoning", body: { action: "t.doc.read" }, status: 400, code: "validation_failed", paths: ["reasoning"] },
  { name: "no instruction", body: { action: "t.doc.read", reasoning: {} }, status: 400, code: "validation_failed", paths: ["reasoning.instruction"] },
  { name: "a blank instruction", body: { action: "t.doc.read", reasoning: { instruction: "  " } }, status: 400, code: "validation_failed", paths: ["reasoning.instruction"] },
  { name: "no action", body: { reasoning }, status: 400, code: "validation_failed", paths: ["action"] },
  { name: "a number as action", body: { action: 5, reasoning }, status: 400, code: "validation_failed", paths: ["action"] },
  { name: "params as an array", body: { action: "t.doc.read", params: [1], reasoning }, status: 400, code: "validation_failed", paths: ["params"] },
  { name: "params as a string", body: { action: "t.doc.read", params: "a=1", reasoning }, status: 400, code: "validation_failed", paths: ["params"] },
  { name: "considered as a string", body: { action: "t.doc.read", reasoning: { ...reasoning, considered: "x" } }, status: 400, code: "validation_failed", paths: ["reasoning.considered"] },
  { name: "a number as resource", body: { action: "t.doc.read", resource: 7, reasoning }, status: 400, code: "validation_failed", paths: ["resource"] },
  { name: "a parentDecisionId that is no id", body: { action: "t.doc.read", parentDecisionId: "nope", reasoning }, status: 400, code: "validation_failed", paths: ["parentDecisionId"] },
  { name: "a string over 16 KiB", body: { action: "t.doc.read", reasoning: { ...reasoning, rationale: BIG } }, status: 400, code: "validation_failed", paths: ["reasoning.rationale"] },
  { name: "a params string over 16 KiB", body: { action: "t.doc.read", params: { note: BIG }, reasoning }, status: 400, code: "validation_failed", paths: ["params.note"] },
  { name: "params nested 9 deep", body: { action: "t.doc.read", params: deep(9), reasoning }, status: 400, code: "validation_failed", paths: ["params.n.n.n.n.n.n.n.n"] },
  { name: "a NUL in the instruction", body: { action: "t.doc.read", reasoning: { instruction: "a\u0000b" } }, status: 400, code: "validation_failed", paths: ["reasoning.instruction"] },
  { name: "an unpaired surrogate", raw: JSON.stringify({ action: "t.doc.read", reasoning }).replace("Read", "\\ud800Read"), status: 400, code: "validation_failed", paths: ["reasoning.instruction"] },
  { name: "a body over 64 KiB", body: { action: "t.doc.read", reasoning, params: { a: "y".repeat(16_000), b: "y".repeat(16_000), c: "y".repeat(16_000), d: "y".repeat(16_000), e: "y".repeat(2_000) } }, status: 413, code: "payload_too_large" },
  { name: "a text/plain body", raw: "action=t.doc.read", contentType: "text/plain", status: 415, code: "unsupported_media_type" },
];

describe("POST /decisions refuses malformed bodies with a 4xx problem, writing nothing", () => {
  for (const { name, raw, body, contentType, status, code, paths } of badBodies) {
    it(`${name} → ${status} ${code}`, async () => {
      const before = await db().decision.count();
      const answer = await call(plane, "POST", "/decisions", {
        key: agent.key,
        ...(raw !== undefined ? { raw } : { body }),
        headers: { "content-type": contentType ?? "application/json" },
      });
      expect(answer.status, answer.text).toBe(status);
      expect(answer.headers.get("content-type")).toContain("application/problem+json");
      expect(answer.body).toMatchObject({ status, code });
      if (paths) expect((answer.body.errors as Array<{ path: string }>).map((error) => error.path)).toEqual(paths);
      expect(answer.text).not.toMatch(/\n\s+at /);
      expect(await db().decision.count()).toBe(before);
    });
  }

  it("accepts what sits exactly on the limits: a 16 KiB string and params nested 8 deep", async () => {
    const edge = await call(plane, "POST", "/decisions", {
      key: agent.key,
      body: { action: "t.doc.read", params: { ...deep(8), note: "é".repeat(8 * 1024) }, reasoning: { instruction: "x".repeat(16 * 1024) } },
    });
    expect(edge.status, edge.text).toBe(200);
    expect(edge.body).toMatchObject({ effect: "allow" });
  });
});
