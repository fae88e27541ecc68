// The console's own protection in the browser: no other site can frame it (so nobody is tricked
// into clicking "Approve" or "Kill" inside someone else's page), its content policy and the other
// security headers are on every page, and the pages still work under that policy — no violation
// reported while an admin goes through them.
import { expect, test, type Page } from "@playwright/test";
import { account } from "@/e2e/support/accounts";
import { signInOk } from "@/e2e/support/session";

const PAGES = ["/", "/agents", "/agents/support-triage", "/agents/support-triage/permissions", "/approvals", "/audit", "/people", "/catalog", "/settings/webhooks"];

function watchViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to (load|execute|connect|apply|frame)/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

test("every console page carries the security headers", async ({ page }) => {
  const signin = await page.request.get("/signin");
  await signInOk(page, account("admin"));
  for (const response of [signin, ...(await Promise.all(PAGES.map((path) => page.request.get(path))))]) {
    const headers = response.headers();
    expect(response.status(), response.url()).toBe(200);
    expect(headers["content-security-policy"], response.url()).toContain("frame-ancestors 'none'");
    expect(headers["content-security-policy"]).toContain("object-src 'none'");
    expect(headers["content-security-policy"]).toContain("connect-src 'self'");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("same-origin");
  }
});

test("another site cannot frame the console", async ({ page, baseURL }) => {
  const blocked = page.waitForEvent("console", { predicate: (message) => /frame-ancestors|X-Frame-Options|refused to connect/i.test(message.text()), timeout: 5_000 }).catch(() => null);
  await page.setContent(`<iframe id="console" src="${baseURL}/signin" width="800" height="600"></iframe>`);
  await blocked;
  const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
  const heading = frame ? await frame.getByRole("heading", { name: /sign in/i }).count().catch(() => 0) : 0;
  expect(heading).toBe(0);
});

test("the console works under its content policy: no violation while an admin goes through it", async ({ page }) => {
  const violations = watchViolations(page);
  await signInOk(page, account("admin"));
  for (const path of PAGES) {
    await page.goto(path);
    await expect(page.getByTestId("nav"), path).toBeVisible();
  }
  // The inbox polls its JSON route: connect-src 'self' must let it through.
  await page.goto("/approvals");
  await page.waitForResponse((response) => response.url().includes("/api/console/approvals/inbox") && response.ok(), { timeout: 10_000 });
  expect(violations).toEqual([]);
});
