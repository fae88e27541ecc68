// An auditor's job on the audit trail: filter by an agent, open a decision and read its
// reasoning, follow its trace, export the filter as CSV, and verify the chain. Relies on the demo
// seed (lib/demo): support-triage's week of decisions, each with reasoning and a trace id.
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { account } from "@/e2e/support/accounts";
import { signInOk } from "@/e2e/support/session";

test("an auditor filters by an agent, reads a decision's reasoning, follows its trace, exports CSV and verifies", async ({ page }) => {
  await signInOk(page, account("auditor"));
  await page.goto("/audit");
  await page.getByLabel("Agent", { exact: true }).selectOption("support-triage");
  await page.getByLabel("Event type").fill("decision.made");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/agent=support-triage/);
  // Only the demo's own history (it ends an hour before the seed): earlier specs have added decisions
  // of support-triage through the SDK, without traces.
  const beforeSpecs = new Date(Date.now() - 65 * 60_000).toISOString().slice(0, 16);
  await page.goto(`/audit?agent=support-triage&type=decision.made&to=${beforeSpecs}`);

  const table = page.getByRole("table", { name: /Audit events/ });
  const rows = table.locator("tbody tr");
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeGreaterThan(10);
  for (const agent of await rows.locator("td:nth-child(3)").allTextContents()) expect(agent.trim()).toBe("support-triage");

  // Open the newest decision: its record shows the instruction, the options, the choice and why.
  await rows.first().getByRole("link", { name: "decision.made" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Decision:");
  const reasoning = page.getByRole("region", { name: "Reasoning" });
  const instruction = (await reasoning.locator("blockquote").textContent())?.trim() ?? "";
  expect(instruction.length).toBeGreaterThan(10);
  await expect(reasoning).toContainText("Considered");
  await expect(reasoning).toContainText("Why");
  await expect(page.getByRole("region", { name: "Which rule decided" })).toContainText(/Reason[a-z_]+ — /);
  const decisionUrl = new URL(page.url()).pathname;

  // Its trace: the tree holds this decision, linked back to the record.
  await page.getByRole("link", { name: "Trace view" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Trace" })).toBeVisible();
  await expect(page.locator(`a[href="${decisionUrl}"]`).first()).toBeVisible();
  await expect(page.getByText(instruction, { exact: false }).first()).toBeVisible();

  // Export the filter as CSV: every row is one of support-triage's decisions.
  await page.goto("/audit?agent=support-triage&type=decision.made");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "CSV", exact: true }).click()]);
  expect(download.suggestedFilename()).toMatch(/^mandate-audit-.*\.csv$/);
  const csv = await readFile((await download.path())!, "utf8");
  const [header, ...lines] = csv.trimEnd().split("\r\n");
  expect(header?.startsWith("id,seq,time,actor_type,actor,")).toBe(true);
  expect(lines.length).toBeGreaterThan(10);
  expect(csv).toContain(",support-triage,decision.made,");

  // The export itself is on the trail now.
  await page.goto("/audit?type=audit.exported");
  await expect(page.getByRole("table", { name: /Audit events/ }).locator("tbody tr").first()).toContainText(account("auditor").name);

  await page.getByRole("button", { name: "Verify chain" }).click();
  await expect(page.getByRole("status").filter({ hasText: /Chain intact/ })).toBeVisible({ timeout: 20_000 });
});

test("a bad filter is named on its field instead of failing", async ({ page }) => {
  await signInOk(page, account("auditor"));
  await page.goto("/audit?effect=maybe&from=2026-02-30T10:00");
  const alert = page.getByRole("alert").filter({ hasText: "cannot be applied" });
  await expect(alert).toContainText("Effect is allow, deny or pending.");
  await expect(alert).toContainText("is not a real date and time");
  await expect(page.getByLabel("Effect")).toHaveAttribute("aria-invalid", "true");
  expect((await page.request.get("/audit/export?format=csv&effect=maybe")).status()).toBe(400);
});

test("approvers may not read the audit trail or export it", async ({ page, request }) => {
  const signedOut = await request.get("/audit/export?format=csv");
  expect(signedOut.status()).toBe(401);
  expect(signedOut.headers()["content-type"]).toContain("application/problem+json");

  await signInOk(page, account("approver"));
  const response = await page.goto("/audit");
  expect(response?.status()).toBe(403);
  expect((await page.request.get("/audit/export?format=csv")).status()).toBe(403);
  await expect(page.getByTestId("nav").getByRole("link", { name: "Audit" })).toHaveCount(0);
});
