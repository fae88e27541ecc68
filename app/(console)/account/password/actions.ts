"use server";
// Choosing one's own password: the one action a person on an admin-issued password may take.
// The schema here only shapes the form; the use case validates and decides.
import { z } from "zod";
import { consoleAction } from "@/lib/auth/action";
import { changeOwnPassword } from "@/lib/people/change-own-password";

const form = z.object({ current: z.string(), next: z.string(), confirm: z.string() });

export const changePassword = consoleAction(
  "console.view",
  form,
  async ({ input, person, actor }) => {
    await changeOwnPassword(person, actor, input);
    return { message: "Password changed. Sign in with your new password." };
  },
  { ownAccount: true },
);
