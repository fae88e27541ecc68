// The data plane's `authenticate` hook: `Authorization: Bearer <agent key>` → the calling agent.
// Verified keys are cached per instance by the SHA-256 of the whole key (so a hit proves the whole
// key was verified before), dropped on `credential`, `agent` and `resync` notifications — a
// revoked key is refused on every instance as soon as its revocation commits — and re-verified
// after a short TTL in case a notification was lost. Refusals are never cached.
//
// No oracle: a missing, malformed, unknown, revoked or expired key gets the same problem document
// (same status, code, detail, WWW-Authenticate) after the same work — a malformed or missing key
// is checked as a well-formed dummy key, so it also costs the database lookup a real miss costs.
import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { FastifyRequest } from "fastify";
import type pg from "pg";
import { KEY_SCHEME, PREFIX_LENGTH, parseAgentKey } from "@/lib/credentials/key-format";
import { verifyAgentKey, type VerifiedKey } from "@/lib/credentials/verify-agent-key";
import type { ChangeFeed } from "@/lib/decisions/agent-context-cache";
import { VersionedCache } from "@/lib/db/versioned-cache";
import type { AgentCaller, Authenticate } from "@/lib/http/dataplane/define-route";
import { AppError } from "@/lib/http/errors";

export const UNAUTHORIZED_DETAIL = "A valid agent key is required: send Authorization: Bearer <agent key>.";
const BEARER = /^Bearer +(\S+) *$/i;
const SEEN_INTERVAL_MS = 60_000;
const TOUCH_SEEN = {
  name: "mandate-agent-seen",
  // Guarded in SQL too, so several instances write at most about once a minute between them.
  text: "UPDATE agent SET last_seen_at = $2 WHERE id = $1 AND (last_seen_at IS NULL OR last_seen_at <= $3)",
};

export interface AgentAuth {
  authenticate: Authenticate;
  close(): void;
}

export interface AgentAuthOptions {
  /** For last_seen_at. */
  pool: pg.Pool;
  changes: ChangeFeed;
  /** Safety net in case a notification is lost; default 5 s. */
  ttlMs?: number;
  /** Defaults to verifyAgentKey; tests may count calls. */
  verify?: (raw: unknown, now: Date) => Promise<VerifiedKey | null>;
}

class Refused extends Error {}

/** When each authenticated request reached the data plane: its decision's recorded latency starts there. */
const arrivedAt = new WeakMap<FastifyRequest, number>();

export function arrivalOf(request: FastifyRequest): number {
  return arrivedAt.get(request) ?? performance.now();
}

export function createAgentAuth(options: AgentAuthOptions): AgentAuth {
  const verify = options.verify ?? verifyAgentKey;
  const keys = new VersionedCache<string, VerifiedKey>({ ttlMs: options.ttlMs ?? 5_000, maxSize: 50_000, bypass: () => !options.changes.listening() });
  const seenAt = new Map<string, number>();
  // A key nobody holds: its prefix is well-formed (so it is looked up) and its secret is random.
  const dummyKey = `${KEY_SCHEME}_${"0".repeat(PREFIX_LENGTH)}_${randomBytes(32).toString("base64url")}`;

  const unsubscribe = options.changes.subscribe((message) => {
    if (message.kind === "resync") keys.clear();
    else if (message.kind === "credential" || message.kind === "agent") {
      const { id, agentId } = message;
      if (message.kind === "credential" && id && !agentId) keys.invalidateWhere((_, value) => value === undefined || value.credentialId === id);
      else if (agentId) keys.invalidateWhere((_, value) => value === undefined || value.agentId === agentId.toLowerCase());
      else keys.clear();
    }
  });

  const touchSeen = (agentId: string, now: number) => {
    if ((seenAt.get(agentId) ?? -Infinity) > now - SEEN_INTERVAL_MS) return;
    if (seenAt.size > 50_000) seenAt.clear();
    seenAt.set(agentId, now);
    // "Last seen" is for people; it is written beside the request, never in its way.
    options.pool.query({ ...TOUCH_SEEN, values: [agentId, new Date(now), new Date(now - SEEN_INTERVAL_MS)] }).catch(() => seenAt.delete(agentId));
  };

  /** A key not in the cache (or expired there): verified against the database; concurrent misses share the lookup. */
  const lookUp = async (raw: string, cacheKey: string, now: Date): Promise<VerifiedKey | null> => {
    const found = await keys
      .get(cacheKey, async () => {
        const key = await verify(raw, now);
        if (!key) throw new Refused();
        return key;
      })
      .catch((error: unknown) => {
        if (error instanceof Refused) return null;
        throw new AppError("unavailable", "Agent keys cannot be checked right now; try again shortly.");
      });
    if (!found || !expired(found, now)) return found;
    // Checked again rather than refused from memory, so this refusal costs what every refusal costs.
    keys.invalidate(cacheKey);
    return verify(raw, now).catch(() => null);
  };

  const authenticate: Authenticate = async (request: FastifyRequest): Promise<AgentCaller> => {
    arrivedAt.set(request, performance.now());
    const now = new Date();
    const raw = bearerOf(request.headers.authorization);
    let verified: VerifiedKey | null = null;
    if (raw !== null && parseAgentKey(raw) !== null) {
      const cacheKey = createHash("sha256").update(raw, "utf8").digest("base64");
      // The hot path: a key verified moments ago, without a promise or a closure per request.
      const cached = keys.peek(cacheKey);
      verified = cached && !expired(cached, now) ? cached : await lookUp(raw, cacheKey, now);
    } else {
      await verify(dummyKey, now).catch(() => null);
    }
    if (!verified || expired(verified, now)) {
      throw new AppError("unauthorized", UNAUTHORIZED_DETAIL);
    }
    touchSeen(verified.agentId, now.getTime());
    return { agentId: verified.agentId, credentialId: verified.credentialId };
  };

  return { authenticate, close: unsubscribe };
}

function expired(key: VerifiedKey, now: Date): boolean {
  return key.expiresAt !== null && key.expiresAt.getTime() <= now.getTime();
}

function bearerOf(header: string | undefined): string | null {
  if (typeof header !== "string" || header.length > 200) return null;
  const match = BEARER.exec(header);
  return match ? (match[1] as string) : null;
}
