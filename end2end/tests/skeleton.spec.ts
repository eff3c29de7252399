import { expect, test } from "@playwright/test";
import { expectAccessible, waitForHydration } from "./support/a11y";

test("a visitor reads Broar in Swedish, switches to English and keeps it while navigating", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "sv");
  await expect(page.getByRole("heading", { level: 1, name: "Välkommen till Broar" })).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: "Ekdala kommun" })).toBeVisible();
  await expectAccessible(page, "the home page (sv)");

  await page.getByRole("button", { name: "Byt språk till English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1, name: "Welcome to Broar" })).toBeVisible();
  await expectAccessible(page, "the home page (en)");

  await page.getByRole("navigation", { name: "Main menu" }).getByRole("link", { name: "Accessibility" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Accessibility statement" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Accessibility" }).first()).toHaveAttribute("aria-current", "page");
  await expectAccessible(page, "the accessibility statement (en)");

  await page.getByRole("button", { name: "Change language to Svenska" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Tillgänglighetsredogörelse" })).toBeVisible();
});

test("the skip link is the first stop for a keyboard user and leads to the content", async ({ page }) => {
  await page.goto("/tillganglighet");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Hoppa till innehållet" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#main$/);
  await expect(page.locator("main")).toBeFocused();
});

test("an unknown address shows a page that leads home", async ({ page }) => {
  const response = await page.goto("/finns-inte");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "Sidan finns inte" })).toBeVisible();
  await expectAccessible(page, "the 404 page");
  await page.getByRole("link", { name: "Till startsidan" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Välkommen till Broar" })).toBeVisible();
});

// Pages are server HTML (islands only where the browser adds something), so with
// JavaScript on the form posts as it does without: the page comes back with the errors,
// the text kept and focus on the summary.
test("with JavaScript on the feedback form shows errors with focus on them, keeps the text, then thanks", async ({ page }) => {
  await page.goto("/tillganglighet");
  await waitForHydration(page);
  const form = page.getByRole("region", { name: "Rapportera brister i tillgängligheten" });
  await form.getByLabel("E-postadress (obligatoriskt)").fill("anna@");
  await form.getByLabel("Beskriv problemet (obligatoriskt)").fill("Menyn går inte att nå med tangentbordet.");
  await form.getByRole("button", { name: "Skicka rapporten" }).click();

  const summary = page.getByRole("alert").filter({ hasText: "Formuläret innehåller fel" });
  await expect(summary).toBeVisible();
  await expect(summary.getByRole("link", { name: /E-postadress.*Ange en e-postadress/ })).toBeVisible();
  await expect(form.getByLabel("E-postadress (obligatoriskt)")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel("Beskriv problemet (obligatoriskt)")).toHaveValue(
    "Menyn går inte att nå med tangentbordet.",
  );
  await expect(summary, "the summary is where a screen reader and the eye land").toBeFocused();
  await expectAccessible(page, "the feedback form with errors");

  await form.getByLabel("E-postadress (obligatoriskt)").fill("anna@foretag.se");
  await form.getByRole("button", { name: "Skicka rapporten" }).click();
  await expect(page.getByRole("status")).toContainText(/Tack! .* ärendenummer TR-\d{5}/);
});
