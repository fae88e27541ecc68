// The operator CLI run as operators run it: a child process with DATABASE_URL set.
import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";

const root = path.resolve(import.meta.dirname, "..", "..");
const tsx = path.join(root, "node_modules", ".bin", "tsx");

function mandate(args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, ["--tsconfig", "tsconfig.node.json", "scripts/mandate.ts", ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      // stdin is not a terminal here, so nothing may be prompted for.
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

describe("npm run mandate", () => {
  it("answers an unknown command with the usage and exit code 2", async () => {
    const run = await mandate(["frobnicate"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown command "frobnicate"');
    expect(run.stderr).toContain("Usage: npm run mandate -- <command>");
    expect(run.stderr).toContain("create-admin");
  });

  it("refuses a weak password with the reason and creates nothing", async () => {
    const run = await mandate(["create-admin", "--email", "weak@example.com", "--name", "Weak Admin", "--password", "short"]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("Use at least 12 characters.");
    expect(run.stderr).not.toContain("    at ");
    expect(await db().person.count({ where: { email: "weak@example.com" } })).toBe(0);
  });

  it("asks for the missing values by usage, not by prompt, when stdin is not a terminal", async () => {
    const run = await mandate(["create-admin", "--email", "np@example.com", "--name", "No Prompt"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("needs --password");
    expect(await db().person.count({ where: { email: "np@example.com" } })).toBe(0);
  });

  it("creates an administrator, audited as done through the CLI, and refuses the same e-mail twice", async () => {
    const args = ["create-admin", "--email", "Root.Admin@Example.com", "--name", "Root Admin", "--password", "Granite-Owl-58-river"];
    const run = await mandate(args);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("root.admin@example.com");
    const person = await db().person.findUniqueOrThrow({ where: { email: "root.admin@example.com" } });
    expect(person.roles).toEqual(["admin"]);
    const event = await db().auditEvent.findFirstOrThrow({ where: { type: "person.created", subjectId: person.id } });
    expect(event).toMatchObject({ actorType: "system", data: { via: "cli", roles: ["admin"] } });

    const again = await mandate(args);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already exists");
    expect(await db().person.count({ where: { email: "root.admin@example.com" } })).toBe(1);
  });

  it("reports a malformed DATABASE_URL in one line, without a stack trace", async () => {
    const run = await mandate(["migrate"], { DATABASE_URL: "not-a-url" });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("DATABASE_URL");
    expect(run.stderr).not.toContain("    at ");
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
  });
});
