// The verifier's inner loop, without I/O: fed one range of seals in seq order, each with its
// event's canonical text (null when the event is gone), it recomputes each hash, checks each link
// and stops at the first break. What kind of break it is sometimes needs one more row (a bad hash
// is a changed event and a missing one a deleted event, unless the next seal chains past it: an
// inserted seal), so a range is read with one row beyond its end; or a database lookup
// (verify-classify.ts), which the walker leaves to its caller.
import { sealHash } from "@/lib/audit/canonical-event";

export type ChainProblem = "changed" | "deleted" | "inserted" | "reordered" | "truncated" | "rewritten";

export interface ChainBreak {
  /** The chain position where it breaks. */
  seq: number;
  /** The event sealed there (null when the position is empty). */
  id: string | null;
  problem: ChainProblem;
  detail: string;
}

/** A link that does not hold, to be classified against the database. */
export interface BrokenLink {
  seq: number;
  id: string;
  prevHash: string;
  hash: string;
  /** The event's canonical text; null when the event no longer exists. */
  canonical: string | null;
  /** The verified hashes of the two rows before it (expected prev_hash, and the one before). */
  expectedPrev: string;
  beforePrev: string | null;
}

export type WalkStop = { kind: "break"; found: ChainBreak } | { kind: "link"; link: BrokenLink };

export interface WalkStart {
  /** The row before the range (trusted here; the previous range verifies it) and its hashes. */
  seq: number;
  hash: string;
  before: string | null;
}

export class ChainWalker {
  checked = 0;
  /** The last verified position, its hash and the hash before it. */
  seq: number;
  hash: string;
  before: string | null;
  /** The event at the last verified position (null before the first one). */
  id: string | null = null;
  stop: WalkStop | null = null;
  private pending: { seq: number; id: string; expectedPrev: string; gone: boolean } | null = null;

  constructor(
    start: WalkStart,
    /** The range's last seq: rows after it only settle a pending verdict. */
    private readonly end: number,
    private readonly anchor?: { seq: number; hash: string },
  ) {
    this.seq = start.seq;
    this.hash = start.hash;
    this.before = start.before;
  }

  /** One seal (as fetched: seq, event id, prev_hash, hash, the event's canonical text or null). False once done. */
  push(seqText: string, id: string, prevHash: string | null, hash: string | null, canonical: string | null): boolean {
    if (this.stop) return false;
    const seq = Number(seqText);
    if (this.pending) return this.settlePending(seq, prevHash);
    if (seq > this.end) return false;
    const expected = this.seq + 1;
    if (seq !== expected) {
      this.stop = { kind: "break", found: seq > expected ? missing(expected, seq - 1) : { seq, id, problem: "inserted", detail: `a second row claims seq ${seq}` } };
      return false;
    }
    if (prevHash !== this.hash) {
      this.stop = { kind: "link", link: { seq, id, prevHash: prevHash ?? "", hash: hash ?? "", canonical, expectedPrev: this.hash, beforePrev: this.before } };
      return false;
    }
    if (hash === null || canonical === null || sealHash(seq, prevHash, canonical) !== hash) {
      // Changed or deleted, or an intruder that copied the right prev_hash: the next row tells which.
      this.pending = { seq, id, expectedPrev: this.hash, gone: canonical === null };
      return true;
    }
    this.checked += 1;
    this.before = this.hash;
    this.seq = seq;
    this.hash = hash;
    this.id = id;
    if (this.anchor && seq === this.anchor.seq && hash !== this.anchor.hash) {
      this.stop = { kind: "break", found: { seq, id, problem: "rewritten", detail: `seq ${seq} chains, but its hash is not the one published for it: the chain was rebuilt` } };
      return false;
    }
    return true;
  }

  /** No more rows: settles a pending verdict; rows missing up to the range's end are a deletion. */
  finish(): WalkStop | null {
    if (this.pending) this.settlePending(null, null);
    if (!this.stop && this.seq < this.end) this.stop = { kind: "break", found: missing(this.seq + 1, this.end) };
    return this.stop;
  }

  private settlePending(nextSeq: number | null, nextPrev: string | null): false {
    const { seq, id, expectedPrev, gone } = this.pending!;
    this.pending = null;
    const skipped = nextSeq === seq + 1 && nextPrev === expectedPrev;
    this.stop = {
      kind: "break",
      found: skipped
        ? { seq, id, problem: "inserted", detail: `seq ${seq} is not part of the chain: the next row links to the row before it` }
        : gone
          ? { seq, id, problem: "deleted", detail: `the event sealed at seq ${seq} (id ${id}) no longer exists` }
          : { seq, id, problem: "changed", detail: `seq ${seq} was modified after sealing: its content no longer matches its hash` },
    };
    return false;
  }
}

function missing(first: number, last: number): ChainBreak {
  return { seq: first, id: null, problem: "deleted", detail: `seq ${first}${last > first ? `..${last}` : ""} missing from the chain` };
}
