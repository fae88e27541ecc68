// The benchmark's baseline for "a trivial Next.js route handler" (bench/health.ts); nothing else uses it.
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ status: "ok" });
}
