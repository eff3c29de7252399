import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { expectAccessible, waitForHydration } from "./support/a11y";
import { DEMO_PASSWORD, logIn } from "./support/session";

const COORDINATOR = "samir.haddad@ekdala.test";
const MEMBER = "anders@bjorkdalen.test";
const MEMBER_RING = "Vård och omsorg Storvik";
const RING = "Bygg och industri Ekdala";

test("a coordinator follows up one ring for a period: charts, tables, a CSV file and a print view", async ({ page }) => {
  await logIn(page, COORDINATOR, DEMO_PASSWORD);
  await page.getByRole("navigation", { name: "Huvudmeny" }).getByRole("link", { name: "Uppföljning" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Uppföljning" })).toBeVisible();
  await waitForHydration(page);

  // A period that ends before it starts is named, and what was typed stays.
  await page.getByLabel("Från").fill("2025-06-01");
  await page.getByLabel("Till", { exact: true }).fill("2024-01-01");
  await page.getByRole("button", { name: "Visa" }).click();
  await expect(page.getByRole("alert")).toContainText("Slutdatumet kan inte ligga före startdatumet.");
  await expect(page.getByLabel("Från")).toHaveValue("2025-06-01");

  await page.getByLabel("Från").fill("2024-01-01");
  await page.getByLabel("Till", { exact: true }).fill("2026-09-30");
  await page.getByLabel("Ring", { exact: true }).selectOption({ label: RING });
  await page.getByRole("button", { name: "Visa" }).click();
  await expect(page.getByText(`${RING}, 2024-01-01 – 2026-09-30.`)).toBeVisible();

  // The charts are images with names, and the figures are in tables beside them.
  await expect(page.getByRole("img", { name: "Andel självförsörjande inom 18 månader, jämfört med målet" })).toBeVisible();
  await expect(page.getByRole("img", { name: "Jobbredo inom 4 månader" })).toBeVisible();
  await expect(page.getByRole("img", { name: "Utveckling över tid" })).toBeVisible();
  const results = page.getByRole("table", { name: "Resultat" });
  await expect(results.getByRole("rowheader", { name: "Inskrivna under perioden" })).toBeVisible();
  const cohort = Number(await results.getByRole("row", { name: /^Inskrivna under perioden/ }).getByRole("cell").first().textContent());
  expect(cohort).toBeGreaterThan(0);
  await expect(page.getByRole("table", { name: "Avslut efter orsak" })).toBeVisible();
  await expect(page.getByText("Av kohorten: alla fyra jobbredo-kriterier uppfyllda senast dag 122 efter inskrivningen.")).toBeVisible();
  await expectAccessible(page, "the report for one ring");

  // The results table as a file Excel opens: UTF-8 with a BOM, semicolons.
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Ladda ner tabellen som CSV (öppnas i Excel)" }).first().click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^uppfoljning-figures-2024-01-01-2026-09-30-ring\d+\.csv$/);
  const bytes = fs.readFileSync((await file.path()) as string);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.subarray(3).toString("utf8");
  expect(text.split("\r\n")[0]).toBe("Mått;Totalt;Kvinnor;Män;Annat/ej angivet;16–24 år;25–54 år;55–64 år;Annan ålder;Definition");
  expect(text).toContain(`Inskrivna under perioden;${cohort};`);

  // The print view leaves out the form and the links.
  await page.getByRole("link", { name: "Utskriftsvy" }).click();
  await expect(page.getByRole("link", { name: "Tillbaka till rapporten" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Visa" })).toBeHidden();
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("navigation", { name: "Huvudmeny" })).toBeHidden();
  await expect(page.getByRole("table", { name: "Resultat" })).toBeVisible();
  await page.emulateMedia({ media: "screen" });
});

test("a member sees the ring's statistics with small counts hidden, and no follow-up report", async ({ page }) => {
  await logIn(page, MEMBER, DEMO_PASSWORD);
  await page.getByRole("navigation", { name: "Huvudmeny" }).getByRole("link", { name: "Ringar" }).click();
  await page.getByRole("link", { name: MEMBER_RING }).first().click();
  await page.getByRole("link", { name: "Ringens statistik" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Statistik för ${MEMBER_RING}` })).toBeVisible();
  const table = page.getByRole("table", { name: /^Ringens statistik \d{4}$/ });
  await expect(table.getByRole("rowheader", { name: "Anställningar genom ringen" })).toBeVisible();
  // No cell an employer sees holds a 1 or a 2.
  for (const cell of await table.getByRole("cell").allTextContents()) {
    expect(["1", "2"]).not.toContain(cell.trim());
  }
  await expectAccessible(page, "the ring statistics");
  // Another year, chosen without JavaScript as with it.
  await page.getByLabel("År").selectOption("2025");
  await page.getByRole("button", { name: "Visa" }).click();
  await expect(page.getByRole("table", { name: "Ringens statistik 2025" })).toBeVisible();

  // The coordinators' report is not theirs.
  await page.goto("/rapporter");
  await expect(page.getByRole("alert")).toContainText("Du har inte behörighet till det här.");
  await expect(page.getByRole("button", { name: "Visa" })).toHaveCount(0);
  await expect(page.getByRole("table", { name: "Resultat" })).toHaveCount(0);
});
