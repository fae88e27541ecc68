"use server";
// The people page's server actions, each through consoleAction (people.manage, form parsing,
// refusals as form state); the use cases check the capability and the self/last-admin rules.
import { revalidatePath } from "next/cache";
import { consoleAction } from "@/lib/auth/action";
import { invitePerson } from "@/lib/people/invite-person";
import { resetPersonPassword } from "@/lib/people/reset-person-password";
import { setPersonDisabled } from "@/lib/people/set-person-disabled";
import { setPersonRoles } from "@/lib/people/set-person-roles";
import { accessForm, inviteForm, personForm, rolesForm } from "./form-schemas";

export interface OneTimeSecret {
  email: string;
  /** Shown once in the browser that asked for it; never stored in clear. */
  password: string | null;
}

export const invite = consoleAction("people.manage", inviteForm, async ({ input, person, actor }) => {
  const { person: created, initialPassword } = await invitePerson(person, actor, input as Parameters<typeof invitePerson>[2]);
  revalidatePath("/people");
  const data: OneTimeSecret = { email: created.email, password: initialPassword };
  return { message: `Added ${created.email}.`, data };
});

export const saveRoles = consoleAction("people.manage", rolesForm, async ({ input, person, actor }) => {
  await setPersonRoles(person, actor, input as Parameters<typeof setPersonRoles>[2]);
  revalidatePath("/people");
  return { message: "Roles saved." };
});

export const setAccess = consoleAction("people.manage", accessForm, async ({ input, person, actor }) => {
  const result = await setPersonDisabled(person, actor, input);
  revalidatePath("/people");
  return { message: result.disabled ? "Account disabled." : "Account enabled." };
});

export const resetPassword = consoleAction("people.manage", personForm, async ({ input, person, actor }) => {
  const reset = await resetPersonPassword(person, actor, input);
  revalidatePath("/people");
  const data: OneTimeSecret = { email: reset.email, password: reset.password };
  return { message: `New password for ${reset.email}.`, data };
});
