// Small shared pieces of the credentials tab's forms.
export const fieldClass = "rounded border border-line bg-bg px-2 py-1.5 text-sm text-fg";
export const primaryButton = "rounded bg-accent px-3 py-1.5 text-sm font-medium text-white hover:opacity-90 disabled:opacity-60 dark:text-gray-950";
export const secondaryButton = "rounded border border-line bg-surface px-2.5 py-1 text-sm font-medium text-fg hover:bg-surface-2 disabled:opacity-60";
export const confirmButton =
  "rounded bg-amber-600 px-2.5 py-1 text-sm font-medium text-white hover:bg-amber-700 disabled:opacity-60 dark:bg-amber-500 dark:text-gray-950";

export function FieldError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <span id={id} className="text-xs text-amber-800 dark:text-amber-300">
      {message}
    </span>
  );
}

export function FormMessage({ ok, message }: { ok: boolean; message: string }) {
  return (
    <p role={ok ? "status" : "alert"} className={`mt-2 text-sm ${ok ? "text-green-800 dark:text-green-300" : "text-amber-800 dark:text-amber-300"}`}>
      {message}
    </p>
  );
}
