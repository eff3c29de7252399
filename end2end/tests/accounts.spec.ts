import { expect, test, type Page } from "@playwright/test";
import { expectAccessible, waitForHydration } from "./support/a11y";
import { linkFromMail } from "./support/mail";
import { DEMO_PASSWORD, logIn } from "./support/session";

async function choosePassword(page: Page, link: string, password: string): Promise<void> {
  await page.goto(new URL(link).pathname + new URL(link).search);
  await waitForHydration(page);
  await expect(page.getByRole("heading", { level: 1, name: "Välj ett nytt lösenord" })).toBeVisible();
  await expectAccessible(page, "the choose-a-password page");
  await page.getByLabel("Nytt lösenord").fill(password);
  await page.getByLabel("Upprepa lösenordet").fill(password);
  await page.getByRole("button", { name: "Spara lösenordet" }).click();
  await expect(page.getByRole("status")).toContainText("Ditt lösenord är sparat");
}

test("an employer resets a forgotten password through the e-mailed link, logs in and logs out", async ({ page }) => {
  await page.goto("/logga-in");
  await expectAccessible(page, "the login page");
  await page.getByRole("link", { name: "Glömt lösenordet?" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Glömt lösenordet" })).toBeVisible();
  await waitForHydration(page);
  await page.getByLabel("E-postadress").fill("per@ekholms-bygg.test");
  await page.getByRole("button", { name: "Skicka länken" }).click();
  await expect(page.getByRole("status")).toContainText("Om adressen har ett konto");
  await expectAccessible(page, "the forgot-password confirmation");

  const link = await linkFromMail("per@ekholms-bygg.test", "lösenord", "aterstall-losenord");
  await choosePassword(page, link, "Ekholms nya mening 42");

  await logIn(page, "per@ekholms-bygg.test", DEMO_PASSWORD);
  await expect(page.getByRole("alert")).toContainText("Fel e-postadress eller lösenord");

  await logIn(page, "per@ekholms-bygg.test", "Ekholms nya mening 42");
  const nav = page.getByRole("navigation", { name: "Huvudmeny" });
  await expect(nav.getByText("Per Ekholm")).toBeVisible();
  await expect(nav.getByRole("link", { name: "Konton" })).toHaveCount(0);
  await expectAccessible(page, "the home page, logged in as an employer");

  await nav.getByRole("button", { name: "Logga ut" }).click();
  await expect(nav.getByRole("link", { name: "Logga in" })).toBeVisible();
  await expect(nav.getByText("Per Ekholm")).toHaveCount(0);
});

test("the admin creates a coordinator, who chooses a password and logs in", async ({ page }) => {
  await logIn(page, "admin@ekdala.test", DEMO_PASSWORD);
  const nav = page.getByRole("navigation", { name: "Huvudmeny" });
  await nav.getByRole("link", { name: "Konton" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Konton" })).toBeVisible();
  await waitForHydration(page);
  await expectAccessible(page, "the accounts page");

  const form = page.getByRole("region", { name: "Skapa ett konto" });
  await form.getByLabel("Namn").fill("Nora Sandberg");
  await form.getByLabel("E-postadress").fill("nora.sandberg@ekdala.test");
  await expect(form.getByLabel("Roll")).toHaveValue("coordinator");
  await form.getByRole("button", { name: "Skapa kontot" }).click();
  await expect(page.getByRole("status")).toContainText("Kontot är skapat");
  await expect(page.getByRole("rowheader", { name: "Nora Sandberg" })).toBeVisible();

  await nav.getByRole("button", { name: "Logga ut" }).click();
  await expect(nav.getByRole("link", { name: "Logga in" })).toBeVisible();

  const link = await linkFromMail("nora.sandberg@ekdala.test", "konto", "aterstall-losenord");
  await choosePassword(page, link, "Noras egen mening om broar");
  await logIn(page, "nora.sandberg@ekdala.test", "Noras egen mening om broar");
  await expect(nav.getByText("Nora Sandberg")).toBeVisible();
  await expect(nav.getByRole("link", { name: "Konton" })).toHaveCount(0);
  await nav.getByRole("link", { name: "Granskningslogg" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Granskningslogg" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "Konto skapat" })).toBeVisible();
  await expectAccessible(page, "the audit log");
});

test("a logged-out visitor who opens an admin page is told to log in, with the right status", async ({ page }) => {
  const response = await page.goto("/admin/konton");
  expect(response?.status()).toBe(401);
  await expect(page.getByRole("alert")).toContainText("Du behöver logga in.");
  await expectAccessible(page, "the refused admin page");
});
