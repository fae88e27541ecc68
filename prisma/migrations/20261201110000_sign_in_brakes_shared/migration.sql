-- The sign-in brakes that lived in each process's memory — per client address, and for e-mail
-- addresses without an account — move into the database, so that several console instances
-- behind one load balancer brake a client (or a made-up address) together instead of each
-- granting its own budget. See lib/auth/client-throttle.ts and lib/auth/stranger-brake.ts.

CREATE TABLE "sign_in_client_failure" (
    "client" TEXT NOT NULL,
    "failed_at" TIMESTAMPTZ(3)[],
    "last_failed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sign_in_client_failure_pkey" PRIMARY KEY ("client")
);

CREATE INDEX "sign_in_client_failure_last_failed_at_idx" ON "sign_in_client_failure"("last_failed_at");

CREATE TABLE "sign_in_stranger" (
    "email" TEXT NOT NULL,
    "failed_login_count" INTEGER NOT NULL,
    "locked_until" TIMESTAMPTZ(3),
    "last_failed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sign_in_stranger_pkey" PRIMARY KEY ("email")
);

CREATE INDEX "sign_in_stranger_last_failed_at_idx" ON "sign_in_stranger"("last_failed_at");
