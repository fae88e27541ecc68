// The kill switch in the console, per role: a business owner kills their agent in one click from
// its page and sees who, when and how, then revives it with a reason (an admin's webhook hears
// both), and starts a drill on a
// draft; an admin stops every agent with one confirmation and resumes; an approver
// sees no kill control anywhere. Agents used here (lib/demo/demo-agents.ts) are ones no other
// spec relies on: code-review ends suspended, marketing-outreach keeps a pending drill, and
// crm-hygiene ends killed — the last test kills it while the example agent works for it.
// Note: the stop-all cancels every checkpoint still pending in the shared demo database.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { expect, test, type Browser } from "@playwright/test";
import { verifySignature } from "@/lib/webhooks/sign-payload";
import { account, seededAccounts } from "@/e2e/support/accounts";
import { signInOk } from "@/e2e/support/session";
import { startWebhookReceiver } from "@/e2e/support/webhook-receiver";

const suffix = randomBytes(3).toString("hex");

/** A webhook receiver on loopback, and an admin's webhook for the kill switch pointing at it. */
async function killSwitchWebhook(browser: Browser) {
  const receiver = await startWebhookReceiver();
  const context = await browser.newContext();
  const admin = await context.newPage();
  await signInOk(admin, account("admin"));
  await admin.goto("/settings/webhooks");
  await admin.getByText("Add a webhook", { exact: true }).click();
  const form = admin.getByRole("form", { name: "Add a webhook" });
  const name = `Kill switch receiver ${suffix}`;
  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByLabel("Receiver URL").fill(receiver.url);
  const kills = form.getByRole("group", { name: "Kill switch" });
  await kills.getByLabel("an agent is killed").check();
  await kills.getByLabel("a killed agent is revived").check();
  // Only the kill switch: the approvals group's defaults are unticked.
  for (const box of await form.getByRole("group", { name: "Approvals" }).getByRole("checkbox").all()) await box.uncheck();
  await form.getByRole("button", { name: "Add webhook" }).click();
  const secret = (await admin.getByTestId("webhook-secret").locator("code").first().textContent())?.trim() ?? "";
  expect(secret).toMatch(/^whsec_/);
  return {
    received: receiver.received,
    secret,
    async close() {
      await admin.getByRole("link", { name: "Open the webhook and send a test delivery" }).click();
      await expect(admin.getByRole("table", { name: /deliveries/ }).getByRole("row").filter({ hasText: "agent.killed" }).first()).toContainText("succeeded");
      await admin.getByRole("button", { name: `Switch off ${name}` }).click();
      await admin.getByRole("button", { name: "Switch off", exact: true }).click();
      await context.close();
      await receiver.close();
    },
  };
}

test("a business owner kills their agent in one click and the page shows who, when and how", async ({ page, browser }) => {
  // Two people's sessions and a delivery that follows the audit chain's seal.
  test.setTimeout(60_000);
  const webhook = await killSwitchWebhook(browser);
  const owner = account("business owner");
  await signInOk(page, owner);
  await page.goto("/agents/code-review/permissions");
  // On every tab, in the header: no dialog, no second step.
  const kill = page.getByRole("button", { name: "Kill agent", exact: true });
  await expect(kill).toBeVisible();
  await expect(page.getByRole("button", { name: "Force-kill", exact: true })).toBeVisible();
  await kill.click();

  const notice = page.getByTestId("kill-notice");
  await expect(notice).toContainText("Killed (graceful)");
  await expect(notice).toContainText(`by ${owner.name}`);
  await expect(notice.locator("time")).toBeVisible();
  await expect(page.getByRole("button", { name: "Kill agent", exact: true })).toHaveCount(0);
  // What is left is making the kill forced.
  await expect(page.getByRole("button", { name: "Make the kill forced" })).toBeVisible();

  await page.getByRole("link", { name: "Kill switch & drills" }).click();
  await expect(page.getByTestId("killed-by")).toHaveText(owner.name);
  const history = page.getByRole("table", { name: "State changes, newest first" });
  await expect(history.getByRole("row").nth(1)).toContainText("killed");
  await expect(history.getByRole("row").nth(1)).toContainText("graceful");
  await expect(history.getByRole("row").nth(1)).toContainText(owner.name);

  // Reviving takes a reason and a confirmation.
  const revive = page.getByRole("form", { name: "Revive the agent" });
  await revive.getByRole("button", { name: "Revive" }).click();
  await expect(revive.getByLabel("Why it is safe to bring back")).toHaveAttribute("aria-invalid", "true");
  await expect(revive.getByText("Tick the box to confirm.")).toBeVisible();
  await revive.getByLabel("Why it is safe to bring back").fill(`Reviewed the runaway comments (${suffix}).`);
  await revive.getByRole("checkbox", { name: /I confirm/ }).check();
  await revive.getByRole("button", { name: "Revive" }).click();
  await expect(page.getByTestId("kill-notice")).toHaveCount(0);
  await expect(page.locator("header").getByText("suspended", { exact: true })).toBeVisible();
  await expect(history.getByRole("row").nth(1)).toContainText("revived");

  // The admin's webhook heard both, signed, from the sealed audit log (about a second behind).
  try {
    await expect.poll(() => webhook.received.map((entry) => entry.event), { timeout: 15_000 }).toEqual(["agent.killed", "agent.revived"]);
    for (const delivery of webhook.received) {
      expect(verifySignature(webhook.secret, delivery.body, delivery.signature)).toBe(true);
      expect(JSON.parse(delivery.body)).toMatchObject({ agent: { slug: "code-review" }, actor: { name: owner.name } });
    }
  } finally {
    await webhook.close();
  }
});

test("a business owner starts a kill drill on a draft agent", async ({ page }) => {
  // marketing-outreach has a business owner and no technical owner.
  await signInOk(page, account("business owner"));
  await page.goto("/agents/marketing-outreach/kill-switch");
  await page.getByRole("button", { name: /Start a (new|kill) drill/ }).click();
  await expect(page.getByRole("form", { name: "Start a kill drill" }).getByRole("status")).toContainText("Drill started");
  await expect(page.getByRole("table", { name: "Kill drills, newest first" }).getByRole("row").nth(1)).toContainText("waiting for the agent");
});

test("an admin stops every agent with one confirmation, then resumes with a reason", async ({ page }) => {
  const admin = account("admin");
  await signInOk(page, admin);
  await page.goto("/");
  await page.getByRole("button", { name: "Stop all agents…" }).click();
  const confirm = page.getByRole("form", { name: "Confirm stopping every agent" });
  await expect(confirm).toContainText("Stop every agent now?");
  await confirm.getByLabel("Reason (optional)").fill(`e2e stop-all ${suffix}`);
  await confirm.getByRole("button", { name: "Stop every agent" }).click();

  const banner = page.getByTestId("fleet-banner");
  await expect(banner).toContainText("Emergency stop-all is in effect (graceful)");
  await expect(banner).toContainText(`Stopped by ${admin.name}`);
  await expect(banner).toContainText(`e2e stop-all ${suffix}`);

  const resume = page.getByRole("form", { name: "Resume every agent" });
  await resume.getByRole("button", { name: "Resume all agents" }).click();
  await expect(resume.getByLabel("Why it is safe to resume")).toHaveAttribute("aria-invalid", "true");
  await expect(banner).toBeVisible();
  await resume.getByLabel("Why it is safe to resume").fill("Drill over, nothing found.");
  await resume.getByRole("button", { name: "Resume all agents" }).click();
  await expect(page.getByTestId("fleet-banner")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Stop all agents…" })).toBeVisible();
});

test("an approver sees no kill control, on the agent page or the overview", async ({ page }) => {
  await signInOk(page, account("approver"));
  await page.goto("/agents/support-triage");
  await expect(page.getByRole("heading", { level: 1, name: "Support Triage" })).toBeVisible();
  await expect(page.getByRole("button", { name: /Kill|Force-kill/ })).toHaveCount(0);
  await page.goto("/agents/support-triage/kill-switch");
  await expect(page.getByRole("heading", { name: "Kill drills" })).toBeVisible();
  await expect(page.getByRole("button", { name: /Kill|drill|Restore|Switch off/ })).toHaveCount(0);
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  await expect(page.getByRole("button", { name: /Kill|Stop all/ })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Kill switch" })).toHaveCount(0);
});

test("a technical owner holds the switch of their agents, on the agent page and the overview", async ({ page }) => {
  await signInOk(page, account("technical owner"));
  await page.goto("/agents/crm-hygiene");
  await expect(page.getByRole("button", { name: "Kill agent", exact: true })).toBeVisible();
  await page.goto("/");
  const list = page.getByRole("table", { name: "Agents you can kill" });
  await expect(list.getByRole("button", { name: "Kill Sales Ops CRM Hygiene", exact: true })).toBeVisible();
  await expect(list.getByRole("button", { name: "Force-kill Sales Ops CRM Hygiene", exact: true })).toBeVisible();
  // Stop-all is the admins' alone.
  await expect(page.getByRole("button", { name: "Stop all agents…" })).toHaveCount(0);
});

test("an owner clicks kill while the example agent works, and the agent stops within a second", async ({ page, baseURL }) => {
  test.setTimeout(90_000);
  if (!baseURL) throw new Error("The e2e config sets baseURL.");
  const key = seededAccounts().agentKeys.find((entry) => entry.agent === "crm-hygiene")?.key;
  if (!key) throw new Error("The e2e seed has no key for crm-hygiene.");
  const agent = spawn("npx", ["tsx", "--tsconfig", "tsconfig.node.json", "scripts/agent-demo.ts", "--loop"], {
    env: { ...process.env, MANDATE_URL: baseURL, MANDATE_AGENT_KEY: key },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  agent.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  agent.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => agent.on("close", (code) => resolve(code)));
  try {
    // Working: it has asked Mandate at least once and holds the kill watcher.
    await expect.poll(() => output, { timeout: 45_000 }).toMatch(/Kill watcher: [\s\S]*Scan contact c-882/);

    await signInOk(page, account("business owner"));
    await page.goto("/agents/crm-hygiene");
    await page.getByRole("button", { name: "Kill agent", exact: true }).click();
    await expect(page.getByTestId("kill-notice")).toContainText("Killed (graceful)");

    expect(await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve("still running"), 15_000))]), output).toBe(0);
    // The agent prints how long after the kill it heard of it, by the one clock of this machine.
    const heard = /■ KILLED \(graceful\)[^\n]* heard (\d+) ms after it/.exec(output);
    expect(heard, output).not.toBeNull();
    expect(Number(heard![1])).toBeLessThan(1_000);
  } finally {
    if (agent.exitCode === null && agent.pid) process.kill(-agent.pid, "SIGKILL");
  }
});
