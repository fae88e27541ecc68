// GET /api/console/agents/export?format=yaml|json&slug=… — the agents (or one) with their written
// lists as an AgentList document, downloaded as a file. Anyone who may view agents may export;
// the document holds no secrets.
import { z } from "zod";
import { DOCUMENT_FORMATS, renderAgentDocument } from "@/lib/agents/agent-document";
import { exportAgents } from "@/lib/agents/export-agents";
import { withConsoleRoute } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { AppError, fieldsFromZod } from "@/lib/http/errors";

export const dynamic = "force-dynamic";

const querySchema = z.strictObject({
  format: z.enum(DOCUMENT_FORMATS, { error: "Use format=yaml or format=json." }).default("yaml"),
  slug: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[a-z0-9-]+$/, "Use an agent's slug, like support-triage.")
    .optional(),
});

const CONTENT_TYPES = { yaml: "application/yaml; charset=utf-8", json: "application/json; charset=utf-8" } as const;

export const GET = withConsoleRoute("agents.view", async ({ request }) => {
  const query = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw new AppError("bad_request", "The export query is not valid.", fieldsFromZod(query.error.issues));
  const { format, slug } = query.data;
  const body = renderAgentDocument(await exportAgents(db(), { slug }), format);
  const filename = `${slug ? `agent-${slug}` : "mandate-agents"}.${format}`;
  return new Response(body, {
    headers: {
      "content-type": CONTENT_TYPES[format],
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
});
