// A time shown relative to when the page was rendered, with the exact UTC time on hover and
// in the machine-readable dateTime attribute.
import { formatAbsolute, formatRelative } from "./format";

export function RelativeTime({ date, now }: { date: Date | string | null | undefined; now?: Date }) {
  if (!date) return <span className="text-muted">never</span>;
  const value = typeof date === "string" ? new Date(date) : date;
  const absolute = formatAbsolute(value);
  return (
    <time dateTime={value.toISOString()} title={absolute} className="whitespace-nowrap">
      {formatRelative(value, now)}
    </time>
  );
}
