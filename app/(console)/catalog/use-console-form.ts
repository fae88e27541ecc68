"use client";
// useActionState for the console's forms, submitted from onSubmit rather than <form action>:
// React resets a form after an action-prop submission, which would wipe what the person typed
// when the server answers with field errors. Here the fields stay until we reset them on success.
import { startTransition, useActionState, useContext, useEffect, useRef, type FormEvent } from "react";
import type { FormState } from "@/lib/auth/action";
import { EditorContext } from "./editor-context";

export type ConsoleFormAction<T> = (previous: FormState<T> | undefined, input: FormData | unknown) => Promise<FormState<T>>;

interface Options {
  /** Clear the fields after a success (forms that add things). */
  resetOnSuccess?: boolean;
  /** Close the surrounding inline editor after a success (forms that edit things). */
  closeOnSuccess?: boolean;
}

export function useConsoleForm<T>(action: ConsoleFormAction<T>, options: Options = {}) {
  const [state, dispatch, pending] = useActionState<FormState<T>, FormData>(action, { ok: false });
  const formRef = useRef<HTMLFormElement>(null);
  const editor = useContext(EditorContext);
  const { resetOnSuccess, closeOnSuccess } = options;

  useEffect(() => {
    if (!state.ok) return;
    if (resetOnSuccess) formRef.current?.reset();
    if (closeOnSuccess) editor?.close();
  }, [state, resetOnSuccess, closeOnSuccess, editor]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => dispatch(data));
  }

  return { state, pending, formRef, onSubmit };
}
