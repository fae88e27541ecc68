// Whether a request keeps to one line's conditions (resource glob, parameter limits, time
// window). Answers the first reason it does not, in words a reviewer can check, or null.
import type { Conditions } from "@/lib/permissions/conditions";
import { globMatches, isCanonicalResource } from "@/lib/permissions/glob";
import { paramFailure } from "@/lib/permissions/params";
import type { EngineRequest } from "@/lib/permissions/types";
import { windowFailure } from "@/lib/permissions/window";

export function conditionsFailure(conditions: Conditions | null, request: EngineRequest, now: Date): string | null {
  if (!conditions) return null;
  if (conditions.resource !== undefined) {
    const resource = request.resource;
    if (resource === undefined || resource === null || resource === "") return `no resource was given for the pattern "${conditions.resource}"`;
    if (!isCanonicalResource(resource)) return `the resource "${clip(resource)}" is not a plain path`;
    if (!globMatches(conditions.resource, resource)) return `the resource "${clip(resource)}" does not match "${conditions.resource}"`;
  }
  for (const [name, limit] of Object.entries(conditions.params ?? {})) {
    const failure = paramFailure(name, limit, request.params);
    if (failure) return failure;
  }
  return conditions.window ? windowFailure(conditions.window, now) : null;
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
