// What the inbox's client components receive from the console routes and server actions.
import type { CheckpointDetail } from "@/lib/approvals/get-checkpoint-detail";
import type { InboxPage } from "@/lib/approvals/list-inbox";
import type { FatigueSignal } from "@/lib/approvals/record-fatigue";

export type { CheckpointDetail, InboxPage, FatigueSignal };
export type { InboxItem } from "@/lib/approvals/list-inbox";

export interface InboxResponse {
  version: string;
  serverNow: string;
  page?: InboxPage;
  unchanged?: true;
}

export interface InboxSnapshot {
  version: string;
  /** Server clock minus browser clock, so countdowns agree with the server's expiry. */
  offsetMs: number;
  page: InboxPage;
}

export interface DecideResult {
  status: string;
  approvals: number;
  requiredApprovals: number;
  fatigue: FatigueSignal | null;
}

export interface InboxFilterValues {
  agent?: string;
  system?: string;
  risk?: string;
  after?: string;
}
