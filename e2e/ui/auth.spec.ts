// Sign-in for every role: the navigation each role gets, 403 for the wrong role, sign-out,
// and a wrong password answered with a message rather than an error page.
import { expect, test } from "@playwright/test";
import { account } from "@/e2e/support/accounts";
import { signIn, signInOk } from "@/e2e/support/session";

const NAV = ["Overview", "Agents", "Approvals", "Audit", "People", "Catalog & policies", "Webhooks"] as const;

const cases: Array<{ role: string; sees: readonly (typeof NAV)[number][]; forbidden: string | null }> = [
  { role: "admin", sees: NAV, forbidden: null },
  { role: "approver", sees: ["Overview", "Agents", "Approvals", "Catalog & policies"], forbidden: "/audit" },
  { role: "auditor", sees: ["Overview", "Agents", "Approvals", "Audit", "People", "Catalog & policies"], forbidden: "/settings/webhooks" },
  { role: "business owner", sees: ["Overview", "Agents", "Catalog & policies"], forbidden: "/people" },
];

test("signed out, a console page sends you to the sign-in page", async ({ page }) => {
  await page.goto("/agents");
  await expect(page).toHaveURL(/\/signin/);
  await expect(page.getByRole("heading", { name: /sign in/i })).toBeVisible();
});

test("a wrong password gets a message, not an error page", async ({ page }) => {
  const admin = account("admin");
  await signIn(page, admin, `${admin.password}-wrong`);
  // Next adds its own (empty) route announcer with role="alert"; ours is the one with the text.
  await expect(page.getByRole("alert").filter({ hasText: "Wrong e-mail or password." })).toBeVisible();
  await expect(page).toHaveURL(/\/signin/);
});

for (const { role, sees, forbidden } of cases) {
  test(`${role} sees the navigation of that role`, async ({ page }) => {
    await signInOk(page, account(role));
    const nav = page.getByTestId("nav");
    for (const entry of NAV) {
      const link = nav.getByRole("link", { name: entry, exact: true });
      if (sees.includes(entry)) await expect(link).toBeVisible();
      else await expect(link).toHaveCount(0);
    }
    if (forbidden) {
      const response = await page.goto(forbidden);
      expect(response?.status()).toBe(403);
      await expect(page.getByText(/do not have access/i)).toBeVisible();
    }
  });
}

test("the admin sees the demo agents, and signing out ends the session", async ({ page }) => {
  await signInOk(page, account("admin"));
  await page.getByTestId("nav").getByRole("link", { name: "Agents", exact: true }).click();
  await expect(page).toHaveURL(/\/agents$/);
  const agents = page.getByRole("table", { name: "Registered agents" });
  for (const name of ["Support Triage", "Sales Ops CRM Hygiene", "Finance Refunds", "Code Review Assistant", "Marketing Outreach"]) {
    await expect(agents.getByRole("link", { name })).toBeVisible();
  }
  await page.getByRole("button", { name: /sign out/i }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/signin/);
});
