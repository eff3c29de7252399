import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { expectAccessible } from "./support/a11y";
import { DEMO_PASSWORD } from "./support/session";

// The Nu HTML checker (vnu, from npm's vnu-jar, run by Debian's Java) on the HTML the
// server sends — not the browser's DOM — and axe on the page as shown, for every page
// each role reaches by links from its home: one address per route (ids and profile
// codes folded together).
const vnu = path.join(__dirname, "..", "node_modules", "vnu-jar", "build", "dist", "vnu.jar");
const roles: [string, string | null][] = [
  ["visitor", null],
  ["employer", "tove@cafe-nystrom.test"],
  ["coordinator", "samir.haddad@ekdala.test"],
  ["admin", "admin@ekdala.test"],
];
/** At most this many routes per role (the crawl stops there; none reaches it today). */
const MAX_ROUTES = 120;

/** A route's shape: numbers and profile codes folded, the query left out. */
function routeOf(address: string): string {
  return address.replace(/\/\d+(?=\/|$)/g, "/:id").replace(/\/K-[0-9A-Z]{4}(?=\/|$)/g, "/:code");
}

function worthVisiting(address: string): boolean {
  return (
    address.startsWith("/") &&
    !address.startsWith("//") &&
    !address.startsWith("/api/") &&
    !address.startsWith("/pkg/") &&
    !/\.(csv|json|ics|svg|ico)$/.test(address) &&
    address !== "/logga-ut"
  );
}

async function logIn(browser: Browser, email: string | null): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  if (email) {
    await page.goto("/logga-in");
    await page.getByLabel("E-postadress").fill(email);
    await page.getByLabel("Lösenord", { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Logga in" }).click();
    await expect(page.getByRole("button", { name: "Logga ut" })).toBeVisible();
  }
  return page;
}

test("every page each role reaches is valid HTML (the Nu HTML checker finds no error) and passes axe", async ({ browser }) => {
  test.setTimeout(600_000);
  const inaccessible: string[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "broar-vnu-"));
  const files = new Map<string, string>();
  for (const [role, email] of roles) {
    const page = await logIn(browser, email);
    const seen = new Set<string>();
    const queue = ["/"];
    while (queue.length > 0 && seen.size < MAX_ROUTES) {
      const address = queue.shift() as string;
      const route = routeOf(address);
      if (seen.has(route)) continue;
      seen.add(route);
      const res = await page.request.get(address, { maxRedirects: 0 });
      if (!(res.headers()["content-type"] ?? "").startsWith("text/html") || res.status() >= 300) continue;
      const html = await res.text();
      const file = path.join(dir, `${role}-${files.size}.html`);
      fs.writeFileSync(file, html);
      files.set(file, `${role} ${address}`);
      await page.goto(address);
      try {
        await expectAccessible(page, `${role} ${address}`, { javaScript: false });
      } catch (e) {
        inaccessible.push(String(e).split("\n").slice(0, 12).join("\n"));
      }
      for (const [, href] of html.matchAll(/<a\b[^>]*\bhref="([^"#]+)/g)) {
        const next = href.replace(/&amp;/g, "&").split("?")[0];
        if (worthVisiting(next) && !seen.has(routeOf(next))) queue.push(next);
      }
    }
    expect(seen.size, `${role} reached fewer routes than the limit`).toBeLessThan(MAX_ROUTES);
    await page.context().close();
  }
  expect(files.size, "pages checked").toBeGreaterThan(40);

  // vnu writes its findings as JSON to stderr; --exit-zero-always so they are read here.
  const run = spawnSync("java", ["-jar", vnu, "--errors-only", "--format", "json", "--exit-zero-always", dir], {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`vnu did not run (${run.status}): ${run.error ?? ""} ${run.stderr}`);
  const report = run.stderr;
  const messages: { type: string; url: string; message: string; extract?: string }[] = JSON.parse(report).messages;
  const errors = messages
    .filter((m) => m.type === "error" || m.type === "non-document-error")
    .map((m) => `${files.get(m.url.replace(/^file:/, "")) ?? m.url}: ${m.message} — ${(m.extract ?? "").trim().slice(0, 120)}`);
  console.log(`vnu: ${files.size} pages (${roles.length} roles), ${errors.length} errors`);
  expect(errors, "vnu errors").toEqual([]);
  console.log(`axe: ${files.size} pages, ${inaccessible.length} with a serious or critical violation`);
  expect(inaccessible, "axe").toEqual([]);
  fs.rmSync(dir, { recursive: true, force: true });
});
