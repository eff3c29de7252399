// Bytes an employer's phone downloads for a ring's needs board: on a first visit
// (empty cache) and on a second (same browser), split into the page itself and the
// bundle (JS + wasm) and stylesheet, as sent over the wire (Chromium's
// encodedDataLength) and unpacked. Not a test: it prints a table. Run against a server
// with demo data, e.g. the journeys' server, from end2end/:
//   bash ../scripts/e2e-server.sh 3200 &
//   node first-visit.mjs http://127.0.0.1:3200
import { chromium } from "@playwright/test";

const [base = "http://127.0.0.1:3200"] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});
const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "sv-SE", baseURL: base });
const page = await context.newPage();
await page.goto("/logga-in");
await page.getByLabel("E-postadress").fill("tove@cafe-nystrom.test");
await page.getByLabel("Lösenord", { exact: true }).fill("Broar-demo-2026");
await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/logga-in")), page.getByRole("button", { name: "Logga in" }).click()]);
const ring = await page.locator('a[href^="/ringar/"]').first().getAttribute("href");
const board = `${ring}/behov`;

// A fresh page in the same context, with the cache as the first visit left it.
async function visit(clearCache) {
  const tab = await context.newPage();
  const cdp = await context.newCDPSession(tab);
  await cdp.send("Network.enable");
  if (clearCache) await cdp.send("Network.clearBrowserCache");
  const requests = new Map();
  cdp.on("Network.responseReceived", (e) => requests.set(e.requestId, { url: e.response.url, status: e.response.status, fromCache: e.response.fromDiskCache || e.response.fromMemoryCache }));
  cdp.on("Network.loadingFinished", (e) => {
    const r = requests.get(e.requestId);
    if (r) r.bytes = e.encodedDataLength;
  });
  cdp.on("Network.dataReceived", (e) => {
    const r = requests.get(e.requestId);
    if (r) r.raw = (r.raw ?? 0) + e.dataLength;
  });
  await tab.goto(board);
  await tab.locator('html[data-hydrated="true"]').waitFor({ state: "attached" });
  await tab.waitForLoadState("networkidle");
  const sum = { page: [0, 0], bundle: [0, 0], css: [0, 0], requests: 0 };
  for (const r of requests.values()) {
    const path = new URL(r.url).pathname;
    const kind = /\.(js|wasm)$/.test(path) ? "bundle" : path.endsWith(".css") ? "css" : "page";
    if (!r.fromCache) sum.requests += 1;
    sum[kind][0] += r.fromCache ? 0 : r.bytes ?? 0;
    sum[kind][1] += r.raw ?? 0;
  }
  await tab.close();
  return sum;
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const first = await visit(true);
const second = await visit(false);
console.log("| visit | page (sent / unpacked) | JS + wasm (sent / unpacked) | CSS (sent) | requests over the network |");
console.log("|---|---|---|---|---|");
for (const [name, s] of [["first", first], ["second", second]]) {
  console.log(`| ${name} | ${kb(s.page[0])} / ${kb(s.page[1])} | ${kb(s.bundle[0])} / ${kb(s.bundle[1])} | ${kb(s.css[0])} | ${s.requests} |`);
}
await browser.close();
