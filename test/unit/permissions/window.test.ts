// Time windows: weekday and time of day in the window's own zone, from inclusive, to exclusive.
import { describe, expect, it } from "vitest";
import type { TimeWindow } from "@/lib/permissions/conditions";
import { localTime, windowFailure } from "@/lib/permissions/window";

const weekdays: TimeWindow["days"] = ["mon", "tue", "wed", "thu", "fri"];
const officeUtc: TimeWindow = { days: weekdays, from: "08:00", to: "18:00", tz: "UTC" };
const officeBerlin: TimeWindow = { days: weekdays, from: "09:00", to: "17:00", tz: "Europe/Berlin" };

describe("windowFailure", () => {
  it.each<[string, TimeWindow, string, boolean]>([
    ["Wednesday 10:00 UTC", officeUtc, "2026-11-25T10:00:00Z", true],
    ["from is inclusive", officeUtc, "2026-11-25T08:00:00Z", true],
    ["a second before from", officeUtc, "2026-11-25T07:59:59Z", false],
    ["the last second before to", officeUtc, "2026-11-25T17:59:59.999Z", true],
    ["to is exclusive", officeUtc, "2026-11-25T18:00:00Z", false],
    ["Saturday", officeUtc, "2026-11-28T10:00:00Z", false],
    ["Sunday", officeUtc, "2026-11-29T10:00:00Z", false],
    ["Berlin in winter (UTC+1): 09:00 local", officeBerlin, "2026-11-25T08:00:00Z", true],
    ["Berlin in winter: 08:59 local", officeBerlin, "2026-11-25T07:59:00Z", false],
    ["Berlin in summer (UTC+2): 09:00 local", officeBerlin, "2026-07-15T07:00:00Z", true],
    ["Berlin in summer: 08:59 local", officeBerlin, "2026-07-15T06:59:00Z", false],
    ["Berlin in summer: 16:59 local", officeBerlin, "2026-07-15T14:59:00Z", true],
    ["Berlin in summer: 17:00 local", officeBerlin, "2026-07-15T15:00:00Z", false],
    ["Monday 00:30 in Berlin is still Sunday in UTC", { days: ["mon"], from: "00:00", to: "01:00", tz: "Europe/Berlin" }, "2026-11-29T23:30:00Z", true],
    ["the same instant, read in UTC, is Sunday", { days: ["mon"], from: "00:00", to: "01:00", tz: "UTC" }, "2026-11-29T23:30:00Z", false],
    ["Friday evening in New York is Saturday in UTC", { days: ["fri"], from: "20:00", to: "22:00", tz: "America/New_York" }, "2026-11-28T02:00:00Z", true],
    ["Tokyo is already Thursday", { days: ["thu"], from: "00:00", to: "12:00", tz: "Asia/Tokyo" }, "2026-11-25T20:00:00Z", true],
    ["the hour after the spring-forward gap in Berlin", { days: ["sun"], from: "03:00", to: "04:00", tz: "Europe/Berlin" }, "2026-03-29T01:30:00Z", true],
    ["a zone the schema would refuse is outside", { days: weekdays, from: "00:00", to: "23:59", tz: "Mars/Olympus" }, "2026-11-25T10:00:00Z", false],
  ])("%s", (_name, window, at, inside) => {
    const failure = windowFailure(window, new Date(at));
    if (inside) expect(failure).toBeNull();
    else expect(failure).toEqual(expect.any(String));
  });

  it("says which local time it judged", () => {
    expect(windowFailure(officeBerlin, new Date("2026-11-25T17:30:00Z"))).toBe("wed 18:30 Europe/Berlin is outside 09:00–17:00");
  });
});

describe("localTime", () => {
  it("writes midnight as 00:00, never 24:00", () => {
    expect(localTime(new Date("2026-11-25T00:00:00Z"), "UTC")).toEqual({ day: "wed", time: "00:00" });
  });
});
