import fs from "node:fs";
import path from "node:path";
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { waitForHydration } from "./a11y";

/** The XSS payloads the API tests use too, one per record. */
export const PAYLOADS: string[] = fs
  .readFileSync(path.join(__dirname, "../../../server/tests/api/xss-payloads.txt"), "utf8")
  .split("\n----\n")
  .map((p) => p.replace(/\n+$/, ""))
  .filter((p) => p.length > 0);

let counter = 0;

/**
 * Every payload, packed into values of at most `max` characters for one field, each
 * value starting with a marker of its own (`[X17]`) that the pages are searched for.
 * A single-line field gets its payloads on one line; a payload longer than the field
 * is cut to fit.
 */
export function pack(max: number, { singleLine = false } = {}): string[] {
  const values: string[] = [];
  let current = "";
  const marker = () => `[X${++counter}]`;
  const sep = singleLine ? " " : "\n";
  for (const raw of PAYLOADS) {
    const payload = singleLine ? raw.replace(/\s*\n\s*/g, " ") : raw;
    if (current && current.length + sep.length + payload.length <= max) {
      current += sep + payload;
      continue;
    }
    if (current) values.push(current);
    const m = marker();
    current = `${m} ${payload}`.slice(0, max);
  }
  if (current) values.push(current);
  return values;
}

/** The marker a packed value starts with. */
export function markerOf(value: string): string {
  return value.slice(0, value.indexOf("]") + 1);
}

/** The i-th value of a field's values, cycling when an entity has more rows than it. */
export function nth(values: string[], i: number): string {
  return values[i % values.length];
}

/** How many entities a kind needs so that each of its fields gets every payload. */
export function rowsFor(...fields: string[][]): number {
  return Math.max(...fields.map((f) => f.length));
}

/** Calls a server function with form fields and the JSON answer asked for; expects 200. */
export async function api(
  request: APIRequestContext,
  endpoint: string,
  fields: Record<string, string> | [string, string][],
): Promise<unknown> {
  const body = new URLSearchParams(Array.isArray(fields) ? fields : Object.entries(fields)).toString();
  const res = await request.post(`/api/${endpoint}`, {
    data: body,
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
  });
  const text = await res.text();
  expect(res.status(), `${endpoint} ${body.slice(0, 120)} → ${text.slice(0, 300)}`).toBe(200);
  return text ? JSON.parse(text) : null;
}

/**
 * Records every dialog a page opens (an `alert` from a payload would be one). With
 * the context's `bypassCSP`, an injected script would really run: the policy is a
 * second wall, not what this checks.
 */
export function watchDialogs(page: Page): string[] {
  const dialogs: string[] = [];
  page.on("dialog", async (dialog) => {
    dialogs.push(`${page.url()}: ${dialog.message()}`);
    await dialog.dismiss();
  });
  return dialogs;
}

/**
 * What a payload would leave in the DOM if it were not escaped or sanitised: a
 * script the page did not bring, an event-handler attribute, a script URL, embedded
 * content, a second h1, a duplicated id, a link or image to the payloads' host.
 */
export async function injected(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const describe = (el: Element) => `<${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}>`;
    for (const s of Array.from(document.querySelectorAll("script"))) {
      const own = (s as HTMLScriptElement).nonce !== "" || new URL(s.src || "x:", location.href).pathname.startsWith("/pkg/");
      if (!own) problems.push(`a script without the page's nonce: ${s.outerHTML.slice(0, 120)}`);
    }
    const urlAttributes = ["href", "src", "action", "formaction", "data", "xlink:href", "background", "poster", "srcdoc"];
    const ids = new Map<string, number>();
    for (const el of Array.from(document.querySelectorAll("*"))) {
      if (el.id) ids.set(el.id, (ids.get(el.id) ?? 0) + 1);
      for (const a of Array.from(el.attributes)) {
        if (a.name.startsWith("on")) problems.push(`${describe(el)} has ${a.name}="${a.value.slice(0, 60)}"`);
        if (a.name === "srcdoc") problems.push(`${describe(el)} has srcdoc`);
        if (urlAttributes.includes(a.name)) {
          // Browsers drop tabs and newlines in URLs and trim spaces and controls.
          const url = a.value.replace(/[\t\n\r]/g, "").replace(/^[\u0000-\u0020]+/, "");
          if (/^(javascript|vbscript|data):/i.test(url)) problems.push(`${describe(el)} ${a.name}="${a.value.slice(0, 60)}"`);
          let host = "";
          try {
            host = new URL(url, location.href).hostname;
          } catch {
            // Not a URL the browser would follow.
          }
          if (host.endsWith("evil.example")) problems.push(`${describe(el)} points to ${a.value.slice(0, 60)}`);
        }
      }
    }
    for (const [id, n] of ids) if (n > 1) problems.push(`id "${id}" ${n} times`);
    const embedded =
      "iframe, frame, frameset, object, embed, applet, base, img, audio, video, source, math, marquee, keygen, isindex, xmp, template, meta[http-equiv], body style, link[rel=import]";
    for (const el of Array.from(document.querySelectorAll(embedded))) problems.push(`an element ${describe(el)}: ${el.outerHTML.slice(0, 100)}`);
    // Only the follow-up report draws charts (SVG written on the server).
    for (const el of Array.from(document.querySelectorAll("svg"))) {
      if (!el.closest(".chart-figure")) problems.push(`an <svg> outside a chart: ${el.outerHTML.slice(0, 100)}`);
    }
    const h1 = document.querySelectorAll("h1").length;
    if (h1 > 1) problems.push(`${h1} h1 headings`);
    return problems;
  });
}

/**
 * Opens `url`, waits for hydration, and expects nothing injected, no dialog so far and
 * every marker in the page's text or form fields (the field really is shown, as text).
 */
export async function expectSafe(page: Page, url: string, markers: string[], dialogs: string[]): Promise<void> {
  const res = await page.goto(url);
  expect(res?.status(), `GET ${url}`).toBeLessThan(400);
  await waitForHydration(page);
  await expectShownSafely(page, url, markers, dialogs);
}

/** The checks of `expectSafe` on the page as it is now. */
export async function expectShownSafely(page: Page, what: string, markers: string[], dialogs: string[]): Promise<void> {
  expect(await injected(page), `injected into ${what}`).toEqual([]);
  // Shown as text, or as what a form field holds (an edit form shows what was saved).
  const text = await page.evaluate(() =>
    [document.body.innerText, ...Array.from(document.querySelectorAll("input, textarea")).map((f) => (f as HTMLInputElement).value)].join("\n"),
  );
  const missing = markers.filter((m) => !text.includes(m));
  expect(missing, `markers not shown on ${what}`).toEqual([]);
  expect(dialogs, `dialogs after ${what}`).toEqual([]);
}
