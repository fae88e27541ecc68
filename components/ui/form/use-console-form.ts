"use client";
// useActionState for the console's server-action forms, submitted from onSubmit rather than
// <form action>: React resets a form after an action-prop submission, which would wipe what the
// person typed when the server refuses it. Here the fields keep their values; forms that add
// things clear themselves after a success, and inline editors close.
import { startTransition, useActionState, useContext, useEffect, useRef, type FormEvent } from "react";
import type { FormState } from "@/lib/auth/action";
import { EditorContext } from "./editor-context";

type Input = FormData | Record<string, unknown>;

/** What consoleAction() returns: FormData from a form, or an object from a state-held form. */
export type ConsoleFormAction<T> = (previous: FormState<T>, input: Input) => Promise<FormState<T>>;

interface Options {
  /** Clear the fields after a success (forms that add things, or ask for a one-off reason). */
  resetOnSuccess?: boolean;
  /** Close the surrounding inline editor after a success (forms that edit a table row). */
  closeOnSuccess?: boolean;
}

export function useConsoleForm<T = unknown>(action: ConsoleFormAction<T>, options: Options = {}) {
  const [state, dispatch, pending] = useActionState<FormState<T>, Input>(action, { ok: false });
  const formRef = useRef<HTMLFormElement>(null);
  const editor = useContext(EditorContext);
  const { resetOnSuccess, closeOnSuccess } = options;

  // Reset in place rather than remounting: focus stays where it was and the status region
  // that announces the success stays the same element.
  useEffect(() => {
    if (!state.ok) return;
    if (resetOnSuccess) formRef.current?.reset();
    if (closeOnSuccess) editor?.close();
  }, [state, resetOnSuccess, closeOnSuccess, editor]);

  /** For forms that hold their values in state and send them as an object. */
  function submit(input: Input) {
    startTransition(() => dispatch(input));
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // The clicked button's name and value (promote / demote) travel with the fields.
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    submit(new FormData(event.currentTarget, submitter));
  }

  return { state, pending, errors: state.fieldErrors ?? {}, formRef, onSubmit, submit };
}
