// Which webhook URLs are accepted, and where deliveries may connect. SSRF stance (docs: the
// webhook settings page says it too):
//   - only admins configure webhooks, and every change is audited;
//   - http and https only, no user:password in the URL, at most 2,000 characters;
//   - a delivery never connects to an unspecified, link-local (169.254.0.0/16 — cloud metadata
//     endpoints live there — and fe80::/10), multicast or broadcast address, nor to the metadata
//     endpoints outside those ranges; an IPv6 address carrying an IPv4 one is judged as that one;
//     the check runs on the address actually dialled (after DNS), so a name that later resolves
//     elsewhere is caught too;
//   - loopback and private ranges are allowed by default (receivers inside the company network are
//     the normal case); MANDATE_WEBHOOK_ALLOW_PRIVATE=0 refuses them as well;
//   - redirects are not followed, and a receiver's answer body is never stored or shown.
import { BlockList, isIP } from "node:net";
import { z } from "zod";

type Env = Record<string, string | undefined>;

export const MAX_URL_LENGTH = 2_000;

export const webhookUrlSchema = z
  .string({ error: "Enter the receiver's URL." })
  .trim()
  .min(1, "Enter the receiver's URL.")
  .max(MAX_URL_LENGTH, `Use at most ${MAX_URL_LENGTH} characters.`)
  .superRefine((value, context) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      context.addIssue({ code: "custom", message: "Enter a full URL, like https://hooks.example.com/mandate." });
      return;
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") context.addIssue({ code: "custom", message: "Use an http:// or https:// URL." });
    else if (url.username || url.password) context.addIssue({ code: "custom", message: "Leave credentials out of the URL; the signature authenticates Mandate." });
    else if (!url.hostname) context.addIssue({ code: "custom", message: "The URL needs a host." });
    else if (isIP(bare(url.hostname)) && refusedAddress(bare(url.hostname))) context.addIssue({ code: "custom", message: "This address is never allowed for webhooks." });
  })
  .transform((value) => {
    const url = new URL(value);
    url.hash = "";
    return url.toString();
  });

const always = new BlockList();
always.addSubnet("0.0.0.0", 8, "ipv4");
always.addSubnet("169.254.0.0", 16, "ipv4");
always.addSubnet("224.0.0.0", 4, "ipv4");
always.addAddress("255.255.255.255", "ipv4");
always.addAddress("::", "ipv6");
always.addSubnet("fe80::", 10, "ipv6");
always.addSubnet("ff00::", 8, "ipv6");
// Metadata services that live inside ranges otherwise allowed: AWS's IPv6 endpoint (a unique-local
// address) and Alibaba Cloud's (carrier-grade NAT space).
always.addAddress("fd00:ec2::254", "ipv6");
always.addAddress("100.100.100.200", "ipv4");

const privateRanges = new BlockList();
privateRanges.addSubnet("127.0.0.0", 8, "ipv4");
privateRanges.addSubnet("10.0.0.0", 8, "ipv4");
privateRanges.addSubnet("172.16.0.0", 12, "ipv4");
privateRanges.addSubnet("192.168.0.0", 16, "ipv4");
privateRanges.addSubnet("100.64.0.0", 10, "ipv4");
privateRanges.addAddress("::1", "ipv6");
privateRanges.addSubnet("fc00::", 7, "ipv6");

function bare(hostname: string): string {
  return hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
}

/** Whether a delivery must not connect to this IP address. */
export function refusedAddress(address: string, env: Env = process.env): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  // An IPv6 address that carries an IPv4 one (::ffff:169.254.169.254, NAT64, 6to4) reaches that
  // IPv4 address, so it is judged as that address.
  const embedded = family === 6 ? embeddedIpv4(address) : null;
  if (embedded) return refusedAddress(embedded, env);
  const type = family === 4 ? "ipv4" : "ipv6";
  if (always.check(address, type)) return true;
  return env.MANDATE_WEBHOOK_ALLOW_PRIVATE === "0" && privateRanges.check(address, type);
}

/** The IPv4 address inside an IPv4-mapped, IPv4-compatible, NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address. */
function embeddedIpv4(address: string): string | null {
  const groups = ipv6Groups(address);
  if (!groups) return null;
  const zeros = (from: number, to: number) => groups.slice(from, to).every((group) => group === 0);
  const quad = (high: number, low: number) => [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".");
  if (zeros(0, 5) && groups[5] === 0xffff) return quad(groups[6]!, groups[7]!);
  // ::/96, except :: and ::1, which are themselves (unspecified and loopback).
  if (zeros(0, 6) && (groups[6] !== 0 || groups[7]! > 1)) return quad(groups[6]!, groups[7]!);
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6)) return quad(groups[6]!, groups[7]!);
  if (groups[0] === 0x2002) return quad(groups[1]!, groups[2]!);
  return null;
}

/** The eight 16-bit groups of a valid IPv6 address (a trailing dotted quad becomes two groups). */
function ipv6Groups(address: string): number[] | null {
  let text = address.toLowerCase().replace(/%.*$/, "");
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split("::");
  const part = (value: string | undefined) => (value ? value.split(":") : []);
  const left = part(halves[0]);
  const right = part(halves[1]);
  const groups = halves.length === 2 ? [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right] : left;
  const numbers = groups.map((group) => parseInt(group, 16));
  return numbers.length === 8 && numbers.every((group) => Number.isInteger(group) && group >= 0 && group <= 0xffff) ? numbers : null;
}
