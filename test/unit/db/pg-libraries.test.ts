import { existsSync, mkdirSync, mkdtempSync, readlinkSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { pgBinariesDir, restorePgSymlinks } from "@/lib/db/pg-libraries";

const made: string[] = [];
afterEach(() => made.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A package folder with two libraries and the list of their links. */
function fakePackage(links: unknown): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "mandate-pg-libs-"));
  made.push(dir);
  mkdirSync(path.join(dir, "native", "lib"), { recursive: true });
  writeFileSync(path.join(dir, "native", "lib", "libicuuc.so.60.2"), "icu");
  writeFileSync(path.join(dir, "native", "lib", "libpq.so.5.17"), "pq");
  writeFileSync(path.join(dir, "native", "pg-symlinks.json"), JSON.stringify(links));
  return dir;
}

describe("restorePgSymlinks", () => {
  it("makes the missing links, relative, so each library loads by its short names; a second run makes none", () => {
    const dir = fakePackage([
      { source: "native/lib/libicuuc.so.60.2", target: "native/lib/libicuuc.so.60" },
      { source: "native/lib/libicuuc.so.60.2", target: "native/lib/libicuuc.so" },
      { source: "native/lib/libpq.so.5.17", target: "native/lib/libpq.so.5" },
    ]);
    expect(restorePgSymlinks(dir)).toBe(3);
    expect(readlinkSync(path.join(dir, "native", "lib", "libicuuc.so.60"))).toBe("libicuuc.so.60.2");
    expect(readFileSync(path.join(dir, "native", "lib", "libicuuc.so"), "utf8")).toBe("icu");
    expect(readFileSync(path.join(dir, "native", "lib", "libpq.so.5"), "utf8")).toBe("pq");
    expect(restorePgSymlinks(dir)).toBe(0);
  });

  it("leaves what exists, skips links to missing files, and never writes outside the package", () => {
    const dir = fakePackage([
      { source: "native/lib/libpq.so.5.17", target: "native/lib/libpq.so.5" },
      { source: "native/lib/gone.so.1.0", target: "native/lib/gone.so.1" },
      { source: "native/lib/libpq.so.5.17", target: "../escaped.so" },
      { source: "/etc/passwd", target: "native/lib/passwd" },
      { nonsense: true },
    ]);
    writeFileSync(path.join(dir, "native", "lib", "libpq.so.5"), "a file already there");
    expect(restorePgSymlinks(dir)).toBe(0);
    expect(readFileSync(path.join(dir, "native", "lib", "libpq.so.5"), "utf8")).toBe("a file already there");
    expect(existsSync(path.join(dir, "native", "lib", "gone.so.1"))).toBe(false);
    expect(existsSync(path.join(dir, "..", "escaped.so"))).toBe(false);
    expect(existsSync(path.join(dir, "native", "lib", "passwd"))).toBe(false);
  });

  it("does nothing without a list, or with one that is not a list", () => {
    const dir = fakePackage({ not: "a list" });
    expect(restorePgSymlinks(dir)).toBe(0);
    rmSync(path.join(dir, "native", "pg-symlinks.json"));
    expect(restorePgSymlinks(dir)).toBe(0);
  });
});

describe("pgBinariesDir", () => {
  it("finds this platform's binaries package, whose list names the ICU library initdb needs", () => {
    const dir = pgBinariesDir();
    expect(dir).not.toBeNull();
    expect(readFileSync(path.join(dir!, "native", "pg-symlinks.json"), "utf8")).toContain("libicuuc.so");
  });
});
