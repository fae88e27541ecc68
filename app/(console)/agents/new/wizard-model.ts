// The register wizard's state and its checks per step. The browser checks each step with the
// same zod rules the server uses (lib/agents/agent-schema, lib/permissions/conditions) so
// mistakes show where they are made; the server checks everything again on submit.
import { agentIdentitySchema, agentOwnersShape, suggestSlug, TECHNICAL_OWNER_DIFFERS, technicalOwnerDiffers } from "@/lib/agents/agent-schema";
import { conditionsSchema } from "@/lib/permissions/conditions";
import { z } from "zod";

export type Effect = "allow" | "require_approval" | "deny";

export interface DraftLine {
  /** Client-only key for React lists. */
  key: string;
  action: string;
  effect: Effect;
  justification: string;
  resource: string;
}

export interface WizardState {
  name: string;
  slug: string;
  /** Once the person types a slug, the name stops rewriting it. */
  slugEdited: boolean;
  purpose: string;
  environment: string;
  deployedById: string;
  ownerIds: string[];
  technicalOwnerId: string;
  lines: DraftLine[];
}

export type Errors = Record<string, string>;

export const STEPS = [
  { key: "identity", title: "Identity" },
  { key: "people", title: "People" },
  { key: "list", title: "Written list" },
  { key: "review", title: "Review" },
] as const;

export function initialState(deployedById: string): WizardState {
  return { name: "", slug: "", slugEdited: false, purpose: "", environment: "production", deployedById, ownerIds: [], technicalOwnerId: "", lines: [] };
}

export function withName(state: WizardState, name: string): WizardState {
  return { ...state, name, slug: state.slugEdited ? state.slug : suggestSlug(name) };
}

function issues(result: { success: boolean; error?: z.ZodError }, prefix = ""): Errors {
  if (result.success || !result.error) return {};
  const errors: Errors = {};
  for (const issue of result.error.issues) {
    const path = `${prefix}${issue.path.map(String).join(".")}`;
    errors[path] ??= issue.message;
  }
  return errors;
}

const peopleSchema = z.object({ deployedById: z.uuid("Pick who deployed it."), ...agentOwnersShape }).refine(technicalOwnerDiffers, TECHNICAL_OWNER_DIFFERS);

export function checkStep(step: number, state: WizardState): Errors {
  if (step === 0) {
    return issues(agentIdentitySchema.safeParse({ name: state.name, slug: state.slug, purpose: state.purpose, environment: state.environment }));
  }
  if (step === 1) {
    return issues(peopleSchema.safeParse({ deployedById: state.deployedById, ownerIds: state.ownerIds, technicalOwnerId: state.technicalOwnerId || null }));
  }
  return {};
}

const justificationSchema = z.string().trim().min(1, "Say why the agent needs this.").max(2000, "Keep the justification under 2,000 characters.");

/** Checks one line before it joins the list; errors are keyed by the new-line form's fields. */
export function checkLine(line: Omit<DraftLine, "key">): Errors {
  const errors: Errors = {};
  if (!line.action) errors.action = "Pick an action from the catalog.";
  const justification = justificationSchema.safeParse(line.justification);
  if (!justification.success) errors.justification = justification.error.issues[0]?.message ?? "Check the justification.";
  if (line.resource.trim()) {
    const conditions = conditionsSchema.safeParse({ resource: line.resource.trim() });
    if (!conditions.success) errors.resource = conditions.error.issues[0]?.message ?? "Check the resource pattern.";
  }
  return errors;
}

/** What the server action receives: the register use case's input, nothing more. */
export function payload(state: WizardState) {
  return {
    name: state.name,
    slug: state.slug,
    purpose: state.purpose,
    environment: state.environment,
    deployedById: state.deployedById,
    ownerIds: state.ownerIds,
    technicalOwnerId: state.technicalOwnerId || null,
    lines: state.lines.map((line) => ({
      action: line.action,
      effect: line.effect,
      justification: line.justification,
      ...(line.resource.trim() ? { conditions: { resource: line.resource.trim() } } : {}),
    })),
  };
}

const PEOPLE_FIELDS = ["deployedById", "ownerIds", "technicalOwnerId"];

/** The step a server-side error belongs to, so the wizard can go back to it. */
export function stepOf(path: string): number {
  if (path.startsWith("lines")) return 2;
  if (PEOPLE_FIELDS.some((field) => path === field || path.startsWith(`${field}.`))) return 1;
  return 0;
}

export const EFFECTS: ReadonlyArray<{ value: Effect; label: string; hint: string }> = [
  { value: "allow", label: "Allow", hint: "It may do this on its own (within its maturity)." },
  { value: "require_approval", label: "Needs approval", hint: "A person approves each request first." },
  { value: "deny", label: "Never", hint: "Refused, whatever its instructions say." },
];
