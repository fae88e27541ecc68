// Webhook deliveries never reach a cloud metadata service, however its address is spelt: the
// IPv4 link-local range (already refused), the metadata addresses that live in ranges otherwise
// allowed (AWS's IPv6 fd00:ec2::254, Alibaba's 100.100.100.200), and IPv4 addresses carried inside
// IPv6 (NAT64 64:ff9b::/96, 6to4 2002::/16, the old IPv4-compatible ::a.b.c.d), which are judged as
// the IPv4 address they reach.
import { describe, expect, it } from "vitest";
import { refusedAddress, webhookUrlSchema } from "@/lib/webhooks/webhook-url";

describe("refusedAddress: metadata endpoints and embedded IPv4", () => {
  it.each(["fd00:ec2::254", "100.100.100.200", "64:ff9b::a9fe:a9fe", "64:ff9b::169.254.169.254", "2002:a9fe:a9fe::1", "::a9fe:a9fe", "::169.254.169.254", "::ffff:a9fe:a9fe"])(
    "refuses %s even where private addresses are allowed",
    (address) => {
      expect(refusedAddress(address, {})).toBe(true);
    },
  );

  it("judges an embedded private IPv4 address as that address", () => {
    for (const address of ["64:ff9b::a00:5", "2002:a00:5::1"]) {
      expect(refusedAddress(address, {})).toBe(false);
      expect(refusedAddress(address, { MANDATE_WEBHOOK_ALLOW_PRIVATE: "0" })).toBe(true);
    }
    expect(refusedAddress("64:ff9b::5db8:d822", { MANDATE_WEBHOOK_ALLOW_PRIVATE: "0" })).toBe(false);
  });

  it("refuses such URLs when they are saved", () => {
    for (const url of ["http://[fd00:ec2::254]/latest/meta-data/", "http://100.100.100.200/latest/meta-data/", "http://[64:ff9b::a9fe:a9fe]/"]) {
      expect(webhookUrlSchema.safeParse(url).success, url).toBe(false);
    }
    expect(webhookUrlSchema.safeParse("https://hooks.example.com/mandate").success).toBe(true);
  });
});
