// Registering an agent through the wizard as an admin, and the same pages as an auditor, who
// sees everything and can change nothing.
import { expect, test } from "@playwright/test";
import { account } from "@/e2e/support/accounts";
import { signInOk } from "@/e2e/support/session";

const LINES = [
  { action: "crm.contact.read", effect: /^Allow/, justification: "Looks up who wrote in.", resource: "contacts/*" },
  { action: "crm.note.create", effect: /^Needs approval/, justification: "Logs what it did on the record." },
  { action: "crm.record.delete", effect: /^Never/, justification: "It never deletes records." },
] as const;

test("an admin registers a draft agent with an owner and three lines through the wizard", async ({ page }) => {
  const suffix = Math.random().toString(36).slice(2, 8);
  const name = `E2E Wizard ${suffix}`;
  const slug = `e2e-wizard-${suffix}`;
  const owner = account("business owner");
  const technical = account("technical owner");

  await signInOk(page, account("admin"));
  await page.goto("/agents");
  await page.getByRole("link", { name: "Register agent" }).click();
  await expect(page).toHaveURL(/\/agents\/new$/);

  // Step 1: the slug is suggested from the name; a step with mistakes does not move on.
  await page.getByRole("button", { name: "Next: People" }).click();
  await expect(page.getByLabel("Name", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await expect(page.getByLabel("Slug", { exact: true })).toHaveValue(slug);
  await page.getByLabel("Purpose", { exact: true }).fill("Sorts incoming support e-mail into the right queue.");
  await page.getByRole("button", { name: "Next: People" }).click();

  // Step 2: one business owner and a technical owner who is someone else.
  await expect(page.getByRole("heading", { name: /Step 2 of 4/ })).toBeFocused();
  await page.getByRole("checkbox", { name: new RegExp(owner.name) }).check();
  await page.getByLabel("Technical owner", { exact: true }).selectOption({ label: `${technical.name} (${technical.email})` });
  await page.getByRole("button", { name: "Next: Written list" }).click();

  // Step 3: three lines from the catalog.
  for (const line of LINES) {
    await page.getByLabel("Action", { exact: true }).selectOption(line.action);
    await page.getByRole("radio", { name: line.effect }).check();
    await page.getByLabel("Justification", { exact: true }).fill(line.justification);
    if ("resource" in line) await page.getByLabel("Resource pattern (optional)").fill(line.resource);
    await page.getByRole("button", { name: "Add line" }).click();
  }
  await expect(page.getByRole("table", { name: "Lines so far (3)" })).toBeVisible();
  await page.getByRole("button", { name: "Next: Review" }).click();

  // Step 4: the summary, then register.
  const summary = page.getByRole("definition");
  await expect(summary.filter({ hasText: slug })).toBeVisible();
  await expect(summary.filter({ hasText: owner.email })).toBeVisible();
  await page.getByRole("button", { name: "Register as draft" }).click();

  await expect(page).toHaveURL(new RegExp(`/agents/${slug}$`));
  const header = page.getByRole("main").locator("header").first();
  await expect(header.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(header.getByText("draft", { exact: true })).toBeVisible();
  await expect(header.getByText("intern", { exact: true })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Manage" })).toBeVisible();

  await page.getByRole("navigation", { name: "Agent sections" }).getByRole("link", { name: "Permissions" }).click();
  await expect(page).toHaveURL(new RegExp(`/agents/${slug}/permissions$`));
  for (const line of LINES) {
    await expect(page.getByRole("row").filter({ hasText: line.action }).first()).toBeVisible();
  }
});

test("an auditor sees an agent but no edit controls, and cannot open the wizard", async ({ page }) => {
  await signInOk(page, account("auditor"));
  await page.goto("/agents");
  await expect(page.getByRole("table", { name: "Registered agents" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Register agent" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Import", exact: true })).toHaveCount(0);

  await page.getByRole("link", { name: "Support Triage" }).click();
  await expect(page).toHaveURL(/\/agents\/support-triage$/);
  const main = page.getByRole("main");
  await expect(main.getByText("Purpose", { exact: true })).toBeVisible();
  await expect(main.getByRole("heading", { name: "Manage" })).toHaveCount(0);
  await expect(main.getByRole("button")).toHaveCount(0);
  await expect(main.getByRole("textbox")).toHaveCount(0);
  await expect(main.getByRole("checkbox")).toHaveCount(0);

  const response = await page.goto("/agents/new");
  expect(response?.status()).toBe(403);
});
