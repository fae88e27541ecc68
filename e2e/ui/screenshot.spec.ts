// The README's picture of the console, taken from the real app with the demo data.
// MANDATE_SCREENSHOT=1 npm test refreshes docs/screenshot.png.
import { expect, test } from "@playwright/test";
import { account } from "@/e2e/support/accounts";
import { signInOk } from "@/e2e/support/session";

test("the overview renders the demo organisation", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInOk(page, account("admin"));
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("overview.png") });
  if (process.env.MANDATE_SCREENSHOT === "1") await page.screenshot({ path: "docs/screenshot.png" });
});
