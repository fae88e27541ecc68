-- A password an admin issued (an invitation or a reset) is shown to that admin once; until the
-- person replaces it with one of their own, the admin could sign in as them — an approver, say,
-- deciding a checkpoint the admin's own agent raised. The console admits such a person only to
-- the password page (lib/auth/guard.ts). Existing accounts are not forced: nobody can tell now
-- who chose their password.
ALTER TABLE "person" ADD COLUMN "must_change_password" BOOLEAN NOT NULL DEFAULT false;
