import type { Metadata } from "next";
import { requirePage } from "@/lib/auth/guard";
import { oidcConfig } from "@/lib/auth/oidc";
import { Role } from "@/lib/generated/prisma/enums";
import { can } from "@/lib/people/capabilities";
import { listPeople } from "@/lib/people/list-people";
import { EmptyState } from "@/components/ui/empty-state";
import { formatCount } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { AddPanel } from "@/components/ui/add-panel";
import { InviteForm } from "./invite-form";
import { PeopleTable } from "./people-table";

export const metadata: Metadata = { title: "People" };

const ROLES = Object.values(Role);

export default async function PeoplePage() {
  const person = await requirePage("people.view", { path: "/people" });
  // Controls are only rendered for admins; every action checks people.manage again anyway.
  const canManage = can(person.roles, "people.manage");
  const now = new Date();
  const people = await listPeople();

  return (
    <>
      <PageHeader title="People" description={`${formatCount(people.length, "person", "people")} can sign in to the console. Roles take effect on the next request.`} />
      {canManage ? (
        <AddPanel label="Add a person">
          <InviteForm roles={ROLES} ssoLabel={oidcConfig()?.label ?? null} />
        </AddPanel>
      ) : null}
      {people.length === 0 ? (
        <EmptyState title="No people yet">The first admin is created from the command line; after that, admins add people here.</EmptyState>
      ) : (
        <PeopleTable people={people} manage={canManage ? { youId: person.id, roles: ROLES } : null} now={now} />
      )}
    </>
  );
}
