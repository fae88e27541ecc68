import { expect, type Page } from "@playwright/test";
import type { SeededAccount } from "@/e2e/support/accounts";

export async function signIn(page: Page, who: SeededAccount, password = who.password) {
  await page.goto("/signin");
  await page.getByLabel("E-mail").fill(who.email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

export async function signInOk(page: Page, who: SeededAccount) {
  await signIn(page, who);
  await expect(page.getByTestId("nav")).toBeVisible();
}
