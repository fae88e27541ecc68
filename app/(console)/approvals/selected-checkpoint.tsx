"use client";
// The right-hand pane: the selected checkpoint's state, what the viewer may do about it, and its
// details. A checkpoint someone else decided (or that expired, or was cancelled) while it was open
// says so here and offers no buttons; the list has already dropped it.
import { Badge } from "@/components/ui/badge";
import { FormMessage } from "@/components/ui/form";
import { formatAbsolute } from "@/components/ui/format";
import type { FormState } from "@/lib/auth/action";
import { CheckpointDetail } from "./checkpoint-detail";
import { DecideForms, type Mode } from "./decide-forms";
import type { CheckpointDetail as Detail, DecideResult } from "./inbox-types";

interface Props {
  detail: Detail | undefined;
  loading: boolean;
  error: Error | null;
  mayDecide: boolean;
  now: number;
  mode: Mode;
  onMode: (mode: Mode) => void;
  onDecided: (result: DecideResult, message: string | undefined) => void;
  onAnswer: (state: FormState) => void;
  /** The server's last answer to this person's click on this checkpoint. */
  answer: FormState | null;
}

function Ended({ detail }: { detail: Detail }) {
  const decider = detail.votes.filter((vote) => vote.verdict === (detail.status === "approved" ? "approve" : "deny")).at(-1)?.person;
  const when = detail.decidedAt ? formatAbsolute(new Date(detail.decidedAt)) : "";
  const text: Record<Exclude<Detail["status"], "pending">, string> = {
    approved: `Approved${decider ? ` by ${decider}` : ""} at ${when}.`,
    denied: `Denied${decider ? ` by ${decider}` : ""} at ${when}.`,
    expired: `Expired at ${when}: nobody decided in time, so it is a deny.`,
    cancelled: `Cancelled at ${when}: the agent was stopped.`,
  };
  if (detail.status === "pending") return null;
  return (
    <div data-testid="checkpoint-ended" className="rounded-md border border-line bg-surface-2 px-3 py-2">
      <Badge tone={detail.status === "approved" ? "green" : detail.status === "cancelled" ? "slate" : "red"}>{detail.status}</Badge>{" "}
      <span>{text[detail.status]}</span>
      {detail.note ? <p className="mt-1 text-xs text-muted">Note: {detail.note}</p> : null}
      <p className="mt-1 text-xs text-muted">Nothing left to do here; press j for the next one.</p>
    </div>
  );
}

export function SelectedCheckpoint({ detail, loading, error, mayDecide, now, mode, onMode, onDecided, onAnswer, answer }: Props) {
  if (!detail) {
    if (error) return <p role="alert">This checkpoint could not be loaded: {error.message}</p>;
    return <p className="text-muted">{loading ? "Loading the checkpoint…" : "Select a checkpoint to see its details."}</p>;
  }
  const live = detail.status === "pending" && Date.parse(detail.expiresAt) > now;
  return (
    <div className="space-y-3">
      {answer ? <FormMessage state={answer} /> : null}
      {detail.status !== "pending" ? (
        <Ended detail={detail} />
      ) : !live ? (
        <p className="rounded-md border border-line bg-surface-2 px-3 py-2">This checkpoint just expired: nobody decided in time, so it is a deny.</p>
      ) : !mayDecide ? (
        <p className="text-xs text-muted">You can read checkpoints; approvers and admins decide them.</p>
      ) : detail.viewer.cannotDecide ? (
        <p data-testid="cannot-decide" className="rounded-md border border-line bg-surface-2 px-3 py-2">
          {detail.viewer.cannotDecide}
        </p>
      ) : (
        <DecideForms key={detail.id} detail={detail} mode={mode} onMode={onMode} onDecided={onDecided} onAnswer={onAnswer} />
      )}
      <CheckpointDetail detail={detail} now={now} />
    </div>
  );
}
