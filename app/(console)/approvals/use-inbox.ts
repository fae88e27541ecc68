"use client";
// The inbox's two live queries. The list polls every second with the version it holds and gets
// `unchanged` back until something changes (a new checkpoint, a vote, a decision, an expiry); a
// full refresh every FULL_EVERY polls covers a change the marker could miss. The open checkpoint is
// fetched once per opening with `opened=1` (audited as a view of its parameters) and refreshed,
// unaudited, whenever the list's version moves.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { approvalKeys, fetchCheckpoint, fetchInbox } from "./inbox-queries";
import type { InboxFilterValues, InboxSnapshot } from "./inbox-types";

const POLL_MS = 1_000;
const FULL_EVERY = 15;

export function useInboxSnapshot(filters: InboxFilterValues, initial: InboxSnapshot) {
  const client = useQueryClient();
  const polls = useRef(0);
  const key = approvalKeys.inbox(filters);
  return useQuery({
    queryKey: key,
    queryFn: async (): Promise<InboxSnapshot> => {
      const previous = client.getQueryData<InboxSnapshot>(key);
      polls.current += 1;
      const known = previous && polls.current % FULL_EVERY !== 0 ? previous.version : undefined;
      const sent = Date.now();
      const response = await fetchInbox(filters, known);
      // The server's clock at the middle of the round trip.
      const offsetMs = Date.parse(response.serverNow) - (sent + Date.now()) / 2;
      if (!response.page) {
        if (!previous) throw new Error("The inbox answered without a page.");
        return { ...previous, offsetMs };
      }
      return { version: response.version, offsetMs, page: response.page };
    },
    initialData: initial,
    staleTime: 0,
    refetchInterval: POLL_MS,
    refetchOnWindowFocus: true,
  });
}

export function useCheckpointDetail(id: string | null, version: string) {
  const client = useQueryClient();
  const opened = useRef(new Set<string>());
  const query = useQuery({
    queryKey: approvalKeys.checkpoint(id ?? ""),
    enabled: id !== null,
    staleTime: Infinity,
    queryFn: async () => {
      const target = id!;
      const detail = await fetchCheckpoint(target, !opened.current.has(target));
      opened.current.add(target);
      return detail;
    },
  });
  const seenVersion = useRef(version);
  useEffect(() => {
    if (seenVersion.current === version) return;
    seenVersion.current = version;
    if (id) void client.invalidateQueries({ queryKey: approvalKeys.checkpoint(id) });
  }, [client, id, version]);
  return query;
}
