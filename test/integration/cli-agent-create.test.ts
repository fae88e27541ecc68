// `npm run mandate -- agent create` run as CI would: a child process with DATABASE_URL set.
import { spawn } from "node:child_process";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseAgentKey, secretMatches } from "@/lib/credentials/key-format";
import { db } from "@/lib/db/client";

const root = path.resolve(import.meta.dirname, "..", "..");
const tsx = path.join(root, "node_modules", ".bin", "tsx");

function mandate(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, ["--tsconfig", "tsconfig.node.json", "scripts/mandate.ts", ...args], {
      cwd: root,
      env: { ...process.env },
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

const footprint = () => Promise.all([db().agent.count(), db().agentOwner.count(), db().credential.count(), db().auditEvent.count()]);

const args = (slug: string, as: string, extra: string[] = []) => [
  "agent", "create",
  "--slug", slug,
  "--name", "Release Notes Writer",
  "--purpose", "Drafts release notes from merged pull requests.",
  "--owner", "Owner@cli.test",
  "--technical-owner", "tech@cli.test",
  "--environment", "staging",
  "--as", as,
  ...extra,
];

let adminId: string;

beforeAll(async () => {
  adminId = (await db().person.create({ data: { email: "admin@cli.test", name: "CLI Admin", roles: ["admin"] } })).id;
  await db().person.create({ data: { email: "owner@cli.test", name: "Owner" } });
  await db().person.create({ data: { email: "tech@cli.test", name: "Tech" } });
  await db().person.create({ data: { email: "approver@cli.test", name: "Approver", roles: ["approver", "auditor"] } });
  await db().person.create({ data: { email: "former@cli.test", name: "Former Admin", roles: ["admin"], disabled: true } });
});

describe("mandate agent create", () => {
  it("with --json prints exactly { id, slug, key }; the key verifies against the stored hash; audited via the CLI", async () => {
    const run = await mandate(args("release-notes", "admin@cli.test", ["--json"]));
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout) as Record<string, string>;
    expect(Object.keys(printed).sort()).toEqual(["id", "key", "slug"]);
    expect(run.stdout.trim().split("\n")).toHaveLength(1);
    expect(printed.slug).toBe("release-notes");

    const agent = await db().agent.findUniqueOrThrow({ where: { id: printed.id }, include: { owners: { include: { person: true } }, technicalOwner: true } });
    expect(agent).toMatchObject({ slug: "release-notes", status: "draft", maturity: "intern", environment: "staging", deployedById: adminId });
    expect(agent.owners.map((owner) => owner.person.email)).toEqual(["owner@cli.test"]);
    expect(agent.technicalOwner?.email).toBe("tech@cli.test");

    const parsed = parseAgentKey(printed.key);
    expect(parsed).not.toBeNull();
    const credential = await db().credential.findUniqueOrThrow({ where: { prefix: parsed!.prefix }, omit: { secretHash: false } });
    expect(credential).toMatchObject({ agentId: printed.id, createdById: adminId, revokedAt: null });
    expect(secretMatches(parsed!.secret, credential.secretHash)).toBe(true);

    const events = await db().auditEvent.findMany({ where: { agentId: printed.id }, orderBy: { id: "asc" } });
    expect(events.map((event) => event.type)).toEqual(["agent.registered", "credential.created"]);
    for (const event of events) expect(event).toMatchObject({ actorType: "person", actorPersonId: adminId, data: expect.objectContaining({ via: "cli" }) });
    expect(JSON.stringify(events.map((event) => event.data))).not.toContain(parsed!.secret);
  });

  it("without --json says what it did and prints the key once", async () => {
    const run = await mandate(args("release-notes-2", "admin@cli.test"));
    expect(run.code).toBe(0);
    const keys = run.stdout.split("\n").filter((line) => parseAgentKey(line.trim()) !== null);
    expect(keys).toHaveLength(1);
    expect(run.stdout).toContain("release-notes-2");
  });

  it.each([
    ["a person without the admin role", "approver@cli.test", "You do not have access"],
    ["a disabled admin", "former@cli.test", "no enabled person"],
    ["an unknown person", "nobody@cli.test", "no enabled person"],
  ])("--as %s: refused, exit 1, nothing written", async (_label, as, message) => {
    const before = await footprint();
    const run = await mandate(args(`refused-${as.split("@")[0]}`, as, ["--json"]));
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toContain("    at ");
    expect(await footprint()).toEqual(before);
  });

  it("refuses an unknown owner with exit 1, naming it, and writes nothing", async () => {
    const before = await footprint();
    const run = await mandate([...args("orphan", "admin@cli.test"), "--owner", "ghost@cli.test"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("ghost@cli.test");
    expect(await footprint()).toEqual(before);
  });

  it("refuses a taken slug with exit 1 and writes nothing", async () => {
    const before = await footprint();
    const run = await mandate(args("release-notes", "admin@cli.test"));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("already exists");
    expect(await footprint()).toEqual(before);
  });

  it("answers missing flags with the usage and exit 2, before touching the database", async () => {
    const before = await footprint();
    const run = await mandate(["agent", "create", "--slug", "half", "--as", "admin@cli.test"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--name, --purpose, --owner");
    expect(run.stderr).toContain("Usage: npm run mandate -- agent create");
    expect(await footprint()).toEqual(before);
  });
});
