// The approvals section: the live inbox and the history of decided checkpoints, as tabs. Each
// page checks approvals.view itself (requirePage); the layout only frames them.
import type { ReactNode } from "react";
import { PageHeader } from "@/components/ui/page-header";
import { ApprovalsTabs } from "./approvals-tabs";

export default function ApprovalsLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <PageHeader title="Approvals" description="Checkpoints waiting for people, the one expiring soonest first. An unanswered checkpoint is denied when it expires." />
      <ApprovalsTabs />
      {children}
    </>
  );
}
