// The "try an action" form: a hypothetical request as a person types it. Params arrive as JSON
// text and must be a JSON object of at most 16 KiB nested at most 8 deep; the time is optional
// (now when empty) and a time without a zone is read as UTC, as the console shows times.
import { z } from "zod";

export const MAX_PARAMS_BYTES = 16 * 1024;
export const MAX_PARAMS_DEPTH = 8;

function depthOf(value: unknown): number {
  if (value === null || typeof value !== "object") return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + children.reduce<number>((deepest, child) => Math.max(deepest, depthOf(child)), 0);
}

/** Date would roll 2030-02-31 over into March; a person meant a day that does not exist. */
function isCalendarDate(ymd: string): boolean {
  const [year, month, day] = ymd.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const emptyToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

const paramsSchema = z.preprocess(
  emptyToUndefined,
  z
    .union([z.string(), z.record(z.string(), z.unknown())], { error: "Give the parameters as a JSON object" })
    .transform((raw, context) => {
      const text = typeof raw === "string" ? raw : JSON.stringify(raw);
      if (Buffer.byteLength(text, "utf8") > MAX_PARAMS_BYTES) {
        context.addIssue({ code: "custom", message: `Keep the parameters under ${MAX_PARAMS_BYTES / 1024} KiB` });
        return z.NEVER;
      }
      let value: unknown;
      try {
        value = typeof raw === "string" ? JSON.parse(raw) : raw;
      } catch {
        context.addIssue({ code: "custom", message: 'This is not valid JSON; write an object like {"amount": 120}' });
        return z.NEVER;
      }
      if (value === null || typeof value !== "object" || Array.isArray(value)) {
        context.addIssue({ code: "custom", message: 'Give a JSON object like {"amount": 120}, not a list or a single value' });
        return z.NEVER;
      }
      if (depthOf(value) > MAX_PARAMS_DEPTH) {
        context.addIssue({ code: "custom", message: `Nest the parameters at most ${MAX_PARAMS_DEPTH} levels deep` });
        return z.NEVER;
      }
      return value as Record<string, unknown>;
    })
    .optional(),
);

const atSchema = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/, "Give a date and time like 2026-11-25T10:00")
    .transform((text, context) => {
      const date = new Date(/(Z|[+-]\d{2}:\d{2})$/.test(text) ? text : `${text}Z`);
      if (Number.isNaN(date.getTime()) || !isCalendarDate(text.slice(0, 10))) {
        context.addIssue({ code: "custom", message: "This date does not exist" });
        return z.NEVER;
      }
      return date;
    })
    .optional(),
);

export const tryInputSchema = z.strictObject({
  agentId: z.uuid("No such agent."),
  action: z.string({ error: "Name an action" }).trim().min(1, "Name an action").max(200, "Keep the action under 200 characters"),
  resource: z.preprocess(emptyToUndefined, z.string().trim().max(2048, "Keep the resource under 2,048 characters").optional()),
  params: paramsSchema,
  at: atSchema,
});

export type TryInput = z.output<typeof tryInputSchema>;
