import type { Metadata } from "next";
import Link from "next/link";
import { requirePage } from "@/lib/auth/guard";
import { listPeople } from "@/lib/people/list-people";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { formatCount } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { RowTh, Table, Td, Th } from "@/components/ui/table";

export const metadata: Metadata = { title: "People" };

function AgentLinks({ agents }: { agents: { slug: string; name: string }[] }) {
  return (
    <>
      {agents.map((agent, index) => (
        <span key={agent.slug}>
          {index > 0 ? ", " : null}
          <Link href={`/agents/${agent.slug}`} className="text-accent hover:underline">
            {agent.name}
          </Link>
        </span>
      ))}
    </>
  );
}

export default async function PeoplePage() {
  await requirePage("people.view", { path: "/people" });
  const now = new Date();
  const people = await listPeople();

  return (
    <>
      <PageHeader title="People" description={`${formatCount(people.length, "person", "people")} can sign in to the console. Roles take effect on the next request.`} />
      {people.length === 0 ? (
        <EmptyState title="No people yet">The first admin is created from the command line; after that, admins add people here.</EmptyState>
      ) : (
        <Table caption="People, their roles and the agents they own">
          <thead>
            <tr>
              <Th>Person</Th>
              <Th>Roles</Th>
              <Th>Account</Th>
              <Th>Last sign-in</Th>
              <Th>Owns</Th>
            </tr>
          </thead>
          <tbody>
            {people.map((person) => (
              <tr key={person.id}>
                <RowTh>
                  {person.name}
                  <div className="text-xs font-normal text-muted">{person.email}</div>
                </RowTh>
                <Td>
                  {person.roles.length ? (
                    <span className="flex flex-wrap gap-1">
                      {person.roles.map((role) => (
                        <Badge key={role} tone="blue">
                          {role}
                        </Badge>
                      ))}
                    </span>
                  ) : (
                    <span className="text-muted">no role</span>
                  )}
                </Td>
                <Td>{person.disabled ? <Badge tone="slate">disabled</Badge> : <Badge tone="green">enabled</Badge>}</Td>
                <Td>
                  <RelativeTime date={person.lastLoginAt} now={now} />
                </Td>
                <Td>
                  {person.owns.length === 0 && person.technicalOwnerOf.length === 0 ? <span className="text-muted">nothing</span> : null}
                  {person.owns.length ? (
                    <div>
                      <AgentLinks agents={person.owns} />
                    </div>
                  ) : null}
                  {person.technicalOwnerOf.length ? (
                    <div className="text-xs">
                      <span className="text-muted">technical owner of </span>
                      <AgentLinks agents={person.technicalOwnerOf} />
                    </div>
                  ) : null}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}
