import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/**
 * Runs axe-core on the page as it is now: no serious or critical WCAG 2.1 A/AA
 * violation. Pass `{ javaScript: false }` from a journey that runs without scripts.
 */
export async function expectAccessible(page: Page, what: string, options = { javaScript: true }): Promise<void> {
  const target = options.javaScript ? page : await copyWithScripts(page);
  try {
    const results = await new AxeBuilder({ page: target })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
      .analyze();
    const serious = results.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    expect(serious, `axe on ${what}`).toEqual([]);
    // The rules did run: a page with no passes would mean axe saw nothing.
    expect(results.passes.length, `axe checked ${what}`).toBeGreaterThan(5);
  } finally {
    if (target !== page) await target.context().close();
  }
}

/**
 * A copy of a no-JavaScript page's DOM in a context where axe can run: the same
 * HTML and stylesheet, with the page's own scripts removed so nothing hydrates.
 */
async function copyWithScripts(page: Page): Promise<Page> {
  const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, "").replace(/<link[^>]+modulepreload[^>]*>/gi, "");
  const origin = new URL(page.url()).origin;
  const browser = page.context().browser();
  if (!browser) throw new Error("no browser to copy the page into");
  const context = await browser.newContext({ javaScriptEnabled: true, baseURL: origin });
  const copy = await context.newPage();
  await copy.goto(`${origin}/healthz`);
  await copy.setContent(html.replace("<head>", `<head><base href="${origin}/">`), { waitUntil: "load" });
  return copy;
}

/** Waits until the page is hydrated (the wasm has taken over the server's HTML). */
export async function waitForHydration(page: Page): Promise<void> {
  await page.locator('html[data-hydrated="true"]').waitFor({ state: "attached" });
}
