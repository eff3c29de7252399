import { expect, test } from "@playwright/test";
import { expectAccessible, waitForHydration } from "./support/a11y";
import { DEMO_PASSWORD, logIn } from "./support/session";

/** A day `days` from today as YYYY-MM-DD (what a date field takes). */
function dayFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

test("an employer posts a need with the occupation picker, finds it on the ring's board and marks it filled", async ({ page }) => {
  // Tove: the accounts journey changes Per's password, and the journeys share a server.
  await logIn(page, "tove@cafe-nystrom.test", DEMO_PASSWORD);
  await page.getByRole("navigation", { name: "Huvudmeny" }).getByRole("link", { name: "Ringar" }).click();
  await page.getByRole("link", { name: "Service och restaurang Ekdala" }).click();
  await page.getByRole("link", { name: "Till ringens behovstavla" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Rekryteringsbehov – Service och restaurang Ekdala" })).toBeVisible();
  await waitForHydration(page);
  await expectAccessible(page, "a ring's needs board");
  await page.getByRole("link", { name: "Lägg ut ett behov" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Lägg ut ett behov" })).toBeVisible();
  await waitForHydration(page);

  const occupation = page.getByLabel("Yrke (SSYK 2012)");
  await occupation.fill("lager");
  await expect(page.locator('#occupation-options option[value^="4322"]')).toHaveCount(1);
  const picked = await page.locator('#occupation-options option[value^="4322"]').getAttribute("value");
  expect(picked).toContain("Lager- och terminalpersonal");
  await occupation.fill(picked ?? "");
  await page.getByLabel("Rubrik").fill("Lagerarbetare, kvällsskift");
  await page.getByLabel("Antal personer").fill("2");
  await page.getByLabel("Startdatum").fill(dayFromNow(-3));
  await page.getByLabel("Anställningsform").selectOption({ label: "Introduktionsjobb" });
  await page.getByLabel("Praktik först är möjligt").check();
  await page.getByLabel("Lägsta nivå i svenska").selectOption("A2");
  await page.getByRole("button", { name: "Spara behovet" }).click();
  await expect(page.getByRole("alert")).toContainText("Startdatumet kan inte ligga bakåt i tiden");
  await expect(page.getByLabel("Rubrik")).toHaveValue("Lagerarbetare, kvällsskift");
  await expect(occupation).toHaveValue(picked ?? "");
  await expectAccessible(page, "the need form with an error");
  await page.getByLabel("Startdatum").fill(dayFromNow(21));
  await page.getByRole("button", { name: "Spara behovet" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "Lagerarbetare, kvällsskift" })).toBeVisible();
  await expect(page.getByText("4322 – Lager- och terminalpersonal")).toBeVisible();
  await waitForHydration(page);
  await expectAccessible(page, "a need's page");
  await page.getByRole("link", { name: "Service och restaurang Ekdala" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /Rekryteringsbehov/ })).toBeVisible();
  // The filters are folded away until opened, and stay open while one is in use.
  await expect(page.getByLabel("Yrkesområde (SSYK)")).toBeHidden();
  await page.locator("summary", { hasText: "Filtrera behoven" }).click();
  await page.getByLabel("Yrkesområde (SSYK)").selectOption("4");
  await page.getByRole("button", { name: "Visa" }).click();
  await expect(page.getByRole("link", { name: "Lagerarbetare, kvällsskift" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Kock till lunchrestaurang" })).toHaveCount(0);
  await expect(page.locator("summary", { hasText: "Filtrera behoven (filter i bruk: 1)" })).toBeVisible();
  await expect(page.getByLabel("Yrkesområde (SSYK)")).toHaveValue("4");
  await expectAccessible(page, "the needs board, filtered");
  await page.getByRole("link", { name: "Lagerarbetare, kvällsskift" }).click();
  await waitForHydration(page);
  await page.getByRole("button", { name: "Markera som tillsatt" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Statusen är ändrad." })).toBeVisible();
  await expect(page.getByText("fick status Tillsatt")).toBeVisible();
  await expect(page.getByRole("button", { name: "Markera som tillsatt" })).toHaveCount(0);
});

test("without JavaScript an employer finds the occupation code, posts a need and marks it filled", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/logga-in");
  await page.getByLabel("E-postadress").fill("leila@storvik-omsorg.test");
  await page.getByLabel("Lösenord", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Logga in" }).click();
  await page.goto("/ringar");
  await page.getByRole("link", { name: "Vård och omsorg Storvik" }).click();
  await page.getByRole("link", { name: "Till ringens behovstavla" }).click();
  await page.getByRole("link", { name: "Lägg ut ett behov" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Lägg ut ett behov" })).toBeVisible();

  await page.getByLabel("Yrke eller kod").fill("undersköterska");
  await page.getByRole("button", { name: "Sök yrke" }).click();
  await expect(page.getByRole("list", { name: "Yrken som passar" })).toContainText("5321");
  await expectAccessible(page, "the need form without JavaScript", { javaScript: false });

  await page.getByLabel("Yrke (SSYK 2012)").fill("5321");
  await page.getByLabel("Antal personer").fill("2");
  await page.getByLabel("Startdatum").fill(dayFromNow(30));
  await page.getByLabel("Anställningsform").selectOption({ label: "Tillsvidareanställning" });
  await page.getByRole("button", { name: "Spara behovet" }).click();
  await expect(page.getByRole("alert")).toContainText("Rubrik: Fyll i fältet.");
  await expect(page.getByLabel("Yrke (SSYK 2012)")).toHaveValue("5321");
  await expect(page.getByLabel("Antal personer")).toHaveValue("2");
  await expect(page.getByLabel("Anställningsform")).toHaveValue("permanent");
  await page.getByLabel("Rubrik").fill("Undersköterska, kvällar");
  await page.getByRole("button", { name: "Spara behovet" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "Undersköterska, kvällar" })).toBeVisible();
  await page.getByRole("button", { name: "Markera som tillsatt" }).click();
  await expect(page.getByText("Statusen är ändrad.")).toBeVisible();
  await expect(page.getByText("fick status Tillsatt")).toBeVisible();
  await context.close();
});
