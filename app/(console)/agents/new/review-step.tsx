"use client";
import type { ReactNode } from "react";
import { EffectBadge } from "@/components/ui/effect-badge";
import type { CatalogSystem, PersonOption } from "./register-wizard";
import type { WizardState } from "./wizard-model";

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[10rem_1fr] gap-3 border-b border-line py-2 last:border-b-0">
      <dt className="text-muted">{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function ReviewStep({ state, people, catalog }: { state: WizardState; people: PersonOption[]; catalog: CatalogSystem[] }) {
  const name = (id: string) => {
    const person = people.find((candidate) => candidate.id === id);
    return person ? `${person.name} (${person.email})` : "unknown person";
  };
  const actionName = new Map(catalog.flatMap((system) => system.actions.map((action) => [action.key, action.name] as const)));
  return (
    <div>
      <p className="mb-3 text-muted">Check everything once more. The agent is registered as a draft intern: it can do nothing until an admin activates it.</p>
      <dl aria-label="Summary">
        <Row label="Name">{state.name.trim()}</Row>
        <Row label="Slug">
          <span className="font-mono">{state.slug.trim()}</span>
        </Row>
        <Row label="Purpose">{state.purpose.trim()}</Row>
        <Row label="Environment">{state.environment.trim()}</Row>
        <Row label="Deployed by">{name(state.deployedById)}</Row>
        <Row label="Business owners">
          <ul>
            {state.ownerIds.map((id) => (
              <li key={id}>{name(id)}</li>
            ))}
          </ul>
        </Row>
        <Row label="Technical owner">{state.technicalOwnerId ? name(state.technicalOwnerId) : <span className="text-muted">none</span>}</Row>
        <Row label="Written list">
          {state.lines.length === 0 ? (
            <span className="text-muted">empty: every action will be denied, and it cannot be activated until lines are added</span>
          ) : (
            <ol className="grid gap-1">
              {state.lines.map((line) => (
                <li key={line.key} className="flex flex-wrap items-baseline gap-2">
                  <span className="font-mono text-xs">{line.action}</span>
                  <span className="text-xs text-muted">{actionName.get(line.action)}</span>
                  <EffectBadge effect={line.effect} />
                  {line.resource ? <span className="font-mono text-xs">on {line.resource}</span> : null}
                  <span className="text-xs text-muted">— {line.justification}</span>
                </li>
              ))}
            </ol>
          )}
        </Row>
      </dl>
    </div>
  );
}
