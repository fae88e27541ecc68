import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { requestMeta } from "@/lib/auth/request-meta";
import { clientLockedMessage, lockedMessage, signInErrorText, WRONG_CREDENTIALS } from "@/lib/auth/sign-in-messages";
import { oidcConfig } from "@/lib/auth/oidc";
import { slowdownMs } from "@/lib/auth/authenticate";
import { ConfigError } from "@/lib/config/env";

describe("safeCallbackPath", () => {
  it.each([
    ["/agents?status=active#top", "/agents?status=active#top"],
    ["/", "/"],
    [undefined, "/"],
    ["https://evil.example/", "/"],
    ["//evil.example/x", "/"],
    ["/\\evil.example", "/"],
    ["/\t/evil.example", "/"],
    ["javascript:alert(1)", "/"],
    ["agents", "/"],
    ["/signin?callbackUrl=/x", "/"],
    ["/api/auth/signout", "/"],
  ])("%s → %s", (value, expected) => {
    expect(safeCallbackPath(value)).toBe(expected);
  });
});

describe("signInErrorText", () => {
  it("shows our own messages and maps next-auth codes", () => {
    expect(signInErrorText("CredentialsSignin", null)).toBe(WRONG_CREDENTIALS);
    const locked = lockedMessage(new Date(60_000 * 15), new Date(0));
    expect(locked).toBe("Too many failed sign-ins. Try again in 15 minutes.");
    expect(signInErrorText(locked, null)).toBe(locked);
    const throttled = clientLockedMessage(new Date(60_000 * 9), new Date(0));
    expect(throttled).toBe("Too many failed sign-ins from your network. Try again in 9 minutes.");
    expect(signInErrorText(throttled, null)).toBe(throttled);
    expect(signInErrorText("AccessDenied", "Okta")).toMatch(/^Your Okta account/);
    expect(signInErrorText(null, null)).toBeNull();
  });

  it("never echoes text from a crafted link", () => {
    const text = signInErrorText("Your account is compromised, call +1 555 0100", null);
    expect(text).not.toContain("555");
  });

  it("says one minute, not zero, near the end of a lock", () => {
    expect(lockedMessage(new Date(10_000), new Date(0))).toBe("Too many failed sign-ins. Try again in 1 minute.");
  });
});

describe("slowdownMs", () => {
  it.each([[0, 0], [2, 0], [3, 500], [4, 1000], [5, 2000], [9, 2000]])("%i failures → %i ms", (failures, ms) => {
    expect(slowdownMs(failures)).toBe(ms);
  });
});

describe("requestMeta", () => {
  it("takes the first forwarded hop and the user agent", () => {
    const headers = new Headers({ "x-forwarded-for": "203.0.113.9, 10.0.0.1", "user-agent": "Firefox" });
    expect(requestMeta(headers)).toEqual({ ip: "203.0.113.9", userAgent: "Firefox" });
  });

  it("falls back to x-real-ip and ignores values that are not addresses", () => {
    expect(requestMeta({ "x-forwarded-for": "<script>", "x-real-ip": "2001:db8::1" })).toEqual({ ip: "2001:db8::1" });
    expect(requestMeta({})).toEqual({});
  });
});

describe("oidcConfig", () => {
  const full = {
    MANDATE_OIDC_ISSUER: "https://login.example.com/realms/acme/",
    MANDATE_OIDC_CLIENT_ID: "mandate",
    MANDATE_OIDC_CLIENT_SECRET: "s3cret",
  };

  it("is off when nothing is set", () => {
    expect(oidcConfig({})).toBeNull();
  });

  it("reads a full set and trims the issuer", () => {
    expect(oidcConfig({ ...full, MANDATE_OIDC_NAME: "Okta" })).toEqual({
      issuer: "https://login.example.com/realms/acme",
      clientId: "mandate",
      clientSecret: "s3cret",
      label: "Okta",
    });
    expect(oidcConfig(full)?.label).toBe("single sign-on");
  });

  it("refuses a partial set, naming what is missing", () => {
    expect(() => oidcConfig({ MANDATE_OIDC_ISSUER: full.MANDATE_OIDC_ISSUER })).toThrow(/missing MANDATE_OIDC_CLIENT_ID, MANDATE_OIDC_CLIENT_SECRET/);
  });

  it("refuses a malformed issuer in one line", () => {
    const call = () => oidcConfig({ ...full, MANDATE_OIDC_ISSUER: "login.example.com" });
    expect(call).toThrow(ConfigError);
    expect(call).toThrow(/^MANDATE_OIDC_ISSUER must be an http\(s\) URL[^\n]*\.$/);
  });
});
