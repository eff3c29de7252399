import { expect, type Page } from "@playwright/test";

/** Presses "Dela profilen" on the release page and returns the code the confirmation names. */
export async function shareProfile(page: Page): Promise<string> {
  await page.getByRole("button", { name: "Dela profilen" }).click();
  const done = page.getByRole("status").filter({ hasText: /Profilen är delad som K-/ });
  await expect(done).toBeVisible();
  const code = ((await done.innerText()).match(/K-[0-9A-Z]{4}/) ?? [""])[0];
  expect(code, "the confirmation names the profile's code").not.toBe("");
  return code;
}
