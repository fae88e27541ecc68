// The permissions tab: an admin adds a line to a demo agent's written list, tries an action in
// the panel and sees the rule that decided, then removes the line again; a bad window gets an
// inline message; an auditor sees the list and may try actions, but gets no edit controls.
import { expect, test, type Page } from "@playwright/test";
import { account } from "@/e2e/support/accounts";
import { signInOk } from "@/e2e/support/session";

// Finance Refunds is a principal: what its list allows, it does, so the deciding rule is the line.
const AGENT = "/agents/finance-refunds/permissions";
const ACTION = "calendar.event.read";

async function tryAction(page: Page, action: string, resource: string) {
  const panel = page.getByRole("form", { name: "Try an action" });
  await panel.getByLabel("Action").fill(action);
  await panel.getByLabel("Resource").fill(resource);
  await panel.getByRole("button", { name: "Try it" }).click();
  return page.getByTestId("try-result");
}

test("an admin adds a line, tries an action against it and removes it again", async ({ page }) => {
  await signInOk(page, account("admin"));
  await page.goto(AGENT);
  const list = page.getByRole("table", { name: /Written list/ });
  await expect(list.getByRole("rowheader", { name: ACTION })).toHaveCount(0);

  await page.getByText("Add a line", { exact: true }).click();
  const form = page.getByRole("form", { name: "Add a line" });
  await form.getByLabel("Action").selectOption(ACTION);
  await form.getByLabel("Effect").selectOption("allow");
  await form.getByLabel("Resource pattern").fill("calendars/finance/*");
  await form.getByLabel("Justification").fill("Checks the month-end calendar before refunding.");
  await form.getByRole("button", { name: "Add line" }).click();
  await expect(form.getByRole("status")).toContainText("Line added");
  const row = list.getByRole("row").filter({ has: page.getByRole("rowheader", { name: ACTION }) });
  await expect(row).toContainText("resource calendars/finance/*");
  const lineNumber = (await row.getByRole("cell").first().textContent())?.trim();

  const allowed = await tryAction(page, ACTION, "calendars/finance/month-end");
  await expect(allowed).toContainText("allow");
  await expect(allowed).toContainText("allowed_by_list");
  await expect(allowed.getByTestId("try-rule")).toContainText(`line ${lineNumber} of the written list: allow ${ACTION}`);

  const outside = await tryAction(page, ACTION, "calendars/sales/pipeline");
  await expect(outside).toContainText("condition_failed");
  await expect(outside).toContainText("does not match");

  await row.getByRole("button", { name: `Remove line ${lineNumber}, ${ACTION}` }).click();
  await row.getByRole("button", { name: `Confirm removing line ${lineNumber}, ${ACTION}` }).click();
  await expect(list.getByRole("rowheader", { name: ACTION })).toHaveCount(0);
});

test("a window that ends before it starts is refused beside the field", async ({ page }) => {
  await signInOk(page, account("admin"));
  await page.goto(AGENT);
  await page.getByText("Add a line", { exact: true }).click();
  const form = page.getByRole("form", { name: "Add a line" });
  await form.getByLabel("Action").selectOption(ACTION);
  await form.getByLabel("Only at certain times").check();
  await form.getByLabel("From (inclusive)").fill("18:00");
  await form.getByLabel("To (exclusive)").fill("08:00");
  await form.getByLabel("Justification").fill("Evenings only.");
  await form.getByRole("button", { name: "Add line" }).click();
  await expect(form.getByLabel("To (exclusive)")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByText("The window must end after it starts")).toBeVisible();
  await expect(page.getByRole("table", { name: /Written list/ }).getByRole("rowheader", { name: ACTION })).toHaveCount(0);
});

test("an auditor sees the list and can try actions, but has no edit controls", async ({ page }) => {
  await signInOk(page, account("auditor"));
  await page.goto("/agents/support-triage/permissions");
  await expect(page.getByTestId("permission-line").first()).toBeVisible();
  await expect(page.getByText("Add a line")).toHaveCount(0);
  await expect(page.getByRole("columnheader", { name: "Change" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^(Remove|Move)/ })).toHaveCount(0);
  await expect(page.getByRole("link", { name: /^Edit/ })).toHaveCount(0);

  const result = await tryAction(page, "crm.record.delete", "contacts/42");
  await expect(result).toContainText("never");
  await expect(result.getByTestId("try-rule")).toContainText("crm.record.delete");
});
