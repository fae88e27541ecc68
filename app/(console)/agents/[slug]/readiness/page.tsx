// The five controls of DESIGN.md section 2 for this agent, met or not, from real data.
import type { Metadata } from "next";
import Link from "next/link";
import { getAgentReadiness } from "@/lib/agents/get-agent-readiness";
import { Badge } from "@/components/ui/badge";
import { loadAgent, type AgentPageProps } from "../load-agent";

const TAB_LABEL = { credentials: "Credentials", permissions: "Permissions", activity: "Activity", "kill-switch": "Kill switch & drills" } as const;

export async function generateMetadata({ params }: AgentPageProps): Promise<Metadata> {
  const { slug } = await params;
  return { title: `Readiness · ${slug}` };
}

export default async function ReadinessPage({ params }: AgentPageProps) {
  const { slug } = await params;
  const { agent } = await loadAgent(slug, "readiness");
  const controls = await getAgentReadiness(agent.id);
  const met = controls.filter((control) => control.met).length;
  const base = `/agents/${encodeURIComponent(agent.slug)}`;

  return (
    <section aria-labelledby="readiness-heading">
      <h2 id="readiness-heading" className="mb-1 text-sm font-semibold">
        The five controls: {met} of {controls.length} met
      </h2>
      <p className="mb-3 text-muted">Derived from what is recorded for this agent, not declared: keys, its written list, checkpoints, decisions and drills.</p>
      <ol className="grid gap-3">
        {controls.map((control, index) => (
          <li key={control.key} className="rounded-md border border-line bg-surface p-3">
            <div className="flex flex-wrap items-center gap-2">
              <h3 className="font-medium">
                {index + 1}. {control.title}
              </h3>
              <Badge tone={control.met ? "green" : "amber"}>{control.met ? "met" : "not met"}</Badge>
            </div>
            <p className="mt-1">{control.detail}</p>
            {control.nextStep ? (
              <p className="mt-1 text-sm">
                <span className="font-medium">Next: </span>
                {control.nextStep.text}{" "}
                <Link href={`${base}/${control.nextStep.tab}`} className="text-accent underline underline-offset-2">
                  Go to the {TAB_LABEL[control.nextStep.tab]} tab
                </Link>
              </p>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
