import { expect, test } from "@playwright/test";
import { expectAccessible } from "./support/a11y";

test.use({ javaScriptEnabled: false });

test("without JavaScript the feedback form reports errors, keeps what was typed and then accepts the report", async ({
  page,
}) => {
  await page.goto("/tillganglighet");
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
