// Agents as code: export → import round trips, the diff names exactly what changed, a dry run
// writes nothing, applying writes and audits in one go, and bad documents are refused whole.
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { renderAgentDocument, type ExportedDocument } from "@/lib/agents/agent-document";
import { exportAgents } from "@/lib/agents/export-agents";
import { importAgents, type ImportAgentsInput } from "@/lib/agents/import-agents";
import type { Actor } from "@/lib/audit/record";
import { createCredential } from "@/lib/credentials/create-credential";
import { db } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { AppError } from "@/lib/http/errors";

const admin = { id: "", roles: ["admin"] as Role[] };
const approver = { id: "", roles: ["approver"] as Role[] };
let adminActor: Actor;
let ownerEmail: string;

const run = (input: ImportAgentsInput, who = admin) => importAgents(who, adminActor, input);
const exported = async (slug?: string) => JSON.parse(renderAgentDocument(await exportAgents(db(), { slug }), "json")) as ExportedDocument;
const rows = () =>
  Promise.all([db().agent.count(), db().permission.count(), db().agentOwner.count(), db().auditEvent.count(), db().agent.aggregate({ _sum: { listVersion: true } })]);
const failure = async (input: ImportAgentsInput, who = admin) => {
  const error = await run(input, who).catch((caught: unknown) => caught);
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return { code: error.code, message: error.message, paths: (error.fields ?? []).map((field) => field.path), fields: error.fields ?? [] };
};

beforeAll(async () => {
  const person = (email: string, roles: Role[] = [], disabled = false) => db().person.create({ data: { email, name: email.split("@")[0]!, roles, disabled } });
  admin.id = (await person("admin@code.test", ["admin"])).id;
  approver.id = (await person("approver@code.test", ["approver"])).id;
  adminActor = { type: "person", personId: admin.id, via: "console" };
  const owner = await person("owner@code.test");
  ownerEmail = owner.email;
  const tech = await person("tech@code.test");
  await person("gone@code.test", [], true);
  await person("second@code.test");

  const system = await db().system.create({ data: { key: "crm", name: "CRM" } });
  const actions = new Map<string, string>();
  for (const [key, category] of [["crm.contact.read", "read"], ["crm.contact.update", "write"], ["crm.record.delete", "delete"]] as const) {
    actions.set(key, (await db().action.create({ data: { key, name: key, category, risk: "low", systemId: system.id } })).id);
  }
  const agent = await db().agent.create({
    data: {
      slug: "hygiene",
      name: "CRM Hygiene",
      purpose: "Keeps the CRM clean.",
      status: "active",
      maturity: "junior",
      deployedById: admin.id,
      technicalOwnerId: tech.id,
      owners: { create: [{ personId: owner.id }] },
      permissions: {
        create: [
          { actionId: actions.get("crm.contact.read")!, position: 0, effect: "allow", justification: "Reads contacts." },
          {
            actionId: actions.get("crm.contact.update")!,
            position: 1,
            effect: "allow",
            // Stored without the window's defaults (days, tz): still equal to the same line imported.
            conditions: { resource: "contacts/*", window: { from: "08:00", to: "18:00" } },
            rateLimitPerHour: 200,
            justification: "Fills in company fields.",
          },
          { actionId: actions.get("crm.record.delete")!, position: 2, effect: "deny", justification: "Never deletes." },
        ],
      },
    },
  });
  await db().$transaction((tx) => createCredential(tx, { type: "system", via: "test" }, { agentId: agent.id, label: "production" }));
});

describe("export", () => {
  it("writes the importable fields, lines in order, and a read-only block without secrets", async () => {
    const document = await exported();
    expect(document).toMatchObject({ apiVersion: "mandate/v1", kind: "AgentList" });
    const [agent] = document.agents;
    expect(agent).toMatchObject({
      slug: "hygiene",
      owners: [ownerEmail],
      technicalOwner: "tech@code.test",
      readOnly: { status: "active", maturity: "junior", listVersion: 1, liveKeys: 1 },
    });
    expect(agent!.permissions.map((line) => (line as { action: string }).action)).toEqual(["crm.contact.read", "crm.contact.update", "crm.record.delete"]);
    const credential = await db().credential.findFirstOrThrow({ omit: { secretHash: false } });
    const text = renderAgentDocument(await exportAgents(db()), "yaml");
    expect(text).toContain("readOnly is for information: import ignores it");
    expect(text).not.toContain(credential.prefix);
    expect(text).not.toContain(credential.secretHash);
  });

  it("answers not found for an unknown slug", async () => {
    await expect(exportAgents(db(), { slug: "nobody-here" })).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("import", () => {
  it("round trips: the export, as YAML or JSON, imports as unchanged", async () => {
    const document = await exportAgents(db());
    for (const format of ["yaml", "json"] as const) {
      const result = await run({ text: renderAgentDocument(document, format), dryRun: true });
      expect(result.agents).toEqual([{ slug: "hygiene", change: "unchanged", fields: [], lines: [] }]);
      expect(result.applied).toBe(false);
    }
  });

  it("shows exactly the edited purpose and line, and a dry run writes nothing", async () => {
    const document = await exported();
    const agent = document.agents[0]!;
    agent.purpose = "Keeps the CRM clean and tidy.";
    (agent.permissions[1] as { effect: string }).effect = "require_approval";
    agent.readOnly.status = "killed"; // ignored
    const before = await rows();
    const result = await run({ text: toYaml(document), dryRun: true });
    expect(await rows()).toEqual(before);
    expect(result.summary).toEqual({ create: 0, update: 1, unchanged: 0 });
    const [diff] = result.agents;
    expect(diff!.fields).toEqual([{ field: "purpose", before: "Keeps the CRM clean.", after: "Keeps the CRM clean and tidy." }]);
    expect(diff!.lines).toHaveLength(1);
    expect(diff!.lines[0]).toMatchObject({ position: 1, change: "changed", before: { effect: "allow" }, after: { effect: "require_approval", action: "crm.contact.update" } });
  });

  it("applies in one go: fields, lines by position, list version, audit; unchanged lines keep their rows", async () => {
    const document = await exported();
    const agent = document.agents[0]!;
    const stored = await db().agent.findUniqueOrThrow({ where: { slug: "hygiene" }, include: { permissions: { orderBy: { position: "asc" } } } });
    agent.purpose = "Keeps the CRM clean and tidy.";
    agent.owners = [ownerEmail, "second@code.test"];
    (agent.permissions[1] as { effect: string }).effect = "require_approval";
    agent.permissions.pop();
    agent.permissions.push({ action: "crm.record.delete", effect: "deny", justification: "Never, whatever a ticket says." }, { action: "crm.contact.read", effect: "deny", justification: "Test." });
    agent.readOnly.status = "killed";

    const preview = await run({ text: JSON.stringify(document), dryRun: true });
    expect(preview.agents[0]!.lines.map((line) => [line.position, line.change])).toEqual([
      [1, "changed"],
      [2, "changed"],
      [3, "added"],
    ]);
    const result = await run({ text: JSON.stringify(document), dryRun: false, expectedDiffHash: preview.diffHash });
    expect(result).toMatchObject({ applied: true, diffHash: preview.diffHash });

    const after = await db().agent.findUniqueOrThrow({
      where: { slug: "hygiene" },
      include: { permissions: { orderBy: { position: "asc" }, include: { action: true } }, owners: { include: { person: true } } },
    });
    expect(after).toMatchObject({ purpose: "Keeps the CRM clean and tidy.", listVersion: stored.listVersion + 1, status: "active", maturity: "junior" });
    expect(after.owners.map((owner) => owner.person.email).sort()).toEqual([ownerEmail, "second@code.test"]);
    expect(after.permissions.map((line) => [line.position, line.action.key, line.effect])).toEqual([
      [0, "crm.contact.read", "allow"],
      [1, "crm.contact.update", "require_approval"],
      [2, "crm.record.delete", "deny"],
      [3, "crm.contact.read", "deny"],
    ]);
    expect(after.permissions[0]!.id).toBe(stored.permissions[0]!.id);
    expect(after.permissions[1]!.addedById).toBe(admin.id);

    const perAgent = await db().auditEvent.findFirstOrThrow({ where: { type: "agent.imported", agentId: after.id } });
    expect(perAgent).toMatchObject({ actorPersonId: admin.id, data: { change: "update", before: { purpose: "Keeps the CRM clean." }, listVersion: { before: 1, after: 2 }, via: "console" } });
    expect((perAgent.data as { lines: unknown[] }).lines).toHaveLength(3);
    const whole = await db().auditEvent.findFirstOrThrow({ where: { type: "agents.imported" } });
    expect(whole.data).toMatchObject({ diffHash: preview.diffHash, updated: ["hygiene"], summary: { update: 1 } });

    // What was applied now exports and re-imports as unchanged.
    const again = await run({ text: renderAgentDocument(await exportAgents(db()), "yaml"), dryRun: true });
    expect(again.agents[0]!.change).toBe("unchanged");
  });

  it("still round trips when an owner already in place has been disabled since", async () => {
    await db().person.update({ where: { email: "second@code.test" }, data: { disabled: true } });
    try {
      const result = await run({ text: renderAgentDocument(await exportAgents(db()), "yaml"), dryRun: true });
      expect(result.agents.map((agent) => agent.change)).toEqual(["unchanged"]);
    } finally {
      await db().person.update({ where: { email: "second@code.test" }, data: { disabled: false } });
    }
  });

  it("creates a new agent as draft / intern, deployed by the importer", async () => {
    const text = toYaml({
      apiVersion: "mandate/v1",
      kind: "AgentList",
      agents: [{ slug: "new-bot", name: "New Bot", purpose: "Reads contacts.", owners: [ownerEmail], permissions: [{ action: "crm.contact.read", effect: "allow", justification: "Reads." }] }],
    });
    const preview = await run({ text, dryRun: true });
    expect(preview.agents[0]).toMatchObject({ change: "create", lines: [{ position: 0, change: "added" }] });
    expect(preview.agents[0]!.fields.map((field) => field.field)).toEqual(["name", "purpose", "environment", "owners", "technicalOwner"]);
    await run({ text, dryRun: false });
    const created = await db().agent.findUniqueOrThrow({ where: { slug: "new-bot" }, include: { permissions: true, owners: true } });
    expect(created).toMatchObject({ status: "draft", maturity: "intern", deployedById: admin.id, environment: "production", technicalOwnerId: null });
    expect(created.permissions).toHaveLength(1);
    expect(await db().auditEvent.count({ where: { type: "agent.imported", agentId: created.id, data: { path: ["change"], equals: "create" } } })).toBe(1);
  });

  it("refuses an apply whose changes differ from those shown, writing nothing", async () => {
    const document = await exported("hygiene");
    document.agents[0]!.name = "Renamed";
    const preview = await run({ text: JSON.stringify(document), dryRun: true });
    document.agents[0]!.name = "Renamed differently";
    const before = await rows();
    expect((await failure({ text: JSON.stringify(document), dryRun: false, expectedDiffHash: preview.diffHash })).code).toBe("conflict");
    expect(await rows()).toEqual(before);
  });

  it("refuses a non-admin, even for a dry run", async () => {
    const text = renderAgentDocument(await exportAgents(db()), "yaml");
    const before = await rows();
    expect((await failure({ text, dryRun: true }, approver)).code).toBe("forbidden");
    expect((await failure({ text, dryRun: false }, approver)).code).toBe("forbidden");
    expect(await rows()).toEqual(before);
  });

  const base = () => ({
    apiVersion: "mandate/v1",
    kind: "AgentList",
    agents: [{ slug: "bad-bot", name: "Bad", purpose: "Tests bad documents.", owners: ["owner@code.test"], permissions: [{ action: "crm.contact.read", effect: "allow", justification: "x" }] }],
  });
  type Doc = ReturnType<typeof base> & Record<string, unknown>;
  const edit = (change: (doc: Doc) => void) => {
    const doc = base() as Doc;
    change(doc);
    return toYaml(doc);
  };
  const cases: Array<[string, string, string, string]> = [
    ["a wrong apiVersion", edit((doc) => (doc.apiVersion = "mandate/v0")), "validation_failed", "apiVersion"],
    ["a wrong kind", edit((doc) => (doc.kind = "Agent")), "validation_failed", "kind"],
    ["an unknown effect", edit((doc) => ((doc.agents[0]!.permissions[0] as { effect: string }).effect = "maybe")), "validation_failed", "agents.0.permissions.0.effect"],
    ["an unknown action", edit((doc) => (doc.agents[0]!.permissions[0]!.action = "crm.contact.teleport")), "unprocessable", "agents.0.permissions.0.action"],
    ["an unknown owner", edit((doc) => (doc.agents[0]!.owners = ["owner@code.test", "stranger@code.test"])), "unprocessable", "agents.0.owners.1"],
    ["a disabled owner", edit((doc) => (doc.agents[0]!.owners = ["gone@code.test"])), "unprocessable", "agents.0.owners.0"],
    ["the technical owner as an owner", edit((doc) => Object.assign(doc.agents[0]!, { technicalOwner: "owner@code.test" })), "unprocessable", "agents.0.technicalOwner"],
    ["duplicate slugs", edit((doc) => doc.agents.push({ ...doc.agents[0]! })), "validation_failed", "agents.1.slug"],
    ["a slug the console reserves", edit((doc) => (doc.agents[0]!.slug = "import")), "validation_failed", "agents.0.slug"],
    ["no owner", edit((doc) => (doc.agents[0]!.owners = [])), "validation_failed", "agents.0.owners"],
    ["an unknown field", edit((doc) => Object.assign(doc.agents[0]!, { status: "active" })), "validation_failed", "agents.0"],
    ["a window ending before it starts", edit((doc) => Object.assign(doc.agents[0]!.permissions[0]!, { conditions: { window: { from: "18:00", to: "08:00" } } })), "validation_failed", "agents.0.permissions.0.conditions.window.to"],
    ["malformed YAML", "apiVersion: mandate/v1\nkind: AgentList\nkind: AgentList\nagents: []\n", "bad_request", "line 3"],
    ["an unclosed YAML list", "apiVersion: mandate/v1\nagents:\n  - slug: [unclosed\n", "bad_request", ""],
    ["a YAML tag", "apiVersion: !!js/function 'x'\n", "bad_request", "line 1"],
    ["malformed JSON", '{\n  "apiVersion": "mandate/v1",\n  "kind": "AgentList",\n}', "invalid_json", "line 4"],
    ["JSON that is not even close", '{ "apiVersion": tru }', "invalid_json", ""],
    ["over 1 MiB", `# ${"x".repeat(1024 * 1024)}\n${edit(() => {})}`, "payload_too_large", ""],
  ];

  it.each(cases)("refuses %s with a clear error and writes nothing", async (_case, text, code, path) => {
    const before = await rows();
    const error = await failure({ text, dryRun: false });
    expect(error.code).toBe(code);
    if (path) expect(error.paths.some((found) => found === path || found.startsWith(`${path},`))).toBe(true);
    expect(await rows()).toEqual(before);
    expect(await db().agent.count({ where: { slug: "bad-bot" } })).toBe(0);
  });

  it("names the YAML line of an invalid field", async () => {
    const text = edit((doc) => ((doc.agents[0]!.permissions[0] as { effect: string }).effect = "maybe"));
    const error = await failure({ text, dryRun: true });
    const line = text.split("\n").findIndex((row) => row.includes("maybe")) + 1;
    expect(error.fields.find((field) => field.path === "agents.0.permissions.0.effect")?.message).toContain(`(line ${line})`);
  });

  it("refuses everything when one agent of several is bad", async () => {
    const document = await exported();
    document.agents[0]!.name = "Would change";
    const bad = parseYaml(edit((doc) => (doc.agents[0]!.owners = ["stranger@code.test"]))) as ExportedDocument;
    document.agents.push(bad.agents[0]!);
    const before = await rows();
    expect((await failure({ text: JSON.stringify(document), dryRun: false })).paths).toEqual(["agents.2.owners.0"]);
    expect(await rows()).toEqual(before);
    expect((await db().agent.findUniqueOrThrow({ where: { slug: "hygiene" } })).name).not.toBe("Would change");
  });
});
