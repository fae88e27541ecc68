// The digest a checkpoint is bound to: SHA-256 (hex) of the RFC 8785 canonical JSON of exactly
// what the agent asked to do. An approval applies to that digest only, so the same action with
// other parameters is another decision needing its own approval.
import { createHash } from "node:crypto";
import canonicalize from "canonicalize";

export interface DigestInput {
  agentId: string;
  action: string;
  resource?: string | null;
  params?: Readonly<Record<string, unknown>> | null;
}

export function checkpointDigest({ agentId, action, resource, params }: DigestInput): string {
  const canonical = canonicalize({ agent: agentId, action, resource: resource ?? null, params: params ?? {} });
  if (canonical === undefined) throw new Error("checkpointDigest: nothing to canonicalize.");
  return createHash("sha256").update(canonical, "utf8").digest("hex");
}
