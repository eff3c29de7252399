import { expect, test } from "@playwright/test";
import { expectAccessible, waitForHydration } from "./support/a11y";
import { linkFromMail } from "./support/mail";
import { DEMO_PASSWORD, logIn } from "./support/session";

/** A day `days` from today as YYYY-MM-DD (what a date field takes). */
function dayFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

test("a coordinator registers a firm, starts a ring and invites a person, who joins and says they will come to the next meeting", async ({
  page,
  browser,
}) => {
  await logIn(page, "samir.haddad@ekdala.test", DEMO_PASSWORD);
  const nav = page.getByRole("navigation", { name: "Huvudmeny" });
  await nav.getByRole("link", { name: "Företag" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Företag" })).toBeVisible();
  await waitForHydration(page);
  await expect(page.getByRole("heading", { name: "Dina uppföljningar" })).toBeVisible();
  await expectAccessible(page, "the firm registry");

  // A wrong check digit is named on the field, and what was typed stays.
  await page.getByLabel("Företagets namn").fill("Ekdala Trädgårdstjänst AB");
  await page.getByLabel("Organisationsnummer", { exact: true }).fill("556036-0794");
  await page.getByLabel("Antal anställda").fill("8");
  await page.getByLabel("Bransch (SNI 2007)").selectOption("N");
  await page.getByRole("button", { name: "Lägg till företaget" }).click();
  await expect(page.getByRole("alert")).toContainText("kontrollsiffran är fel");
  await expect(page.getByLabel("Organisationsnummer", { exact: true })).toHaveValue("556036-0794");
  await expect(page.getByLabel("Företagets namn")).toHaveValue("Ekdala Trädgårdstjänst AB");
  await expectAccessible(page, "the firm form with an error");
  await page.getByLabel("Organisationsnummer", { exact: true }).fill("5560360793");
  await page.getByRole("button", { name: "Lägg till företaget" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Ekdala Trädgårdstjänst AB" })).toBeVisible();
  await expect(page.getByText("556036-0793", { exact: true })).toBeVisible();
  await waitForHydration(page);
  await expectAccessible(page, "a firm's page");

  await nav.getByRole("link", { name: "Ringar" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Ringar" })).toBeVisible();
  await waitForHydration(page);
  await expectAccessible(page, "the rings page");
  await page.getByLabel("Ringens namn").fill("Grön service Ekdala");
  await page.getByLabel("Beskrivning").fill("Trädgård, fastighetsskötsel och städ.");
  await page.getByRole("button", { name: "Starta ringen" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Grön service Ekdala" })).toBeVisible();
  await waitForHydration(page);
  await expect(page.getByText("Ringen har färre än 3 företag")).toBeVisible();

  await page.getByLabel("Datum").fill(dayFromNow(14));
  await page.getByLabel("Starttid").fill("08:30");
  await page.getByLabel("Sluttid").fill("10:00");
  await page.getByLabel("Plats eller länk").fill("Kommunhuset, rum 3");
  await page.getByLabel("Dagordning").fill("Runda och rekryteringsbehov");
  await page.getByRole("button", { name: "Spara träffen" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /Ringträff/ })).toBeVisible();
  await page.getByRole("link", { name: "Grön service Ekdala" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Grön service Ekdala" })).toBeVisible();
  await waitForHydration(page);

  await page.getByLabel("Företag", { exact: true }).selectOption({ label: "Ekdala Trädgårdstjänst AB" });
  await page.getByLabel("Namn", { exact: true }).fill("Ali Rahimi");
  await page.getByLabel("E-postadress").fill("ali@tradgardstjanst.test");
  await page.getByRole("button", { name: "Skicka inbjudan" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Inbjudan är skickad" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "Väntar på svar" })).toBeVisible();
  await expectAccessible(page, "a ring's page for its coordinator");

  // The invited person, in a browser of their own, follows the link from the e-mail.
  const link = await linkFromMail("ali@tradgardstjanst.test", "Inbjudan", "inbjudan\\?token=");
  const guestContext = await browser.newContext();
  const guest = await guestContext.newPage();
  const url = new URL(link);
  await guest.goto(url.pathname + url.search);
  await expect(guest.getByRole("heading", { level: 1, name: "Inbjudan till en rekryteringsring" })).toBeVisible();
  await expect(guest.getByText("rekryteringsringen Grön service Ekdala för Ekdala Trädgårdstjänst AB")).toBeVisible();
  await waitForHydration(guest);
  await expectAccessible(guest, "the invitation page");
  await expect(guest.getByLabel("Ditt namn")).toHaveValue("Ali Rahimi");
  await guest.getByLabel("Lösenord", { exact: true }).fill("Alis trädgård i Ekdala");
  await guest.getByLabel("Upprepa lösenordet").fill("Alis trädgård i Ekdala");
  await guest.getByRole("button", { name: "Skapa konto och gå med" }).click();
  await expect(guest.getByRole("heading", { level: 1, name: "Grön service Ekdala" })).toBeVisible();
  await expect(guest.getByRole("status").filter({ hasText: "Välkommen till ringen!" })).toBeVisible();
  const guestNav = guest.getByRole("navigation", { name: "Huvudmeny" });
  await expect(guestNav.getByText("Ali Rahimi")).toBeVisible();
  await expect(guestNav.getByRole("link", { name: "Företag" })).toHaveCount(0);
  await expect(guest.getByRole("heading", { name: "Inbjudningar" })).toHaveCount(0);
  await waitForHydration(guest);
  await expectAccessible(guest, "a ring's page for a member");

  await guest.locator("#moten").getByRole("link").first().click();
  await expect(guest.getByRole("heading", { level: 1, name: /Ringträff/ })).toBeVisible();
  await waitForHydration(guest);
  await expect(guest.getByText("Du har inte svarat ännu.")).toBeVisible();
  await guest.getByLabel("Ja, jag kommer").check();
  await guest.getByRole("button", { name: "Spara svaret" }).click();
  await expect(guest.getByRole("status").filter({ hasText: "Ditt svar är sparat." })).toBeVisible();
  await expect(guest.getByText("Du har svarat att du kommer.")).toBeVisible();
  await expectAccessible(guest, "the meeting page");
  await guestContext.close();

  // The coordinator sees the invitation accepted and the firm in the ring.
  await page.reload();
  await expect(page.getByRole("cell", { name: "Antagen" })).toBeVisible();
  await expect(page.locator("#medlemmar").getByText("Ekdala Trädgårdstjänst AB", { exact: true })).toBeVisible();
});

test("an employer answers a meeting and downloads it as a calendar file without JavaScript", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/logga-in");
  await page.getByLabel("E-postadress").fill("tove@cafe-nystrom.test");
  await page.getByLabel("Lösenord", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Logga in" }).click();
  await page.goto("/ringar");
  await expect(page.getByRole("heading", { level: 2, name: "Service och restaurang Ekdala" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Bygg och industri Ekdala" })).toHaveCount(0);
  await page.getByRole("link", { name: "Service och restaurang Ekdala" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Service och restaurang Ekdala" })).toBeVisible();
  await expectAccessible(page, "a ring's page without JavaScript", { javaScript: false });
  await page.locator("#moten").getByRole("link").first().click();
  await expect(page.getByRole("heading", { level: 1, name: /Ringträff/ })).toBeVisible();
  await page.getByLabel("Nej, jag kommer inte").check();
  await page.getByRole("button", { name: "Spara svaret" }).click();
  await expect(page.getByText("Du har svarat att du inte kommer.")).toBeVisible();
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Lägg till i kalendern (.ics)" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^ringtraff-\d+\.ics$/);
  await context.close();
});
