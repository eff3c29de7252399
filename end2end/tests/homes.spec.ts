import { expect, test, type Browser, type Page } from "@playwright/test";
import { expectAccessible, waitForHydration } from "./support/a11y";
import { shareProfile } from "./support/profiles";
import { DEMO_PASSWORD, logIn } from "./support/session";

// Tove's firm (Café Nyström) is in "Service och restaurang Ekdala" with Restaurang
// Hamnkrogen; the accounts journey changes Per's password, so Per is not used here.
const ring = "Service och restaurang Ekdala";
const phone = { width: 390, height: 844 };

function dayFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

async function newPage(browser: Browser, options: { javaScript?: boolean; phone?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({
    javaScriptEnabled: options.javaScript ?? true,
    viewport: options.phone ? phone : undefined,
  });
  return context.newPage();
}

/** Logs in through the form without waiting for scripts (a page without JavaScript). */
async function logInPlain(page: Page, email: string): Promise<void> {
  await page.goto("/logga-in");
  await page.getByLabel("E-postadress").fill(email);
  await page.getByLabel("Lösenord", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Logga in" }).click();
}

/** Logs in, with or without scripts. */
async function logInAs(page: Page, email: string, javaScript: boolean): Promise<void> {
  if (javaScript) await logIn(page, email, DEMO_PASSWORD);
  else await logInPlain(page, email);
}

/** Starts from nothing new on an employer's home: the demo's fortnight is marked read. */
async function startFromNothingNew(page: Page): Promise<void> {
  const markRead = page.getByRole("button", { name: "Markera allt som läst" });
  if (await markRead.isVisible()) {
    await markRead.click();
    await expect(page.getByText("Inget nytt sedan ditt förra besök.")).toBeVisible();
  }
}

async function openRing(page: Page): Promise<void> {
  await page.goto("/ringar");
  await page.getByRole("link", { name: ring }).click();
  await expect(page.getByRole("heading", { level: 1, name: ring })).toBeVisible();
  await waitForHydration(page);
}

test("an employer's home on a phone shows what a coordinator did since the last visit, and it clears as they read", async ({ browser }) => {
  const tove = await newPage(browser, { phone: true });
  await logIn(tove, "tove@cafe-nystrom.test", DEMO_PASSWORD);
  await expect(tove.getByRole("heading", { level: 1, name: /^Start/ })).toBeVisible();
  await waitForHydration(tove);
  await startFromNothingNew(tove);
  await expect(tove.getByRole("link", { name: "Lägg ut ett behov" })).toBeVisible();
  await expectAccessible(tove, "an employer's home on a phone");
  // One of the firm's open needs, for the profile the coordinator will share.
  const ownNeed = tove
    .getByRole("region", { name: "Era behov" })
    .getByRole("listitem")
    .filter({ has: tove.locator(".tag--open") })
    .first()
    .getByRole("link");
  const ownNeedTitle = (await ownNeed.innerText()).trim();
  const ownNeedHref = await ownNeed.getAttribute("href");
  expect(ownNeedHref).toMatch(/^\/behov\/\d+$/);

  // A coordinator plans a meeting, starts a thread and posts a need for another firm.
  const johanna = await newPage(browser);
  await logIn(johanna, "johanna.berglund@ekdala.test", DEMO_PASSWORD);
  await expect(johanna.getByRole("heading", { level: 1, name: "Att göra" })).toBeVisible();
  await expectAccessible(johanna, "a coordinator's work queue");
  await expect(johanna.getByRole("navigation", { name: "Huvudmeny" }).getByRole("link", { name: /^Intresse/ })).toBeVisible();
  await openRing(johanna);
  await johanna.getByLabel("Datum").fill(dayFromNow(9));
  await johanna.getByLabel("Starttid").fill("14:00");
  await johanna.getByLabel("Sluttid").fill("15:30");
  await johanna.getByLabel("Plats eller länk").fill("Hamnkrogen, övervåningen");
  await johanna.getByRole("button", { name: "Spara träffen" }).click();
  await expect(johanna.getByRole("heading", { level: 1, name: /Ringträff/ })).toBeVisible();
  await openRing(johanna);
  await johanna.getByRole("link", { name: "Till ringens diskussion" }).click();
  await waitForHydration(johanna);
  await johanna.getByLabel("Rubrik").fill("Språkstöd i köket");
  await johanna.getByLabel("Text", { exact: true }).fill("Kommunen kan ordna språkombud. Hör av er.");
  await johanna.getByRole("button", { name: "Starta tråden" }).click();
  await expect(johanna.getByRole("heading", { level: 1, name: "Språkstöd i köket" })).toBeVisible();
  await openRing(johanna);
  await johanna.getByRole("link", { name: "Till ringens behovstavla" }).click();
  await johanna.getByRole("link", { name: "Lägg ut ett behov" }).click();
  await waitForHydration(johanna);
  await johanna.getByLabel("Företag", { exact: true }).selectOption({ label: "Restaurang Hamnkrogen AB" });
  await johanna.getByLabel("Yrke (SSYK 2012)").fill("5120");
  await johanna.getByLabel("Rubrik").fill("Kallskänka till sommaren");
  await johanna.getByLabel("Antal personer").fill("1");
  await johanna.getByLabel("Startdatum").fill(dayFromNow(40));
  await johanna.getByLabel("Anställningsform").selectOption({ label: "Tillsvidareanställning" });
  await johanna.getByRole("button", { name: "Spara behovet" }).click();
  await expect(johanna.getByRole("heading", { level: 1, name: "Kallskänka till sommaren" })).toBeVisible();
  // ...and shares a consenting candidate's profile for the café's open need.
  await johanna.goto(`${ownNeedHref}/matchning`);
  await johanna.getByRole("link", { name: /^Dela profil för / }).first().click();
  await expect(johanna.getByRole("heading", { name: "Profilen som delas" })).toBeVisible();
  await waitForHydration(johanna);
  await johanna.getByLabel("Rubrik", { exact: true }).fill("Van vid servering och disk");
  await johanna.getByLabel("Kort beskrivning").fill("Har arbetat i kök och vill börja med praktik.");
  const code = await shareProfile(johanna);
  await johanna.context().close();

  // Tove's home: the four things, counted in the menu.
  await tove.goto("/");
  await waitForHydration(tove);
  const news = tove.getByRole("region", { name: /Nytt sedan ditt förra besök/ });
  await expect(tove.getByRole("heading", { level: 2, name: "Nytt sedan ditt förra besök (4)" })).toBeVisible();
  await expect(news.getByRole("link", { name: "Kallskänka till sommaren" })).toBeVisible();
  await expect(news.getByRole("link", { name: "Språkstöd i köket" })).toBeVisible();
  await expect(news.getByRole("link", { name: /Hamnkrogen, övervåningen/ })).toBeVisible();
  await expect(news.getByRole("link", { name: `${code} – Van vid servering och disk` })).toBeVisible();
  await expect(news.getByText(`Passar ert behov ${ownNeedTitle}`)).toBeVisible();
  await expect(tove.getByRole("link", { name: /^Start \(4\) ?nya$/ })).toBeVisible();
  await expectAccessible(tove, "an employer's home with news, on a phone");
  // Reading the thread clears it.
  await news.getByRole("link", { name: "Språkstöd i köket" }).click();
  await expect(tove.getByRole("heading", { level: 1, name: "Språkstöd i köket" })).toBeVisible();
  await tove.goto("/");
  await expect(tove.getByRole("heading", { level: 2, name: "Nytt sedan ditt förra besök (3)" })).toBeVisible();
  await expect(tove.getByRole("link", { name: "Språkstöd i köket" })).toHaveCount(0);
  // The meeting is answered right there.
  await waitForHydration(tove);
  const meeting = tove.getByRole("listitem").filter({ hasText: "Hamnkrogen, övervåningen" }).filter({ has: tove.getByRole("button") });
  await expect(meeting.getByText("Du har inte svarat än.")).toBeVisible();
  await meeting.getByLabel("Ja, jag kommer").check();
  await meeting.getByRole("button", { name: "Spara svaret" }).click();
  await expect(tove.getByText("Ditt svar är sparat.")).toBeVisible();
  await expect(tove.getByRole("listitem").filter({ hasText: "Hamnkrogen, övervåningen" }).getByText("Du har svarat att du kommer.")).toBeVisible();

  // Without JavaScript the same home works, and "mark all read" is a plain form.
  const plain = await newPage(browser, { javaScript: false, phone: true });
  await logInPlain(plain, "tove@cafe-nystrom.test");
  await expect(plain.getByRole("heading", { level: 2, name: "Nytt sedan ditt förra besök (3)" })).toBeVisible();
  await expectAccessible(plain, "an employer's home without JavaScript", { javaScript: false });
  await plain.getByRole("button", { name: "Markera allt som läst" }).click();
  await expect(plain.getByText("Allt är markerat som läst.")).toBeVisible();
  await expect(plain.getByText("Inget nytt sedan ditt förra besök.")).toBeVisible();
  await expect(plain.getByRole("link", { name: "Start", exact: true })).toBeVisible();
  await plain.context().close();
  await tove.context().close();
});

test("an employer's home shows another member's reply in their ring, until it is read", async ({ browser }) => {
  // Leila and Anders are both in "Vård och omsorg Storvik".
  const anders = await newPage(browser, { phone: true });
  await logIn(anders, "anders@bjorkdalen.test", DEMO_PASSWORD);
  await expect(anders.getByRole("heading", { level: 1, name: /^Start/ })).toBeVisible();
  await waitForHydration(anders);
  await startFromNothingNew(anders);

  const leila = await newPage(browser);
  await logIn(leila, "leila@storvik-omsorg.test", DEMO_PASSWORD);
  await expect(leila.getByRole("heading", { level: 1, name: /^Start/ })).toBeVisible();
  await leila.goto("/ringar");
  await leila.getByRole("link", { name: "Vård och omsorg Storvik" }).click();
  await leila.getByRole("link", { name: "Till ringens diskussion" }).click();
  // A thread that is open for replies (the municipality may have locked one).
  const thread = leila
    .locator("main .card-list > li")
    .filter({ hasNot: leila.locator(".tag", { hasText: "Låst" }) })
    .first()
    .locator("h2 a");
  const title = (await thread.innerText()).trim();
  await thread.click();
  await expect(leila.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await waitForHydration(leila);
  await leila.getByLabel("Text", { exact: true }).fill("Vi har goda erfarenheter av en fadder första veckan.");
  await leila.getByRole("button", { name: "Skicka svaret" }).click();
  await expect(leila.locator(".post__body", { hasText: "Vi har goda erfarenheter av en fadder första veckan." })).toHaveCount(1);
  await leila.context().close();

  await anders.goto("/");
  const news = anders.getByRole("region", { name: /Nytt sedan ditt förra besök/ });
  const item = news.getByRole("listitem").filter({ has: anders.getByRole("link", { name: title, exact: true }) });
  await expect(item.getByText("Nya svar: 1")).toBeVisible();
  await expect(item).toContainText("Vi har goda erfarenheter av en fadder första veckan.");
  await expectAccessible(anders, "an employer's home with a member's reply");
  await item.getByRole("link", { name: title, exact: true }).click();
  await expect(anders.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await anders.goto("/");
  await expect(anders.getByRole("link", { name: title, exact: true })).toHaveCount(0);
  await anders.context().close();
});

test("a coordinator's work queue and an admin's home, with and without JavaScript", async ({ browser }) => {
  for (const javaScript of [true, false]) {
    const samir = await newPage(browser, { javaScript });
    await logInAs(samir, "samir.haddad@ekdala.test", javaScript);
    await expect(samir.getByRole("heading", { level: 1, name: "Att göra" })).toBeVisible();
    // The demo has candidates and open needs waiting; every row links to its place.
    const assessment = samir.locator("#bedomning");
    await expect(assessment.getByRole("heading", { level: 2 })).toContainText("Deltagare som inte är bedömda");
    await assessment.getByRole("link").first().click();
    await expect(samir).toHaveURL(/\/deltagare\/\d+#jobbredo/);
    await samir.goto("/");
    await expectAccessible(samir, `the work queue${javaScript ? "" : " without JavaScript"}`, { javaScript });
    await samir.context().close();

    const alva = await newPage(browser, { javaScript });
    await logInAs(alva, "admin@ekdala.test", javaScript);
    await expect(alva.getByRole("heading", { level: 1, name: "Administration" })).toBeVisible();
    await expect(alva.getByRole("link", { name: "Misslyckad e-post" })).toBeVisible();
    await expect(alva.getByRole("link", { name: "Konton" }).first()).toBeVisible();
    await expectAccessible(alva, `the admin's home${javaScript ? "" : " without JavaScript"}`, { javaScript });
    await alva.getByRole("link", { name: "Koordinatorernas att göra-lista" }).click();
    await expect(alva.getByRole("heading", { level: 1, name: "Att göra" })).toBeVisible();
    await alva.context().close();
  }
});

test("a reply and a need sent twice are saved once, with and without JavaScript", async ({ browser }) => {
  const tove = await newPage(browser);
  await logIn(tove, "tove@cafe-nystrom.test", DEMO_PASSWORD);
  await expect(tove.getByRole("heading", { level: 1, name: /^Start/ })).toBeVisible();
  await openRing(tove);
  await tove.getByRole("link", { name: "Till ringens diskussion" }).click();
  await waitForHydration(tove);
  await tove.getByLabel("Rubrik").fill("Dubbelklick");
  await tove.getByLabel("Text", { exact: true }).fill("Första inlägget.");
  await tove.getByRole("button", { name: "Starta tråden" }).click();
  await expect(tove.getByRole("heading", { level: 1, name: "Dubbelklick" })).toBeVisible();
  const thread = tove.url();
  await waitForHydration(tove);

  // With JavaScript: a double click on "Skicka svaret".
  await tove.getByLabel("Text", { exact: true }).fill("Svar med dubbelklick.");
  await tove.getByRole("button", { name: "Skicka svaret" }).dblclick();
  await expect(tove.getByText("Svar med dubbelklick.")).toBeVisible();
  // The box is emptied for the next reply, and a second reply is a new post.
  await expect(tove.getByLabel("Text", { exact: true })).toHaveValue("");
  await tove.getByLabel("Text", { exact: true }).fill("Ett andra svar.");
  await tove.getByRole("button", { name: "Skicka svaret" }).click();
  await expect(tove.getByText("Ett andra svar.")).toBeVisible();
  await tove.goto(thread);
  await expect(tove.locator(".post__body", { hasText: "Svar med dubbelklick." })).toHaveCount(1);
  await expect(tove.locator(".post__body", { hasText: "Ett andra svar." })).toHaveCount(1);

  // Without JavaScript: the browser sends the same form twice (a resend).
  const plain = await newPage(browser, { javaScript: false });
  await logInPlain(plain, "tove@cafe-nystrom.test");
  await expect(plain.getByRole("heading", { level: 1, name: /^Start/ })).toBeVisible();
  await plain.goto(thread);
  await plain.getByLabel("Text", { exact: true }).fill("Svar utan skript.");
  const reply = plain.locator("form", { has: plain.getByRole("button", { name: "Skicka svaret" }) });
  const fields = await reply.evaluate((form: HTMLFormElement) => Object.fromEntries(new FormData(form) as unknown as Iterable<[string, string]>));
  for (let i = 0; i < 2; i++) {
    const res = await plain.request.post("/api/forum/reply", { form: fields, headers: { accept: "text/html" }, maxRedirects: 0 });
    expect([302, 303], `post ${i + 1}`).toContain(res.status());
  }
  await plain.goto(thread);
  await expect(plain.locator(".post__body", { hasText: "Svar utan skript." })).toHaveCount(1);

  // A need: a double click with JavaScript, then a resend without.
  await openRing(tove);
  await tove.getByRole("link", { name: "Till ringens behovstavla" }).click();
  await tove.getByRole("link", { name: "Lägg ut ett behov" }).click();
  await waitForHydration(tove);
  await tove.getByLabel("Yrke (SSYK 2012)").fill("5120");
  await tove.getByLabel("Rubrik").fill("Kock, dubbelklick");
  await tove.getByLabel("Antal personer").fill("1");
  await tove.getByLabel("Startdatum").fill(dayFromNow(30));
  await tove.getByLabel("Anställningsform").selectOption({ label: "Tillsvidareanställning" });
  await tove.getByRole("button", { name: "Spara behovet" }).dblclick();
  await expect(tove.getByRole("heading", { level: 1, name: "Kock, dubbelklick" })).toBeVisible();
  await openRing(tove);
  await tove.getByRole("link", { name: "Till ringens behovstavla" }).click();
  await expect(tove.getByRole("link", { name: "Kock, dubbelklick" })).toHaveCount(1);
  const boardUrl = tove.url();

  await plain.goto(boardUrl.replace(/\/behov.*$/, "/behov/nytt"));
  await plain.getByLabel("Yrke (SSYK 2012)").fill("5120");
  await plain.getByLabel("Rubrik").fill("Kock, skickat två gånger");
  await plain.getByLabel("Antal personer").fill("1");
  await plain.getByLabel("Startdatum").fill(dayFromNow(30));
  await plain.getByLabel("Anställningsform").selectOption({ label: "Tillsvidareanställning" });
  const needForm = plain.locator("form", { has: plain.getByRole("button", { name: "Spara behovet" }) });
  const needFields = await needForm.evaluate((form: HTMLFormElement) => Object.fromEntries(new FormData(form) as unknown as Iterable<[string, string]>));
  for (let i = 0; i < 2; i++) {
    const res = await plain.request.post("/api/needs/post", { form: needFields, headers: { accept: "text/html" }, maxRedirects: 0 });
    expect([302, 303], `post ${i + 1}`).toContain(res.status());
  }
  await plain.goto(boardUrl);
  await expect(plain.getByRole("link", { name: "Kock, skickat två gånger" })).toHaveCount(1);
  await plain.context().close();
  await tove.context().close();
});
