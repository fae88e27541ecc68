// MANDATE_AUDIT_HEAD_WEBHOOK / _INTERVAL: unset means off; anything else must be valid or the
// start stops with one line.
import { describe, expect, it } from "vitest";
import { headWebhookConfig } from "@/lib/audit/audit-head-publisher";
import { ConfigError } from "@/lib/config/env";

describe("headWebhookConfig", () => {
  it("is off when the URL is unset or blank", () => {
    expect(headWebhookConfig({})).toBeNull();
    expect(headWebhookConfig({ MANDATE_AUDIT_HEAD_WEBHOOK: "  " })).toBeNull();
  });

  it("posts every 5 minutes by default, or every given number of seconds", () => {
    expect(headWebhookConfig({ MANDATE_AUDIT_HEAD_WEBHOOK: "https://anchors.example.com/mandate" })).toEqual({ url: "https://anchors.example.com/mandate", intervalMs: 300_000 });
    expect(headWebhookConfig({ MANDATE_AUDIT_HEAD_WEBHOOK: "http://10.0.0.5:8080/h", MANDATE_AUDIT_HEAD_INTERVAL: "60" })).toEqual({ url: "http://10.0.0.5:8080/h", intervalMs: 60_000 });
  });

  it.each(["not a url", "ftp://example.com/x", "file:///etc/passwd", "javascript:alert(1)"])("refuses the URL %j", (url) => {
    expect(() => headWebhookConfig({ MANDATE_AUDIT_HEAD_WEBHOOK: url })).toThrow(ConfigError);
  });

  it.each(["0", "9", "86401", "1.5", "soon", "-60"])("refuses the interval %j", (interval) => {
    expect(() => headWebhookConfig({ MANDATE_AUDIT_HEAD_WEBHOOK: "https://a.example/h", MANDATE_AUDIT_HEAD_INTERVAL: interval })).toThrow(/from 10 to 86400/);
  });
});
