import { expect, test } from "@playwright/test";
import { expectAccessible, waitForHydration } from "./support/a11y";
import { luhnDigit } from "./support/numbers";
import { DEMO_PASSWORD, logIn } from "./support/session";

/** A valid personnummer YYYYMMDD-NNNC for a birth date and three serial digits. */
function personnummer(birth: string, serial: string): string {
  return `${birth}-${serial}${luhnDigit(birth.slice(2) + serial)}`;
}

test("a coordinator maps a candidate, assesses A–D and shortlists them for a need from the ranked list", async ({ page }) => {
  await logIn(page, "johanna.berglund@ekdala.test", DEMO_PASSWORD);
  await page.getByRole("navigation", { name: "Huvudmeny" }).getByRole("link", { name: "Deltagare" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Deltagare" })).toBeVisible();
  await waitForHydration(page);
  await expectAccessible(page, "the candidate list");

  const valid = personnummer("19880412", "362");
  const wrongCheck = valid.slice(0, -1) + String((Number(valid.slice(-1)) + 1) % 10);
  await page.getByLabel("Namn", { exact: true }).fill("Nadia Journeysdotter");
  await page.getByLabel("Personnummer eller samordningsnummer").fill(wrongCheck);
  await page.getByLabel("Kön").selectOption({ label: "Kvinna" });
  await page.getByLabel("Sfi-kurs").selectOption({ label: "Kurs D" });
  await page.getByRole("button", { name: "Spara deltagaren" }).click();
  await expect(page.getByRole("alert")).toContainText("Kontrollsiffran stämmer inte");
  await expect(page.getByLabel("Namn", { exact: true })).toHaveValue("Nadia Journeysdotter");
  await page.getByLabel("Personnummer eller samordningsnummer").fill(valid);
  await page.getByRole("button", { name: "Spara deltagaren" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "Nadia Journeysdotter" })).toBeVisible();
  await expect(page.getByText(valid)).toBeVisible();
  await waitForHydration(page);
  await expectAccessible(page, "a candidate's record");

  // Four years as a cook.
  await page.getByText("Lägg till erfarenhet", { exact: true }).click();
  await page.locator("#occupation").fill("5120");
  await page.locator("#years").fill("4");
  await page.locator("#country").fill("Syrien");
  await page.getByRole("button", { name: "Lägg till erfarenheten" }).click();
  await expect(page.getByText(/5120 – Kockar.*: 4 år, Syrien/)).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Yrkena är sparade." })).toBeVisible();

  // Job-ready: A–D.
  for (const criterion of ["A", "B", "C", "D"]) {
    await page.getByLabel("Kriterium", { exact: true }).selectOption(criterion);
    await page.getByLabel("Bedömning", { exact: true }).selectOption({ label: "Uppfyllt" });
    await page.getByRole("button", { name: "Spara bedömningen" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Bedömningen är sparad." })).toBeVisible();
  }
  await expect(page.getByText(/^Jobbredo sedan /).first()).toBeVisible();
  // One confirmation: the last save's, beside its form; the earlier one is gone.
  await expect(page.getByRole("status").filter({ hasText: "Yrkena är sparade." })).toHaveCount(0);

  // The need for a cook, ranked.
  await page.getByRole("navigation", { name: "Huvudmeny" }).getByRole("link", { name: "Behov" }).click();
  await page.getByRole("link", { name: "Kock till lunchrestaurang" }).click();
  await page.getByRole("link", { name: "Matcha deltagare mot behovet" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Matchning: Kock till lunchrestaurang" })).toBeVisible();
  await waitForHydration(page);
  const entry = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: /Nadia Journeysdotter/ }) });
  await expect(entry).toContainText("Samma yrke (5120, erfarenhet)");
  await expect(entry).toContainText("4 av 4 kriterier uppfyllda");
  await expectAccessible(page, "matching for a need");
  await page.getByLabel("Anteckning om Nadia Journeysdotter (valfri)").fill("Fyra år i storkök");
  await page.getByRole("button", { name: "Sätt Nadia Journeysdotter på kortlistan" }).click();
  const shortlist = page.locator("#kortlista");
  await expect(shortlist).toContainText("Nadia Journeysdotter – Fyra år i storkök");
  await expect(entry).toContainText("På kortlistan");
  await page.getByRole("link", { name: "Service och restaurang Ekdala" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Deltagarpool: Service och restaurang Ekdala" })).toBeVisible();
  await waitForHydration(page);
  await expectAccessible(page, "a ring's candidate pool");
});

test("without JavaScript a coordinator reads obstacles and health only after giving a reason", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/logga-in");
  await page.getByLabel("E-postadress").fill("samir.haddad@ekdala.test");
  await page.getByLabel("Lösenord", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Logga in" }).click();
  await page.goto("/deltagare?status=all&q=Rahel");
  await page.getByRole("link", { name: "Rahel Abdullahi" }).click();
  await page.getByRole("link", { name: "Hinder och hälsa (registrerat)" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Hinder och hälsa" })).toBeVisible();
  await expect(page.getByText("Ryggbesvär")).toHaveCount(0);
  await page.getByLabel("Varför behöver du se uppgifterna?").fill("kort");
  await page.getByRole("button", { name: "Visa hinder och hälsa" }).click();
  await expect(page.getByRole("alert")).toContainText("minst fem tecken");
  await expect(page.getByLabel("Varför behöver du se uppgifterna?")).toHaveValue("kort");
  await expectAccessible(page, "the health reason form with an error", { javaScript: false });
  await page.getByLabel("Varför behöver du se uppgifterna?").fill("planering av praktik");
  await page.getByRole("button", { name: "Visa hinder och hälsa" }).click();
  await expect(page.getByLabel("Hälsa", { exact: true })).toHaveValue(/Ryggbesvär/);
  await page.goto("/granskningslogg");
  await expect(page.getByText("planering av praktik").first()).toBeVisible();

  // The record's forms work without JavaScript too: a new candidate, then a language.
  await page.goto("/deltagare");
  await page.getByLabel("Namn", { exact: true }).fill("Idris Utanskriptsson");
  await page.getByLabel("Personnummer eller samordningsnummer").fill(personnummer("19930707", "481"));
  await page.getByLabel("Kön").selectOption({ label: "Man" });
  await page.getByRole("button", { name: "Spara deltagaren" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Idris Utanskriptsson" })).toBeVisible();
  await page.getByText("Lägg till ett språk", { exact: true }).click();
  await page.locator("select#language").selectOption({ label: "tigrinja" });
  await page.locator("select#level").selectOption({ label: "modersmål" });
  await page.getByRole("button", { name: "Lägg till språket" }).click();
  await expect(page.getByText("tigrinja – modersmål")).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Språket är sparat." })).toBeVisible();
  await expectAccessible(page, "a candidate's record without JavaScript", { javaScript: false });
  await context.close();
});

test("two coordinators edit one candidate: the later save is stopped, keeps its text and shows what is saved", async ({ browser }) => {
  const first = await (await browser.newContext()).newPage();
  const second = await (await browser.newContext()).newPage();
  await logIn(first, "johanna.berglund@ekdala.test", DEMO_PASSWORD);
  await expect(first.getByRole("button", { name: "Logga ut" })).toBeVisible();
  await first.goto("/deltagare");
  await waitForHydration(first);
  await first.getByLabel("Namn", { exact: true }).fill("Omar Konfliktsson");
  await first.getByLabel("Personnummer eller samordningsnummer").fill(personnummer("19790303", "517"));
  await first.getByLabel("Kön").selectOption({ label: "Man" });
  await first.getByRole("button", { name: "Spara deltagaren" }).click();
  await expect(first.getByRole("heading", { level: 1, name: "Omar Konfliktsson" })).toBeVisible();
  const edit = first.url().replace(/\?.*$/, "") + "/redigera";

  await first.goto(edit);
  await waitForHydration(first);
  await logIn(second, "samir.haddad@ekdala.test", DEMO_PASSWORD);
  await expect(second.getByRole("button", { name: "Logga ut" })).toBeVisible();
  await second.goto(edit);
  await waitForHydration(second);
  await second.getByLabel("Telefon").fill("070-174 06 77");
  await second.getByRole("button", { name: "Spara" }).click();
  await expect(second.getByRole("heading", { level: 1, name: "Omar Konfliktsson" })).toBeVisible();

  await first.getByLabel("Namn", { exact: true }).fill("Omar K. Konfliktsson");
  await first.getByRole("button", { name: "Spara" }).click();
  await expect(first.getByRole("alert")).toContainText("Någon annan har ändrat uppgifterna");
  await expect(first.getByLabel("Namn", { exact: true })).toHaveValue("Omar K. Konfliktsson");
  await expect(first.locator("details[open]")).toContainText("070-174 06 77");
  await expectAccessible(first, "the edit form after a clash");
  await first.getByLabel("Telefon").fill("070-174 06 77");
  await first.getByRole("button", { name: "Spara" }).click();
  await expect(first.getByRole("heading", { level: 1, name: "Omar K. Konfliktsson" })).toBeVisible();
  await expect(first.getByText("070-174 06 77")).toBeVisible();
});
