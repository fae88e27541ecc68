// Time windows of written-list lines: the weekday and the time of day of `now` read in the
// window's IANA time zone (daylight saving included, via Intl). `from` is inclusive and `to`
// exclusive, to the minute: a 08:00–18:00 window holds at 08:00:00 and at 17:59:59, not at 18:00.
// The weekday is the local one, so Monday 00:30 in Berlin is a Monday even while it is Sunday in UTC.
import type { TimeWindow, Weekday } from "@/lib/permissions/conditions";

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The local weekday and "HH:MM" of `now` in `timeZone`; throws on an unknown zone. */
export function localTime(now: Date, timeZone: string): { day: Weekday; time: string } {
  const parts = formatterFor(timeZone).formatToParts(now);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((part) => part.type === type)?.value ?? "";
  return { day: get("weekday").toLowerCase().slice(0, 3) as Weekday, time: `${get("hour")}:${get("minute")}` };
}

/** Why `now` is outside the window, or null when it is inside. An unknown time zone is outside. */
export function windowFailure(window: TimeWindow, now: Date): string | null {
  let local: { day: Weekday; time: string };
  try {
    local = localTime(now, window.tz);
  } catch {
    return `the time zone ${window.tz} is unknown`;
  }
  const where = `${local.day} ${local.time} ${window.tz}`;
  if (!window.days.includes(local.day)) return `${where} is not on ${window.days.join(", ")}`;
  if (local.time < window.from || local.time >= window.to) return `${where} is outside ${window.from}–${window.to}`;
  return null;
}
