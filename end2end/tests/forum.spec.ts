import { expect, test, type Page } from "@playwright/test";
import { expectAccessible, waitForHydration } from "./support/a11y";
import { DEMO_PASSWORD, logIn } from "./support/session";
import { PAYLOADS as payloads } from "./support/xss";

async function openDiscussion(page: Page, ring: string): Promise<void> {
  await page.goto("/ringar");
  await page.getByRole("link", { name: ring }).click();
  await page.getByRole("link", { name: "Till ringens diskussion" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Diskussion – ${ring}` })).toBeVisible();
  await waitForHydration(page);
}

test("an employer starts a thread, another member replies, and the first sees it as unread and reads it", async ({ browser }) => {
  const ring = "Vård och omsorg Storvik";
  const leilaContext = await browser.newContext();
  const leila = await leilaContext.newPage();
  await logIn(leila, "leila@storvik-omsorg.test", DEMO_PASSWORD);
  await expect(leila.getByRole("navigation", { name: "Huvudmeny" }).getByText("Leila Moradi")).toBeVisible();
  await openDiscussion(leila, ring);
  await expectAccessible(leila, "a ring's discussion");
  await leila.getByLabel("Rubrik").fill("Handledning första månaden");
  await leila.getByLabel("Text", { exact: true }).fill("Hur många timmar i veckan lägger ni på **handledning**?");
  await leila.getByRole("button", { name: "Starta tråden" }).click();
  await expect(leila.getByRole("heading", { level: 1, name: "Handledning första månaden" })).toBeVisible();
  await expect(leila.locator(".post__body strong")).toHaveText("handledning");
  await waitForHydration(leila);

  // A phone number is pointed out before anything is saved.
  await leila.getByLabel("Text", { exact: true }).fill("Ring mig på 070-123 45 67 om ni vill *prata*.");
  await leila.getByRole("button", { name: "Förhandsgranska" }).click();
  const preview = leila.getByRole("region", { name: "Förhandsgranska" });
  await expect(preview.getByText("Texten ser ut att innehålla: telefonnummer")).toBeVisible();
  await expect(preview.locator("em")).toHaveText("prata");
  await leila.getByLabel("Text", { exact: true }).fill("Ring mig på 070-123 45 67 om ni vill prata.");
  await leila.getByRole("button", { name: "Skicka svaret" }).click();
  await expect(leila.getByRole("alert")).toContainText("personuppgifter");
  await expect(leila.getByLabel("Jag har kontrollerat: texten innehåller inga uppgifter om en deltagare.")).toBeVisible();
  await expect(leila.getByLabel("Text", { exact: true })).toHaveValue("Ring mig på 070-123 45 67 om ni vill prata.");
  await expectAccessible(leila, "the reply form pointing out personal data");
  await leila.getByLabel("Text", { exact: true }).fill("Ring mig på växeln om ni vill prata.");
  await leila.getByRole("button", { name: "Skicka svaret" }).click();
  await expect(leila.getByText("Ring mig på växeln om ni vill prata.")).toBeVisible();

  const andersContext = await browser.newContext();
  const anders = await andersContext.newPage();
  await logIn(anders, "anders@bjorkdalen.test", DEMO_PASSWORD);
  await expect(anders.getByRole("navigation", { name: "Huvudmeny" }).getByText("Anders Björk")).toBeVisible();
  await openDiscussion(anders, ring);
  const item = anders.getByRole("listitem").filter({ hasText: "Handledning första månaden" });
  await expect(item.getByText("Nytt")).toBeVisible();
  await anders.getByRole("link", { name: "Handledning första månaden" }).click();
  await expect(anders.getByRole("heading", { level: 1, name: "Handledning första månaden" })).toBeVisible();
  await waitForHydration(anders);
  await anders.getByLabel("Text", { exact: true }).fill("Vi avsätter fyra timmar i veckan, och mer första veckan.");
  await anders.getByRole("button", { name: "Skicka svaret" }).click();
  await expect(anders.getByText("Vi avsätter fyra timmar i veckan")).toBeVisible();
  await expectAccessible(anders, "a thread");
  await andersContext.close();

  await openDiscussion(leila, ring);
  const mine = leila.getByRole("listitem").filter({ hasText: "Handledning första månaden" });
  await expect(mine.getByText("Nytt")).toBeVisible();
  await leila.getByRole("link", { name: "Handledning första månaden" }).click();
  await expect(leila.getByText("Vi avsätter fyra timmar i veckan")).toBeVisible();
  await expect(leila.getByText("Björkdalens Vårdhem AB")).toBeVisible();
  await openDiscussion(leila, ring);
  await expect(leila.getByRole("listitem").filter({ hasText: "Handledning första månaden" }).getByText("Nytt")).toHaveCount(0);
  await leilaContext.close();
});

test("no script in a post runs in the browser", async ({ page }) => {
  const dialogs: string[] = [];
  page.on("dialog", async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  await logIn(page, "anders@bjorkdalen.test", DEMO_PASSWORD);
  await expect(page.getByRole("navigation", { name: "Huvudmeny" }).getByText("Anders Björk")).toBeVisible();
  await openDiscussion(page, "Vård och omsorg Storvik");
  const ringId = page.url().match(/\/ringar\/(\d+)\/diskussion/)?.[1] ?? "";
  const api = async (endpoint: string, form: Record<string, string>): Promise<string> => {
    const res = await page.request.post(`/api/forum/${endpoint}`, { form, headers: { accept: "application/json" } });
    expect(res.status(), `${endpoint} ${JSON.stringify(form).slice(0, 80)}`).toBe(200);
    return res.text();
  };
  const threadId = await api("create", {
    ring_id: ringId,
    title: "<script>alert('xss-titel')</script>",
    body: "Tråd för payloads",
    need_id: "",
  });
  for (const body of payloads) {
    await api("reply", { thread_id: threadId, body, confirm_personal: "on" });
  }
  const pages = Math.ceil((payloads.length + 1) / 30);
  for (let n = 1; n <= pages; n++) {
    await page.goto(`/diskussion/${threadId}?sida=${n}`);
    await waitForHydration(page);
    await expect(page.locator(".post")).not.toHaveCount(0);
    expect(await page.evaluate(() => document.querySelectorAll(".post__body script, .post__body img, .post__body iframe, .post__body svg").length)).toBe(0);
  }
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("<script>alert('xss-titel')</script>");
  expect(dialogs).toEqual([]);
});
