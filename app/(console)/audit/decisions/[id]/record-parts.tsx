// Two parts of the decision record with more to say: which rule decided, and the human checkpoint.
import Link from "next/link";
import type { DecisionRecord } from "@/lib/audit/get-decision-record";
import { Facts, Section } from "@/components/audit/facts";
import { JsonBlock } from "@/components/audit/json-block";
import { VerdictBadge } from "@/components/audit/verdict-badge";
import { Badge } from "@/components/ui/badge";
import { EffectBadge } from "@/components/ui/effect-badge";
import { formatAbsolute } from "@/components/ui/format";
import { RelativeTime } from "@/components/ui/relative-time";
import { Table, Td, Th } from "@/components/ui/table";

const link = "text-accent hover:underline";

export function RuleFacts({ record }: { record: DecisionRecord }) {
  const { rule, reason } = record;
  const code = (
    <>
      <span className="font-mono text-xs">{reason.code}</span> — {reason.text}
    </>
  );
  if (rule.kind === "line") {
    return (
      <>
        <Facts
          items={[
            ["Reason", code],
            [
              "Written list",
              <span key="l">
                the line for <span className="font-mono">{rule.action}</span> says <EffectBadge effect={rule.effect} /> (
                <Link href={`/agents/${rule.agentSlug}/permissions`} className={link}>
                  see the list
                </Link>
                )
              </span>,
            ],
            ["Justification", rule.justification],
          ]}
        />
        {rule.changedSince ? <p className="mt-2 text-xs text-muted">The line has changed since this decision; it reads as shown today.</p> : null}
        {rule.conditions ? (
          <>
            <h3 className="mb-1 mt-3 text-xs font-semibold uppercase tracking-wide text-muted">Conditions</h3>
            <JsonBlock value={rule.conditions} label="Conditions of the line" />
          </>
        ) : null}
      </>
    );
  }
  if (rule.kind === "policy") {
    return (
      <>
        <Facts
          items={[
            ["Reason", code],
            [
              "Global policy",
              <Link key="p" href="/catalog" className={link}>
                {rule.name}
              </Link>,
            ],
            ["Approvals needed", String(rule.requiredApprovals)],
            ["Enabled today", rule.enabled ? "yes" : "no"],
          ]}
        />
        {rule.changedSince ? <p className="mt-2 text-xs text-muted">The policy has changed since this decision; it reads as shown today.</p> : null}
      </>
    );
  }
  if (rule.kind === "delegation") {
    return (
      <Facts
        items={[
          ["Reason", code],
          [
            "Delegation",
            <span key="d">
              <span className="font-mono">{rule.fromSlug}</span> → <span className="font-mono">{rule.toSlug}</span>, for{" "}
              <span className="font-mono text-xs">{rule.actions.join(", ")}</span>
            </span>,
          ],
          ["Ends", rule.revokedAt ? `revoked ${formatAbsolute(rule.revokedAt)}` : `expires ${formatAbsolute(rule.expiresAt)}`],
        ]}
      />
    );
  }
  if (rule.kind === "capability_kill") {
    return (
      <Facts
        items={[
          ["Reason", code],
          ["Capability kill", <span key="k" className="font-mono">{`${rule.capability} (${rule.agentSlug ?? "every agent"})`}</span>],
          ["Why", rule.reason],
          ["Restored", rule.restoredAt ? formatAbsolute(rule.restoredAt) : "not yet"],
        ]}
      />
    );
  }
  return (
    <Facts
      items={[
        ["Reason", code],
        [
          "Rule",
          rule.kind === "gone" ? (
            <span>
              <span className="font-mono text-xs">{rule.id}</span> (no longer exists)
            </span>
          ) : (
            <span className="text-muted">No single line or policy: the reason code says why.</span>
          ),
        ],
      ]}
    />
  );
}

const STATUS_TONE = { pending: "blue", approved: "green", denied: "red", expired: "red", cancelled: "grey" } as const;

export function CheckpointSection({ record, now }: { record: DecisionRecord; now: Date }) {
  const checkpoint = record.checkpoint;
  return (
    <Section title="Human checkpoint" id="checkpoint">
      {checkpoint ? (
        <>
          <Facts
            items={[
              ["Status", <Badge key="s" tone={STATUS_TONE[checkpoint.status]}>{checkpoint.status}</Badge>],
              ["Approvals needed", String(checkpoint.requiredApprovals)],
              ["Asked", <RelativeTime key="a" date={checkpoint.createdAt} now={now} />],
              ["Expires", formatAbsolute(checkpoint.expiresAt)],
              ["Decided", checkpoint.decidedAt ? <RelativeTime date={checkpoint.decidedAt} now={now} /> : <span className="text-muted">not yet</span>],
              ["Note", checkpoint.note ?? <span className="text-muted">—</span>],
              ["Used by the agent", checkpoint.consumedAt ? <RelativeTime date={checkpoint.consumedAt} now={now} /> : <span className="text-muted">no</span>],
            ]}
          />
          {checkpoint.approvals.length ? (
            <div className="mt-3">
              <Table caption="Votes on this checkpoint">
                <thead>
                  <tr>
                    <Th>Who</Th>
                    <Th>Vote</Th>
                    <Th>Note</Th>
                    <Th>When</Th>
                  </tr>
                </thead>
                <tbody>
                  {checkpoint.approvals.map((approval) => (
                    <tr key={`${approval.person.email}-${approval.createdAt.toISOString()}`}>
                      <Td>
                        {approval.person.name}
                        <div className="text-xs text-muted">{approval.person.email}</div>
                      </Td>
                      <Td>
                        <VerdictBadge verdict={approval.verdict === "approve" ? "approved" : "denied"} />
                      </Td>
                      <Td>{approval.note ?? <span className="text-muted">—</span>}</Td>
                      <Td>
                        <RelativeTime date={approval.createdAt} now={now} />
                      </Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            </div>
          ) : (
            <p className="mt-2 text-muted">No one has voted.</p>
          )}
        </>
      ) : (
        <p className="text-muted">{record.effect === "pending" ? "A checkpoint was asked for but is not recorded." : "No person was asked: the rules decided on their own."}</p>
      )}
    </Section>
  );
}
