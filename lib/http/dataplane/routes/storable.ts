// Text an agent sends must be storable exactly as sent: PostgreSQL refuses NUL in text and jsonb,
// and an unpaired UTF-16 surrogate cannot be encoded as UTF-8. A value that passes these checks is
// never refused by the database later, so a hostile string is a 400 naming its field, not a 500.
import { z } from "zod";
import { unstorableTextProblem } from "@/lib/http/errors";

export const MAX_STRING_BYTES = 16 * 1024;
/** Issues reported per JSON value at most: a hostile body must not make the answer huge. */
const MAX_JSON_ISSUES = 20;

/** Null when the string may be stored as is; otherwise what is wrong with it. */
export function stringProblem(value: string, maxBytes: number = MAX_STRING_BYTES): string | null {
  // Each UTF-16 unit is at most 3 UTF-8 bytes, so short strings skip the byte count.
  if (value.length * 3 > maxBytes && Buffer.byteLength(value, "utf8") > maxBytes) return `Use at most ${maxBytes / 1024} KiB.`;
  return unstorableTextProblem(value);
}

/** A storable string of at most `maxBytes` UTF-8 bytes; `required` is the message for a blank one. */
export function text(options: { maxBytes?: number; required?: string } = {}) {
  const maxBytes = options.maxBytes ?? MAX_STRING_BYTES;
  return z.string().superRefine((value, ctx) => {
    if (options.required !== undefined && value.trim() === "") ctx.addIssue({ code: "custom", message: options.required });
    const problem = stringProblem(value, maxBytes);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}

/** Adds the storable-string check to a zod string schema that has its own other limits. */
export function storable<S extends z.ZodType<string>>(schema: S) {
  return schema.superRefine((value, ctx) => {
    const problem = stringProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}

export interface JsonIssue {
  path: PropertyKey[];
  message: string;
}

/**
 * Every unstorable string (keys included) in a JSON value, and values nested deeper than
 * `maxDepth` (the top-level object is depth 1). `path` is pushed and popped as it walks and copied
 * only into an issue.
 */
export function checkJson(value: unknown, path: PropertyKey[], depth: number, issues: JsonIssue[], maxDepth: number, tooDeep: string): void {
  if (issues.length >= MAX_JSON_ISSUES) return;
  if (typeof value === "string") {
    const problem = stringProblem(value);
    if (problem) issues.push({ path: [...path], message: problem });
    return;
  }
  if (value === null || typeof value !== "object") return;
  if (depth > maxDepth) {
    issues.push({ path: [...path], message: tooDeep });
    return;
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) {
      path.push(index);
      checkJson(value[index], path, depth + 1, issues, maxDepth, tooDeep);
      path.pop();
    }
    return;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    path.push(key);
    const keyProblem = stringProblem(key);
    if (keyProblem) issues.push({ path: [...path], message: `Key: ${keyProblem}` });
    checkJson((value as Record<string, unknown>)[key], path, depth + 1, issues, maxDepth, tooDeep);
    path.pop();
  }
}
