"use client";
// The register wizard: four steps held in the browser, checked step by step, submitted once.
// Server-side errors send the person back to the first step that has one.
import { useEffect, useRef, useState, useTransition } from "react";
import type { ActionCategory, RiskLevel } from "@/lib/generated/prisma/enums";
import { Button, FormMessage } from "@/components/ui/form";
import { registerAgentAction } from "./actions";
import { IdentityStep } from "./identity-step";
import { ListStep } from "./list-step";
import { PeopleStep } from "./people-step";
import { ReviewStep } from "./review-step";
import { checkStep, initialState, payload, STEPS, stepOf, type Errors, type WizardState } from "./wizard-model";

export interface PersonOption {
  id: string;
  name: string;
  email: string;
}

export interface CatalogSystem {
  key: string;
  name: string;
  actions: Array<{ key: string; name: string; category: ActionCategory; risk: RiskLevel }>;
}

export interface StepProps {
  state: WizardState;
  setState: (update: (state: WizardState) => WizardState) => void;
  errors: Errors;
}

export function RegisterWizard({ people, catalog, currentPersonId }: { people: PersonOption[]; catalog: CatalogSystem[]; currentPersonId: string }) {
  const [state, setState] = useState(() => initialState(currentPersonId));
  const [step, setStep] = useState(0);
  const [errors, setErrors] = useState<Errors>({});
  const [message, setMessage] = useState<string>();
  const [pending, startTransition] = useTransition();
  const heading = useRef<HTMLHeadingElement>(null);
  const shownStep = useRef(step);

  // Moving between steps puts focus on the new step's heading, so screen readers announce it.
  useEffect(() => {
    if (shownStep.current === step) return;
    shownStep.current = step;
    heading.current?.focus();
  }, [step]);

  function next() {
    const found = checkStep(step, state);
    setErrors(found);
    if (Object.keys(found).length === 0) setStep(step + 1);
  }

  function submit() {
    setMessage(undefined);
    startTransition(async () => {
      // On success the action redirects to the new agent's page.
      const result = await registerAgentAction(undefined, payload(state));
      if (result.ok) return;
      const fieldErrors = result.fieldErrors ?? {};
      setErrors(fieldErrors);
      setMessage(result.message);
      const paths = Object.keys(fieldErrors);
      if (paths.length > 0) setStep(Math.min(...paths.map(stepOf)));
    });
  }

  const props: StepProps = { state, setState, errors };
  const current = STEPS[step] ?? STEPS[0];
  return (
    <div className="max-w-4xl">
      <nav aria-label="Registration steps" className="mb-4">
        <ol className="flex flex-wrap gap-2 text-sm">
          {STEPS.map((item, index) => (
            <li key={item.key}>
              <button
                type="button"
                disabled={index >= step}
                onClick={() => setStep(index)}
                aria-current={index === step ? "step" : undefined}
                className={`rounded-full border px-3 py-1 ${index === step ? "border-accent font-semibold text-fg" : index < step ? "border-line text-accent hover:bg-surface-2" : "border-line text-muted"}`}
              >
                {index + 1}. {item.title}
              </button>
            </li>
          ))}
        </ol>
      </nav>

      <section aria-labelledby="wizard-step-heading" className="rounded-md border border-line bg-surface p-4">
        <h2 id="wizard-step-heading" ref={heading} tabIndex={-1} className="mb-3 text-base font-semibold focus:outline-none">
          Step {step + 1} of {STEPS.length}: {current.title}
        </h2>
        <FormMessage state={{ ok: false, message }} className="mb-3" />
        {step === 0 ? <IdentityStep {...props} /> : null}
        {step === 1 ? <PeopleStep {...props} people={people} /> : null}
        {step === 2 ? <ListStep {...props} catalog={catalog} /> : null}
        {step === 3 ? <ReviewStep state={state} people={people} catalog={catalog} /> : null}

        <div className="mt-4 flex flex-wrap gap-2 border-t border-line pt-3">
          {step > 0 ? <Button onClick={() => setStep(step - 1)}>Back</Button> : null}
          {step < STEPS.length - 1 ? (
            <Button variant="primary" onClick={next}>
              Next: {STEPS[step + 1]?.title}
            </Button>
          ) : (
            <Button variant="primary" onClick={submit} disabled={pending}>
              {pending ? "Registering…" : "Register as draft"}
            </Button>
          )}
        </div>
      </section>
    </div>
  );
}
