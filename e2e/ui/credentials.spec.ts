// A business owner issues a key for their own agent and sees it exactly once; an admin exports
// the agents as YAML, edits a purpose, and sees (then applies) the diff on the import page.
import { expect, test } from "@playwright/test";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { account } from "@/e2e/support/accounts";
import { signInOk } from "@/e2e/support/session";

test("a business owner creates a key on their agent and sees it once", async ({ page }) => {
  // Dana Whitfield, the demo's business owner, owns support-triage (lib/demo/demo-agents.ts).
  await signInOk(page, account("business owner"));
  await page.goto("/agents/support-triage/credentials");
  await page.getByLabel("Label", { exact: true }).fill("e2e rotation");
  await page.getByRole("button", { name: "Create key" }).click();

  const box = page.getByTestId("new-key");
  await expect(box).toBeVisible();
  await expect(box).toContainText("will not be shown again");
  const key = (await page.getByTestId("new-key-value").textContent())?.trim() ?? "";
  expect(key).toMatch(/^mnd_[0-9A-Za-z]{12}_[A-Za-z0-9_-]{43}$/);
  const prefix = key.split("_")[1]!;
  const keys = page.getByRole("table", { name: /API keys of this agent/ });
  await expect(keys.getByRole("row", { name: /e2e rotation/ })).toContainText(prefix);

  await page.reload();
  await expect(page.getByTestId("new-key")).toHaveCount(0);
  await expect(keys.getByRole("row", { name: /e2e rotation/ })).toContainText(prefix);
  expect(await page.content()).not.toContain(key);
});

test("an auditor sees the keys of an agent without any control", async ({ page }) => {
  await signInOk(page, account("auditor"));
  await page.goto("/agents/support-triage/credentials");
  await expect(page.getByRole("table", { name: /API keys of this agent/ })).toBeVisible();
  await expect(page.getByRole("button", { name: "Create key" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Revoke/ })).toHaveCount(0);
});

test("the admin exports YAML, edits a purpose and sees the diff before applying it", async ({ page }) => {
  await signInOk(page, account("admin"));
  const response = await page.request.get("/api/console/agents/export?format=yaml&slug=crm-hygiene");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-disposition"]).toContain("attachment");
  const document = parseYaml(await response.text()) as { agents: Array<{ slug: string; purpose: string }> };
  const before = document.agents[0]!.purpose;
  const after = "Keeps the CRM clean for Sales, edited as code in the e2e suite.";
  document.agents[0]!.purpose = after;

  await page.goto("/agents/import");
  await page.getByLabel("Agent document (YAML or JSON)").fill(toYaml(document));
  await page.getByRole("button", { name: "Show changes" }).click();

  const diff = page.getByTestId("import-diff");
  await expect(diff).toContainText("0 to create, 1 to update, 0 unchanged");
  const changes = diff.getByRole("article", { name: "Changes to crm-hygiene" });
  const purpose = changes.getByRole("row", { name: /purpose/ });
  await expect(purpose).toContainText(before.slice(0, 40));
  await expect(purpose).toContainText(after);
  await expect(changes).toContainText("Written list unchanged.");

  await page.getByRole("button", { name: "Apply these changes" }).click();
  await expect(diff.getByRole("status")).toContainText("Imported: 0 created, 1 updated, 0 unchanged.");
  const again = await page.request.get("/api/console/agents/export?format=json&slug=crm-hygiene");
  expect(((await again.json()) as { agents: Array<{ purpose: string }> }).agents[0]!.purpose).toBe(after);
});

test("the export route answers bad queries and signed-out callers with a problem document", async ({ page, request }) => {
  const signedOut = await request.get("/api/console/agents/export?format=yaml");
  expect(signedOut.status()).toBe(401);
  expect(signedOut.headers()["content-type"]).toContain("application/problem+json");

  await signInOk(page, account("auditor"));
  for (const query of ["format=xml", "slug=Not%20A%20Slug", "format=yaml&extra=1"]) {
    const response = await page.request.get(`/api/console/agents/export?${query}`);
    expect(response.status(), query).toBe(400);
    expect(((await response.json()) as { code: string }).code).toBe("bad_request");
  }
  expect((await page.request.get("/api/console/agents/export?slug=no-such-agent")).status()).toBe(404);
});

test("a non-admin gets 403 on the import page", async ({ page }) => {
  await signInOk(page, account("approver"));
  const response = await page.goto("/agents/import");
  expect(response?.status()).toBe(403);
});
