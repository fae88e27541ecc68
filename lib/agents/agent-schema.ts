// The rules for an agent's identity and people, shared by the use cases, the register wizard (which
// checks each step in the browser before the server checks everything again) and the CLI.
// Plain zod on purpose: no server-only imports, so client components can use it.
import { z } from "zod";

/** Static routes beside /agents/[slug]: an agent with one of these slugs could never be opened. */
export const RESERVED_SLUGS = ["new", "import", "export"] as const;

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$/;

export const agentNameSchema = z.string().trim().min(1, "Enter a name.").max(120, "Use at most 120 characters.");

export const agentSlugSchema = z
  .string()
  .trim()
  .max(64, "Use at most 64 characters.")
  .regex(SLUG_PATTERN, "Use 3–64 lowercase letters, digits and hyphens, starting and ending with a letter or digit.")
  .refine((slug) => !(RESERVED_SLUGS as readonly string[]).includes(slug), "This slug is reserved by the console; pick another.");

export const agentPurposeSchema = z
  .string()
  .trim()
  .min(10, "Say in at least 10 characters what the agent is deployed to do.")
  .max(2000, "Keep the purpose under 2,000 characters.");

export const ENVIRONMENT_SUGGESTIONS = ["production", "staging", "development"] as const;

export const agentEnvironmentSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z][a-z0-9-]{0,31}$/, "Use one lowercase word (letters, digits, hyphens), e.g. production.");

export const agentIdentitySchema = z.object({
  name: agentNameSchema,
  slug: agentSlugSchema,
  purpose: agentPurposeSchema,
  environment: agentEnvironmentSchema.default("production"),
});

const personId = z.uuid("Pick a person from the list.");
export const MAX_OWNERS = 20;

/** Business owners (at least one, no repeats) and an optional technical owner. */
export const agentOwnersShape = {
  ownerIds: z
    .array(personId)
    .min(1, "Name at least one business owner.")
    .max(MAX_OWNERS, `Name at most ${MAX_OWNERS} business owners.`)
    .refine((ids) => new Set(ids).size === ids.length, "Each business owner is named once."),
  technicalOwnerId: personId.nullish().transform((id) => id ?? null),
};

/** Zod 4 refuses to extend a refined object, so schemas add this check last. */
export function technicalOwnerDiffers(people: { ownerIds: readonly string[]; technicalOwnerId: string | null }): boolean {
  return !people.technicalOwnerId || !people.ownerIds.includes(people.technicalOwnerId);
}

export const TECHNICAL_OWNER_DIFFERS = {
  message: "The technical owner must be someone other than the business owners.",
  path: ["technicalOwnerId"],
};

export const agentOwnersSchema = z.object(agentOwnersShape).refine(technicalOwnerDiffers, TECHNICAL_OWNER_DIFFERS);

export const TECHNICAL_OWNER_RULE = "Optional, but recommended: someone other than every business owner.";

/** Suggests a slug from a name: "Support Triage (EU)" → "support-triage-eu". */
export function suggestSlug(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64)
    .replace(/-+$/g, "");
  return base;
}
