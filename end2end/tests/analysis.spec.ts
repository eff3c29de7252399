import { expect, test } from "@playwright/test";
import { expectAccessible } from "./support/a11y";
import { DEMO_PASSWORD } from "./support/session";

// The competence-needs analysis without JavaScript: a coordinator finds it from the
// follow-up, reads the demand per occupation against the pool, groups more coarsely,
// and has each table as a CSV file.
test("a coordinator reads the competence-needs analysis per occupation and per group without JavaScript", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/logga-in");
  await page.getByLabel("E-postadress").fill("johanna.berglund@ekdala.test");
  await page.getByLabel("Lösenord", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Logga in" }).click();
  await expect(page.getByRole("button", { name: "Logga ut" })).toBeVisible();

  await page.goto("/rapporter");
  await page.getByRole("link", { name: /^Kompetensbehovsanalys/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Kompetensbehovsanalys" })).toBeVisible();
  const demand = page.getByRole("table", { name: "Behov, tjänster och deltagare per yrkesgrupp" });
  // The demo's care needs (two for assistant nurses) are there, with the pool beside them.
  const nurses = demand.getByRole("row", { name: /^5321 Undersköterskor/ });
  await expect(nurses).toBeVisible();
  const cells = await nurses.getByRole("cell").allTextContents();
  expect(Number(cells[0])).toBeGreaterThanOrEqual(2);
  expect(Number(cells[1])).toBeGreaterThanOrEqual(Number(cells[0]));
  await expect(page.getByRole("img", { name: "Efterfrågade tjänster per yrkesgrupp" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Jobbredo deltagare per yrkesgrupp, efter kön och ålder" })).toBeVisible();
  await expectAccessible(page, "the competence-needs analysis", { javaScript: false });

  // Coarser: care as one sub-major group holds at least the nurses' needs.
  await page.getByLabel("Yrkesgrupper").selectOption({ label: "Huvudgrupp (2 siffror)" });
  await page.getByRole("button", { name: "Visa" }).click();
  const care = page.getByRole("table", { name: "Behov, tjänster och deltagare per yrkesgrupp" }).getByRole("row", { name: /^53 Omsorgsyrken/ });
  const careCells = await care.getByRole("cell").allTextContents();
  expect(Number(careCells[0])).toBeGreaterThan(Number(cells[0]));
  await expect(page.getByLabel("Yrkesgrupper")).toHaveValue("2");

  // A period that ends before it starts is named, and what was typed and chosen stays.
  await page.getByLabel("Ring", { exact: true }).selectOption({ label: "Vård och omsorg Storvik" });
  await page.getByLabel("Från").fill("2026-06-01");
  await page.getByLabel("Till", { exact: true }).fill("2026-01-01");
  await page.getByRole("button", { name: "Visa" }).click();
  await expect(page.getByRole("alert")).toContainText("Slutdatumet kan inte ligga före startdatumet.");
  await expect(page.getByLabel("Från")).toHaveValue("2026-06-01");
  await expect(page.getByLabel("Ring", { exact: true }).locator("option:checked")).toHaveText("Vård och omsorg Storvik");
  await expect(page.getByLabel("Yrkesgrupper")).toHaveValue("2");

  // Each table as a CSV file.
  await page.goto("/analys?level=4");
  const href = await page.getByRole("link", { name: "Ladda ner tabellen som CSV (öppnas i Excel)" }).first().getAttribute("href");
  expect(href).toContain("tabell=demand");
  const csv = await page.request.get(href as string);
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toContain("5321 Undersköterskor");
  await context.close();
});
