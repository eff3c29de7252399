import { expect, test } from "@playwright/test";
import { expectAccessible, waitForHydration } from "./support/a11y";
import { DEMO_PASSWORD, logIn } from "./support/session";

// An employer on a phone (390 × 844) over a slow mobile link. The needs board is server
// HTML with no island: it fetches no script at all. The new-need form has one island
// (the occupation picker's suggestions): its first visit fetches the bundle, a second
// visit fetches nothing. The times and bytes are measured and printed (the bench of
// issue 23), not asserted: a shared CI machine is no stopwatch. What is asserted is
// what must hold on any link.
const phone = { width: 390, height: 844 };
// Chromium's DevTools emulation: 9 Mbit/s down, 2 Mbit/s up, 60 ms round trip.
const link = { offline: false, latency: 60, downloadThroughput: (9e6 / 8) | 0, uploadThroughput: (2e6 / 8) | 0 };

test("on a throttled phone the board needs no script, and a form's island is fetched once", async ({ browser }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ viewport: phone });
  const page = await context.newPage();
  await logIn(page, "tove@cafe-nystrom.test", DEMO_PASSWORD);
  await expect(page.getByRole("heading", { level: 1, name: /^Start/ })).toBeVisible();
  const hrefs = await page.locator('main a[href^="/ringar/"]').evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
  // The home's actions ("Lägg ut ett behov", the discussion) always link into the ring.
  const ring = hrefs.map((h) => h.match(/^\/ringar\/\d+/)?.[0]).find(Boolean);
  expect(ring, "the home links the firm's ring").toBeTruthy();

  async function visit(path: string, heading: RegExp, clearCache: boolean) {
    const tab = await context.newPage();
    const cdp = await context.newCDPSession(tab);
    await cdp.send("Network.enable");
    if (clearCache) await cdp.send("Network.clearBrowserCache");
    await cdp.send("Network.emulateNetworkConditions", link);
    const fetched: string[] = [];
    let scriptBytes = 0;
    const urls = new Map<string, string>();
    cdp.on("Network.responseReceived", (e) => {
      if (!e.response.fromDiskCache && !e.response.fromMemoryCache) urls.set(e.requestId, e.response.url);
    });
    cdp.on("Network.loadingFinished", (e) => {
      const url = urls.get(e.requestId);
      if (url && /\/pkg\/.*\.(js|wasm)$/.test(new URL(url).pathname)) {
        fetched.push(url);
        scriptBytes += e.encodedDataLength;
      }
    });
    const start = Date.now();
    await tab.goto(path, { waitUntil: "domcontentloaded" });
    await expect(tab.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    const painted = Date.now() - start;
    await waitForHydration(tab);
    const interactive = Date.now() - start;
    return { tab, painted, interactive, fetched, scriptBytes };
  }
  const report = (what: string, v: { painted: number; interactive: number; scriptBytes: number }) =>
    `${what}: painted ${v.painted} ms, interactive ${v.interactive} ms (${(v.scriptBytes / 1024).toFixed(1)} KB of JS + wasm over the wire)`;

  const board = await visit(`${ring}/behov`, /^Rekryteringsbehov/, true);
  expect(board.fetched, "the board is server HTML: no island, no script").toEqual([]);
  await expectAccessible(board.tab, "the needs board on a phone");
  // The filters are plain HTML: they open and filter without a script.
  await board.tab.locator("summary", { hasText: "Filtrera behoven" }).click();
  await expect(board.tab.getByLabel("Yrkesområde (SSYK)")).toBeVisible();
  await board.tab.close();

  const form = await visit(`${ring}/behov/nytt`, /behov/i, false);
  expect(form.fetched.length, "the first page with an island fetches the bundle").toBeGreaterThan(0);
  // The island works: typing asks the server for occupations.
  await form.tab.getByLabel("Yrke (SSYK 2012)").pressSequentially("kock");
  await expect(form.tab.locator("#occupation-options option").first()).toBeAttached();
  await form.tab.close();

  const again = await visit(`${ring}/behov/nytt`, /behov/i, false);
  expect(again.fetched, "the second visit downloads no script: the hashed files are kept").toEqual([]);
  await again.tab.close();
  console.log(
    `phone, 9 Mbit/s: ${report("board, first visit", board)}; ${report("new-need form, first visit", form)}; ` +
      `${report("new-need form, second visit", again)}`,
  );
  await context.close();
});
