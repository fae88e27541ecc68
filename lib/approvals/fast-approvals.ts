// The approval-fatigue rule, as a pure function of one person's recent votes.
//   - A vote's "look time" runs from when the voter last opened the checkpoint's details (the
//     inbox records every opening) to the vote — or from the checkpoint's creation when they
//     never opened it (a vote through some other client).
//   - A fast approval is an approve vote with a look time under FAST_APPROVAL_MS.
//   - A run is the newest unbroken sequence of fast approvals: any other vote (a deny, a slower
//     approval) or a pause longer than RUN_WINDOW_MS between two of them ends it.
//   - A run is flagged once it holds RUN_LENGTH fast approvals within RUN_WINDOW_MS. The flag
//     (an alert and an audit row) is written once per run: the run is identified by its start.
export const FAST_APPROVAL_MS = 3_000;
export const RUN_WINDOW_MS = 60_000;
export const RUN_LENGTH = 10;

export interface RecentVote {
  at: Date;
  verdict: "approve" | "deny";
  /** When the voter started looking (opened the details, or the checkpoint's creation). */
  openedAt: Date | null;
}

export interface FastRun {
  /** Fast approvals in the run (newest first, unbroken). */
  length: number;
  startedAt: Date | null;
  /** How many of them fall within RUN_WINDOW_MS of the newest. */
  inWindow: number;
  flagged: boolean;
}

export function isFast(vote: RecentVote): boolean {
  if (vote.verdict !== "approve") return false;
  const from = vote.openedAt ?? vote.at;
  return vote.at.getTime() - from.getTime() < FAST_APPROVAL_MS;
}

/** `votes` newest first. */
export function fastRun(votes: readonly RecentVote[]): FastRun {
  const run: RecentVote[] = [];
  for (const vote of votes) {
    if (!isFast(vote)) break;
    const previous = run.at(-1);
    if (previous && previous.at.getTime() - vote.at.getTime() > RUN_WINDOW_MS) break;
    run.push(vote);
  }
  const newest = run[0];
  const inWindow = newest ? run.filter((vote) => newest.at.getTime() - vote.at.getTime() <= RUN_WINDOW_MS).length : 0;
  return { length: run.length, startedAt: run.at(-1)?.at ?? null, inWindow, flagged: inWindow >= RUN_LENGTH };
}
