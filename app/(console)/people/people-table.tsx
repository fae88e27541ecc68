// Everyone who can sign in. Admins get role checkboxes, disable/enable and password resets in
// each row (locked on their own row); auditors read the same table without any control.
import Link from "next/link";
import type { PersonRow } from "@/lib/people/list-people";
import type { Role } from "@/lib/generated/prisma/enums";
import { Badge } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";
import { RowTh, Table, Td, Th } from "@/components/ui/table";
import { ConfirmButton } from "@/components/ui/form";
import { setAccess } from "./actions";
import { ResetPasswordButton } from "./reset-password-button";
import { RolesForm } from "./roles-form";

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

function RoleBadges({ roles }: { roles: Role[] }) {
  if (roles.length === 0) return <span className="text-muted">no role</span>;
  return (
    <span className="flex flex-wrap gap-1">
      {roles.map((role) => (
        <Badge key={role} tone="blue">
          {role}
        </Badge>
      ))}
    </span>
  );
}

function AccessControl({ person, isYou }: { person: PersonRow; isYou: boolean }) {
  if (isYou) return <p className="mt-1 text-xs text-muted">You cannot disable yourself.</p>;
  return (
    <div className="mt-1">
      <ConfirmButton
        action={setAccess}
        fields={{ personId: person.id, disabled: String(!person.disabled) }}
        label={person.disabled ? "Enable" : "Disable"}
        ariaLabel={`${person.disabled ? "Enable" : "Disable"} ${person.name}`}
        question={person.disabled ? `Enable ${person.name}? They can sign in again.` : `Disable ${person.name}? They lose access on their next click.`}
        confirmLabel={person.disabled ? "Enable account" : "Disable account"}
      />
    </div>
  );
}

interface Props {
  people: PersonRow[];
  /** Set for admins: who is looking (for the own-row locks) and the roles to offer. */
  manage: { youId: string; roles: readonly Role[] } | null;
  now: Date;
}

export function PeopleTable({ people, manage, now }: Props) {
  return (
    <Table caption="People, their roles and the agents they own">
      <thead>
        <tr>
          <Th>Person</Th>
          <Th>Roles</Th>
          <Th>Account</Th>
          <Th>Last sign-in</Th>
          <Th>Owns</Th>
          {manage ? <Th>Password</Th> : null}
        </tr>
      </thead>
      <tbody>
        {people.map((person) => {
          const isYou = manage?.youId === person.id;
          return (
            <tr key={person.id}>
              <RowTh>
                {person.name}
                {isYou ? <span className="ml-1 text-xs font-normal text-muted">(you)</span> : null}
                <div className="text-xs font-normal text-muted">{person.email}</div>
              </RowTh>
              <Td>{manage ? <RolesForm person={person} allRoles={manage.roles} isYou={isYou} /> : <RoleBadges roles={person.roles} />}</Td>
              <Td>
                {person.disabled ? <Badge tone="slate">disabled</Badge> : <Badge tone="green">enabled</Badge>}
                {manage ? <AccessControl person={person} isYou={isYou} /> : null}
              </Td>
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
              {manage ? (
                <Td>
                  <ResetPasswordButton person={person} />
                </Td>
              ) : null}
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
