// Operator mistakes end the process with one clear line; only real bugs mention a stack.
import { ConfigError } from "@/lib/config/env";
import { AppError } from "@/lib/http/errors";

export function describeStartupError(error: unknown): string {
  if (error instanceof ConfigError || error instanceof AppError) return `mandate: ${error.message}`;
  if (error instanceof Error && error.name === "MigrationError") return `mandate: ${error.message}`;
  const code = (error as { code?: string } | null)?.code;
  if (code === "EADDRINUSE") return "mandate: the port is already in use; set PORT to another one.";
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "28P01" || code === "3D000") {
    return `mandate: cannot reach the database in DATABASE_URL (${code}).`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `mandate: unexpected error, this is a bug: ${message}`;
}
