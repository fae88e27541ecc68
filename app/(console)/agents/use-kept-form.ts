// useActionState for the agent pages' forms, without React's automatic reset after every
// submission: a refused form keeps what the person typed; a successful one starts afresh
// (its key changes, so its fields take their new defaults).
import { startTransition, useActionState, useState, type FormEvent } from "react";
import type { FormState } from "@/lib/auth/action";

type Action<T> = (previous: FormState<T>, data: FormData) => Promise<FormState<T>>;

export function useKeptForm<T = unknown>(action: Action<T>) {
  const [state, dispatch, pending] = useActionState<FormState<T>, FormData>(action, { ok: false });
  const [seen, setSeen] = useState(state);
  const [formKey, setFormKey] = useState(0);
  // Adjusting state while rendering (not in an effect): a new successful result remounts the form.
  if (state !== seen) {
    setSeen(state);
    if (state.ok) setFormKey((key) => key + 1);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // The clicked button's name and value (promote / demote) travel with the fields.
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const data = new FormData(event.currentTarget, submitter);
    startTransition(() => dispatch(data));
  }

  return { state, pending, onSubmit, formKey, errors: state.fieldErrors ?? {} };
}
