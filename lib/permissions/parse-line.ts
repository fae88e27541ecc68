// Validates one written-list line as a person wrote it (form, import, CLI), with errors that name
// the field: a parameter limit that matches none of { min, max } | { oneOf } | { domains } is
// reported by the shape it resembles rather than zod's bare "Invalid input".
import { z } from "zod";
import { AppError, type InvalidField } from "@/lib/http/errors";
import { permissionLineSchema, type PermissionLine } from "@/lib/permissions/line-schema";

type Issue = z.core.$ZodIssue;

function join(path: ReadonlyArray<PropertyKey>): string {
  return path.map(String).join(".") || "(root)";
}

/** The branch of a failed union the input most resembles: no unknown keys, then fewest issues. */
function closestBranch(branches: readonly Issue[][]): Issue[] | null {
  const strays = (issues: Issue[]) => issues.filter((issue) => issue.path.length === 0 && (issue.code === "unrecognized_keys" || issue.code === "invalid_type")).length;
  const ranked = [...branches].sort((a, b) => strays(a) - strays(b) || a.length - b.length);
  const best = ranked[0];
  return best && strays(best) === 0 ? best : null;
}

export function lineFieldErrors(issues: readonly Issue[], prefix: ReadonlyArray<PropertyKey> = []): InvalidField[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === "invalid_union") {
      const branch = closestBranch(issue.errors);
      if (branch) return lineFieldErrors(branch, path);
      return [{ path: join(path), message: "Give a number range { min, max }, a list { oneOf } or allowed { domains }" }];
    }
    return [{ path: join(path), message: issue.message }];
  });
}

/** The parsed line, or a 400 naming each invalid field. */
export function parseLine(raw: unknown): PermissionLine {
  const parsed = permissionLineSchema.safeParse(raw);
  if (!parsed.success) throw new AppError("validation_failed", "Some fields need attention.", lineFieldErrors(parsed.error.issues));
  const line = withoutEmptyConditions(parsed.data);
  // The engine denies on a deny line whatever its conditions (a conditional "never" could be
  // dodged by leaving a parameter out), so conditions there would only mislead a reviewer.
  if (line.effect === "deny" && line.conditions && Object.keys(line.conditions).length > 0) {
    throw new AppError("validation_failed", "Some fields need attention.", [
      { path: "conditions", message: "A deny line always denies; remove its conditions or choose another effect" },
    ]);
  }
  return line;
}

/** `{}` and `params: {}` say nothing; storing them would show "conditions" where there are none. */
function withoutEmptyConditions(line: PermissionLine): PermissionLine {
  const { conditions, ...rest } = line;
  if (!conditions) return rest;
  const { params, ...others } = conditions;
  const kept = params && Object.keys(params).length > 0 ? { ...others, params } : others;
  return Object.keys(kept).length > 0 ? { ...rest, conditions: kept } : rest;
}
