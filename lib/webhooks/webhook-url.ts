// Which webhook URLs are accepted, and where deliveries may connect. SSRF stance (docs: the
// webhook settings page says it too):
//   - only admins configure webhooks, and every change is audited;
//   - http and https only, no user:password in the URL, at most 2,000 characters;
//   - a delivery never connects to an unspecified, link-local (169.254.0.0/16 — cloud metadata
//     endpoints live there — and fe80::/10), multicast or broadcast address; the check runs on the
//     address actually dialled (after DNS), so a name that later resolves elsewhere is caught too;
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
  // An IPv4-mapped IPv6 address (::ffff:169.254.169.254) is judged as the IPv4 address it maps.
  const mapped = family === 6 ? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] : undefined;
  const [ip, type] = mapped ? [mapped, "ipv4" as const] : [address, family === 4 ? ("ipv4" as const) : ("ipv6" as const)];
  if (always.check(ip, type)) return true;
  return env.MANDATE_WEBHOOK_ALLOW_PRIVATE === "0" && privateRanges.check(ip, type);
}
