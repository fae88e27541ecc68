// FormData → use-case input for the people forms. Checkbox groups arrive as one string or many;
// the use cases validate the values.
import { z } from "zod";

const text = z.string().optional().default("");
const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]));

export const inviteForm = z.object({ email: text, name: text, roles: list, signIn: z.string().optional() });

export const rolesForm = z.object({ personId: text, roles: list });

export const accessForm = z.object({ personId: text, disabled: z.enum(["true", "false"]).transform((value) => value === "true") });

export const personForm = z.object({ personId: text });
