"use client";
// Everything an approver needs to judge one checkpoint: who the agent is and who answers for it,
// the exact action, resource and parameters, the agent's reasoning, who it acts for and through
// which agents, which rule asked, and the votes so far. Read-only; the forms are in decide-forms.
import Link from "next/link";
import type { ReactNode } from "react";
import { Countdown } from "@/components/approvals/countdown";
import { Badge } from "@/components/ui/badge";
import { formatAbsolute, formatDuration } from "@/components/ui/format";
import { MaturityPill } from "@/components/ui/maturity-pill";
import { CategoryLabel, RiskBadge } from "@/components/ui/risk-badge";
import { StatusBadge } from "@/components/ui/status-badge";
import { approvalReason } from "@/lib/approvals/approval-reasons";
import type { CheckpointDetail as Detail } from "./inbox-types";

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[9rem_1fr] gap-x-3 py-1">
      <dt className="text-xs font-medium text-muted">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}

function Json({ value, label }: { value: unknown; label: string }) {
  if (value === null || value === undefined) return <span className="text-muted">none</span>;
  return (
    <pre aria-label={label} className="max-h-64 overflow-auto rounded border border-line bg-bg p-2 font-mono text-xs leading-relaxed">
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

function Considered({ value }: { value: unknown }) {
  if (Array.isArray(value) && value.every((entry) => typeof entry === "string")) {
    return (
      <ul className="list-disc pl-5">
        {value.map((entry, index) => (
          <li key={index}>{entry}</li>
        ))}
      </ul>
    );
  }
  return <Json value={value} label="Options the agent considered" />;
}

export function CheckpointDetail({ detail, now }: { detail: Detail; now: number }) {
  const { agent, action, askedBy } = detail;
  return (
    <div className="space-y-4">
      <section aria-label="Agent">
        <div className="flex flex-wrap items-center gap-2">
          <Link href={`/agents/${agent.slug}`} className="text-base font-semibold text-accent hover:underline">
            {agent.name}
          </Link>
          <MaturityPill maturity={agent.maturity} />
          {agent.status !== "active" ? <StatusBadge status={agent.status} /> : null}
        </div>
        <p className="mt-1 text-xs text-muted">{agent.purpose}</p>
        <p className="mt-1 text-xs">
          Owners: {agent.owners.join(", ") || "none"}
          {agent.technicalOwner ? ` · technical owner: ${agent.technicalOwner}` : ""} · deployed by {agent.deployedBy}
        </p>
      </section>

      <dl className="divide-y divide-line rounded-md border border-line bg-surface px-3 py-1">
        <Row label="Wants to">
          <span className="font-mono">{action.key}</span>
          {action.name ? <span className="text-muted"> ({action.name})</span> : null}
          <div className="mt-1 flex flex-wrap items-center gap-2">
            {action.category ? <CategoryLabel category={action.category} /> : <Badge tone="grey">not in catalog</Badge>}
            {action.risk ? <RiskBadge risk={action.risk} /> : null}
          </div>
        </Row>
        <Row label="Resource">{detail.resource ? <span className="font-mono">{detail.resource}</span> : <span className="text-muted">none</span>}</Row>
        <Row label="Parameters">
          <Json value={detail.params} label="Exact parameters" />
        </Row>
        <Row label="Instruction">
          <blockquote className="border-l-2 border-line pl-2">{detail.reasoning.instruction}</blockquote>
        </Row>
        <Row label="Considered">
          <Considered value={detail.reasoning.considered} />
        </Row>
        <Row label="Chose">{detail.reasoning.chosen ?? <span className="text-muted">not said</span>}</Row>
        <Row label="Because">{detail.reasoning.rationale ?? <span className="text-muted">not said</span>}</Row>
        <Row label="On behalf of">{detail.onBehalfOf ?? <span className="text-muted">nobody named</span>}</Row>
        <Row label="Delegation chain">
          {detail.delegationChain?.length ? (
            <ol className="flex flex-wrap items-center gap-1 font-mono text-xs" aria-label="From the root agent to this one">
              {detail.delegationChain.map((link, index) => (
                <li key={`${link.agentId}-${index}`} className="flex items-center gap-1">
                  {index > 0 ? <span aria-hidden="true">→</span> : null}
                  <Link href={`/agents/${link.agentSlug}`} className="text-accent hover:underline">
                    {link.agentSlug}
                  </Link>
                </li>
              ))}
            </ol>
          ) : (
            <span className="text-muted">acting on its own</span>
          )}
        </Row>
        <Row label="Asked by">
          {approvalReason(askedBy.reason)}
          {askedBy.policy ? (
            <div className="text-xs text-muted">
              Policy “{askedBy.policy.name}”: {askedBy.policy.requiredApprovals} approver{askedBy.policy.requiredApprovals === 1 ? "" : "s"}, expires after{" "}
              {formatDuration(askedBy.policy.expirySeconds)}
              {askedBy.policy.maxExtendSeconds > 0 ? `, may be extended once by up to ${formatDuration(askedBy.policy.maxExtendSeconds)}` : ", no extension"}.
            </div>
          ) : null}
          {askedBy.line ? (
            <div className="text-xs text-muted">
              Written list, line {askedBy.line.position + 1} ({askedBy.line.effect.replace("_", " ")}): {askedBy.line.justification}
            </div>
          ) : null}
        </Row>
        <Row label="Expires">
          {detail.status === "pending" ? <Countdown expiresAt={detail.expiresAt} now={now} /> : <span>{formatAbsolute(new Date(detail.expiresAt))}</span>}
          {detail.extension ? (
            <div className="text-xs text-muted">
              Extended by {formatDuration(detail.extension.seconds)}
              {detail.extension.by ? ` by ${detail.extension.by}` : ""}.
            </div>
          ) : null}
        </Row>
        <Row label="Approvals">
          <span className="tabular-nums">
            {detail.approvals} of {detail.requiredApprovals}
          </span>
          {detail.votes.length ? (
            <ul className="mt-1 text-xs">
              {detail.votes.map((vote) => (
                <li key={`${vote.person}-${vote.at}`}>
                  <Badge tone={vote.verdict === "approve" ? "green" : "red"}>{vote.verdict}</Badge> {vote.person}, {formatAbsolute(new Date(vote.at))}
                  {vote.note ? <span className="text-muted"> — {vote.note}</span> : null}
                </li>
              ))}
            </ul>
          ) : null}
        </Row>
        {detail.traceId ? (
          <Row label="Trace">
            <span className="font-mono text-xs">{detail.traceId}</span>
          </Row>
        ) : null}
      </dl>
    </div>
  );
}
