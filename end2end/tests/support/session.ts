import type { Page } from "@playwright/test";
import { waitForHydration } from "./a11y";

/** The password of every demo account (scripts seed-demo). */
export const DEMO_PASSWORD = "Broar-demo-2026";

/** Logs in through the login form. */
export async function logIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/logga-in");
  await waitForHydration(page);
  await page.getByLabel("E-postadress").fill(email);
  await page.getByLabel("Lösenord", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Logga in" }).click();
}
