// The inbox's query keys and fetchers (client side). Keys come from one factory, so the live
// refresh, the decide forms and the detail pane invalidate the same entries.
import type { CheckpointDetail, InboxFilterValues, InboxResponse } from "./inbox-types";

export const approvalKeys = {
  all: ["approvals"] as const,
  inbox: (filters: InboxFilterValues) => [...approvalKeys.all, "inbox", filters] as const,
  checkpoint: (id: string) => [...approvalKeys.all, "checkpoint", id] as const,
};

async function read<T>(response: Response): Promise<T> {
  if (response.ok) return (await response.json()) as T;
  let detail = `The console answered ${response.status}.`;
  try {
    const problem = (await response.json()) as { detail?: string };
    if (problem.detail) detail = problem.detail;
  } catch {
    // Not a problem document: keep the status line.
  }
  throw new Error(detail);
}

export async function fetchInbox(filters: InboxFilterValues, knownVersion: string | undefined): Promise<InboxResponse> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  if (knownVersion) params.set("version", knownVersion);
  return read(await fetch(`/api/console/approvals/inbox?${params}`, { headers: { accept: "application/json" }, cache: "no-store" }));
}

export async function fetchCheckpoint(id: string, opened: boolean): Promise<CheckpointDetail> {
  const query = opened ? "?opened=1" : "";
  return read(await fetch(`/api/console/approvals/checkpoints/${encodeURIComponent(id)}${query}`, { headers: { accept: "application/json" }, cache: "no-store" }));
}
