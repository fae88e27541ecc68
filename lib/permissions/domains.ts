// The host of an e-mail address or URL, for { domains } limits. Anything unusual yields null so
// the limit fails closed: userinfo in URLs ("https://example.com@evil.com"), quoted or
// display-name addresses, several "@", ports or paths after an address, IP addresses, non-HTTP
// schemes. "sub.example.com" is below "example.com"; "evil-example.com" is not.

const HOST = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const LOCAL_PART = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}$/;
const MAX_LENGTH = 2048;

/** Lower case, one trailing dot dropped (an absolute name is the same host), then strictly checked. */
function normalizeHost(raw: string): string | null {
  const lower = raw.toLowerCase();
  const host = lower.endsWith(".") ? lower.slice(0, -1) : lower;
  return HOST.test(host) ? host : null;
}

function hostOfAddress(address: string): string | null {
  const parts = address.split("@");
  if (parts.length !== 2) return null;
  const [local, domain] = parts as [string, string];
  if (!LOCAL_PART.test(local) || local.startsWith(".") || local.endsWith(".") || local.includes("..")) return null;
  return normalizeHost(domain);
}

function hostOfUrl(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  if (url.username !== "" || url.password !== "") return null;
  return normalizeHost(url.hostname);
}

/** The host an e-mail address or http(s) URL points at, or null when it is not plainly one. */
export function hostOf(value: string): string | null {
  if (value.length === 0 || value.length > MAX_LENGTH || /[\s\u0000-\u001f\u007f]/.test(value)) return null;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return hostOfUrl(value);
  if (/^mailto:/i.test(value)) return hostOfAddress(value.slice("mailto:".length));
  return hostOfAddress(value);
}

/** True when `host` is one of `domains` or below one of them. */
export function hostAllowed(host: string, domains: readonly string[]): boolean {
  return domains.some((raw) => {
    const domain = normalizeHost(raw);
    return domain !== null && (host === domain || host.endsWith(`.${domain}`));
  });
}
