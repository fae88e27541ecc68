import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "@/lib/config/env";
import { ensureSessionSecret } from "@/lib/auth/secret";

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "mandate-secret-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("ensureSessionSecret", () => {
  it("creates the data folder and a 0600 secret file once, then reuses it", () => {
    const dataDir = join(root, "nested", "data");
    const first = ensureSessionSecret(dataDir, {});
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const file = join(dataDir, "session-secret");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8").trim()).toBe(first);
    expect(ensureSessionSecret(dataDir, {})).toBe(first);
  });

  it("gives each installation its own secret", () => {
    expect(ensureSessionSecret(join(root, "a"), {})).not.toBe(ensureSessionSecret(join(root, "b"), {}));
  });

  it("lets NEXTAUTH_SECRET win and then writes no file", () => {
    const secret = "x".repeat(40);
    expect(ensureSessionSecret(root, { NEXTAUTH_SECRET: secret })).toBe(secret);
    expect(() => statSync(join(root, "session-secret"))).toThrow();
  });

  it.each([["short", "too-short"], ["empty", ""], ["31 characters", "y".repeat(31)]])("refuses a %s NEXTAUTH_SECRET in one line", (_label, value) => {
    const call = () => ensureSessionSecret(root, { NEXTAUTH_SECRET: value });
    expect(call).toThrow(ConfigError);
    expect(call).toThrow(/^NEXTAUTH_SECRET must be at least 32 characters[^\n]*$/);
  });

  it("refuses a damaged secret file instead of silently replacing it", () => {
    writeFileSync(join(root, "session-secret"), "short\n");
    expect(() => ensureSessionSecret(root, {})).toThrow(ConfigError);
  });
});
