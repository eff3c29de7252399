import { expect, test } from "@playwright/test";
import { expectAccessible } from "./support/a11y";
import { personnummer } from "./support/numbers";
import { DEMO_PASSWORD } from "./support/session";

// The team around a participant, as a coordinator builds it on a phone without
// JavaScript: the people outside the municipality who work with the candidate, a plan
// step given to one of them, a team meeting's notes, and someone leaving the team.
test("a coordinator builds the team around a participant, gives a step to the officer, writes down a meeting and ends a member", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto("/logga-in");
  await page.getByLabel("E-postadress").fill("samir.haddad@ekdala.test");
  await page.getByLabel("Lösenord", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Logga in" }).click();
  await expect(page.getByRole("button", { name: "Logga ut" })).toBeVisible();

  // A new participant of this journey's own.
  await page.goto("/deltagare");
  await page.getByLabel("Namn", { exact: true }).fill("Rahel Teamdotter");
  await page.getByLabel("Personnummer eller samordningsnummer").fill(personnummer("19910305", 471));
  await page.getByLabel("Kön").selectOption({ label: "Kvinna" });
  await page.getByRole("button", { name: "Spara deltagaren" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Rahel Teamdotter" })).toBeVisible();
  const record = page.url().split("?")[0].split("#")[0];
  await expect(page.getByText("Ingen utanför kommunen är med i teamet ännu.")).toBeVisible();
  await page.getByRole("link", { name: "Teamet och teammöten" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Teamet runt Rahel Teamdotter" })).toBeVisible();
  await expect(page.getByText("Ingen i teamet ännu.")).toBeVisible();
  await expectAccessible(page, "an empty team", { javaScript: false });

  // The officer, first without a way to reach her: refused, what was typed kept.
  await page.getByText("Lägg till i teamet", { exact: true }).click();
  await page.getByLabel("Roll").selectOption({ label: "Arbetsförmedlingens handläggare" });
  await page.getByLabel("Namn", { exact: true }).fill("Lena Journeyström");
  await page.getByLabel("Organisation").fill("Arbetsförmedlingen Ekdala");
  await page.getByRole("button", { name: "Lägg till", exact: true }).click();
  await expect(page.getByRole("alert")).toContainText("Fyll i telefon eller e-post");
  await expect(page.getByLabel("Namn", { exact: true })).toHaveValue("Lena Journeyström");
  await expect(page.getByLabel("Organisation")).toHaveValue("Arbetsförmedlingen Ekdala");
  await page.getByLabel("Telefon").fill("031-390 06 77");
  await page.getByRole("button", { name: "Lägg till", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Personen är tillagd i teamet." })).toBeVisible();
  await expect(page.getByRole("heading", { level: 3, name: "Lena Journeyström" })).toBeVisible();
  await expect(page.getByRole("link", { name: "031-390 06 77" })).toHaveAttribute("href", "tel:031-3900677");

  // The SFI teacher, reached by e-mail.
  await page.getByText("Lägg till i teamet", { exact: true }).click();
  await page.getByLabel("Roll").selectOption({ label: "SFI-lärare" });
  await page.getByLabel("Namn", { exact: true }).fill("Amal Journeysdotter");
  await page.getByLabel("E-post").fill("amal@exempel.test");
  await page.getByRole("button", { name: "Lägg till", exact: true }).click();
  await expect(page.getByRole("heading", { level: 3, name: "Amal Journeysdotter" })).toBeVisible();

  // On the record: the team, and a step of the plan given to the officer.
  await page.getByRole("link", { name: "Tillbaka till deltagaren" }).click();
  await expect(page.getByText("Lena Journeyström – Arbetsförmedlingens handläggare, Arbetsförmedlingen Ekdala")).toBeVisible();
  await page.getByText("Lägg till ett steg", { exact: true }).click();
  await page.locator("#due_on").fill("2027-01-15");
  await page.locator("#description").fill("Anmälan till arbetsmarknadsutbildning");
  await page.getByLabel("Ansvarig").selectOption({ label: "Lena Journeyström (Arbetsförmedlingens handläggare)" });
  await page.getByRole("button", { name: "Lägg till steget" }).click();
  await expect(page.getByText(/Anmälan till arbetsmarknadsutbildning \(.*ansvarig: Lena Journeyström\)/)).toBeVisible();

  // The team page lists the step with who sees to it; a meeting is written down.
  await page.goto(`${record}/team`);
  await expect(page.getByText(/Anmälan till arbetsmarknadsutbildning \(ansvarig: Lena Journeyström\)/)).toBeVisible();
  await page.getByRole("checkbox", { name: /Lena Journeyström/ }).check();
  await page.getByLabel("Anteckningar").fill("Lena bokar ett möte om utbildningen.\nAmal ser över nivån i svenska.");
  await page.getByRole("button", { name: "Spara anteckningarna" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Teammötet är antecknat." })).toBeVisible();
  const meeting = page.getByRole("listitem").filter({ has: page.getByRole("heading", { level: 3, name: /^Teammöte / }) });
  await expect(meeting).toContainText("Med från teamet: Lena Journeyström");
  await expect(meeting).toContainText("Amal ser över nivån i svenska.");

  // The teacher leaves the team.
  await page.getByRole("button", { name: "Avsluta Amal Journeysdotter i teamet" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Personen har lämnat teamet." })).toBeVisible();
  await expect(page.getByRole("heading", { level: 3, name: "Amal Journeysdotter" })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Tidigare i teamet" })).toBeVisible();
  await expectAccessible(page, "a team with a meeting", { javaScript: false });
  await context.close();
});
