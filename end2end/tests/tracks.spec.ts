import { expect, test, type Browser, type Page } from "@playwright/test";
import { expectAccessible } from "./support/a11y";
import { DEMO_PASSWORD } from "./support/session";

/** A logged-in page without JavaScript (the track pages' forms are plain posts). */
async function logIn(browser: Browser, email: string, width = 1280): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width, height: 900 } });
  const page = await context.newPage();
  await page.goto("/logga-in");
  await page.getByLabel("E-postadress").fill(email);
  await page.getByLabel("Lösenord", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Logga in" }).click();
  await expect(page.getByRole("button", { name: "Logga ut" })).toBeVisible();
  return page;
}

/** The care ring's "in a job track" figure in the follow-up report (all columns' first). */
async function inTrack(page: Page, ring: string): Promise<number> {
  await page.goto(`/rapporter?ring=${ring}`);
  const row = page.getByRole("table", { name: "Resultat" }).getByRole("row", { name: /^I jobbspår under perioden/ });
  return Number(await row.getByRole("cell").first().textContent());
}

// Norrköping's job tracks, without JavaScript: from a row of the competence-needs
// analysis to a track; the care firm confirms its internships and jobs on a phone; a
// candidate whose consent covers the ring is enrolled from the ranked list and their
// profile released to the ring; the firm sees it (no name) and the report counts them.
test("a job track goes from the analysis to a confirming firm, an enrolled candidate and the report", async ({ browser }) => {
  test.setTimeout(120_000);
  const samir = await logIn(browser, "samir.haddad@ekdala.test");

  // Who is in the demo's track already, and the report before.
  await samir.goto("/jobbspar");
  await samir.getByRole("link", { name: "Undersköterska, jobbspår hösten" }).click();
  const demoNames = await samir.locator("#participants-heading ~ ul h3").allInnerTexts();
  expect(demoNames.length).toBeGreaterThan(0);
  const ringHref = (await samir.getByRole("link", { name: "Vård och omsorg Storvik" }).getAttribute("href")) ?? "";
  const careRing = ringHref.replace("/ringar/", "");
  expect(careRing).toMatch(/^\d+$/);
  const before = await inTrack(samir, careRing);

  // The analysis for the care ring: a track for its assistant nurses.
  await samir.goto("/analys");
  await samir.getByLabel("Ring", { exact: true }).selectOption({ label: "Vård och omsorg Storvik" });
  await samir.getByRole("button", { name: "Visa" }).click();
  await samir.getByRole("link", { name: /^Skapa jobbspår för 5321 / }).click();
  await expect(samir.getByRole("heading", { level: 1, name: "Nytt jobbspår" })).toBeVisible();
  await expect(samir.getByLabel("Yrke", { exact: true })).toHaveValue(/^5321 – Undersköterskor/);
  await expect(samir.getByLabel("Ring", { exact: true }).locator("option:checked")).toHaveText("Vård och omsorg Storvik");
  await expectAccessible(samir, "a new job track", { javaScript: false });

  // A missing provider is named; what was typed stays.
  const title = `Undersköterska, journey ${Date.now() % 100000}`;
  const today = new Date().toISOString().slice(0, 10);
  await samir.getByLabel("Namn på spåret").fill(title);
  await samir.getByLabel("Utbildning", { exact: true }).fill("Vård- och omsorgsutbildning, kort");
  await samir.getByLabel("Första dag").fill(today);
  await samir.getByLabel("Sista dag").fill("2027-06-30");
  await samir.getByLabel("Platser").fill("4");
  await samir.getByLabel("Svenska vid start").selectOption("A2");
  await samir.getByRole("button", { name: "Skapa jobbspåret" }).click();
  await expect(samir.getByRole("alert")).toContainText("Utbildare");
  await expect(samir.getByLabel("Namn på spåret")).toHaveValue(title);
  await expect(samir.getByLabel("Platser")).toHaveValue("4");
  await samir.getByLabel("Utbildare").fill("Komvux Ekdala");
  await samir.getByRole("button", { name: "Skapa jobbspåret" }).click();
  await expect(samir.getByRole("status").filter({ hasText: "Jobbspåret är sparat." })).toBeVisible();
  await expect(samir.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const trackUrl = samir.url().split("?")[0];

  // The care firm is asked for two internships and a job.
  await samir.getByLabel("Företag", { exact: true }).selectOption({ label: "Storvik Omsorg AB" });
  await samir.getByLabel("Praktikplatser", { exact: true }).fill("2");
  await samir.getByLabel("Jobb", { exact: true }).fill("1");
  await samir.getByRole("button", { name: "Skicka frågan" }).click();
  await expect(samir.getByRole("status").filter({ hasText: "Frågan är skickad till företaget." })).toBeVisible();
  await expect(samir.getByRole("row", { name: /Storvik Omsorg AB 2 1 Väntar på svar/ })).toBeVisible();
  await expectAccessible(samir, "a job track for staff", { javaScript: false });

  // The firm answers for itself, on a phone: three internships, with a note.
  const leila = await logIn(browser, "leila@storvik-omsorg.test", 390);
  await leila.goto("/");
  await leila.getByRole("region", { name: "Kommunen frågar om ni vill vara med i ett jobbspår" }).getByRole("link", { name: title }).click();
  await expect(leila.getByText("Kommunen frågar om Storvik Omsorg AB kan ta emot 2 praktikanter och anställa 1.")).toBeVisible();
  await expect(leila.getByText("När ni har bekräftat ser ni deltagarnas delade profiler här.")).toBeVisible();
  await expectAccessible(leila, "a job track a firm is asked to join", { javaScript: false });
  await leila.getByLabel("Praktikplatser").fill("3");
  await leila.getByLabel("Kommentar").fill("Praktiken kan börja vecka 3.");
  await leila.getByRole("button", { name: "Bekräfta" }).click();
  await expect(leila.getByRole("status").filter({ hasText: "Ert svar är sparat." })).toBeVisible();
  await expect(leila.getByText("Ingen deltagares profil är delad med ringen ännu.")).toBeVisible();
  await leila.goto("/");
  await expect(leila.getByRole("link", { name: title })).toHaveCount(0);
  await leila.goBack();

  // Back at the track: confirmed. A candidate not in the demo's track is enrolled.
  await samir.goto(trackUrl);
  await expect(samir.getByRole("row", { name: /Storvik Omsorg AB 3 1 Bekräftat/ })).toBeVisible();
  const buttons = samir.getByRole("button", { name: /^Skriv in / });
  let name = "";
  for (const label of await buttons.allInnerTexts()) {
    const candidate = label.replace(/^Skriv in /, "");
    if (!demoNames.includes(candidate)) {
      name = candidate;
      break;
    }
  }
  expect(name).not.toBe("");
  await samir.getByRole("button", { name: `Skriv in ${name}` }).click();
  await expect(samir.getByRole("status").filter({ hasText: "Deltagaren är inskriven." })).toBeVisible();
  await expect(samir.getByText("1 av 4 platser tagna")).toBeVisible();
  const card = samir.locator("#participants-heading ~ ul > li").filter({ hasText: name });
  await expect(card).toContainText("Inskriven");

  // Their profile released to the ring, through the ordinary release page.
  await card.getByRole("link", { name: "Dela profilen med ringen" }).click();
  await expect(samir.getByRole("heading", { name: "Profilen som delas" })).toBeVisible();
  await samir.getByLabel("Rubrik", { exact: true }).fill("Vill bli undersköterska");
  await samir.getByRole("button", { name: "Dela profilen" }).click();
  const done = samir.getByRole("status").filter({ hasText: /Profilen är delad som K-/ });
  await expect(done).toBeVisible();
  const code = ((await done.innerText()).match(/K-[0-9A-Z]{4}/) ?? [""])[0];
  expect(code).not.toBe("");

  // The firm sees the participant as that profile, and no name.
  await leila.reload();
  await expect(leila.getByText(code)).toBeVisible();
  await expect(leila.locator("main")).not.toContainText(name);
  await expectAccessible(leila, "a confirmed firm's job track", { javaScript: false });

  // The candidate's timeline has the track; the report counts one more.
  await samir.goto(trackUrl);
  await samir.locator("#participants-heading ~ ul").getByRole("link", { name }).click();
  await expect(samir.getByRole("heading", { level: 3, name: "Jobbspår" })).toBeVisible();
  await expect(samir.getByRole("link", { name: title })).toBeVisible();
  expect(await inTrack(samir, careRing)).toBe(before + 1);
  await samir.context().close();
  await leila.context().close();
});
