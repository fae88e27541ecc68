// The admin's catalog and people work, end to end: add a system and an action, add and switch
// off a global checkpoint, invite a person whose one-time password is shown once and works only to
// choose their own (and whose session a password reset ends); and an auditor reading the same
// pages without a single edit control. Names carry a random suffix because every spec shares one
// seeded database; the seeded accounts are never changed.
import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { account } from "@/e2e/support/accounts";
import { signIn, signInOk } from "@/e2e/support/session";

const suffix = randomBytes(3).toString("hex");

test("the admin adds a system and an action, and sees the action listed", async ({ page }) => {
  const systemKey = `e2e_${suffix}`;
  const actionKey = `${systemKey}.report.send`;
  await signInOk(page, account("admin"));
  await page.goto("/catalog");

  await page.getByText("Add a system", { exact: true }).click();
  const addSystem = page.getByRole("form", { name: "Add a system" });
  await addSystem.getByLabel("Key", { exact: true }).fill(systemKey);
  await addSystem.getByLabel("Name", { exact: true }).fill(`E2E system ${suffix}`);
  await addSystem.getByRole("button", { name: "Add system" }).click();
  await expect(addSystem.getByRole("status")).toHaveText(`Added the system ${systemKey}.`);

  await page.getByText(`Add an action to ${systemKey}`, { exact: true }).click();
  const addAction = page.getByRole("form", { name: `Add an action to ${systemKey}` });
  await addAction.getByLabel("Key", { exact: true }).fill(`${systemKey}.Bad Key`);
  await addAction.getByLabel("Name", { exact: true }).fill("Send report");
  await addAction.getByLabel("Category", { exact: true }).selectOption("external_communication");
  await addAction.getByLabel("Risk", { exact: true }).selectOption("high");
  await addAction.getByRole("button", { name: "Add action" }).click();
  // Refused inline, with what was typed kept.
  await expect(addAction.getByLabel("Key", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(addAction.getByLabel("Name", { exact: true })).toHaveValue("Send report");

  await addAction.getByLabel("Key", { exact: true }).fill(actionKey);
  await addAction.getByRole("button", { name: "Add action" }).click();
  await expect(addAction.getByRole("status")).toHaveText(`Added the action ${actionKey}.`);
  const actions = page.getByRole("table", { name: `Actions of E2E system ${suffix}` });
  await expect(actions.getByRole("rowheader", { name: actionKey })).toBeVisible();
  await expect(actions.getByRole("row").filter({ hasText: actionKey })).toContainText("high risk");
});

test("the admin adds a global checkpoint policy, then disables it", async ({ page }) => {
  const name = `E2E financial above 5,000 ${suffix}`;
  await signInOk(page, account("admin"));
  await page.goto("/catalog");

  await page.getByText("Add a policy", { exact: true }).click();
  const form = page.getByRole("form", { name: "Add a policy" });
  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByLabel("Category", { exact: true }).selectOption("financial");
  await form.getByLabel("Only when parameter").fill("amount");
  await form.getByLabel("is above").fill("5000");
  await form.getByLabel("Approvals needed").fill("2");
  await form.getByRole("button", { name: "Add policy" }).click();
  await expect(form.getByRole("status")).toHaveText(`Added the policy "${name}".`);

  const policies = page.getByRole("table", { name: "Global checkpoint policies" });
  const row = policies.getByRole("row").filter({ has: page.getByRole("rowheader", { name }) });
  await expect(row).toContainText("every financial");
  await expect(row).toContainText("amount above 5,000");
  await expect(row).toContainText("2 approvers");
  await expect(row).toContainText("enabled");

  await row.getByRole("button", { name: `Disable ${name}` }).click();
  await row.getByRole("button", { name: "Disable policy" }).click();
  await expect(row).toContainText("disabled");
});

test("the admin invites a person and sees the one-time password once, and it works", async ({ page, browser }) => {
  const email = `e2e.invitee.${suffix}@example.com`;
  await signInOk(page, account("admin"));
  await page.goto("/people");

  await page.getByText("Add a person", { exact: true }).click();
  const form = page.getByRole("form", { name: "Add a person" });
  await form.getByLabel("E-mail", { exact: true }).fill(email);
  await form.getByLabel("Name", { exact: true }).fill(`E2E Invitee ${suffix}`);
  await form.getByLabel("approver", { exact: true }).check();
  await form.getByRole("button", { name: "Add person" }).click();

  const box = page.getByTestId("one-time-password");
  await expect(box).toBeVisible();
  await expect(box).toContainText(`One-time password for ${email}`);
  const password = (await box.locator("code").textContent())?.trim() ?? "";
  expect(password.length).toBeGreaterThanOrEqual(12);
  const people = page.getByRole("table", { name: "People, their roles and the agents they own" });
  await expect(people.getByRole("rowheader", { name: new RegExp(`E2E Invitee ${suffix}`) })).toBeVisible();

  // Once: after a reload the password is gone for good.
  await page.reload();
  await expect(page.getByTestId("one-time-password")).toHaveCount(0);
  await expect(page.getByText(password)).toHaveCount(0);

  const invitee = await browser.newContext();
  try {
    const other = await invitee.newPage();
    const who = { role: "approver", email, name: `E2E Invitee ${suffix}`, password };
    await signIn(other, who);
    // The admin knows that password: the invitee must choose their own before anything else.
    await expect(other).toHaveURL(/\/account\/password$/);
    await expect(other.getByRole("heading", { name: "Choose your own password" })).toBeVisible();
    await other.goto("/approvals");
    await expect(other).toHaveURL(/\/account\/password$/);
    const own = `Own-${suffix}-pass-Word-9`;
    const form = other.getByRole("form", { name: "Change your password" });
    await form.getByLabel("Current password").fill(password);
    await form.getByLabel("New password", { exact: true }).fill(own);
    await form.getByLabel("New password again").fill(own);
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(other).toHaveURL(/\/signin\?passwordChanged=1/);
    await expect(other.getByRole("status").filter({ hasText: "Your password is changed" })).toBeVisible();
    await signIn(other, { ...who, password: own });
    await expect(other.getByTestId("nav").getByRole("link", { name: "Approvals", exact: true })).toBeVisible();

    // A reset ends the sessions opened with the old password: the invitee's next click signs them out.
    await page.getByRole("button", { name: `Reset password of E2E Invitee ${suffix}` }).click();
    await page.getByRole("button", { name: "Reset password", exact: true }).click();
    await expect(page.getByTestId("one-time-password")).toContainText(`One-time password for ${email}`);
    await other.goto("/approvals");
    await expect(other).toHaveURL(/\/signin/);
  } finally {
    await invitee.close();
  }
});

test("the admin's own row has locked roles and no disable button", async ({ page }) => {
  const admin = account("admin");
  await signInOk(page, admin);
  await page.goto("/people");
  const own = page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: new RegExp(admin.name) }) });
  await expect(own.getByRole("checkbox", { name: "admin" })).toBeDisabled();
  await expect(own.getByText("These are your own roles; another admin has to change them.")).toBeVisible();
  await expect(own.getByRole("button", { name: /^Disable/ })).toHaveCount(0);
});

test("an auditor reads the catalog and people without any edit control", async ({ page }) => {
  await signInOk(page, account("auditor"));
  const main = page.getByRole("main");

  await page.goto("/catalog");
  await expect(main.getByRole("heading", { level: 1, name: "Catalog & policies" })).toBeVisible();
  await expect(main.getByRole("table", { name: "Global checkpoint policies" })).toBeVisible();
  await expect(main.getByText(/^Add (a system|a policy|an action to )/)).toHaveCount(0);
  await expect(main.getByRole("button")).toHaveCount(0);
  await expect(main.locator("form, input, select, textarea")).toHaveCount(0);

  await page.goto("/people");
  await expect(main.getByRole("heading", { level: 1, name: "People" })).toBeVisible();
  await expect(main.getByRole("table", { name: "People, their roles and the agents they own" })).toBeVisible();
  await expect(main.getByText("Add a person", { exact: true })).toHaveCount(0);
  await expect(main.getByRole("button")).toHaveCount(0);
  await expect(main.getByRole("checkbox")).toHaveCount(0);
  await expect(main.locator("form, input, select, textarea")).toHaveCount(0);
});
