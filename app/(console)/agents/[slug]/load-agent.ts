// The agent behind every tab of its page, loaded once per request however many parts ask.
import "server-only";
import { cache } from "react";
import { notFound } from "next/navigation";
import { requirePage } from "@/lib/auth/guard";
import { getAgentBySlug } from "@/lib/agents/get-agent-by-slug";

export const loadAgent = cache(async (slug: string, tab = "") => {
  const person = await requirePage("agents.view", { path: `/agents/${encodeURIComponent(slug)}${tab ? `/${tab}` : ""}` });
  const agent = await getAgentBySlug(slug);
  if (!agent) notFound();
  return { person, agent };
});

export type AgentPageProps = { params: Promise<{ slug: string }> };
