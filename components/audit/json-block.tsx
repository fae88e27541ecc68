// Structured data (parameters, event data, reasoning) as indented JSON, scrollable, selectable.
export function JsonBlock({ value, label }: { value: unknown; label: string }) {
  if (value === null || value === undefined) return <p className="text-muted">None recorded.</p>;
  return (
    <pre
      aria-label={label}
      tabIndex={0}
      className="max-h-96 overflow-auto rounded-md border border-line bg-surface-2 p-3 font-mono text-xs leading-relaxed"
    >
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}
