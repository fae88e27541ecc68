// What a system and an action of the catalog may look like. Keys are the names agents use in
// code and lists (crm, crm.contact.read), so they are fixed once created: renaming one would
// silently break every agent and written list that names it.
import { z } from "zod";
import { ActionCategory, RiskLevel } from "@/lib/generated/prisma/enums";

export const SYSTEM_KEY_PATTERN = /^[a-z][a-z0-9_]{1,39}$/;
export const ACTION_KEY_PATTERN = /^[a-z0-9_]+(\.[a-z0-9_]+)+$/;

export const ACTION_CATEGORIES = Object.values(ActionCategory);
export const RISK_LEVELS = Object.values(RiskLevel);

export const systemKeySchema = z
  .string({ error: "Enter a key." })
  .trim()
  .regex(SYSTEM_KEY_PATTERN, "Use 2–40 lower-case letters, digits or _, starting with a letter, like crm.");

export const actionKeySchema = z
  .string({ error: "Enter a key." })
  .trim()
  .max(120, "Use at most 120 characters.")
  .regex(ACTION_KEY_PATTERN, "Use dotted lower-case parts like crm.contact.read.");

const name = z.string({ error: "Enter a name." }).trim().min(1, "Enter a name.").max(200, "Use at most 200 characters.");
const description = z.string().trim().max(2000, "Use at most 2,000 characters.").default("");
const category = z.enum(ActionCategory, { error: `Pick a category: ${ACTION_CATEGORIES.join(", ")}.` });
const risk = z.enum(RiskLevel, { error: `Pick a risk level: ${RISK_LEVELS.join(", ")}.` });

export const systemSchema = z.strictObject({ key: systemKeySchema, name, description });

export const actionSchema = z
  .strictObject({ systemKey: systemKeySchema, key: actionKeySchema, name, description, category, risk })
  .refine((action) => action.key.startsWith(`${action.systemKey}.`), {
    path: ["key"],
    error: (issue) => {
      const input = issue.input as { systemKey?: string } | undefined;
      return `An action's key starts with its system's key, like ${input?.systemKey ?? "crm"}.something.`;
    },
  });

/** An update names the action by its (fixed) key and replaces everything else. */
export const actionUpdateSchema = z.strictObject({ key: actionKeySchema, name, description, category, risk });

export const systemRefSchema = z.strictObject({ key: systemKeySchema });
export const actionRefSchema = z.strictObject({ key: actionKeySchema });

export type SystemInput = z.input<typeof systemSchema>;
export type ActionInput = z.input<typeof actionSchema>;
export type ActionUpdateInput = z.input<typeof actionUpdateSchema>;
