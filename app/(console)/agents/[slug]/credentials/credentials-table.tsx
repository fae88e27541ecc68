import type { AgentDetail } from "@/lib/agents/get-agent-by-slug";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { RelativeTime } from "@/components/ui/relative-time";
import { RowTh, Table, Td, Th } from "@/components/ui/table";
import { RevokeControl } from "./revoke-controls";

type Credential = AgentDetail["credentials"][number];

function CredentialState({ credential, now }: { credential: Credential; now: Date }) {
  if (credential.revokedAt) return <Badge tone="slate">revoked</Badge>;
  if (credential.expiresAt && credential.expiresAt <= now) return <Badge tone="grey">expired</Badge>;
  return <Badge tone="green">live</Badge>;
}

/** `manageFor`: the agent's id when the viewer may revoke its keys; otherwise the list is read-only. */
export function CredentialsTable({ credentials, now, manageFor }: { credentials: Credential[]; now: Date; manageFor?: string }) {
  if (credentials.length === 0) {
    return (
      <EmptyState title="No credentials">
        The agent cannot call Mandate until an owner issues it an API key. Keys are shown once and stored only as a hash.
      </EmptyState>
    );
  }
  return (
    <Table caption="API keys of this agent (secrets are never shown)">
      <thead>
        <tr>
          <Th>Label</Th>
          <Th>Prefix</Th>
          <Th>State</Th>
          <Th>Created</Th>
          <Th>Last used</Th>
          <Th>Expires</Th>
          <Th>Revoked</Th>
          {manageFor ? (
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {credentials.map((credential) => (
          <tr key={credential.id}>
            <RowTh>{credential.label}</RowTh>
            <Td className="font-mono text-xs">{credential.prefix}</Td>
            <Td>
              <CredentialState credential={credential} now={now} />
            </Td>
            <Td>
              <RelativeTime date={credential.createdAt} now={now} />
            </Td>
            <Td>
              <RelativeTime date={credential.lastUsedAt} now={now} />
            </Td>
            <Td>{credential.expiresAt ? <RelativeTime date={credential.expiresAt} now={now} /> : <span className="text-muted">no expiry</span>}</Td>
            <Td>{credential.revokedAt ? <RelativeTime date={credential.revokedAt} now={now} /> : <span className="text-muted">—</span>}</Td>
            {manageFor ? (
              <Td>
                {credential.revokedAt ? null : (
                  <RevokeControl scope="one" agentId={manageFor} credentialId={credential.id} prefix={credential.prefix} label={credential.label} />
                )}
              </Td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
