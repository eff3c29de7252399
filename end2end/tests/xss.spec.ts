import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { waitForHydration } from "./support/a11y";
import { htmlFromMail, linkFromMail, sendDigestsNow } from "./support/mail";
import { orgNumber, personnummer } from "./support/numbers";
import { DEMO_PASSWORD, logIn } from "./support/session";
import {
  api,
  expectSafe,
  expectShownSafely,
  injected,
  markerOf,
  nth,
  pack,
  rowsFor,
  watchDialogs,
} from "./support/xss";

// Every field a person writes and the portal shows again gets every payload of
// server/tests/api/xss-payloads.txt (packed into values the field's length allows),
// and every page that shows it is opened in the browser. The policy (CSP) is bypassed:
// escaping must hold without it, so an injected script would really run here.
test.use({ bypassCSP: true });
test.describe.configure({ mode: "serial" });

const COORDINATOR = "samir.haddad@ekdala.test";
// A member whose password no other journey changes (accounts.spec.ts resets Per's).
const MEMBER = "leila@storvik-omsorg.test";
const MEMBER_RING = "Vård och omsorg Storvik";
const MEMBER_FIRM = "Storvik Omsorg AB";
const single = { singleLine: true };
const base = Math.floor(Math.random() * 1_000_000) * 100;
const isoDay = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

type Ring = { id: number; name: string };
type Board = { needs: { id: number }[]; firms: [number, string][] };

async function loggedIn(browser: Browser, email: string): Promise<{ page: Page; dialogs: string[] }> {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  const dialogs = watchDialogs(page);
  await logIn(page, email, DEMO_PASSWORD);
  await expect(page.getByRole("button", { name: "Logga ut" })).toBeVisible();
  return { page, dialogs };
}

/** A candidate born on 1 January 1990 (the n-th of this run), enrolled today. */
async function createCandidate(rq: APIRequestContext, name: string, n: number, note: string): Promise<number> {
  return (await api(rq, "candidates/create", {
    name,
    personnummer: personnummer("19900101", (base / 100 + n) % 1000),
    email: "",
    phone: "",
    gender: "woman",
    permit_date: "",
    enrolled_on: isoDay(0),
    sfi_course: "C",
    sfi_path: "2",
    driving_licence: "",
    available_from: "",
    hours: "full",
    availability_note: note,
  })) as number;
}

async function ringId(page: Page, name: string): Promise<number> {
  const overview = (await api(page.request, "rings/list", {})) as { rings: Ring[] };
  const ring = overview.rings.find((r) => r.name === name);
  if (!ring) throw new Error(`no ring ${name}`);
  return ring.id;
}

test("no payload in a firm, its outreach, a ring, a meeting or an invitation runs where it is shown", async ({ browser }) => {
  test.setTimeout(600_000);
  const { page, dialogs } = await loggedIn(browser, COORDINATOR);
  const rq = page.request;

  const names = pack(160, single);
  const contacts = pack(120, single);
  const addresses = pack(300);
  const firms: { id: number; markers: string[] }[] = [];
  for (let i = 0; i < rowsFor(names, contacts, addresses); i++) {
    const [name, contact, address] = [nth(names, i), nth(contacts, i), nth(addresses, i)];
    const id = (await api(rq, "firms/create", {
      name,
      org_number: orgNumber(base + i),
      employees: "12",
      sni_section: "F",
      address,
      municipality_id: "",
      contact_name: contact,
      contact_email: "",
      contact_phone: "",
    })) as number;
    firms.push({ id, markers: [name, contact, address].map(markerOf) });
  }
  const notes = pack(4000);
  const steps = pack(300, single);
  const outreach: string[] = [];
  for (let i = 0; i < rowsFor(notes, steps); i++) {
    await api(rq, "firms/outreach", {
      firm_id: String(firms[0].id),
      contacted_on: isoDay(-1),
      channel: "phone",
      outcome: "interested",
      note: nth(notes, i),
      next_step: nth(steps, i),
      next_step_on: isoDay(7),
    });
    outreach.push(markerOf(nth(notes, i)), markerOf(nth(steps, i)));
  }
  await expectSafe(page, "/foretag", firms.map((f) => f.markers[0]), dialogs);
  await expectSafe(page, `/foretag/${firms[0].id}`, [...firms[0].markers, ...outreach], dialogs);
  for (const f of firms.slice(1)) await expectSafe(page, `/foretag/${f.id}`, f.markers, dialogs);

  const ringNames = pack(120, single);
  const descriptions = pack(4000);
  const invitees = pack(120, single);
  const rings: { id: number; markers: string[] }[] = [];
  for (let i = 0; i < rowsFor(ringNames, descriptions); i++) {
    const [name, description] = [nth(ringNames, i), nth(descriptions, i)];
    const id = (await api(rq, "rings/create", { name, description, sector_focus: "", host_coordinator_id: "" })) as number;
    const member = firms[i % firms.length];
    const invited = firms[(i + 1) % firms.length];
    await api(rq, "rings/add-firm", { ring_id: String(id), firm_id: String(member.id) });
    const invitee = nth(invitees, i);
    await api(rq, "rings/invite", { ring_id: String(id), firm_id: String(invited.id), name: invitee, email: `xss${base + i}@firma.test` });
    rings.push({ id, markers: [markerOf(name), markerOf(description), member.markers[0], invited.markers[0], markerOf(invitee)] });
  }
  const places = pack(300, single);
  const agendas = pack(4000);
  const meetings: { id: number; markers: string[] }[] = [];
  for (let i = 0; i < rowsFor(places, agendas); i++) {
    const id = (await api(rq, "meetings/create", {
      ring_id: String(rings[0].id),
      date: isoDay(10 + i),
      start_time: "08:00",
      end_time: "10:00",
      place: nth(places, i),
      agenda: nth(agendas, i),
    })) as number;
    meetings.push({ id, markers: [markerOf(nth(places, i)), markerOf(nth(agendas, i)), rings[0].markers[0]] });
  }
  await expectSafe(page, "/ringar", rings.map((r) => r.markers[0]), dialogs);
  for (const r of rings) await expectSafe(page, `/ringar/${r.id}`, r.markers, dialogs);
  await expectSafe(page, `/ringar/${rings[0].id}/redigera`, [], dialogs);
  for (const m of meetings) await expectSafe(page, `/moten/${m.id}`, m.markers, dialogs);

  // The invitation: its e-mail, read as a mail app shows HTML, and the page it opens.
  const to = `xss${base}@firma.test`;
  const mail = await htmlFromMail(to, "/inbjudan");
  const link = await linkFromMail(to, "", "/inbjudan");
  const outside = await browser.newContext({ bypassCSP: true });
  const invitee = await outside.newPage();
  const inviteeDialogs = watchDialogs(invitee);
  await invitee.setContent(mail);
  await expectShownSafely(invitee, "the invitation e-mail", [rings[0].markers[0], firms[1].markers[0]], inviteeDialogs);
  await expectSafe(invitee, link, [rings[0].markers[0], firms[1].markers[0]], inviteeDialogs);
  await outside.close();
});

test("no payload in a need, a thread or a moderator's reason runs on the board, the pages or the digest", async ({ browser }) => {
  test.setTimeout(600_000);
  const staff = await loggedIn(browser, COORDINATOR);
  const rq = staff.page.request;
  const ring = await ringId(staff.page, MEMBER_RING);
  const board = (await api(rq, "needs/board", { ring_id: String(ring), occupation: "", form: "", status: "", firm: "", sort: "" })) as Board;
  const firm = board.firms.find(([, name]) => name === MEMBER_FIRM)?.[0];
  expect(firm, "the member's firm on the board").toBeDefined();

  const titles = pack(120, single);
  const descriptions = pack(4000);
  const required = pack(1000);
  const merits = pack(1000);
  const languages = pack(300, single);
  const trainings = pack(300, single);
  const needs: { id: number; markers: string[] }[] = [];
  for (let i = 0; i < rowsFor(titles, descriptions, required, merits, languages, trainings); i++) {
    const fields = [nth(titles, i), nth(descriptions, i), nth(required, i), nth(merits, i), nth(languages, i), nth(trainings, i)];
    const id = (await api(rq, "needs/post", {
      ring_id: String(ring),
      firm_id: String(firm),
      occupation: "7111",
      title: fields[0],
      description: fields[1],
      positions: "1",
      required_skills: fields[2],
      merit_skills: fields[3],
      swedish_level: "B1",
      other_languages: fields[4],
      driving_licence: "",
      start_date: isoDay(30),
      employment_form: "permanent",
      suggested_training: fields[5],
      status: "open",
    })) as number;
    needs.push({ id, markers: fields.map(markerOf) });
  }

  const threadTitles = pack(150, single);
  const threads: { id: number; marker: string }[] = [];
  for (const title of threadTitles) {
    const id = (await api(rq, "forum/create", { ring_id: String(ring), title, body: "Tråd med en rubrik att pröva.", need_id: "" })) as number;
    threads.push({ id, marker: markerOf(title) });
  }
  // A moderator hides replies with a reason; the reason is shown to staff.
  const reasons = pack(300, single);
  for (const reason of reasons) {
    const post = ((await api(rq, "forum/reply", { thread_id: String(threads[0].id), body: "Ett svar att dölja.", confirm_personal: "on" })) as { id: number }).id;
    await api(rq, "forum/hide", { post_id: String(post), reason });
  }

  const member = await loggedIn(browser, MEMBER);
  await expectSafe(member.page, `/ringar/${ring}/behov`, needs.map((n) => n.markers[0]), member.dialogs);
  for (const n of needs) await expectSafe(member.page, `/behov/${n.id}`, n.markers, member.dialogs);
  await expectSafe(member.page, `/behov/${needs[0].id}/redigera`, [], member.dialogs);
  // The list, 20 threads a page: every title is on one of its pages.
  let listed = "";
  for (let n = 1; n <= Math.ceil((threads.length + 10) / 20); n++) {
    await expectSafe(member.page, `/ringar/${ring}/diskussion?sida=${n}`, [], member.dialogs);
    listed += await member.page.evaluate(() => document.body.innerText);
  }
  expect(threads.filter((t) => !listed.includes(t.marker)).map((t) => t.marker), "threads not listed").toEqual([]);
  for (const t of threads) await expectSafe(member.page, `/diskussion/${t.id}`, [t.marker], member.dialogs);

  await expectSafe(staff.page, "/behov", [], staff.dialogs);
  await expectSafe(staff.page, `/behov/${needs[0].id}/matchning`, [needs[0].markers[0]], staff.dialogs);
  await expectSafe(staff.page, `/diskussion/${threads[0].id}`, [threads[0].marker, ...reasons.map(markerOf)], staff.dialogs);

  // The member's digest carries the new needs' and threads' titles (ten of each).
  // This run queues it; it or the server's worker (which may claim it first) sends it,
  // and the mailbox is polled below.
  expect(sendDigestsNow()).toMatch(/Queued [1-9]\d* digest/);
  // The newest digest with a marker in it: no other journey writes markers.
  const digest = await htmlFromMail(MEMBER, "[X");
  const reader = await browser.newContext({ bypassCSP: true });
  const mailApp = await reader.newPage();
  const mailDialogs = watchDialogs(mailApp);
  await mailApp.setContent(digest);
  // Other journeys may have put news of their own in the same digest, taking a place
  // or two of its ten: nothing injected, and our needs and threads are in it.
  await expectShownSafely(mailApp, "the digest e-mail", [], mailDialogs);
  const mailText = await mailApp.evaluate(() => document.body.innerText);
  expect(needs.slice(0, 10).filter((n) => mailText.includes(n.markers[0])).length, "needs in the digest").toBeGreaterThanOrEqual(8);
  expect(threads.slice(0, 10).filter((t) => mailText.includes(t.marker)).length, "threads in the digest").toBeGreaterThanOrEqual(8);
  await reader.close();
});

test("no payload in a candidate, a plan, a timeline, a consent or a released profile runs for staff or members", async ({ browser }) => {
  test.setTimeout(600_000);
  const staff = await loggedIn(browser, COORDINATOR);
  const rq = staff.page.request;
  const ring = await ringId(staff.page, MEMBER_RING);

  const names = pack(120, single);
  const notes = pack(300);
  const candidates: { id: number; markers: string[] }[] = [];
  for (let i = 0; i < rowsFor(names, notes); i++) {
    const id = await createCandidate(rq, nth(names, i), i, nth(notes, i));
    candidates.push({ id, markers: [markerOf(nth(names, i)), markerOf(nth(notes, i))] });
  }
  const first = String(candidates[0].id);
  const shown: string[] = [...candidates[0].markers];
  const fields = pack(120, single);
  const countries = pack(80, single);
  for (let i = 0; i < rowsFor(fields, countries); i++) {
    await api(rq, "candidates/education", { candidate_id: first, isced: "3", edu_field: nth(fields, i), edu_country: nth(countries, i), edu_years: "3" });
    await api(rq, "candidates/experience", { candidate_id: first, occupation: "7111", years: "2", country: nth(countries, i) });
    shown.push(markerOf(nth(fields, i)), markerOf(nth(countries, i)));
  }
  for (const step of pack(300, single)) {
    await api(rq, "candidates/plan", { candidate_id: first, due_on: isoDay(14), description: step });
    shown.push(markerOf(step));
  }
  const trainings = pack(160, single);
  const activityNotes = pack(1000);
  for (let i = 0; i < rowsFor(trainings, activityNotes); i++) {
    await api(rq, "candidates/activity", {
      candidate_id: first,
      kind: "training",
      firm_id: "",
      need_id: "",
      title: nth(trainings, i),
      provider: nth(trainings, i + 1),
      start_on: isoDay(-20),
      end_on: isoDay(-10),
      employment_form: "",
      exit_reason: "",
      note: nth(activityNotes, i),
    });
    shown.push(markerOf(nth(trainings, i)), markerOf(nth(activityNotes, i)));
  }
  // Only each criterion's latest assessment is on the page: look after each.
  for (const [i, comment] of pack(1000).entries()) {
    await api(rq, "candidates/assess", { candidate_id: first, criterion: "ABCD"[i % 4], met: "yes", assessed_on: isoDay(0), comment });
    await expectSafe(staff.page, `/deltagare/${first}`, [markerOf(comment)], staff.dialogs);
  }
  const health = pack(4000);
  await api(rq, "candidates/health-save", { candidate_id: first, obstacles: health[0], health: health[1] ?? health[0] });
  const poolNotes = pack(500);
  for (const [i, note] of poolNotes.entries()) {
    await api(rq, "candidates/pool-add", { candidate_id: String(candidates[i].id), ring_id: String(ring), pool_note: note });
  }
  await expectSafe(staff.page, "/deltagare", candidates.map((c) => c.markers[0]), staff.dialogs);
  await expectSafe(staff.page, `/deltagare/${first}`, shown, staff.dialogs);
  for (const c of candidates.slice(1)) await expectSafe(staff.page, `/deltagare/${c.id}`, c.markers, staff.dialogs);
  await expectSafe(staff.page, `/deltagare/${first}/redigera`, [], staff.dialogs);
  await expectSafe(staff.page, `/ringar/${ring}/pool`, poolNotes.map(markerOf), staff.dialogs);

  // Reasons for reading health data and for an extract go to the audit log.
  const reasons = pack(200, single);
  for (const reason of reasons) {
    await expectSafe(staff.page, `/deltagare/${first}/halsa?skal=${encodeURIComponent(reason)}`, [health[0], health[1] ?? health[0]].map(markerOf), staff.dialogs);
  }
  await expectSafe(staff.page, `/deltagare/${first}/registerutdrag?skal=${encodeURIComponent(reasons[0])}`, [candidates[0].markers[0], shown[2]], staff.dialogs);
  await expectSafe(staff.page, "/granskningslogg", reasons.slice(-5).map(markerOf), staff.dialogs);

  // Consent wordings (an administrator writes them), consents (purpose, witness, how
  // withdrawn).
  const admin = await loggedIn(browser, "admin@ekdala.test");
  const titles = pack(200, single);
  const bodies = pack(20_000);
  const texts: { id: number; markers: string[] }[] = [];
  for (let i = 0; i < rowsFor(titles, bodies); i++) {
    const id = (await api(admin.page.request, "consent/text-new", { language: "sv", title: nth(titles, i), body: nth(bodies, i) })) as number;
    texts.push({ id, markers: [markerOf(nth(titles, i)), markerOf(nth(bodies, i))] });
  }
  await expectSafe(staff.page, "/samtyckestexter", texts.map((t) => t.markers[0]), staff.dialogs);
  for (const t of texts) await expectSafe(staff.page, `/samtyckestexter/${t.id}`, t.markers, staff.dialogs);
  const purposes = pack(500);
  const witnesses = pack(120, single);
  const hows = pack(200, single);
  const consentMarkers: string[] = [];
  for (let i = 0; i < rowsFor(purposes, witnesses, hows); i++) {
    const consent = (await api(rq, "consent/record", [
      ["candidate_id", first],
      ["text_id", String(texts[0].id)],
      ["purpose", nth(purposes, i)],
      ["method", "oral"],
      ["witness", nth(witnesses, i)],
      ["given_on", isoDay(0)],
      ["months", "12"],
      ["rings[]", String(ring)],
    ])) as number;
    await api(rq, "consent/withdraw", { consent_id: String(consent), withdrawn_on: isoDay(0), how: nth(hows, i) });
    consentMarkers.push(...[nth(purposes, i), nth(witnesses, i), nth(hows, i)].map(markerOf));
  }
  await expectSafe(staff.page, `/deltagare/${first}/samtycken`, consentMarkers, staff.dialogs);

  // Released profiles, of candidates named plainly (the scan refuses a text that has
  // the candidate's name in it), who share everything the guard looks at, so each
  // passes it; each gets an active consent for the member's ring.
  const headlines = pack(100, single);
  const summaries = pack(800);
  const released: { code: string; markers: string[] }[] = [];
  for (let i = 0; i < rowsFor(headlines, summaries); i++) {
    const candidate = String(await createCandidate(rq, "Noor Delningsson", 500 + i, ""));
    await api(rq, "consent/record", [
      ["candidate_id", candidate],
      ["text_id", String(texts[0].id)],
      ["purpose", "Delning med ringen"],
      ["method", "signed"],
      ["witness", ""],
      ["given_on", isoDay(0)],
      ["months", "12"],
      ["rings[]", String(ring)],
    ]);
    const preview = (await api(rq, "releases/preview", { candidate_id: candidate, ring_id: String(ring) })) as { fingerprint: string };
    const code = (await api(rq, "releases/release", {
      candidate_id: candidate,
      ring_id: String(ring),
      need_id: "",
      headline: nth(headlines, i),
      summary: nth(summaries, i),
      levels: "",
      fingerprint: preview.fingerprint,
    })) as string;
    released.push({ code, markers: [markerOf(nth(headlines, i)), markerOf(nth(summaries, i))] });
  }

  const member = await loggedIn(browser, MEMBER);
  await expectSafe(member.page, `/ringar/${ring}/profiler`, released.map((r) => r.markers[0]), member.dialogs);
  for (const r of released) await expectSafe(member.page, `/profiler/${r.code}`, r.markers, member.dialogs);
  const messages = pack(1000);
  for (const [i, message] of messages.entries()) {
    await api(member.page.request, "releases/interest", { pseudonym: released[i].code, message });
  }
  // The coordinator arranges each meeting; the place is shown to both.
  const inbox = (await api(rq, "releases/inbox", {})) as { rows: { interest: { id: number }; pseudonym: string }[] };
  const places = pack(300, single);
  const ours = inbox.rows.filter((r) => released.some((x) => x.code === r.pseudonym));
  expect(ours.length, "every interest is in the coordinator's inbox").toBe(messages.length);
  for (const [i, row] of ours.entries()) {
    await api(rq, "releases/meeting", { interest_id: String(row.interest.id), meeting_date: isoDay(5), meeting_time: "10:00", meeting_place: nth(places, i) });
  }
  const placeMarkers = ours.map((_, i) => markerOf(nth(places, i)));
  await expectSafe(staff.page, "/intresse", [...messages.map(markerOf), ...placeMarkers], staff.dialogs);
  // The member sees their message and the meeting on the profile.
  for (const [i, r] of released.slice(0, messages.length).entries()) {
    await expectSafe(member.page, `/profiler/${r.code}`, [markerOf(messages[i]), placeMarkers[ours.findIndex((o) => o.pseudonym === r.code)]], member.dialogs);
  }
});

test("no payload in an account's name, a search or any other text in an address runs", async ({ browser }) => {
  test.setTimeout(600_000);
  const admin = await loggedIn(browser, "admin@ekdala.test");
  const accountNames = pack(120, single);
  for (const [i, name] of accountNames.entries()) {
    await api(admin.page.request, "admin/accounts/create", { name, email: `xss${base + i}@ekdala.test`, role: "coordinator" });
  }
  await expectSafe(admin.page, "/admin/konton", accountNames.map(markerOf), admin.dialogs);

  // Whatever a page takes from its address is shown as typed, never as markup.
  const staff = await loggedIn(browser, COORDINATOR);
  const ring = await ringId(staff.page, MEMBER_RING);
  const reflected = pack(1000, single);
  const withValue = (path: string) => reflected.map((v) => path.replaceAll("{}", encodeURIComponent(v)));
  // A value a page refuses is named in a 4xx page, shown as typed: never a 5xx.
  const openReflecting = async (page: Page, url: string, dialogs: string[]) => {
    const res = await page.goto(url);
    expect(res?.status(), `GET ${url}`).toBeLessThan(500);
    await waitForHydration(page);
    await expectShownSafely(page, url, [], dialogs);
  };
  const staffUrls = [
    ...withValue("/deltagare?q={}&status={}"),
    ...withValue("/foretag?q={}"),
    ...withValue("/granskningslogg?q={}"),
    ...withValue(`/ringar/${ring}/behov/nytt?yrke={}`),
    ...withValue(`/ringar/${ring}/behov?occupation={}&form={}&status={}&firm={}&sort={}`),
    ...withValue("/rapporter?from={}&to={}&ring={}"),
    ...withValue(`/ringar/${ring}/statistik?ar={}`),
    ...withValue(`/diskussion/1?sida={}`),
  ];
  for (const url of staffUrls) await openReflecting(staff.page, url, staff.dialogs);
  const visitor = await browser.newContext({ bypassCSP: true });
  const anonymous = await visitor.newPage();
  const anonymousDialogs = watchDialogs(anonymous);
  const publicUrls = [
    ...withValue("/logga-in?next={}"),
    ...withValue("/inbjudan?token={}"),
    ...withValue("/aterstall-losenord?token={}"),
    ...withValue("/installningar?t={}"),
    ...withValue("/avregistrera?t={}"),
  ];
  for (const url of publicUrls) await openReflecting(anonymous, url, anonymousDialogs);
  // A no-JavaScript form refused for one field shows every other field as typed.
  const plain = await browser.newContext({ javaScriptEnabled: false });
  const form = await plain.newPage();
  await form.goto("/logga-in");
  await form.getByLabel("E-postadress").fill(MEMBER);
  await form.getByLabel("Lösenord", { exact: true }).fill(DEMO_PASSWORD);
  await form.getByRole("button", { name: "Logga in" }).click();
  await expect(form.getByRole("button", { name: "Logga ut" })).toBeVisible();
  await form.goto(`/ringar/${ring}/behov/nytt`);
  const title = pack(120, single)[0];
  const description = pack(4000)[0];
  await form.getByLabel("Rubrik").fill(title);
  await form.getByLabel("Beskrivning").fill(description);
  await form.getByLabel("Startdatum").fill(isoDay(-3));
  await form.getByRole("button", { name: "Spara behovet" }).click();
  await expect(form.getByRole("alert")).toContainText("Startdatum");
  await expect(form.getByLabel("Rubrik")).toHaveValue(title);
  await expect(form.getByLabel("Beskrivning")).toHaveValue(description);
  // Checked where scripts run: the refused form's HTML, as the browser parses it.
  const html = await form.content();
  const copy = await visitor.newPage();
  const copyDialogs = watchDialogs(copy);
  await copy.setContent(html);
  expect(await injected(copy), "injected into the refused form").toEqual([]);
  expect(copyDialogs).toEqual([]);
  await plain.close();
});
