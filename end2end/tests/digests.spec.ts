import { expect, test } from "@playwright/test";
import { expectAccessible, waitForHydration } from "./support/a11y";
import { linkFromMail, sendDigestsNow } from "./support/mail";
import { DEMO_PASSWORD, logIn } from "./support/session";

const MEMBER = "tove@cafe-nystrom.test";

test.use({ viewport: { width: 390, height: 844 } });

test("on a phone a member sets the digest, gets it, and stops it from the e-mail while logged out", async ({ page, browser }) => {
  await logIn(page, MEMBER, DEMO_PASSWORD);
  await page.getByRole("navigation", { name: "Huvudmeny" }).getByRole("link", { name: "Inställningar" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Sammanfattning per e-post" })).toBeVisible();
  await waitForHydration(page);
  await expectAccessible(page, "the digest settings");
  // Every ring is in by default; untick them all and the form names the problem.
  const rings = page.getByRole("group", { name: "Ringar i sammanfattningen" }).getByRole("checkbox");
  await expect(rings.first()).toBeChecked();
  for (const ring of await rings.all()) await ring.uncheck();
  await page.getByLabel("Hur ofta").selectOption({ label: "Varje dag" });
  await page.getByRole("button", { name: "Spara inställningarna" }).click();
  await expect(page.getByText("Välj minst en ring, eller välj Aldrig.").first()).toBeVisible();
  await rings.first().check();
  await page.getByLabel("Sammanfattningens språk").selectOption({ label: "English" });
  await page.getByRole("button", { name: "Spara inställningarna" }).click();
  await expect(page.getByRole("status")).toHaveText("Inställningarna är sparade.");
  await page.reload();
  await expect(page.getByLabel("Hur ofta")).toHaveValue("daily");
  await expect(page.getByLabel("Sammanfattningens språk")).toHaveValue("en");

  // The digest, in English, with links to the settings and to unsubscribe.
  // This run queues it; it or the server's worker (which may claim it first) sends it,
  // and the mailbox is polled below.
  expect(sendDigestsNow()).toMatch(/Queued [1-9]\d* digest/);
  const unsubscribe = await linkFromMail(MEMBER, "New in your rings", "/avregistrera");
  const settings = await linkFromMail(MEMBER, "New in your rings", "/installningar");

  // Logged out and without JavaScript, as from a phone's mail app: the link asks first.
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  const mailApp = await context.newPage();
  await mailApp.goto(unsubscribe);
  await expect(mailApp.getByText(`Vill du sluta få sammanfattningar till ${MEMBER}?`)).toBeVisible();
  await expectAccessible(mailApp, "the unsubscribe page", { javaScript: false });
  await mailApp.getByRole("button", { name: "Ja, avsluta" }).click();
  await expect(mailApp.getByRole("status")).toContainText("Inga fler sammanfattningar skickas");
  await mailApp.goto(settings);
  await expect(mailApp.getByLabel("Hur ofta")).toHaveValue("never");
  await expectAccessible(mailApp, "the digest settings from the e-mail", { javaScript: false });
  await context.close();
});
