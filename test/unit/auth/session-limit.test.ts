import { describe, expect, it } from "vitest";
import { SESSION_MAX_HOURS, withinSessionLimit } from "@/lib/auth/options";

const HOUR = 3_600_000;
const now = Date.UTC(2026, 10, 26, 12, 0, 0);
const signedIn = (msAgo: number) => Math.floor((now - msAgo) / 1000);

describe("the session's absolute limit", () => {
  it("is twelve hours from the sign-in, however active the session", () => {
    expect(SESSION_MAX_HOURS).toBe(12);
    expect(withinSessionLimit(signedIn(0), now)).toBe(true);
    expect(withinSessionLimit(signedIn(11.9 * HOUR), now)).toBe(true);
    expect(withinSessionLimit(signedIn(12 * HOUR), now)).toBe(false);
    expect(withinSessionLimit(signedIn(30 * 24 * HOUR), now)).toBe(false);
  });

  it("refuses a session without a sign-in time (older versions, forged) or with one in the future", () => {
    for (const value of [undefined, null, "1764158400", Number.NaN, Number.POSITIVE_INFINITY]) expect(withinSessionLimit(value, now)).toBe(false);
    expect(withinSessionLimit(signedIn(-30_000), now)).toBe(true);
    expect(withinSessionLimit(signedIn(-5 * 60_000), now)).toBe(false);
  });
});
