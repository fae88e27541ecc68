// "Senior acts and the owners are notified": the business owner of the demo's senior agent
// (support-triage) sees on the overview what it did without approval; an approver who owns no
// agent does not get the section at all.
import { expect, test } from "@playwright/test";
import { account } from "@/e2e/support/accounts";
import { signInOk } from "@/e2e/support/session";

test("an owner sees their senior agent's unapproved actions on the overview; others do not", async ({ page }) => {
  await signInOk(page, account("business owner"));
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Your senior agents acted" })).toBeVisible();
  const notices = page.getByRole("table", { name: "The latest actions your senior agents took without approval" });
  const rows = notices.getByRole("row");
  await expect(rows.nth(1)).toContainText("Support Triage");
  // Never a read: reads are what a senior does without anyone being told.
  await expect(notices).not.toContainText(".read");
  await rows.nth(1).getByRole("link", { name: "Support Triage" }).click();
  await expect(page).toHaveURL(/\/agents\/support-triage\/activity$/);
});

test("a person who owns no agent gets no owner notices", async ({ page }) => {
  await signInOk(page, account("approver"));
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Your senior agents acted" })).toHaveCount(0);
});
