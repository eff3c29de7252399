import { expect, test } from "@playwright/test";
import { expectAccessible } from "./support/a11y";

test.use({ javaScriptEnabled: false });

test("without JavaScript the feedback form reports errors, keeps what was typed and then accepts the report", async ({
  page,
}) => {
  await page.goto("/tillganglighet");
  // Data loaded on the server is in the HTML itself, not streamed in by a script.
  await expect(page.getByText("Ekdala kommun och Storvik kommun står bakom Broar.")).toBeVisible();
  const typed = "Knappen <Skicka> syns inte i mobilen & fokus försvinner.";
  await page.getByLabel("E-postadress (obligatoriskt)").fill("inte en adress");
  await page.getByLabel("Sida eller funktion").fill("Tillgänglighet");
  await page.getByLabel("Beskriv problemet (obligatoriskt)").fill(typed);
  await page.getByRole("button", { name: "Skicka rapporten" }).click();

  await expect(page.getByRole("heading", { name: "Formuläret innehåller fel" })).toBeVisible();
  await expect(page.getByText("Ange en e-postadress i formatet namn@exempel.se.").first()).toBeVisible();
  await expect(page.getByLabel("E-postadress (obligatoriskt)")).toHaveValue("inte en adress");
  await expect(page.getByLabel("Sida eller funktion")).toHaveValue("Tillgänglighet");
  await expect(page.getByLabel("Beskriv problemet (obligatoriskt)")).toHaveValue(typed);
  expect(page.url()).not.toContain("Knappen");
  await expectAccessible(page, "the feedback form with errors, no JavaScript", { javaScript: false });

  await page.getByLabel("E-postadress (obligatoriskt)").fill("ali@foretag.se");
  await page.getByRole("button", { name: "Skicka rapporten" }).click();
  await expect(page.getByText(/Tack! Vi har tagit emot din rapport med ärendenummer TR-\d{5}\./)).toBeVisible();
  await expectAccessible(page, "the acknowledgement, no JavaScript", { javaScript: false });
});

test("without JavaScript the language switch still works", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("button", { name: "Byt språk till English" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Welcome to Broar" })).toBeVisible();
});

test("without JavaScript a coordinator logs in, uses a form guarded by its token, and logs out", async ({ page }) => {
  await page.goto("/logga-in");
  await page.getByLabel("E-postadress").fill("samir.haddad@ekdala.test");
  await page.getByLabel("Lösenord", { exact: true }).fill("fel lösenord");
  await page.getByRole("button", { name: "Logga in" }).click();
  await expect(page.getByText("Fel e-postadress eller lösenord").first()).toBeVisible();
  await expect(page.getByLabel("E-postadress")).toHaveValue("samir.haddad@ekdala.test");
  await expect(page.getByLabel("Lösenord", { exact: true })).toHaveValue("");

  await page.getByLabel("Lösenord", { exact: true }).fill("Broar-demo-2026");
  await page.getByRole("button", { name: "Logga in" }).click();
  const nav = page.getByRole("navigation", { name: "Huvudmeny" });
  await expect(nav.getByText("Samir Haddad")).toBeVisible();
  await expectAccessible(page, "the work queue, logged in, no JavaScript", { javaScript: false });

  // The language switch is a form too: it carries the session's CSRF token.
  await page.getByRole("button", { name: "Byt språk till English" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "To do" })).toBeVisible();
  await page.getByRole("button", { name: "Change language to Svenska" }).click();

  await nav.getByRole("link", { name: "Granskningslogg" }).click();
  await page.getByLabel("Sök").fill("Misslyckad inloggning");
  await page.getByRole("button", { name: "Sök" }).click();
  await expect(page.getByRole("cell", { name: "Misslyckad inloggning" }).first()).toBeVisible();

  await nav.getByRole("button", { name: "Logga ut" }).click();
  await expect(nav.getByRole("link", { name: "Logga in" })).toBeVisible();
});

test("without JavaScript a logged-in person's accessibility report is accepted", async ({ page }) => {
  await page.goto("/logga-in");
  await page.getByLabel("E-postadress").fill("samir.haddad@ekdala.test");
  await page.getByLabel("Lösenord", { exact: true }).fill("Broar-demo-2026");
  await page.getByRole("button", { name: "Logga in" }).click();
  await expect(page.getByRole("navigation", { name: "Huvudmeny" }).getByText("Samir Haddad")).toBeVisible();

  // The form carries the session's token like every other form (it once did not, and
  // a logged-in report was refused as not coming from Broar, its text lost).
  await page.goto("/tillganglighet");
  await page.getByLabel("E-postadress (obligatoriskt)").fill("samir.haddad@ekdala.test");
  await page.getByLabel("Beskriv problemet (obligatoriskt)").fill("Tabellen på rapportsidan går inte att läsa med skärmläsare.");
  await page.getByRole("button", { name: "Skicka rapporten" }).click();
  await expect(page.getByText(/Tack! Vi har tagit emot din rapport med ärendenummer TR-\d{5}\./)).toBeVisible();
});
