// The one wrapper for console server actions: authorize, parse the input with zod, run the use
// case, and turn any failure into a form state the page can show. Errors that are not ours
// become a generic message (logged with a request id), never their own text.
import "server-only";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { AppError, fieldsFromZod, problemFor, unstorableFields } from "@/lib/http/errors";
import { requireAction, type CurrentPerson } from "@/lib/auth/guard";
import type { Actor } from "@/lib/audit/record";
import type { Capability } from "@/lib/people/capabilities";

export interface FormState<T = unknown> {
  ok: boolean;
  message?: string;
  /** Field path → message, for inline errors. */
  fieldErrors?: Record<string, string>;
  data?: T;
}

export const initialFormState: FormState = { ok: false };

interface ActionContext<I> {
  input: I;
  person: CurrentPerson;
  actor: Actor & { type: "person" };
}

/**
 * `input` is FormData from a <form action>, or a plain object from a client call. `ownAccount`
 * admits a person who must still choose their own password (only the password action uses it).
 */
export function consoleAction<S extends z.ZodType, T>(
  capability: Capability,
  schema: S,
  handler: (context: ActionContext<z.output<S>>) => Promise<{ message?: string; data?: T } | void>,
  options: { ownAccount?: boolean } = {},
) {
  return async (_previous: FormState<T> | undefined, input: FormData | unknown): Promise<FormState<T>> => {
    try {
      const { person, actor } = await requireAction(capability, options);
      const raw = input instanceof FormData ? formDataToObject(input) : input;
      // Before any schema: text the database cannot store is the sender's mistake, named by field.
      const unstorable = unstorableFields(raw);
      if (unstorable.length > 0) throw new AppError("validation_failed", "Some fields hold characters that cannot be saved.", unstorable);
      const parsed = schema.safeParse(raw);
      if (!parsed.success) throw new AppError("validation_failed", "Some fields need attention.", fieldsFromZod(parsed.error.issues));
      const result = await handler({ input: parsed.data, person, actor });
      return { ok: true, message: result?.message, data: result?.data };
    } catch (error) {
      unstable_rethrow(error);
      return formStateFor<T>(error);
    }
  };
}

export function formStateFor<T>(error: unknown): FormState<T> {
  const problem = problemFor(error);
  if (problem.code === "internal") console.error("server action failed:", error);
  const fieldErrors = problem.errors ? Object.fromEntries(problem.errors.map((field) => [field.path, field.message])) : undefined;
  return { ok: false, message: problem.detail, fieldErrors };
}

/** Repeated names become arrays; empty strings stay (schemas decide what empty means). */
export function formDataToObject(form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) {
    if (key.startsWith("$ACTION")) continue;
    const text = typeof value === "string" ? value : value.name;
    const existing = out[key];
    out[key] = existing === undefined ? text : Array.isArray(existing) ? [...existing, text] : [existing, text];
  }
  return out;
}
