// Where to go after signing in: only a path on this site, so a crafted link cannot bounce a
// freshly signed-in person to someone else's page.
const BASE = "http://mandate.invalid";

export function safeCallbackPath(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/";
  try {
    const url = new URL(value, BASE);
    if (url.origin !== BASE) return "/";
    const path = `${url.pathname}${url.search}${url.hash}`;
    // Back to the sign-in page would only loop.
    return url.pathname === "/signin" || url.pathname.startsWith("/api/auth") ? "/" : path;
  } catch {
    return "/";
  }
}
