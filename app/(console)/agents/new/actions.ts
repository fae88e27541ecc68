"use server";
import { redirect } from "next/navigation";
import { consoleAction } from "@/lib/auth/action";
import { registerAgent, registerAgentSchema } from "@/lib/agents/register-agent";

/** The wizard's one submit: everything is validated again here, then the new agent's page. */
export const registerAgentAction = consoleAction("agents.manage", registerAgentSchema, async ({ input, person, actor }) => {
  const agent = await registerAgent(person, actor, input);
  redirect(`/agents/${encodeURIComponent(agent.slug)}`);
});
