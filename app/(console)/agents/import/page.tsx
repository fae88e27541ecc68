import type { Metadata } from "next";
import Link from "next/link";
import { requirePage } from "@/lib/auth/guard";
import { PageHeader } from "@/components/ui/page-header";
import { ImportForm } from "./import-form";

export const metadata: Metadata = { title: "Import agents" };

export default async function ImportAgentsPage() {
  await requirePage("agents.manage", { path: "/agents/import" });
  return (
    <>
      <p className="mb-2 text-xs">
        <Link href="/agents" className="text-accent hover:underline">
          ← Agents
        </Link>
      </p>
      <PageHeader
        title="Import agents"
        description="Create or update agents and their written lists from an AgentList document (YAML or JSON). You see the changes before anything is written."
      >
        <p className="text-xs text-muted">
          Export the current agents:{" "}
          <a href="/api/console/agents/export?format=yaml" className="text-accent underline underline-offset-2">
            YAML
          </a>{" "}
          ·{" "}
          <a href="/api/console/agents/export?format=json" className="text-accent underline underline-offset-2">
            JSON
          </a>
        </p>
      </PageHeader>
      <ImportForm />
    </>
  );
}
