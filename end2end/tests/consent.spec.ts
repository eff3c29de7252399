import { expect, test, type Browser, type Page } from "@playwright/test";
import { expectAccessible, waitForHydration } from "./support/a11y";
import { shareProfile } from "./support/profiles";
import { DEMO_PASSWORD, logIn } from "./support/session";

const COORDINATOR = "samir.haddad@ekdala.test";
/** The demo employer of each demo ring (by ring id). */
const EMPLOYER_OF_RING: Record<number, string> = {
  1: "per@ekholms-bygg.test",
  2: "leila@storvik-omsorg.test",
  3: "tove@cafe-nystrom.test",
};

async function logInAs(page: Page, email: string): Promise<void> {
  await logIn(page, email, DEMO_PASSWORD);
  await expect(page.getByRole("button", { name: "Logga ut" })).toBeVisible();
}

async function logOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Logga ut" }).click();
  await expect(page.getByRole("link", { name: "Logga in" })).toBeVisible();
}

/**
 * A demo candidate whose profile the re-identification guard lets through to a ring
 * where it is not shown yet. Which ones pass depends on today's ages, so the journey
 * asks the release page instead of naming someone.
 */
async function releasableCandidate(page: Page): Promise<{ id: number; ring: number }> {
  for (let id = 1; id <= 80; id++) {
    for (const ring of [3, 2, 1]) {
      const res = await page.goto(`/deltagare/${id}/dela?ring=${ring}`);
      if (res?.status() !== 200) continue;
      if (await page.getByRole("button", { name: "Dela profilen" }).count()) return { id, ring };
    }
  }
  throw new Error("no demo candidate can be released anywhere");
}

test("consent, release, interest, meeting and hire: the employer learns the name only when the candidate agrees", async ({ page }) => {
  // Finding a releasable demo candidate reads up to a few hundred pages.
  test.setTimeout(180_000);
  await logInAs(page, COORDINATOR);
  const { id, ring } = await releasableCandidate(page);
  const name = (await page.getByRole("heading", { level: 1 }).innerText()).replace(/^Dela profil – /, "");

  // The consent is renewed for the ring, on the printed wording the candidate signed.
  await page.goto(`/deltagare/${id}/samtycken`);
  await expect(page.getByRole("heading", { level: 1, name: `Samtycken – ${name}` })).toBeVisible();
  await waitForHydration(page);
  await expectAccessible(page, "a candidate's consents");
  await page.getByRole("link", { name: "Samtyckestexter och blanketter att skriva ut" }).click();
  await page.getByRole("link", { name: /^Samtycke till delning av anonymiserad profil – v1/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Samtycke till delning av anonymiserad profil" })).toBeVisible();
  await expect(page.getByText("Underskrift", { exact: true })).toBeVisible();
  await waitForHydration(page);
  await expectAccessible(page, "the consent form to print");
  await page.goto(`/deltagare/${id}/samtycken`);
  await waitForHydration(page);
  await page.locator("select#text_id").selectOption({ index: 1 });
  await page.locator("select#method").selectOption({ label: "Undertecknad blankett" });
  await page.getByRole("button", { name: "Registrera samtycket" }).click();
  await expect(page.getByRole("alert")).toContainText("Välj minst en ring");
  const ringName = (await page.locator(`label[for="ring-${ring}"]`).innerText()).trim();
  await page.getByLabel(ringName, { exact: true }).check();
  await page.getByRole("button", { name: "Registrera samtycket" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Samtycket är registrerat." })).toBeVisible();

  // The release page shows the guarded profile; the text is checked for the name.
  await page.getByRole("link", { name: "Dela en anonymiserad profil" }).first().click();
  await page.locator("select#ring").selectOption(String(ring));
  await page.getByRole("button", { name: "Visa profilen" }).click();
  await expect(page.getByRole("heading", { name: "Profilen som delas" })).toBeVisible();
  await waitForHydration(page);
  await expectAccessible(page, "the release page");
  await page.getByLabel("Rubrik", { exact: true }).fill("Erfaren och redo att börja");
  const firstName = name.split(" ")[0];
  await page.getByLabel("Kort beskrivning").fill(`${firstName} är noggrann och punktlig.`);
  await page.getByRole("button", { name: "Dela profilen" }).click();
  await expect(page.getByRole("alert")).toContainText("Texten innehåller deltagarens namn");
  await expect(page.getByLabel("Kort beskrivning")).toHaveValue(`${firstName} är noggrann och punktlig.`);
  await page.getByLabel("Kort beskrivning").fill("Noggrann och punktlig, vill gärna börja med praktik.");
  const code = await shareProfile(page);
  await logOut(page);

  // The ring's employer reads the profile — no name anywhere — and asks to meet.
  await logInAs(page, EMPLOYER_OF_RING[ring]);
  await page.goto(`/ringar/${ring}/profiler`);
  await expect(page.getByRole("heading", { level: 1, name: /^Delade profiler/ })).toBeVisible();
  await waitForHydration(page);
  await expectAccessible(page, "a ring's shared profiles");
  await page.getByRole("link", { name: new RegExp(`^${code} – Erfaren och redo att börja`) }).click();
  await expect(page.getByRole("heading", { level: 1, name: `${code} – Erfaren och redo att börja` })).toBeVisible();
  await expect(page.locator("main")).not.toContainText(name);
  await waitForHydration(page);
  await expectAccessible(page, "a shared profile");
  await page.getByLabel("Meddelande till koordinatorn").fill("Vi söker någon till hösten och kan ses en förmiddag.");
  await page.getByRole("button", { name: "Vi är intresserade" }).click();
  await expect(page.getByText("Ert intresse är skickat till koordinatorn.")).toBeVisible();
  await logOut(page);

  // The coordinator arranges the meeting, records the candidate's yes and the hire.
  await logInAs(page, COORDINATOR);
  await page.getByRole("navigation", { name: "Huvudmeny" }).getByRole("link", { name: "Intresse" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Intresse från arbetsgivare" })).toBeVisible();
  await waitForHydration(page);
  await expectAccessible(page, "the interest inbox");
  const card = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: code, exact: true }) });
  await expect(card).toContainText(name);
  const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  await card.getByLabel("Mötesdag").fill(inAWeek);
  await card.getByLabel("Klockslag").fill("10:00");
  await card.getByLabel("Plats", { exact: true }).fill("Arbetsmarknadsenheten, Storgatan 1");
  await card.getByRole("button", { name: "Spara mötet" }).click();
  await expect(card).toContainText("möte");
  // One confirmation on the page, for the last thing saved.
  await expect(page.getByText("Mötet är bokat och arbetsgivaren har fått besked.")).toBeVisible();
  await card.getByRole("button", { name: "Deltagaren har sagt ja till mötet" }).click();
  await expect(card).toContainText(`deltagaren heter ${name}`);
  await card.getByText("Registrera utfallet").click();
  await card.getByLabel("Utfall", { exact: true }).selectOption({ label: "Anställd" });
  await card.getByLabel("Datum", { exact: true }).fill(inAWeek);
  await card.getByLabel("Anställningsform").selectOption({ label: "Tillsvidareanställning" });
  await card.getByRole("button", { name: "Spara utfallet" }).click();
  await expect(card).toContainText("Utfall: Anställd");
  await expect(page.getByText("Utfallet är registrerat.")).toBeVisible();
  await expect(page.getByText("Mötet är bokat och arbetsgivaren har fått besked.")).toHaveCount(0);

  // The hire is in the candidate's timeline.
  await page.goto(`/deltagare/${id}`);
  const timeline = page.locator("#tidslinje");
  await expect(timeline).toContainText("Anställning");
  await expect(timeline).toContainText(code);
  await logOut(page);

  // Now the employer sees whom they are meeting.
  await logInAs(page, EMPLOYER_OF_RING[ring]);
  await page.goto(`/profiler/${code}`);
  await expect(page.locator("main")).toContainText(`deltagaren heter ${name}`);
});

/**
 * From a need's matching list to a released profile: the list filtered to candidates
 * whose consent covers the ring, "Dela profil" on a row, the release page toward the
 * need, and the ring's employer (in a browser of their own) reading the profile. Axe
 * checks every page.
 */
async function shareFromMatching(browser: Browser, javaScript: boolean): Promise<void> {
  const open = async (email: string): Promise<{ page: Page; close: () => Promise<void> }> => {
    const context = await browser.newContext({ javaScriptEnabled: javaScript });
    const page = await context.newPage();
    await page.goto("/logga-in");
    if (javaScript) await waitForHydration(page);
    await page.getByLabel("E-postadress").fill(email);
    await page.getByLabel("Lösenord", { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Logga in" }).click();
    await expect(page.getByRole("button", { name: "Logga ut" })).toBeVisible();
    return { page, close: () => context.close() };
  };
  const checked = async (page: Page, label: string) => {
    if (javaScript) await waitForHydration(page);
    await expectAccessible(page, label, { javaScript });
  };
  const coordinator = await open(COORDINATOR);
  const page = coordinator.page;
  let share = null;
  for (let need = 1; need <= 20 && !share; need++) {
    const res = await page.goto(`/behov/${need}/matchning`);
    if (res?.status() !== 200) continue;
    // The filter is a plain GET form.
    await page.getByLabel(/^De vars samtycke omfattar/).check();
    await page.getByRole("button", { name: "Filtrera listan" }).click();
    await expect(page).toHaveURL(/samtycke=1/);
    // Not ring 1: accounts.spec.ts gives its employer a new password.
    const link = page.locator('a[href*="/dela?ring=2&"], a[href*="/dela?ring=3&"]').filter({ hasText: /^Dela profil för / }).first();
    if (await link.count()) share = link;
  }
  if (!share) throw new Error("no demo need has a consented candidate left to share");
  await checked(page, "the matching list filtered to consent");
  const href = (await share.getAttribute("href")) ?? "";
  const ring = Number(new URL(href, "http://x").searchParams.get("ring"));
  await share.click();
  await expect(page.getByRole("heading", { name: "Profilen som delas" })).toBeVisible();
  await expect(page.locator("select#behov")).not.toHaveValue("");
  await checked(page, "the release page toward a need");
  const headline = javaScript ? "Noggrann och redo att börja" : "Punktlig och redo att börja";
  await page.getByLabel("Rubrik", { exact: true }).fill(headline);
  await page.getByRole("button", { name: "Dela profilen" }).click();
  const done = page.getByRole("status").filter({ hasText: /Profilen är delad som K-/ });
  await expect(done).toBeVisible();
  const code = ((await done.innerText()).match(/K-[0-9A-Z]{4}/) ?? [""])[0];
  expect(code).not.toBe("");
  await coordinator.close();

  const employer = await open(EMPLOYER_OF_RING[ring]);
  await employer.page.goto(`/ringar/${ring}/profiler`);
  await employer.page.getByRole("link", { name: new RegExp(`^${code} – ${headline}`) }).click();
  await expect(employer.page.getByRole("heading", { level: 1, name: `${code} – ${headline}` })).toBeVisible();
  await expect(employer.page.getByText("För behovet").first()).toBeVisible();
  await checked(employer.page, "a profile shared toward a need");
  await employer.close();
}

test("a coordinator goes from a need's matching list to a shared profile the employer reads", async ({ browser }) => {
  test.setTimeout(120_000);
  await shareFromMatching(browser, true);
});

test("without JavaScript the matching list leads to a shared profile too", async ({ browser }) => {
  test.setTimeout(120_000);
  await shareFromMatching(browser, false);
});
