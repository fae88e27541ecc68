// The key and agents-as-code CLI commands run as operators run them: child processes with
// DATABASE_URL set, acting as a named person whose rights are checked like a click.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { verifyAgentKey } from "@/lib/credentials/verify-agent-key";
import { db } from "@/lib/db/client";

const root = path.resolve(import.meta.dirname, "..", "..");
const tsx = path.join(root, "node_modules", ".bin", "tsx");
// Each run starts tsx afresh (a few seconds on a busy 2-core machine); some tests run four.
const SLOW = { timeout: 120_000 };
const scratch = mkdtempSync(path.join(tmpdir(), "mandate-cli-keys-"));

function mandate(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, ["--tsconfig", "tsconfig.node.json", "scripts/mandate.ts", ...args], { cwd: root, env: process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const rows = () => Promise.all([db().credential.count(), db().credential.count({ where: { revokedAt: null } }), db().agent.count(), db().permission.count(), db().auditEvent.count()]);

beforeAll(async () => {
  await db().person.createMany({
    data: [
      { email: "cli.admin@example.com", name: "CLI Admin", roles: ["admin"] },
      { email: "cli.owner@example.com", name: "CLI Owner" },
      { email: "cli.approver@example.com", name: "CLI Approver", roles: ["approver"] },
      { email: "cli.disabled@example.com", name: "CLI Disabled", roles: ["admin"], disabled: true },
    ],
  });
  const owner = await db().person.findUniqueOrThrow({ where: { email: "cli.owner@example.com" } });
  const admin = await db().person.findUniqueOrThrow({ where: { email: "cli.admin@example.com" } });
  const system = await db().system.create({ data: { key: "tickets", name: "Tickets" } });
  const read = await db().action.create({ data: { key: "tickets.ticket.read", name: "Read", category: "read", risk: "low", systemId: system.id } });
  await db().agent.create({
    data: {
      slug: "cli-agent",
      name: "CLI Agent",
      purpose: "Reads tickets.",
      status: "active",
      deployedById: admin.id,
      owners: { create: [{ personId: owner.id }] },
      permissions: { create: [{ actionId: read.id, effect: "allow", justification: "Reads tickets." }] },
    },
  });
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("mandate key", () => {
  it("key create --json prints one object whose key verifies; key revoke makes it fail", SLOW, async () => {
    const created = await mandate(["key", "create", "--agent", "cli-agent", "--label", "ci", "--as", "cli.owner@example.com", "--json"]);
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);
    const output = JSON.parse(created.stdout) as { id: string; prefix: string; key: string };
    expect(Object.keys(output).sort()).toEqual(["id", "key", "prefix"]);
    expect(await verifyAgentKey(output.key)).toMatchObject({ credentialId: output.id });
    const event = await db().auditEvent.findFirstOrThrow({ where: { type: "credential.created", subjectId: output.id } });
    expect(event).toMatchObject({ actorType: "person", data: { via: "cli", label: "ci" } });

    const revoked = await mandate(["key", "revoke", "--prefix", output.prefix, "--agent", "cli-agent", "--as", "cli.owner@example.com", "--reason", "rotated", "--json"]);
    expect(revoked.code).toBe(0);
    expect(JSON.parse(revoked.stdout)).toEqual({ agent: "cli-agent", revoked: [output.prefix] });
    expect(await verifyAgentKey(output.key)).toBeNull();
    expect(await db().auditEvent.count({ where: { type: "credential.revoked", subjectId: output.id, data: { path: ["via"], equals: "cli" } } })).toBe(1);
  });

  it("key create with an expiry prints the key once in text; key revoke --all revokes every key", SLOW, async () => {
    const expires = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const created = await mandate(["key", "create", "--agent", "cli-agent", "--label", "ops", "--expires", expires, "--as", "cli.admin@example.com"]);
    expect(created.code).toBe(0);
    const key = /mnd_\S+/.exec(created.stdout)?.[0];
    expect(await verifyAgentKey(key)).not.toBeNull();

    const all = await mandate(["key", "revoke", "--all", "--agent", "cli-agent", "--as", "cli.admin@example.com"]);
    expect(all.code).toBe(0);
    expect(all.stdout).toContain("Revoked 1 key(s)");
    expect(await verifyAgentKey(key)).toBeNull();
  });

  it.each([
    ["a person without rights on the agent", ["key", "create", "--agent", "cli-agent", "--label", "x", "--as", "cli.approver@example.com"], 1, "do not have this right"],
    ["an unknown person", ["key", "create", "--agent", "cli-agent", "--label", "x", "--as", "nobody@example.com"], 1, "no enabled person"],
    ["a disabled admin", ["key", "revoke", "--all", "--agent", "cli-agent", "--as", "cli.disabled@example.com"], 1, "no enabled person"],
    ["a missing --as", ["key", "create", "--agent", "cli-agent", "--label", "x"], 2, "needs --as"],
    ["both --prefix and --all", ["key", "revoke", "--all", "--prefix", "abcdefabcdef", "--agent", "cli-agent", "--as", "cli.admin@example.com"], 2, "exactly one of"],
    ["an expiry too far ahead", ["key", "create", "--agent", "cli-agent", "--label", "x", "--expires", "2999-01-01", "--as", "cli.admin@example.com"], 1, "within two years"],
    ["an unknown agent", ["key", "create", "--agent", "no-such-agent", "--label", "x", "--as", "cli.admin@example.com"], 1, "No agent has the slug"],
  ])("refuses %s and writes nothing", SLOW, async (_case, args, code, message) => {
    const before = await rows();
    const run = await mandate(args as string[]);
    expect(run.code).toBe(code);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toContain("    at ");
    expect(run.stdout).not.toMatch(/mnd_/);
    expect(await rows()).toEqual(before);
  });
});

describe("mandate agents export | import", () => {
  it("exports, and an edited export shows its diff on --dry-run --json without writing", SLOW, async () => {
    const file = path.join(scratch, "agents.yaml");
    const exported = await mandate(["agents", "export", "--out", file]);
    expect(exported.code).toBe(0);
    const document = parseYaml(readFileSync(file, "utf8")) as { agents: Array<{ slug: string; purpose: string; permissions: Array<{ effect: string }> }> };
    expect(document.agents.map((agent) => agent.slug)).toEqual(["cli-agent"]);
    document.agents[0]!.purpose = "Reads and triages tickets.";
    document.agents[0]!.permissions[0]!.effect = "require_approval";
    writeFileSync(file, toYaml(document));

    const before = await rows();
    const dry = await mandate(["agents", "import", file, "--dry-run", "--as", "cli.admin@example.com", "--json"]);
    expect(dry.stderr).toBe("");
    expect(dry.code).toBe(0);
    const result = JSON.parse(dry.stdout) as { applied: boolean; agents: Array<{ slug: string; change: string; fields: Array<{ field: string }>; lines: Array<{ position: number; change: string }> }> };
    expect(result.applied).toBe(false);
    expect(result.agents).toHaveLength(1);
    expect(result.agents[0]).toMatchObject({ slug: "cli-agent", change: "update", fields: [{ field: "purpose" }], lines: [{ position: 0, change: "changed" }] });
    expect(await rows()).toEqual(before);

    const refused = await mandate(["agents", "import", file, "--as", "cli.owner@example.com"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("Only administrators");
    expect(await rows()).toEqual(before);

    const applied = await mandate(["agents", "import", file, "--as", "cli.admin@example.com"]);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain(`purpose: "Reads tickets." → "Reads and triages tickets."`);
    expect(applied.stdout).toContain("Applied: 0 created, 1 updated");
    expect((await db().agent.findUniqueOrThrow({ where: { slug: "cli-agent" } })).purpose).toBe("Reads and triages tickets.");
    expect(await db().auditEvent.count({ where: { type: "agent.imported", data: { path: ["via"], equals: "cli" } } })).toBe(1);
  });

  it("exports JSON to stdout and refuses a file that is not there", SLOW, async () => {
    const json = await mandate(["agents", "export", "--format", "json", "--slug", "cli-agent"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ apiVersion: "mandate/v1", kind: "AgentList", agents: [{ slug: "cli-agent" }] });
    const missing = await mandate(["agents", "import", path.join(scratch, "absent.yaml"), "--as", "cli.admin@example.com"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("Cannot read");
  });
});
