// The approval inbox end to end, with a real agent through the SDK: the agent asks for something
// that needs a person and waits; the approver sees it appear without reloading, reads the exact
// parameters and the reasoning, approves with the keyboard, and the agent's wait returns approved.
// Then a denial with a preset reason reaches the SDK's DeniedError; the agent's own deployer gets
// no approve button (separation of duties); and a checkpoint nobody answers expires into a deny.
import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { DeniedError, Mandate, type Decision, type MandateEvent } from "@/sdk/src/index";
import { DENY_PRESETS } from "@/lib/approvals/deny-presets";
import { verifySignature } from "@/lib/webhooks/sign-payload";
import { account, seededAccounts } from "@/e2e/support/accounts";
import { signInOk } from "@/e2e/support/session";
import { startWebhookReceiver } from "@/e2e/support/webhook-receiver";

const suffix = randomBytes(3).toString("hex");

function agent(baseURL: string | undefined, slug: string, events?: MandateEvent[]): Mandate {
  if (!baseURL) throw new Error("The e2e config sets baseURL.");
  const key = seededAccounts().agentKeys.find((entry) => entry.agent === slug)?.key;
  if (!key) throw new Error(`The e2e seed has no key for ${slug}.`);
  return new Mandate({ url: baseURL, key, retry: { attempts: 1 }, ...(events ? { onEvent: (event) => events.push(event) } : {}) });
}

/** finance-refunds refunds up to 500 alone; 750 goes to a person (its list's condition). */
function askForRefund(baseURL: string | undefined, charge: string, signal?: AbortSignal) {
  const events: MandateEvent[] = [];
  const result = agent(baseURL, "finance-refunds", events).authorize("payments.refund.issue", {
    resource: `charges/${charge}`,
    params: { amount: 750, currency: "EUR", ticket: `T-${charge}` },
    reasoning: {
      instruction: `Refund the double charge ${charge} reported on the ticket.`,
      considered: ["refund the full amount", "refund only the duplicate"],
      chosen: "refund only the duplicate",
      rationale: "The customer was charged twice for one order.",
    },
    approvalTimeoutMs: 60_000,
    ...(signal ? { signal } : {}),
  });
  // Settled here so a failure shows up in the assertion below, not as an unhandled rejection.
  const settled = result.then(
    (decision) => ({ decision, error: null }),
    (error: unknown) => ({ decision: null as Decision | null, error }),
  );
  return { settled, events };
}

async function selectWithKeyboard(page: Page, text: string) {
  const option = page.getByRole("option").filter({ hasText: text });
  await expect(option).toBeVisible({ timeout: 5_000 });
  for (let presses = 0; presses < 60 && (await option.getAttribute("aria-selected")) !== "true"; presses += 1) {
    await page.keyboard.press("j");
  }
  await expect(option).toHaveAttribute("aria-selected", "true");
  // Its details (the exact parameters) are on screen before anyone decides.
  await expect(page.getByTestId("selected-checkpoint")).toContainText(text);
  return option;
}

test("an approver sees a waiting checkpoint appear live, reads it, approves with `a`, and the agent goes ahead", async ({ page, baseURL }) => {
  await signInOk(page, account("approver"));
  const live = page.waitForResponse((response) => response.url().includes("/api/console/approvals/inbox") && response.ok());
  await page.goto("/approvals");
  await expect(page.getByRole("listbox", { name: /Pending checkpoints/ }).or(page.getByText("Nothing is waiting for approval"))).toBeVisible();
  // The page is polling before the agent asks; what follows arrives without a reload.
  await live;

  const charge = `ch_e2e_${suffix}_a`;
  const { settled } = askForRefund(baseURL, charge);
  // No reload: the inbox polls, and the new checkpoint appears within two seconds.
  const option = await selectWithKeyboard(page, charge);
  await expect(option).toContainText("payments.refund.issue");

  const pane = page.getByTestId("selected-checkpoint");
  await expect(pane).toContainText(`Refund the double charge ${charge} reported on the ticket.`);
  await expect(pane).toContainText("refund only the duplicate");
  await expect(pane.getByLabel("Exact parameters")).toContainText('"amount": 750');
  await expect(pane.getByLabel("Exact parameters")).toContainText(`"ticket": "T-${charge}"`);
  await expect(pane).toContainText("Finance Refunds");

  await page.keyboard.press("a");
  const form = page.getByRole("form", { name: "Approve this checkpoint" });
  await expect(form.getByLabel("Note for the agent (optional)")).toBeFocused();
  await page.keyboard.type("Checked against the order.");
  await page.keyboard.press("Enter");

  const { decision, error } = await settled;
  expect(error).toBeNull();
  expect(decision).toMatchObject({ effect: "allow", decidedBy: "Priya Raman", note: "Checked against the order." });
  await expect(page.getByRole("option").filter({ hasText: charge })).toHaveCount(0);
});

test("a denial with a preset reason reaches the agent: the SDK's DeniedError carries it", async ({ page, baseURL }) => {
  await signInOk(page, account("approver"));
  await page.goto("/approvals");
  const charge = `ch_e2e_${suffix}_d`;
  const { settled } = askForRefund(baseURL, charge);
  await selectWithKeyboard(page, charge);

  await page.keyboard.press("d");
  const form = page.getByRole("form", { name: "Deny this checkpoint" });
  await form.getByLabel(DENY_PRESETS[1]).check();
  await form.getByLabel("In your own words (optional)").fill("The ticket shows one charge only.");
  await form.getByLabel("In your own words (optional)").press("Enter");

  const { decision, error } = await settled;
  expect(decision).toBeNull();
  expect(error).toBeInstanceOf(DeniedError);
  expect(error).toMatchObject({ reason: "approval_denied", decidedBy: "Priya Raman", note: `${DENY_PRESETS[1]} The ticket shows one charge only.` });

  // The history tab has it, with the note.
  await page.getByRole("navigation", { name: "Approvals sections" }).getByRole("link", { name: "History" }).click();
  const row = page.getByRole("row").filter({ hasText: "denied" }).filter({ hasText: "The ticket shows one charge only." });
  await expect(row).toContainText("Priya Raman");
});

test("a decision made by someone else while you look is shown, and leaves you nothing to click", async ({ page, browser, baseURL }) => {
  const charge = `ch_e2e_${suffix}_x`;
  const { settled } = askForRefund(baseURL, charge);
  await signInOk(page, account("approver"));
  await page.goto("/approvals");
  await selectWithKeyboard(page, charge);
  await page.keyboard.press("a");
  await expect(page.getByRole("form", { name: "Approve this checkpoint" })).toBeVisible();

  // Meanwhile the second approver denies it in their own session.
  const other = await browser.newContext();
  try {
    const tomas = await other.newPage();
    const second = seededAccounts().people.filter((person) => person.role === "approver")[1];
    if (!second) throw new Error("The e2e seed has one approver only.");
    await signInOk(tomas, second);
    await tomas.goto("/approvals");
    await selectWithKeyboard(tomas, charge);
    await tomas.keyboard.press("d");
    await tomas.getByRole("form", { name: "Deny this checkpoint" }).getByLabel(DENY_PRESETS[0]).check();
    await tomas.getByRole("button", { name: "Confirm denial" }).click();
    const { error } = await settled;
    expect(error).toMatchObject({ reason: "approval_denied", decidedBy: second.name });
  } finally {
    await other.close();
  }

  // The first approver's open checkpoint says so; the form is gone and the list dropped it.
  const ended = page.getByTestId("checkpoint-ended");
  await expect(ended).toContainText(`Denied by ${seededAccounts().people.filter((person) => person.role === "approver")[1]!.name}`);
  await expect(page.getByRole("form", { name: "Approve this checkpoint" })).toHaveCount(0);
  await expect(page.getByRole("option").filter({ hasText: charge })).toHaveCount(0);
});

test("the agent's deployer sees the checkpoint but gets no approve button (separation of duties)", async ({ page, baseURL }) => {
  // Alex Morgan, the demo's admin, deployed finance-refunds (lib/demo/demo-agents.ts).
  const controller = new AbortController();
  const charge = `ch_e2e_${suffix}_o`;
  const { settled } = askForRefund(baseURL, charge, controller.signal);
  try {
    await signInOk(page, account("admin"));
    await page.goto("/approvals");
    await selectWithKeyboard(page, charge);
    const pane = page.getByTestId("selected-checkpoint");
    await expect(pane.getByTestId("cannot-decide")).toContainText("separation of duties");
    await expect(pane.getByRole("button", { name: /Approve/ })).toHaveCount(0);
    await page.keyboard.press("a");
    await expect(page.getByRole("form", { name: "Approve this checkpoint" })).toHaveCount(0);
    await expect(page.getByTestId("inbox-announcement")).toContainText("separation of duties");
  } finally {
    controller.abort();
    await settled;
  }

  // The business owner has no approvals role at all: the inbox is forbidden.
  await page.context().clearCookies();
  await signInOk(page, account("business owner"));
  const response = await page.goto("/approvals");
  expect(response?.status()).toBe(403);
});

test("a checkpoint nobody answers expires into a deny", async ({ page, baseURL }) => {
  test.setTimeout(180_000);
  // The shortest expiry a policy allows is 60 s: an admin adds one for the action the junior
  // crm-hygiene needs approval for, and switches it off again at the end.
  const policy = `E2E expiry ${suffix}`;
  await signInOk(page, account("admin"));
  await page.goto("/catalog");
  await page.getByText("Add a policy", { exact: true }).click();
  const add = page.getByRole("form", { name: "Add a policy" });
  await add.getByLabel("Name", { exact: true }).fill(policy);
  await add.getByLabel("One action").check();
  await add.getByLabel("Action", { exact: true }).selectOption("crm.contact.update");
  await add.getByLabel("Expires after (seconds)").fill("60");
  await add.getByRole("button", { name: "Add policy" }).click();
  await expect(add.getByRole("status")).toHaveText(`Added the policy "${policy}".`);

  try {
    const contact = `contacts/e2e-${suffix}`;
    const waiting = agent(baseURL, "crm-hygiene")
      .authorize("crm.contact.update", { resource: contact, params: { field: "title", value: "CFO" }, reasoning: { instruction: "Fill in the missing title." }, approvalTimeoutMs: 150_000 })
      .then(
        () => null,
        (error: unknown) => error,
      );
    await page.goto("/approvals");
    const option = page.getByRole("option").filter({ hasText: contact });
    await expect(option).toBeVisible();
    await expect(option).toContainText(/s left/);

    const error = await waiting;
    expect(error).toBeInstanceOf(DeniedError);
    expect(error).toMatchObject({ reason: "approval_expired" });
    await expect(option).toHaveCount(0);
    await page.goto("/approvals/history?outcome=expired");
    await expect(page.getByRole("row").filter({ hasText: "crm.contact.update" }).first()).toContainText("expired");
  } finally {
    await page.goto("/catalog");
    const row = page.getByRole("table", { name: "Global checkpoint policies" }).getByRole("row").filter({ has: page.getByRole("rowheader", { name: policy }) });
    await row.getByRole("button", { name: `Disable ${policy}` }).click();
    await row.getByRole("button", { name: "Disable policy" }).click();
    await expect(row).toContainText("disabled");
  }
});

test("an admin's webhook receives a signed checkpoint.created from the running server, and the log shows it", async ({ page, baseURL }) => {
  const receiver = await startWebhookReceiver();
  const { received, url } = receiver;
  const name = `E2E receiver ${suffix}`;
  const controller = new AbortController();
  try {
    await signInOk(page, account("admin"));
    await page.goto("/settings/webhooks");
    await page.getByText("Add a webhook", { exact: true }).click();
    const form = page.getByRole("form", { name: "Add a webhook" });
    await form.getByLabel("Name", { exact: true }).fill(name);
    await form.getByLabel("Receiver URL").fill(url);
    await form.getByRole("button", { name: "Add webhook" }).click();
    const secret = (await page.getByTestId("webhook-secret").locator("code").first().textContent())?.trim() ?? "";
    expect(secret).toMatch(/^whsec_/);

    const charge = `ch_e2e_${suffix}_w`;
    const { settled } = askForRefund(baseURL, charge, controller.signal);
    await expect.poll(() => received.some((entry) => entry.event === "checkpoint.created" && entry.body.includes(charge)), { timeout: 15_000 }).toBe(true);
    const delivery = received.find((entry) => entry.body.includes(charge))!;
    expect(verifySignature(secret, delivery.body, delivery.signature)).toBe(true);
    expect(delivery.body).not.toContain('"amount"');
    controller.abort();
    await settled;

    await page.getByRole("link", { name: "Open the webhook and send a test delivery" }).click();
    await expect(page.getByRole("table", { name: /deliveries/ }).getByRole("row").filter({ hasText: "checkpoint.created" }).first()).toContainText("succeeded");
  } finally {
    controller.abort();
    const off = page.getByRole("button", { name: `Switch off ${name}` });
    if (await off.isVisible().catch(() => false)) {
      await off.click();
      await page.getByRole("button", { name: "Switch off", exact: true }).click();
    }
    await receiver.close();
  }
});
