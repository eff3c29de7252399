//! E-mail digests: content per member for a fixture period, preferences, the
//! one-click unsubscribe, what changes between queueing and sending, the SMTP server
//! going away, and several processes (with a restart) building each period once.

use std::{
    collections::{BTreeMap, BTreeSet},
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    time::{Duration as StdDuration, Instant},
};

use app::digests::{
    content::Builder,
    model::{
        self, DigestContent, Frequency, MeetingItem, NeedItem, ReleaseItem, RingSection, ThreadItem,
    },
    prefs,
    service::{self, DigestConfig, Due},
};
use chrono::{DateTime, Datelike, Duration, Utc};
use sea_orm::{ConnectionTrait, Statement, Value};
use server::{
    mailer::{Envelope, Mailer},
    outbox,
};

use crate::{
    db_test,
    helpers::{Backend, TestApp, encode, new_client},
    smtp::{SmtpServer, message_id},
};

const FROM: &str = "Broar <broar@ekdala.test>";

async fn scalar(app: &TestApp, text: &str, values: Vec<Value>) -> Option<String> {
    let backend = app.db.get_database_backend();
    app.db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            app::ssr::sql(backend, text),
            values,
        ))
        .await
        .expect("query")
        .and_then(|r| r.try_get_by_index::<Option<String>>(0).ok().flatten())
}

async fn rename(app: &TestApp, user: i32, name: &str) {
    app.exec(
        "UPDATE users SET name = ? WHERE id = ?",
        vec![name.into(), user.into()],
    )
    .await;
}

async fn need_event(app: &TestApp, need: i32, action: &str, detail: &str, at: DateTime<Utc>) {
    app.exec("INSERT INTO need_events (need_id, at, actor_id, actor_name, action, detail) VALUES (?, ?, NULL, 'Test', ?, ?)",
        vec![need.into(), at.into(), action.into(), detail.into()],
    )
    .await;
}

/// Sets an employer's preferences as the settings form does (logged in).
async fn prefs(
    app: &TestApp,
    client: &reqwest::Client,
    frequency: &str,
    weekday: u32,
    locale: &str,
    rings: &[i32],
) {
    let weekday = weekday.to_string();
    let ring_ids: Vec<String> = rings.iter().map(ToString::to_string).collect();
    let mut form = vec![
        ("frequency", frequency),
        ("weekday", weekday.as_str()),
        ("locale", locale),
    ];
    form.extend(ring_ids.iter().map(|r| ("rings[]", r.as_str())));
    let res = app
        .post_as(client, "/api/digests/preferences-save", &form)
        .await;
    assert_eq!(
        res.status(),
        200,
        "{}",
        res.text().await.unwrap_or_default()
    );
}

/// An hour of the day twelve hours from now (Stockholm), so that a digest period
/// ending at the latest slot never has its edge near the moment a test writes.
fn far_hour() -> u32 {
    let (_, time) = app::i18n::stockholm_parts(Utc::now());
    (time[..2].parse::<u32>().expect("an hour") + 12) % 24
}

fn config(app: &TestApp, hour: u32) -> DigestConfig {
    DigestConfig {
        hour,
        ..app.digests.clone()
    }
}

db_test! {
    async fn a_fixture_period_gives_each_member_the_news_of_their_own_rings(app: TestApp) {
        let firm_a = app.firm("Alfa Bygg AB").await;
        let firm_b = app.firm("Beta Vård AB").await;
        let firm_c = app.firm("Gamma Café HB").await;
        let ring_a = app.ring("Ring A", &[firm_a, firm_b]).await;
        let ring_b = app.ring("Ring B", &[firm_b]).await;
        let ring_c = app.ring("Ring C", &[firm_c]).await;
        let (dana_client, dana) = app.employer_at(firm_a).await;
        let (vera_client, vera) = app.employer_at(firm_a).await;
        let (quinn_client, quinn) = app.employer_at(firm_c).await;
        let (mio_client, mio) = app.employer_at(firm_b).await;
        for (id, name) in [(dana, "Dana Dag"), (vera, "Vera Vecka"), (quinn, "Quinn Tyst"), (mio, "Mio Mute")] {
            rename(&app, id, name).await;
        }
        let hour = far_hour();
        let cfg = config(&app, hour);
        // The round runs a day from now: the daily slot before it is 0–24 h ahead, so
        // the period before the slot holds "now".
        let at = Utc::now() + Duration::days(1);
        let slot = model::latest_slot(at, Frequency::Daily, 1, hour).expect("a slot");
        let weekday = app::i18n::stockholm_parts(slot).0.weekday().number_from_monday();
        prefs(&app, &dana_client, "daily", 1, "sv", &[ring_a]).await;
        prefs(&app, &vera_client, "weekly", weekday, "en", &[ring_a]).await;
        prefs(&app, &quinn_client, "daily", 1, "sv", &[ring_c]).await;
        prefs(&app, &mio_client, "daily", 1, "sv", &[ring_a]).await; // ring B left out

        let now = Utc::now();
        // Ring A: firm B's new need, a filled one, firm A's older need, a draft.
        let new_need = app.need(ring_a, firm_b, "open").await;
        need_event(&app, new_need, "created", "open", now).await;
        let filled = app.need(ring_a, firm_b, "filled").await;
        need_event(&app, filled, "created", "open", now - Duration::days(40)).await;
        need_event(&app, filled, "status", "filled", now).await;
        let own_need = app.need(ring_a, firm_a, "open").await;
        need_event(&app, own_need, "created", "open", now - Duration::days(40)).await;
        let draft = app.need(ring_a, firm_b, "draft").await;
        need_event(&app, draft, "created", "draft", now).await;
        // A thread by Mio (the title holds markup), Dana's reply, Vera's reply hidden.
        let title = "<b>Tips & \"tricks\"</b>";
        let (thread, opening) = app.thread(ring_a, mio, title).await;
        let later = Utc::now() + Duration::seconds(1);
        let dana_reply = app.post(thread, dana, "Bra, vi **provar** det!", later).await;
        let hidden = app.post(thread, vera, "Ring mig på 070-1234567", later).await;
        app.exec("UPDATE posts SET hidden_at = ?, hidden_reason = 'personuppgifter' WHERE id = ?", vec![now.into(), hidden.into()]).await;
        // Ring B (Mio left it out), ring C (Quinn's) quiet but for an old thread.
        app.thread(ring_b, mio, "Bara i ring B").await;
        let (old_thread, _) = app.thread(ring_c, quinn, "Gammal tråd").await;
        app.exec("UPDATE posts SET created_at = ? WHERE thread_id = ?", vec![(now - Duration::days(60)).into(), old_thread.into()]).await;
        app.exec("UPDATE threads SET created_at = ? WHERE id = ?", vec![(now - Duration::days(60)).into(), old_thread.into()]).await;
        // A meeting planned now, in three days; one a month away.
        let meeting = app.meeting(ring_a, 3).await;
        app.meeting(ring_a, 30).await;
        // A profile released to ring A for firm A's need; another released to ring B.
        let candidate = app.candidate("Amina Diallo").await;
        let (_, code) = app.released(candidate, ring_a).await;
        app.exec("UPDATE releases SET need_id = ?, headline = 'Kock med fem års erfarenhet' WHERE pseudonym = ?", vec![own_need.into(), code.clone().into()]).await;
        let other = app.candidate("Omar Haddad").await;
        let (_, ring_b_code) = app.released(other, ring_b).await;

        let start = slot - Duration::days(1);
        let mut builder = Builder::new(&app.db).await.expect("builder");
        let member = |id| {
            let db = app.db.clone();
            async move { prefs::member(&db, id).await.expect("member").expect("a member") }
        };
        let starts_at = |id: i32| {
            let db = app.db.clone();
            async move {
                use sea_orm::EntityTrait;
                app::rings::entity::meeting::Entity::find_by_id(id).one(&db).await.expect("q").expect("meeting").starts_at
            }
        };
        let need_item = |id, title: &str, firm: &str, occupation: &str| NeedItem {
            id,
            title: title.into(),
            firm: firm.into(),
            occupation: occupation.into(),
        };
        let meetings = vec![MeetingItem { id: meeting, starts_at: starts_at(meeting).await, place: "Kommunhuset, rum 3".into(), new: true }];
        let release = ReleaseItem { code: code.clone(), headline: "Kock med fem års erfarenhet".into(), fits: "Kock (open)".into() };

        let dana_content = builder.content(&app.db, &member(dana).await, start, slot).await.expect("content");
        assert_eq!(dana_content, DigestContent { rings: vec![RingSection {
            ring_id: ring_a,
            name: "Ring A".into(),
            new_needs: vec![need_item(new_need, "Kock (open)", "Beta Vård AB", "Kockar och kallskänkor")],
            filled_needs: vec![need_item(filled, "Kock (filled)", "Beta Vård AB", "Kockar och kallskänkor")],
            // Dana's own reply is not news to Dana.
            threads: vec![ThreadItem { id: thread, title: title.into(), new: true, replies: 0, excerpt: "Här delar vi erfarenheter.".into(), author: "Mio Mute".into(), posts: vec![opening] }],
            releases: vec![release.clone()],
            meetings: meetings.clone(),
        }]});

        let vera_start = slot - Duration::days(7);
        let vera_content = builder.content(&app.db, &member(vera).await, vera_start, slot).await.expect("content");
        assert_eq!(vera_content, DigestContent { rings: vec![RingSection {
            ring_id: ring_a,
            name: "Ring A".into(),
            new_needs: vec![need_item(new_need, "Kock (open)", "Beta Vård AB", "Cooks and cold-buffet managers")],
            filled_needs: vec![need_item(filled, "Kock (filled)", "Beta Vård AB", "Cooks and cold-buffet managers")],
            // Vera's hidden reply is nowhere; Dana's is the latest.
            threads: vec![ThreadItem { id: thread, title: title.into(), new: true, replies: 1, excerpt: "Bra, vi provar det!".into(), author: "Dana Dag".into(), posts: vec![opening, dana_reply] }],
            releases: vec![release],
            meetings: meetings.clone(),
        }]});

        let mio_content = builder.content(&app.db, &member(mio).await, start, slot).await.expect("content");
        assert_eq!(mio_content, DigestContent { rings: vec![RingSection {
            ring_id: ring_a,
            name: "Ring A".into(),
            new_needs: vec![need_item(new_need, "Kock (open)", "Beta Vård AB", "Kockar och kallskänkor")],
            filled_needs: vec![need_item(filled, "Kock (filled)", "Beta Vård AB", "Kockar och kallskänkor")],
            // Mio opened the thread: only Dana's reply is news.
            threads: vec![ThreadItem { id: thread, title: title.into(), new: false, replies: 1, excerpt: "Bra, vi provar det!".into(), author: "Dana Dag".into(), posts: vec![dana_reply] }],
            // The profile fits firm A's need, not firm B's; ring B's is left out.
            releases: vec![],
            meetings,
        }]});

        let quinn_content = builder.content(&app.db, &member(quinn).await, start, slot).await.expect("content");
        assert_eq!(quinn_content, DigestContent::default(), "a quiet ring is no news");

        // The round queues three digests, records Quinn's quiet period, and a second
        // round finds nothing more to do.
        let report = service::round(&app.db, &cfg, at, Due::Scheduled, false).await.expect("round");
        assert_eq!((report.queued, report.quiet, report.taken), (3, 1, 0));
        let again = service::round(&app.db, &cfg, at, Due::Scheduled, false).await.expect("round");
        assert_eq!((again.queued, again.quiet, again.taken), (0, 0, 0));
        let subject = |to: String| scalar(&app, "SELECT subject FROM outbox WHERE to_address = ? AND kind = 'digest'", vec![to.into()]);
        let email_of = |id: i32| scalar(&app, "SELECT email FROM users WHERE id = ?", vec![id.into()]);
        assert_eq!(subject(email_of(dana).await.expect("email")).await.as_deref(), Some("Nytt i dina ringar (5)"));
        assert_eq!(subject(email_of(vera).await.expect("email")).await.as_deref(), Some("New in your rings (5)"));
        assert_eq!(subject(email_of(mio).await.expect("email")).await.as_deref(), Some("Nytt i dina ringar (4)"));
        assert_eq!(subject(email_of(quinn).await.expect("email")).await, None, "nothing new, no e-mail");
        for (text,) in all_texts(&app).await {
            assert!(!text.contains("Bara i ring B") && !text.contains(&ring_b_code), "ring B is in no digest");
            assert!(!text.contains("070-1234567"), "the hidden reply is in no digest");
            assert!(!text.contains("Amina") && !text.contains("Omar"), "no candidate name");
        }
        let quinn_row = scalar(&app, "SELECT period_key FROM digests WHERE user_id = ? AND outbox_id IS NULL", vec![quinn.into()]).await;
        assert_eq!(quinn_row, Some(model::period_key(Frequency::Daily, slot)));
    }
}

async fn all_texts(app: &TestApp) -> Vec<(String,)> {
    let backend = app.db.get_database_backend();
    app.db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT body_text, body_html FROM outbox WHERE kind = 'digest'",
        ))
        .await
        .expect("bodies")
        .iter()
        .flat_map(|r| {
            [
                (r.try_get::<String>("", "body_text").expect("text"),),
                (r.try_get::<String>("", "body_html").expect("html"),),
            ]
        })
        .collect()
}

async fn frequency_of(app: &TestApp, user: i32) -> Option<String> {
    scalar(
        app,
        "SELECT frequency FROM digest_preferences WHERE user_id = ?",
        vec![user.into()],
    )
    .await
}

/// A member of a ring with one new thread in it; returns (client, user id, ring).
async fn member_with_news(app: &TestApp) -> (reqwest::Client, i32, i32) {
    let firm = app.firm("Delta Städ AB").await;
    let other = app.firm("Epsilon Kök AB").await;
    let ring = app.ring("Ring D", &[firm, other]).await;
    let (client, user) = app.employer_at(firm).await;
    let (_, writer) = app.employer_at(other).await;
    app.thread(ring, writer, "Praktik i december").await;
    (client, user, ring)
}

db_test! {
    async fn one_click_unsubscribe_works_logged_out_with_the_signed_token_only(app: TestApp) {
        let (_, user, _) = member_with_news(&app).await;
        let (_, bystander) = app.employer_at(app.firm("Zeta AB").await).await;
        let token = service::token(&app.digests.secret, user);
        let anonymous = new_client();

        // Every digest carries the RFC 8058 headers with the signed address.
        let report = service::round(&app.db, &app.digests, Utc::now(), Due::Now, false).await.expect("round");
        assert_eq!(report.queued, 1);
        let store = Arc::new(Mutex::new(Vec::<Envelope>::new()));
        let sent = outbox::drain(&app.db, &Mailer::Memory(store.clone()), FROM, "w", &app.digests).await.expect("drain");
        assert_eq!(sent, 1);
        let envelope = store.lock().expect("lock")[0].clone();
        let unsubscribe = format!("{}/avregistrera?t={token}", app.address);
        assert_eq!(envelope.list_unsubscribe.as_deref(), Some(unsubscribe.as_str()));
        let raw = String::from_utf8(server::mailer::build(FROM, &envelope).expect("message").formatted()).expect("utf-8");
        assert!(raw.contains(&format!("List-Unsubscribe: <{unsubscribe}>")), "{raw}");
        assert!(raw.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"), "{raw}");
        assert!(envelope.text.contains(&format!("{}/installningar?t={token}", app.address)));

        // The GET only asks (mail scanners follow links).
        let page = anonymous.get(&unsubscribe).send().await.expect("get");
        assert_eq!(page.status(), 200);
        let html = page.text().await.expect("body");
        assert!(html.contains("Vill du sluta få sammanfattningar"), "{html}");
        assert_eq!(frequency_of(&app, user).await, None, "a GET changes nothing");

        // Forged tokens: another id with this signature, a made-up signature, none.
        let signature = token.split_once('.').map(|(_, s)| s).unwrap_or_default();
        for forged in [format!("{bystander}.{signature}"), format!("{user}.{}", "0".repeat(64)), format!("{user}"), String::new()] {
            let res = anonymous
                .post(format!("{}/avregistrera?t={forged}", app.address))
                .header("content-type", "application/x-www-form-urlencoded")
                .body("List-Unsubscribe=One-Click")
                .send().await.expect("post");
            assert_eq!(res.status(), 403, "forged token {forged:?}");
        }
        assert_eq!(frequency_of(&app, user).await, None);
        assert_eq!(frequency_of(&app, bystander).await, None);

        // The mail program's POST: no cookie, no form token.
        let res = anonymous
            .post(&unsubscribe)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("List-Unsubscribe=One-Click")
            .send().await.expect("post");
        assert_eq!(res.status(), 200);
        assert_eq!(frequency_of(&app, user).await.as_deref(), Some("never"));
        assert_eq!(app.count("audit_log WHERE action = 'digest.unsubscribe'").await, 1);
        // Idempotent, and no digest follows.
        let again = anonymous.post(&unsubscribe).body("List-Unsubscribe=One-Click").send().await.expect("post");
        assert_eq!(again.status(), 200);
        let ring: i32 = scalar(&app, "SELECT CAST(ring_id AS TEXT) FROM threads", vec![]).await.and_then(|r| r.parse().ok()).expect("ring");
        let (_, writer) = app.employer_at(app.firm("Eta AB").await).await;
        app.exec("INSERT INTO ring_memberships (ring_id, firm_id, joined_at) SELECT ?, firm_id, ? FROM users WHERE id = ?", vec![ring.into(), Utc::now().into(), writer.into()]).await;
        app.thread(ring, writer, "Fler nyheter").await;
        service::round(&app.db, &app.digests, Utc::now(), Due::Now, false).await.expect("round");
        assert_eq!(app.count(&format!("digests WHERE user_id = {user}")).await, 1, "no digest after unsubscribing");
    }
}

db_test! {
    async fn the_settings_open_from_the_digest_link_and_name_each_bad_field(app: TestApp) {
        let (client, user, ring) = member_with_news(&app).await;
        let token = service::token(&app.digests.secret, user);
        let anonymous = new_client();

        // Logged out, with the link's token: the page and the form work.
        let page = anonymous.get(format!("{}/installningar?t={token}", app.address)).send().await.expect("get");
        assert_eq!(page.status(), 200);
        let html = page.text().await.expect("body");
        assert!(html.contains("Ring D") && html.contains("name=\"frequency\""), "{html}");
        let ring_id = ring.to_string();
        let save = |client: reqwest::Client, t: String, frequency: &'static str, weekday: &'static str, locale: &'static str, rings: Vec<String>| {
            let address = app.address.clone();
            async move {
                let mut form: Vec<(&str, String)> = vec![("t", t), ("frequency", frequency.into()), ("weekday", weekday.into()), ("locale", locale.into())];
                form.extend(rings.into_iter().map(|r| ("rings[]", r)));
                let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                client.post(format!("{address}/api/digests/preferences-save"))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("accept", "application/json")
                    .body(encode(&pairs)).send().await.expect("post")
            }
        };
        let ok = save(anonymous.clone(), token.clone(), "daily", "3", "en", vec![ring_id.clone()]).await;
        assert_eq!(ok.status(), 200);
        let view = prefs::preferences_view(&app.db, &prefs::account(&app.db, user).await.expect("q").expect("account")).await.expect("view");
        assert_eq!((view.frequency, view.weekday, view.locale.as_str()), (Frequency::Daily, 3, "en"));
        assert!(view.rings.iter().all(|r| r.included));

        // Bad values are named field by field; nothing is stored.
        let bad = save(anonymous.clone(), token.clone(), "hourly", "9", "fi", vec!["999999".into()]).await;
        let mut errors = crate::helpers::field_errors(bad).await;
        errors.sort();
        assert_eq!(errors, vec!["frequency:field-choice-invalid", "locale:field-choice-invalid", "rings:field-choice-invalid", "weekday:field-choice-invalid"]);
        let none = save(anonymous.clone(), token.clone(), "weekly", "1", "sv", vec![]).await;
        assert_eq!(crate::helpers::field_errors(none).await, vec!["rings:digest-rings-none"]);
        assert_eq!(frequency_of(&app, user).await.as_deref(), Some("daily"));

        // A forged token is refused, even for someone logged in; without a token the
        // logged-in employer's own settings are changed.
        let forged = save(client.clone(), format!("{user}.{}", "a".repeat(64)), "never", "1", "sv", vec![]).await;
        assert_eq!(forged.status(), 403);
        let own = save(client.clone(), String::new(), "never", "", "sv", vec![]).await;
        assert_eq!(own.status(), 200);
        assert_eq!(frequency_of(&app, user).await.as_deref(), Some("never"));
        let nobody = save(new_client(), String::new(), "never", "1", "sv", vec![]).await;
        assert_eq!(nobody.status(), 401);
        let staff = app.client_as(app::auth::model::Role::Coordinator).await;
        let refused = save(staff, String::new(), "never", "1", "sv", vec![]).await;
        assert_eq!(refused.status(), 403, "staff get no digests");

        // Leaving one ring out: the muted ring is remembered, the others stay in.
        let second = app.ring("Ring F", &[]).await;
        app.exec("INSERT INTO ring_memberships (ring_id, firm_id, joined_at) SELECT ?, firm_id, ? FROM users WHERE id = ?", vec![second.into(), Utc::now().into(), user.into()]).await;
        let muted = save(anonymous.clone(), token.clone(), "weekly", "5", "sv", vec![second.to_string()]).await;
        assert_eq!(muted.status(), 200);
        let view = prefs::preferences_view(&app.db, &prefs::account(&app.db, user).await.expect("q").expect("account")).await.expect("view");
        let included: Vec<(String, bool)> = view.rings.iter().map(|r| (r.name.clone(), r.included)).collect();
        assert_eq!(included, vec![("Ring D".to_owned(), false), ("Ring F".to_owned(), true)]);
    }
}

db_test! {
    async fn what_is_hidden_or_revoked_after_queueing_is_not_sent(app: TestApp) {
        let firm = app.firm("Theta Kök AB").await;
        let other = app.firm("Iota Hotell AB").await;
        let ring = app.ring("Ring T", &[firm, other]).await;
        let (_, reader) = app.employer_at(firm).await;
        let (_, lonely) = app.employer_at(other).await;
        let (_, writer) = app.employer_at(app.firm("Kappa AB").await).await;
        let need = app.need(ring, firm, "open").await;
        need_event(&app, need, "created", "open", Utc::now() - Duration::days(30)).await;
        let candidate = app.candidate("Sara Tesfay").await;
        let (_, code) = app.released(candidate, ring).await;
        app.exec("UPDATE releases SET need_id = ? WHERE pseudonym = ?", vec![need.into(), code.clone().into()]).await;
        let (kept, _) = app.thread(ring, writer, "Arbetskläder").await;
        let (_, gone_post) = app.thread(ring, writer, "Olämplig rubrik").await;
        let _ = (kept, lonely);

        let report = service::round(&app.db, &app.digests, Utc::now(), Due::Now, false).await.expect("round");
        assert_eq!(report.queued, 2, "the reader (release and threads) and the other firm's member (threads)");
        let queued: String = scalar(&app, "SELECT body_text FROM outbox WHERE to_address = (SELECT email FROM users WHERE id = ?)", vec![reader.into()]).await.expect("queued");
        assert!(queued.contains(&code) && queued.contains("Olämplig rubrik") && queued.contains("Arbetskläder"));

        // Before the worker sends: the consent is withdrawn (its release revoked) and a
        // moderator hides one thread's opening post.
        app.exec("UPDATE consents SET withdrawn_on = ?, withdrawn_how = 'muntligt' WHERE candidate_id = ?", vec![app::i18n::today().into(), candidate.into()]).await;
        app.exec("UPDATE releases SET revoked_at = ?, revoked_reason = 'withdrawn' WHERE pseudonym = ?", vec![Utc::now().into(), code.clone().into()]).await;
        app.exec("UPDATE posts SET hidden_at = ?, hidden_reason = 'olämpligt' WHERE id = ?", vec![Utc::now().into(), gone_post.into()]).await;

        let store = Arc::new(Mutex::new(Vec::<Envelope>::new()));
        let sent = outbox::drain(&app.db, &Mailer::Memory(store.clone()), FROM, "w", &app.digests).await.expect("drain");
        assert_eq!(sent, 2);
        let mails = store.lock().expect("lock").clone();
        for mail in &mails {
            for body in [&mail.text, &mail.html] {
                assert!(!body.contains(&code), "the revoked profile is gone: {body}");
                assert!(!body.contains("Olämplig rubrik"), "the hidden thread is gone");
                assert!(body.contains("Arbetskläder"), "the rest is still there");
            }
            assert!(mail.subject.ends_with("(1)"), "{}", mail.subject);
        }
        // What was sent is what the outbox keeps.
        let stored: String = scalar(&app, "SELECT body_text FROM outbox WHERE to_address = (SELECT email FROM users WHERE id = ?)", vec![reader.into()]).await.expect("stored");
        assert!(!stored.contains(&code) && stored.contains("Arbetskläder"));

        // A digest whose every line is hidden before sending is not sent at all.
        let (only, only_post) = app.thread(ring, writer, "Enda nyheten").await;
        let _ = only;
        let report = service::round(&app.db, &app.digests, Utc::now(), Due::Now, false).await.expect("round");
        assert_eq!(report.queued, 2);
        app.exec("UPDATE posts SET hidden_at = ?, hidden_reason = 'dubblett' WHERE id = ?", vec![Utc::now().into(), only_post.into()]).await;
        let sent = outbox::drain(&app.db, &Mailer::Memory(store.clone()), FROM, "w", &app.digests).await.expect("drain");
        assert_eq!(sent, 0);
        assert_eq!(app.count("outbox WHERE kind = 'digest' AND status = 'cancelled'").await, 2);
    }
}

db_test! {
    async fn digests_queued_while_the_smtp_server_is_down_are_all_delivered_afterwards(app: TestApp) {
        let firms = [app.firm("Lambda AB").await, app.firm("My AB").await];
        let ring = app.ring("Ring S", &firms).await;
        let mut members = Vec::new();
        for i in 0..6 {
            members.push(app.employer_at(firms[i % 2]).await.1);
        }
        let (_, writer) = app.employer_at(app.firm("Ny AB").await).await;
        app.thread(ring, writer, "Julledighet och praktik").await;
        let mut smtp = SmtpServer::start();
        let mailer = Mailer::from_settings(Some(&smtp.url()), std::path::PathBuf::new(), 4).expect("smtp");
        smtp.stop();

        let report = service::round(&app.db, &app.digests, Utc::now(), Due::Now, false).await.expect("round");
        assert_eq!(report.queued, 6);
        assert_eq!(outbox::drain(&app.db, &mailer, FROM, "w", &app.digests).await.expect("drain"), 0, "the server is down");
        assert_eq!(app.count("outbox WHERE status = 'pending' AND attempts = 1").await, 6, "each kept for a retry");

        smtp.resume();
        // The back-off's time passes.
        app.exec("UPDATE outbox SET next_attempt_at = ?", vec![(Utc::now() - Duration::seconds(1)).into()]).await;
        assert_eq!(outbox::drain(&app.db, &mailer, FROM, "w", &app.digests).await.expect("drain"), 6);
        let received = smtp.messages();
        assert_eq!(received.len(), 6);
        let ids: BTreeSet<String> = received.iter().filter_map(|m| message_id(m)).collect();
        assert_eq!(ids.len(), 6, "six different digests, none twice");
        for member in members {
            let email = scalar(&app, "SELECT email FROM users WHERE id = ?", vec![member.into()]).await.expect("email");
            let theirs: Vec<&String> = received.iter().filter(|m| m.contains(&format!("To: {email}"))).collect();
            assert_eq!(theirs.len(), 1, "{email} got one digest");
            assert!(theirs[0].contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
        }
    }
}

/// `broar serve` as its own process on the test's database.
fn broar(app: &TestApp, smtp: &SmtpServer, hour: u32) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_broar"));
    cmd.env("DATABASE_URL", &app.database_url)
        .env("SMTP_URL", smtp.url())
        .env("BROAR_DIGEST_HOUR", hour.to_string())
        .env("BROAR_DIGEST_INTERVAL_SECS", "1")
        .env("BROAR_OUTBOX_INTERVAL_SECS", "1")
        .env("BROAR_BASE_URL", &app.address)
        .env(
            "LEPTOS_SITE_ROOT",
            concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site"),
        )
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    cmd
}

fn serve(app: &TestApp, smtp: &SmtpServer, hour: u32) -> Child {
    broar(app, smtp, hour)
        .arg("serve")
        .env(
            "BROAR_BIND",
            format!("127.0.0.1:{}", crate::smtp::free_port()),
        )
        .spawn()
        .expect("broar serve starts")
}

/// SIGTERM, as a service manager stops a server, and wait for it to end.
fn terminate(mut child: Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let exit = child.wait().expect("the server ends");
    assert!(exit.success(), "a stopped server exits cleanly: {exit:?}");
}

/// Waits until `done`; on a timeout the failure shows where the outbox stands.
async fn wait_for(app: &TestApp, what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        if started.elapsed() > StdDuration::from_secs(120) {
            let backend = app.db.get_database_backend();
            let rows = app
                .db
                .query_all_raw(Statement::from_string(
                    backend,
                    "SELECT status, COALESCE(leased_by, '-') AS by, COUNT(*) AS n, \
                     MAX(COALESCE(last_error, '')) AS error FROM outbox GROUP BY status, leased_by",
                ))
                .await
                .expect("outbox state");
            let state: Vec<String> = rows
                .iter()
                .map(|r| {
                    format!(
                        "{} by {}: {} {}",
                        r.try_get::<String>("", "status").unwrap_or_default(),
                        r.try_get::<String>("", "by").unwrap_or_default(),
                        r.try_get::<i64>("", "n").unwrap_or_default(),
                        r.try_get::<String>("", "error").unwrap_or_default()
                    )
                })
                .collect();
            panic!("timed out waiting for {what}; the outbox: {state:?}");
        }
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    }
}

/// Each recipient's Message-IDs, from what the SMTP server received.
fn by_recipient(smtp: &SmtpServer) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for raw in smtp.messages() {
        let to = raw
            .lines()
            .find_map(|l| l.strip_prefix("To: "))
            .unwrap_or_default()
            .trim()
            .to_owned();
        out.entry(to)
            .or_default()
            .push(message_id(&raw).unwrap_or_default());
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_and_a_restart_on_postgres_send_each_period_exactly_once() {
    let Some(app) = crate::helpers::try_spawn_app(Backend::Postgres).await else {
        eprintln!("skipped: set TEST_DATABASE_URL to run on PostgreSQL");
        return;
    };
    // The digest hour is the current one, so its slot has just passed; not in the last
    // minutes of an hour, when a new slot would arrive during the test.
    let hour = current_hour().await;
    let slot = model::latest_slot(Utc::now(), Frequency::Daily, 1, hour).expect("slot");
    let before_slot = slot - Duration::hours(1);

    // 120 members of 12 firms in 3 rings, daily digests; a thread in each ring in the
    // period before the slot, written by a coordinator.
    let (coordinator_email, _) = app.account(app::auth::model::Role::Coordinator).await;
    let coordinator = app.user_id(&coordinator_email).await;
    let mut rings = Vec::new();
    let mut emails = BTreeSet::new();
    for r in 0..3 {
        let firms = [
            app.firm(&format!("Firma {r}a")).await,
            app.firm(&format!("Firma {r}b")).await,
            app.firm(&format!("Firma {r}c")).await,
            app.firm(&format!("Firma {r}d")).await,
        ];
        let ring = app.ring(&format!("Ring {r}"), &firms).await;
        let thread = news_at(
            &app,
            ring,
            coordinator,
            &format!("Nyheter i ring {r}"),
            before_slot,
        )
        .await;
        rings.push((ring, thread));
        for i in 0..40 {
            let email = format!("medlem-{r}-{i}@ekdala.test");
            daily_member(&app, &email, firms[i % 4]).await;
            emails.insert(email);
        }
    }
    let members = emails.len();
    let smtp = SmtpServer::start();

    // Two servers build and send at once; one is stopped and started again as soon as
    // the first digest has arrived.
    let a = serve(&app, &smtp, hour);
    let b = serve(&app, &smtp, hour);
    wait_for(&app, "the first digest", || !smtp.messages().is_empty()).await;
    terminate(a);
    let at_restart = smtp.messages().len();
    eprintln!("restart after {at_restart} of {members} digests");
    assert!(
        at_restart < members,
        "the restart came in the middle of the run"
    );
    let a = serve(&app, &smtp, hour);
    wait_for(&app, "every member's digest", || {
        smtp.messages().len() >= members
    })
    .await;
    let received = by_recipient(&smtp);
    assert_eq!(
        received.keys().cloned().collect::<BTreeSet<_>>(),
        emails,
        "every member, no one else"
    );
    assert!(
        received.values().all(|ids| ids.len() == 1),
        "each exactly once: {received:?}"
    );
    assert_eq!(app.count("digests").await, members as i64);
    assert_eq!(
        app.count(&format!(
            "digests WHERE period_key = '{}'",
            model::period_key(Frequency::Daily, slot)
        ))
        .await,
        members as i64
    );

    // The next period, started by hand twice at once while both servers run.
    for (ring, thread) in &rings {
        app.post(
            *thread,
            coordinator,
            &format!("Påminnelse till ring {ring}"),
            Utc::now(),
        )
        .await;
    }
    let runs: Vec<Child> = (0..2)
        .map(|_| {
            broar(&app, &smtp, hour)
                .args(["send-digests", "--now"])
                .spawn()
                .expect("send-digests starts")
        })
        .collect();
    for mut run in runs {
        assert!(run.wait().expect("send-digests ends").success());
    }
    wait_for(&app, "the second period's digests", || {
        smtp.messages().len() >= 2 * members
    })
    .await;
    // Give a stray duplicate the time to arrive before counting.
    tokio::time::sleep(StdDuration::from_secs(3)).await;
    let received = by_recipient(&smtp);
    for (to, ids) in &received {
        assert_eq!(ids.len(), 2, "{to}: one digest per period");
        assert_ne!(ids[0], ids[1], "{to}: two different messages");
    }
    assert_eq!(smtp.messages().len(), 2 * members);
    // The second period starts where the first ended, for everyone. (A run that comes
    // to a member just after the other run built their digest finds nothing new since,
    // and records an empty third period that sends nothing: allowed, and counted above.)
    assert_eq!(
        app.count(&format!(
            "digests d WHERE d.period_key = '{}' AND EXISTS (SELECT 1 FROM digests e WHERE e.user_id = d.user_id AND e.period_start = d.period_end)",
            model::period_key(Frequency::Daily, slot)
        ))
        .await,
        members as i64
    );
    terminate(a);
    terminate(b);
}

db_test! {
    async fn quiet_periods_are_forgotten_after_ninety_days_but_each_members_latest_stays(app: TestApp) {
        let (_, a) = app.employer_at(app.firm("Omikron AB").await).await;
        let (_, b) = app.employer_at(app.firm("Pi AB").await).await;
        let days = |n: i64| Utc::now() - Duration::days(n);
        for (user, key, start, end, outbox) in [
            (a, "daily:old-quiet", 201, 200, None),
            (a, "daily:old-sent", 200, 150, Some(1_i64)),
            (a, "daily:latest-quiet", 150, 100, None),
            (b, "daily:recent-quiet", 11, 10, None),
        ] {
            app.exec("INSERT INTO digests (user_id, period_key, period_start, period_end, locale, items, outbox_id, created_at) VALUES (?, ?, ?, ?, 'sv', '{}', ?, ?)",
                vec![user.into(), key.into(), days(start).into(), days(end).into(), outbox.into(), Utc::now().into()]).await;
        }
        assert_eq!(service::forget_quiet(&app.db, 90).await.expect("forget"), 1);
        let backend = app.db.get_database_backend();
        let left: BTreeSet<String> = app.db
            .query_all_raw(Statement::from_string(backend, "SELECT period_key FROM digests"))
            .await.expect("rows").iter()
            .map(|r| r.try_get::<String>("", "period_key").expect("key")).collect();
        assert_eq!(left, ["daily:old-sent", "daily:latest-quiet", "daily:recent-quiet"].map(String::from).into_iter().collect());
    }
}

db_test! {
    async fn without_javascript_the_settings_form_keeps_what_was_chosen_when_it_is_refused(app: TestApp) {
        let firm = app.firm("Rho Måleri AB").await;
        let ring_a = app.ring("Ring R1", &[firm]).await;
        let ring_b = app.ring("Ring R2", &[firm]).await;
        let ring_c = app.ring("Ring R3", &[firm]).await;
        let (_, user) = app.employer_at(firm).await;
        let token = service::token(&app.digests.secret, user);
        let referer = format!("/installningar?t={token}");
        // English, daily, no ring: refused, and the page comes back as it was filled in.
        let res = app.post_plain_form("/api/digests/preferences-save", &referer, &[
            ("t", &token), ("frequency", "daily"), ("weekday", "4"), ("locale", "en"),
        ]).await;
        assert!(res.status().is_redirection(), "{}", res.status());
        let back = res.headers()["location"].to_str().expect("location").trim_start_matches(&app.address).to_owned();
        let page = app.get(&back).await.text().await.expect("page");
        assert!(page.contains("Välj minst en ring, eller välj Aldrig."), "the error names the field");
        assert!(page.contains(r#"<option value="daily" selected"#), "frequency kept");
        assert!(page.contains(r#"<option value="en" selected"#), "language kept");
        for ring in [ring_a, ring_b, ring_c] {
            assert!(page.contains(&format!(r#"id="ring-{ring}" name="rings[]" value="{ring}">"#)), "ring {ring} shown unticked as sent");
        }
        // Two of three rings ticked and a bad weekday: both boxes come back ticked.
        let res = app.post_plain_form("/api/digests/preferences-save", &referer, &[
            ("t", &token), ("frequency", "weekly"), ("weekday", "8"), ("locale", "sv"),
            ("rings[]", &ring_a.to_string()), ("rings[]", &ring_c.to_string()),
        ]).await;
        let back = res.headers()["location"].to_str().expect("location").trim_start_matches(&app.address).to_owned();
        let page = app.get(&back).await.text().await.expect("page");
        for (ring, ticked) in [(ring_a, true), (ring_b, false), (ring_c, true)] {
            assert_eq!(page.contains(&format!(r#"value="{ring}" checked"#)), ticked, "ring {ring}: {page}");
        }
        assert_eq!(frequency_of(&app, user).await, None, "nothing stored");
        // Then a good post goes to the page saying it is saved.
        let res = app.post_plain_form("/api/digests/preferences-save", &referer, &[
            ("t", &token), ("frequency", "weekly"), ("weekday", "5"), ("locale", "sv"), ("rings[]", &ring_b.to_string()),
        ]).await;
        assert_eq!(res.headers()["location"], format!("/installningar?t={token}&sparat=1").as_str());
        assert_eq!(frequency_of(&app, user).await.as_deref(), Some("weekly"));
    }
}

db_test! {
    /// A digest run killed outright (SIGKILL) twice — once while the mail server is
    /// away, once in the middle of sending — and finished by a third process: every
    /// member gets their digest, built once; a message sent again carries the same
    /// Message-ID, and only messages in flight at a kill are sent again.
    async fn a_run_killed_twice_with_the_mail_server_away_loses_nothing(app: TestApp) {
        let hour = current_hour().await;
        let slot = model::latest_slot(Utc::now(), Frequency::Daily, 1, hour).expect("slot");
        let (coordinator_email, _) = app.account(app::auth::model::Role::Coordinator).await;
        let coordinator = app.user_id(&coordinator_email).await;
        let firms = [app.firm("Kappa AB").await, app.firm("Rho AB").await];
        let ring = app.ring("Ring K", &firms).await;
        news_at(&app, ring, coordinator, "Nyheter före stoppet", slot - Duration::hours(1)).await;
        let mut emails = BTreeSet::new();
        for i in 0..60 {
            let email = format!("stoppad-{i}@ekdala.test");
            daily_member(&app, &email, firms[i % 2]).await;
            emails.insert(email);
        }
        let members = emails.len();
        let mut smtp = SmtpServer::start();
        smtp.stop();

        // Kill 1: every digest built and queued, the mail server away.
        // Whatever happens, no server is left running after the test.
        let mut reaper = Reaper(Vec::new());
        let mut first = serve(&app, &smtp, hour);
        reaper.0.push(first.id());
        let db = app.db.clone();
        let queued_and_tried = || {
            let db = db.clone();
            async move {
                let n: i64 = db
                    .query_one_raw(Statement::from_string(db.get_database_backend(), "SELECT COUNT(*) AS n FROM outbox WHERE attempts > 0"))
                    .await.ok().flatten().and_then(|r| r.try_get("", "n").ok()).unwrap_or(0);
                n
            }
        };
        let started = Instant::now();
        while app.count("digests").await < members as i64 || queued_and_tried().await == 0 {
            assert!(started.elapsed() < StdDuration::from_secs(120), "digests were queued and tried");
            tokio::time::sleep(StdDuration::from_millis(100)).await;
        }
        first.kill().expect("SIGKILL");
        first.wait().expect("ended");
        assert!(smtp.messages().is_empty());

        // Kill 2: the mail server is back; killed as soon as the first digest arrives.
        // Nothing is expired by hand: the messages wait out a back-off of 30 s or more
        // and whatever the killed process held, unless the worker notices the mail
        // server answers again, and the killed leases run out by themselves.
        smtp.resume();
        let back = Instant::now();
        let mut second = serve(&app, &smtp, hour);
        reaper.0.push(second.id());
        wait_for(&app, "the first digest", || !smtp.messages().is_empty()).await;
        let first_mail = back.elapsed();
        second.kill().expect("SIGKILL");
        second.wait().expect("ended");
        let at_kill = smtp.messages().len();
        assert!(at_kill < members, "the kill came in the middle of sending ({at_kill} of {members})");

        // Its leases run out by themselves, and a third process finishes.
        let restart = Instant::now();
        let third = serve(&app, &smtp, hour);
        reaper.0.push(third.id());
        wait_for(&app, "every member's digest", || {
            by_recipient(&smtp).len() >= members
        })
        .await;
        let started = Instant::now();
        while app.count("outbox WHERE status = 'sent'").await < members as i64 {
            assert!(started.elapsed() < StdDuration::from_secs(60), "every message marked sent");
            tokio::time::sleep(StdDuration::from_millis(100)).await;
        }
        let emptied = restart.elapsed();
        assert_eq!(app.count("outbox WHERE status = 'pending'").await, 0, "the queue is empty");
        tokio::time::sleep(StdDuration::from_secs(2)).await;
        terminate(third);

        let received = by_recipient(&smtp);
        assert_eq!(received.keys().cloned().collect::<BTreeSet<_>>(), emails, "every member, no one else");
        // A kill can repeat only what was in flight: a message the mail server had
        // accepted but the killed process had not yet marked sent — at most one per
        // sender (BROAR_OUTBOX_SENDERS, 8 by default) per kill, and each message at most
        // once per kill.
        let kills = 2;
        let repeats: usize = received.values().map(|ids| ids.len() - 1).sum();
        assert!(repeats <= kills * 8, "no more repeats than messages in flight at the kills: {repeats}");
        for (to, ids) in &received {
            assert!(ids.len() <= 1 + kills, "{to}: {} copies", ids.len());
            assert!(ids.iter().all(|id| !id.is_empty() && *id == ids[0]), "{to}: a repeat has the same Message-ID: {ids:?}");
        }
        assert_eq!(app.count("digests").await, members as i64, "each member's period built once");
        eprintln!(
            "killed twice: {members} digests delivered, {repeats} of them twice; first mail {:.1} s after the mail server came back; queue empty {:.1} s after the restart that followed a SIGKILL mid-send (lease {} s)",
            first_mail.as_secs_f64(),
            emptied.as_secs_f64(),
            outbox::LEASE.num_seconds()
        );
    }
}

/// Kills the processes it holds when dropped (a failed test leaves no server behind).
struct Reaper(Vec<u32>);

impl Drop for Reaper {
    fn drop(&mut self) {
        for pid in &self.0 {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .stderr(Stdio::null())
                .status();
        }
    }
}

/// The current hour in Stockholm, as a digest hour whose slot has just passed; waits
/// out the last minutes of an hour, when a new slot would arrive during a test.
async fn current_hour() -> u32 {
    let mut clock = app::i18n::stockholm_parts(Utc::now()).1;
    while clock[3..].parse::<u32>().expect("minutes") >= 57 {
        tokio::time::sleep(StdDuration::from_secs(10)).await;
        clock = app::i18n::stockholm_parts(Utc::now()).1;
    }
    clock[..2].parse().expect("an hour")
}

/// A thread in `ring` by `author`, written at `at`; returns its id.
async fn news_at(app: &TestApp, ring: i32, author: i32, title: &str, at: DateTime<Utc>) -> i32 {
    let (thread, post) = app.thread(ring, author, title).await;
    app.exec(
        "UPDATE posts SET created_at = ? WHERE id = ?",
        vec![at.into(), post.into()],
    )
    .await;
    app.exec(
        "UPDATE threads SET created_at = ? WHERE id = ?",
        vec![at.into(), thread.into()],
    )
    .await;
    thread
}

/// An employer of `firm` with daily digests in Swedish.
async fn daily_member(app: &TestApp, email: &str, firm: i32) {
    app.exec(
        "INSERT INTO users (email, name, role, firm_id, password_hash, locale, created_at, updated_at) \
         VALUES (?, ?, 'employer', ?, 'x', 'sv', ?, ?)",
        vec![email.into(), format!("Medlem {email}").into(), firm.into(), Utc::now().into(), Utc::now().into()],
    )
    .await;
    app.exec(
        "INSERT INTO digest_preferences (user_id, frequency, weekday, locale, updated_at) \
         SELECT id, 'daily', 1, 'sv', ? FROM users WHERE email = ?",
        vec![Utc::now().into(), email.into()],
    )
    .await;
}

db_test! {
    async fn runs_started_together_give_first_time_members_one_digest_each(app: TestApp) {
        // Twelve members who never had a digest, news in their ring since yesterday's
        // slot. Two `--now` runs a few milliseconds apart and the scheduled round of the
        // same slot all build at once: each member gets one digest, never two.
        let firm = app.firm("Sigma Bygg AB").await;
        let other = app.firm("Tau Vård AB").await;
        let ring = app.ring("Ring S", &[firm, other]).await;
        let emails: Vec<String> = (0..12).map(|i| format!("forsta{i}@sigma.test")).collect();
        for email in &emails {
            daily_member(&app, email, firm).await;
        }
        let (_, writer) = app.employer_at(other).await;
        let hour = current_hour().await;
        let cfg = config(&app, hour);
        let now = Utc::now();
        let slot = model::latest_slot(now, Frequency::Daily, 1, hour).expect("a slot");
        news_at(&app, ring, writer, "Lärling till våren", slot - Duration::hours(1)).await;

        let (a, b, c) = tokio::join!(
            service::round(&app.db, &cfg, now, Due::Now, false),
            service::round(&app.db, &cfg, now + Duration::milliseconds(3), Due::Now, false),
            service::round(&app.db, &cfg, now, Due::Scheduled, false),
        );
        let reports = [a.expect("run a"), b.expect("run b"), c.expect("round")];
        let queued: usize = reports.iter().map(|r| r.queued).sum();

        let backend = app.db.get_database_backend();
        let per_member: BTreeMap<String, i64> = app.db
            .query_all_raw(Statement::from_string(backend,
                "SELECT u.email, COUNT(d.id) AS n FROM users u JOIN digests d ON d.user_id = u.id \
                 WHERE d.outbox_id IS NOT NULL GROUP BY u.email"))
            .await.expect("rows").iter()
            .map(|r| (r.try_get("", "email").expect("email"), r.try_get("", "n").expect("n")))
            .collect();
        for email in &emails {
            assert_eq!(per_member.get(email), Some(&1), "{email}: {per_member:?}");
        }
        assert!(per_member.values().all(|n| *n == 1), "{per_member:?}");
        let digests_queued: i64 = app.db
            .query_one_raw(Statement::from_string(backend,
                "SELECT COUNT(*) AS n FROM outbox WHERE kind = 'digest'"))
            .await.expect("row").expect("a row").try_get("", "n").expect("n");
        assert_eq!(usize::try_from(digests_queued).expect("count"), queued);
        // No member's periods overlap, whoever built them.
        let overlaps: i64 = app.db
            .query_one_raw(Statement::from_string(backend,
                "SELECT COUNT(*) AS n FROM digests a JOIN digests b ON a.user_id = b.user_id \
                 AND a.id < b.id AND a.period_start < b.period_end AND b.period_start < a.period_end"))
            .await.expect("row").expect("a row").try_get("", "n").expect("n");
        assert_eq!(overlaps, 0);

        // A later run the same day builds on from the latest end: nothing twice.
        let again = service::round(&app.db, &cfg, now + Duration::seconds(1), Due::Now, false)
            .await.expect("again");
        assert_eq!(again.queued, 0, "{again:?}");
    }
}

db_test! {
    async fn two_send_digests_now_processes_started_together_send_each_member_one(app: TestApp) {
        // The held-out probe's case, as processes: members who never had a digest, two
        // `broar send-digests --now` started at once on one database.
        let hour = current_hour().await;
        let slot = model::latest_slot(Utc::now(), Frequency::Daily, 1, hour).expect("slot");
        let firms = [app.firm("Ypsilon AB").await, app.firm("Phi AB").await];
        let ring = app.ring("Ring Y", &firms).await;
        let (_, writer) = app.employer_at(firms[1]).await;
        news_at(&app, ring, writer, "Sommarjobb", slot - Duration::hours(2)).await;
        let mut emails = BTreeSet::new();
        for i in 0..30 {
            let email = format!("ny-{i}@ekdala.test");
            daily_member(&app, &email, firms[0]).await;
            emails.insert(email);
        }
        let smtp = SmtpServer::start();
        let runs: Vec<Child> = (0..2)
            .map(|_| {
                broar(&app, &smtp, hour)
                    .args(["send-digests", "--now"])
                    .spawn()
                    .expect("send-digests starts")
            })
            .collect();
        for mut run in runs {
            assert!(run.wait().expect("ends").success());
        }
        let received = by_recipient(&smtp);
        for email in &emails {
            assert_eq!(received.get(email).map(Vec::len), Some(1), "{email}: {received:?}");
        }
        assert!(received.values().all(|ids| ids.len() == 1), "nobody got two: {received:?}");
    }
}
