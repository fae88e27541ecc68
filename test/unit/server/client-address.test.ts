// The client address the sign-in brake keys on: the peer's unless the operator declares proxies,
// then the address the outermost trusted proxy saw; never a header the client alone chose.
import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { clientKey } from "@/lib/auth/client-throttle";
import { vouchedClient } from "@/lib/auth/request-meta";
import { ConfigError } from "@/lib/config/env";
import { CLIENT_HEADER, clientAddress, trustedProxyHops } from "@/lib/server/client-address";

const request = (peer: string | undefined, forwarded?: string | string[]) =>
  ({ socket: { remoteAddress: peer }, headers: forwarded === undefined ? {} : { "x-forwarded-for": forwarded } }) as unknown as IncomingMessage;

describe("clientAddress", () => {
  it.each([
    ["no proxy: the peer, whatever X-Forwarded-For says", "10.0.0.5", "203.0.113.9", 0, "10.0.0.5"],
    ["one proxy: the last entry, the one it appended", "10.0.0.1", "198.51.100.1, 203.0.113.9", 1, "203.0.113.9"],
    ["two proxies: the second from the right", "10.0.0.1", "198.51.100.1, 203.0.113.9, 10.0.0.2", 2, "203.0.113.9"],
    ["fewer entries than proxies: the nearest proxy", "10.0.0.1", "203.0.113.9", 2, "10.0.0.1"],
    ["no header behind a proxy: the proxy", "10.0.0.1", undefined, 1, "10.0.0.1"],
    ["garbage where the address should be: the proxy", "10.0.0.1", "203.0.113.9, not-an-ip", 1, "10.0.0.1"],
    ["IPv6 entries", "::1", "2001:db8::1", 1, "2001:db8::1"],
  ])("%s", (_name, peer, forwarded, hops, expected) => {
    expect(clientAddress(request(peer, forwarded), hops)).toBe(expected);
  });

  it("joins repeated X-Forwarded-For headers before counting from the right", () => {
    expect(clientAddress(request("10.0.0.1", ["198.51.100.1", "203.0.113.9"]), 1)).toBe("203.0.113.9");
  });
});

describe("trustedProxyHops", () => {
  it("defaults to 0 and reads 0 to 10", () => {
    expect(trustedProxyHops({})).toBe(0);
    expect(trustedProxyHops({ MANDATE_TRUSTED_PROXY_HOPS: " " })).toBe(0);
    expect(trustedProxyHops({ MANDATE_TRUSTED_PROXY_HOPS: "2" })).toBe(2);
    expect(trustedProxyHops({ MANDATE_TRUSTED_PROXY_HOPS: "10" })).toBe(10);
  });

  it.each(["-1", "11", "1.5", "one", "99999"])("refuses %j in one line", (bad) => {
    expect(() => trustedProxyHops({ MANDATE_TRUSTED_PROXY_HOPS: bad })).toThrow(ConfigError);
    expect(() => trustedProxyHops({ MANDATE_TRUSTED_PROXY_HOPS: bad })).toThrow(/^MANDATE_TRUSTED_PROXY_HOPS must be the number of proxies/);
  });
});

describe("clientKey", () => {
  it.each([
    ["203.0.113.9", "203.0.113.9"],
    ["::ffff:203.0.113.9", "203.0.113.9"],
    ["2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"],
    ["2001:db8:1:2::1", "2001:db8:1:2::/64"],
    ["2001:0db8:0001:0002::ffff", "2001:db8:1:2::/64"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
    ["fe80::1%eth0", "fe80:0:0:0::/64"],
  ])("%s counts as %s", (address, key) => {
    expect(clientKey(address)).toBe(key);
  });
});

describe("vouchedClient", () => {
  it("reads the stamped header and ignores anything that is not an address", () => {
    expect(vouchedClient({ [CLIENT_HEADER]: "203.0.113.9" })).toBe("203.0.113.9");
    expect(vouchedClient(new Headers({ [CLIENT_HEADER]: "2001:db8::1" }))).toBe("2001:db8::1");
    expect(vouchedClient({ [CLIENT_HEADER]: "evil" })).toBeUndefined();
    expect(vouchedClient({})).toBeUndefined();
  });
});
