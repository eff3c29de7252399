// Screenshots of the pages people use daily, on a phone (390 × 844) and a laptop
// (1280 × 900), for a before/after comparison of a visual change. Not a test: it
// asserts nothing. Run against a server with demo data, e.g. the journeys' server:
//   bash scripts/e2e-server.sh 3100 &   # then, from end2end/ (Playwright lives there):
//   node screenshots.mjs http://127.0.0.1:3100 /tmp/shots-after
import { chromium } from "@playwright/test";
import fs from "node:fs";
import path from "node:path";

const [base = "http://127.0.0.1:3100", out = "/tmp/broar-shots"] = process.argv.slice(2);
const password = "Broar-demo-2026";
fs.mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});

async function shoot(who, email, pages) {
  for (const [device, viewport] of [["phone", { width: 390, height: 844 }], ["laptop", { width: 1280, height: 900 }]]) {
    const context = await browser.newContext({ viewport, locale: "sv-SE", baseURL: base });
    const page = await context.newPage();
    await page.goto("/logga-in");
    await page.getByLabel("E-postadress").fill(email);
    await page.getByLabel("Lösenord", { exact: true }).fill(password);
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/logga-in")), page.getByRole("button", { name: "Logga in" }).click()]);
    for (const [name, url] of pages) {
      const target = typeof url === "function" ? await url(page) : url;
      if (!target) continue;
      await page.goto(target);
      await page.waitForLoadState("networkidle");
      const file = path.join(out, `${who}-${name}-${device}.png`);
      await page.screenshot({ path: file, fullPage: false });
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      console.log(`${file}\tpage height ${height} px`);
    }
    await context.close();
  }
}

// The first link on a page matching a pattern, as a path.
const firstLink = (from, pattern) => async (page) => {
  await page.goto(from);
  const href = await page.locator(`a[href^="${pattern}"]`).first().getAttribute("href").catch(() => null);
  return href;
};

await shoot("employer", "tove@cafe-nystrom.test", [
  ["home", "/"],
  ["board", async (page) => { const ring = await firstLink("/ringar", "/ringar/")(page); return ring && `${ring}/behov`; }],
  ["ring", firstLink("/ringar", "/ringar/")],
  ["profiles", async (page) => { const ring = await firstLink("/ringar", "/ringar/")(page); return ring && `${ring}/profiler`; }],
  ["profile", async (page) => { const ring = await firstLink("/ringar", "/ringar/")(page); return ring && firstLink(`${ring}/profiler`, "/profiler/")(page); }],
]);
await shoot("coordinator", "samir.haddad@ekdala.test", [
  ["queue", "/"],
  ["candidates", "/deltagare"],
  ["candidate", firstLink("/deltagare", "/deltagare/")],
  ["board", "/behov"],
  ["need", firstLink("/behov", "/behov/")],
  ["matching", async (page) => { const need = await firstLink("/behov", "/behov/")(page); return need && `${need}/matchning`; }],
]);
await browser.close();
