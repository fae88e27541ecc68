// The admin side of webhooks against a real PostgreSQL: only admins manage them; URLs are
// validated (http/https, no credentials, never link-local); the secret is shown once, stored only
// encrypted and never written to the audit; every change is audited before → after; switching
// off abandons queued deliveries; deleting removes the log with the webhook.
import { createHash, randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/http/errors";
import { createWebhook } from "@/lib/webhooks/create-webhook";
import { deleteWebhook } from "@/lib/webhooks/delete-webhook";
import { getWebhookWithLog, listWebhooks } from "@/lib/webhooks/list-webhooks";
import { rotateWebhookSecret } from "@/lib/webhooks/rotate-webhook-secret";
import { sendTestWebhook } from "@/lib/webhooks/send-test-webhook";
import { DISABLED_ERROR, setWebhookEnabled, updateWebhook } from "@/lib/webhooks/update-webhook";
import { openSecret } from "@/lib/webhooks/webhook-secret";
import { makePerson, personActor } from "./agent-api-fixtures";

process.env.NEXTAUTH_SECRET ??= randomBytes(32).toString("base64url");

type Person = Awaited<ReturnType<typeof makePerson>>;
let admin: Person;

const valid = { name: "Approvals channel", url: "https://hooks.example.com/mandate", events: ["checkpoint.created"], format: "mandate" as const, includeParams: false };

beforeAll(async () => {
  admin = await makePerson(["admin"], "Ada Admin");
});

async function refused(code: string, call: () => Promise<unknown>): Promise<AppError> {
  const error = await call().then(() => new Error("expected a refusal"), (caught: unknown) => caught);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

const auditsOf = (id: string) => db().auditEvent.findMany({ where: { subjectType: "webhook", subjectId: id }, orderBy: { id: "asc" } });

describe("createWebhook", () => {
  it("shows a generated secret once and stores it only encrypted, audited without it", async () => {
    const { webhook, secret } = await createWebhook(admin, personActor(admin), { ...valid, url: "https://hooks.example.com/mandate#fragment" });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
    expect(webhook).toMatchObject({ name: "Approvals channel", url: "https://hooks.example.com/mandate", events: ["checkpoint.created"], enabled: true, secretHint: secret.slice(-4) });
    const row = await db().webhook.findUniqueOrThrow({ where: { id: webhook.id } });
    expect(row.secretCiphertext).not.toContain(secret);
    expect(row.secretCiphertext).not.toContain(secret.slice(6));
    expect(openSecret(row.secretCiphertext)).toBe(secret);
    const [audit] = await auditsOf(webhook.id);
    expect(audit).toMatchObject({ type: "webhook.created", actorPersonId: admin.id });
    expect(audit!.data).toMatchObject({
      before: null,
      after: { urlOrigin: "https://hooks.example.com", urlSha256: createHash("sha256").update("https://hooks.example.com/mandate").digest("hex"), secretHint: secret.slice(-4) },
      secretGenerated: true,
    });
    expect(JSON.stringify(audit?.data)).not.toContain(secret);
    // The path is a credential for many receivers (Slack's incoming webhooks): never in the audit.
    expect(JSON.stringify(audit?.data)).not.toContain("/mandate");
  });

  it("keeps a pasted secret, and refuses one too short to resist guessing", async () => {
    const pasted = "my-receivers-shared-secret-0123456789";
    const { secret } = await createWebhook(admin, personActor(admin), { ...valid, secret: pasted });
    expect(secret).toBe(pasted);
    const error = await refused("validation_failed", () => createWebhook(admin, personActor(admin), { ...valid, secret: "short" }));
    expect(error.fields?.map((field) => field.path)).toEqual(["secret"]);
  });

  it.each([
    ["ftp://files.example.com/hook", "http:// or https://"],
    ["javascript:alert(1)", "http:// or https://"],
    ["https://user:pass@hooks.example.com/x", "credentials"],
    ["http://169.254.169.254/latest/meta-data/", "never allowed"],
    ["http://[::ffff:169.254.169.254]/", "never allowed"],
    ["http://0.0.0.0:8080/", "never allowed"],
    ["hooks.example.com/mandate", "full URL"],
    [`https://hooks.example.com/${"x".repeat(2_000)}`, "2000"],
  ])("refuses the URL %s and writes nothing", async (url, message) => {
    const before = await db().webhook.count();
    const error = await refused("validation_failed", () => createWebhook(admin, personActor(admin), { ...valid, url }));
    expect(error.fields?.find((field) => field.path === "url")?.message).toContain(message);
    expect(await db().webhook.count()).toBe(before);
  });

  it("needs a name and at least one known event", async () => {
    const error = await refused("validation_failed", () => createWebhook(admin, personActor(admin), { ...valid, name: " ", events: [] }));
    expect(error.fields?.map((field) => field.path).sort()).toEqual(["events", "name"]);
    await refused("validation_failed", () => createWebhook(admin, personActor(admin), { ...valid, events: ["agent.created"] }));
  });

  it.each([["approver"], ["auditor"], [null]] as const)("refuses a person with role %s everywhere", async (role) => {
    const person = await makePerson(role ? [role] : []);
    const { webhook } = await createWebhook(admin, personActor(admin), valid);
    const actor = personActor(person);
    await refused("forbidden", () => createWebhook(person, actor, valid));
    await refused("forbidden", () => updateWebhook(person, actor, { id: webhook.id, ...valid, name: "Mine now" }));
    await refused("forbidden", () => setWebhookEnabled(person, actor, { id: webhook.id, enabled: false }));
    await refused("forbidden", () => rotateWebhookSecret(person, actor, { id: webhook.id }));
    await refused("forbidden", () => sendTestWebhook(person, actor, { id: webhook.id }));
    await refused("forbidden", () => deleteWebhook(person, actor, { id: webhook.id }));
    await refused("forbidden", () => listWebhooks(person));
    await refused("forbidden", () => getWebhookWithLog(person, webhook.id));
    expect(await db().webhook.findUniqueOrThrow({ where: { id: webhook.id } })).toMatchObject({ name: valid.name, enabled: true });
  });
});

describe("changing a webhook", () => {
  it("updates settings, audited before → after", async () => {
    const { webhook } = await createWebhook(admin, personActor(admin), valid);
    const after = await updateWebhook(admin, personActor(admin), {
      id: webhook.id,
      name: "Finance channel",
      url: "https://hooks.example.com/finance",
      events: ["checkpoint.decided", "checkpoint.expired"],
      format: "slack",
      includeParams: "on" as unknown as boolean,
    });
    expect(after).toMatchObject({ name: "Finance channel", format: "slack", includeParams: true, events: ["checkpoint.decided", "checkpoint.expired"] });
    const audit = (await auditsOf(webhook.id)).find((row) => row.type === "webhook.updated");
    expect(audit?.data).toMatchObject({ before: { name: "Approvals channel", format: "mandate" }, after: { name: "Finance channel", format: "slack", urlOrigin: "https://hooks.example.com" } });
    expect(JSON.stringify(audit?.data)).not.toContain("/finance");
    await refused("not_found", () => updateWebhook(admin, personActor(admin), { ...valid, id: "00000000-0000-4000-8000-000000000000" }));
  });

  it("rotates the secret: the new one works, the old one is gone, the audit has hints only", async () => {
    const { webhook, secret: old } = await createWebhook(admin, personActor(admin), valid);
    const { secret, secretHint } = await rotateWebhookSecret(admin, personActor(admin), { id: webhook.id });
    expect(secret).not.toBe(old);
    const row = await db().webhook.findUniqueOrThrow({ where: { id: webhook.id } });
    expect(openSecret(row.secretCiphertext)).toBe(secret);
    expect(row.secretHint).toBe(secretHint);
    const audit = (await auditsOf(webhook.id)).find((event) => event.type === "webhook.secret_rotated");
    expect(audit?.data).toMatchObject({ before: { secretHint: old.slice(-4) }, after: { secretHint } });
    expect(JSON.stringify(audit?.data)).not.toContain(secret);
  });

  it("switching off abandons queued deliveries; a test cannot be sent while off", async () => {
    const { webhook } = await createWebhook(admin, personActor(admin), valid);
    await sendTestWebhook(admin, personActor(admin), { id: webhook.id });
    await setWebhookEnabled(admin, personActor(admin), { id: webhook.id, enabled: false });
    const [delivery] = await db().webhookDelivery.findMany({ where: { webhookId: webhook.id } });
    expect(delivery).toMatchObject({ status: "failed", nextAttemptAt: null, lastError: DISABLED_ERROR });
    await refused("conflict", () => sendTestWebhook(admin, personActor(admin), { id: webhook.id }));
    const disabled = (await auditsOf(webhook.id)).find((event) => event.type === "webhook.disabled");
    expect(disabled?.data).toMatchObject({ before: { enabled: true }, after: { enabled: false }, abandonedDeliveries: 1 });
  });

  it("lists webhooks with their recent deliveries, and deletes one with its log", async () => {
    const { webhook } = await createWebhook(admin, personActor(admin), { ...valid, name: "To delete" });
    await sendTestWebhook(admin, personActor(admin), { id: webhook.id });
    const listed = (await listWebhooks(admin)).find((item) => item.id === webhook.id);
    expect(listed).toMatchObject({ pending: 1, createdBy: "Ada Admin", lastDelivery: { status: "pending" } });
    const withLog = await getWebhookWithLog(admin, webhook.id);
    expect(withLog?.deliveries).toEqual([expect.objectContaining({ event: "webhook.test", status: "pending", attempts: [] })]);
    expect(await getWebhookWithLog(admin, "nope")).toBeNull();

    await deleteWebhook(admin, personActor(admin), { id: webhook.id });
    expect(await db().webhook.findUnique({ where: { id: webhook.id } })).toBeNull();
    expect(await db().webhookDelivery.count({ where: { webhookId: webhook.id } })).toBe(0);
    const deleted = (await auditsOf(webhook.id)).find((event) => event.type === "webhook.deleted");
    expect(deleted?.data).toMatchObject({ before: { name: "To delete" }, after: null, deliveries: 1 });
    await refused("not_found", () => deleteWebhook(admin, personActor(admin), { id: webhook.id }));
  });
});
