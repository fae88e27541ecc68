// Every console page × every role (and signed out) gets exactly what DESIGN.md section 3 allows:
// 200, the sign-in page, or a real 403. A regression here is an authorization bug.
import { expect, test, type Page } from "@playwright/test";
import { account } from "@/e2e/support/accounts";
import { signInOk } from "@/e2e/support/session";

const ROLES = ["admin", "approver", "auditor", "business owner", "technical owner"] as const;
type Role = (typeof ROLES)[number];

const PAGES: Array<{ path: string; allowed: readonly Role[] }> = [
  { path: "/", allowed: ROLES },
  { path: "/agents", allowed: ROLES },
  { path: "/agents/support-triage", allowed: ROLES },
  { path: "/agents/support-triage/permissions", allowed: ROLES },
  { path: "/agents/support-triage/credentials", allowed: ROLES },
  { path: "/agents/support-triage/kill-switch", allowed: ROLES },
  { path: "/agents/new", allowed: ["admin"] },
  { path: "/agents/import", allowed: ["admin"] },
  { path: "/approvals", allowed: ["admin", "approver", "auditor"] },
  { path: "/approvals/history", allowed: ["admin", "approver", "auditor"] },
  { path: "/audit", allowed: ["admin", "auditor"] },
  { path: "/people", allowed: ["admin", "auditor"] },
  { path: "/catalog", allowed: ROLES },
  { path: "/settings/webhooks", allowed: ["admin"] },
];

async function statusOf(page: Page, path: string) {
  const response = await page.goto(path);
  return response?.status();
}

test("signed out, every console page leads to the sign-in page", async ({ page }) => {
  for (const { path } of PAGES) {
    await page.goto(path);
    await expect(page, path).toHaveURL(/\/signin/);
  }
});

for (const role of ROLES) {
  test(`${role}: each page answers 200 or 403 as the role allows`, async ({ page }) => {
    await signInOk(page, account(role));
    const seen: Record<string, number | undefined> = {};
    const expected: Record<string, number> = {};
    for (const { path, allowed } of PAGES) {
      seen[path] = await statusOf(page, path);
      expected[path] = allowed.includes(role) ? 200 : 403;
    }
    expect(seen).toEqual(expected);
  });
}
