//! Consent and release through the HTTP API and the services: an employer sees a
//! profile exactly while the consent it was released under is active and covers the
//! ring; withdrawal hides it on the next request and cancels the e-mail that
//! mentions it; the guard widens or refuses; pseudonyms do not link rings; the text
//! scan; interest → meeting → outcome into the timeline.

use std::sync::Arc;

use app::{
    auth::{Authed, SessionUser, Staff, model::Role},
    candidates::entity::{candidate, education, experience, language},
    consent::{entity::consent, service as consents},
    releases::{
        Guarded, Inbox, ProfileView, ReleasePreview, RingProfiles,
        model::{DEFAULT_K, Field, Levels},
        preview, service as releases, views,
    },
    ssr::{AppConfig, Ctx, Secret},
};
use chrono::{Datelike, Duration, NaiveDate, Utc};
use rand::{Rng, SeedableRng, rngs::StdRng};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::{
    db_test,
    fixtures::personnummer_born,
    helpers::{TestApp, field_errors},
};

fn today() -> NaiveDate {
    app::i18n::today()
}

/// A candidate born on `birth` with experience in `occupation`, Swedish B1, the
/// other `languages` and an education at ISCED `isced`.
async fn person(
    app: &TestApp,
    name: &str,
    birth: NaiveDate,
    occupation: &str,
    languages: &[&str],
    isced: Option<i16>,
) -> i32 {
    let now = Utc::now();
    let id = candidate::ActiveModel {
        name: Set(name.to_owned()),
        personnummer: Set(personnummer_born(birth)),
        email: Set(format!(
            "{}@exempel.test",
            name.to_lowercase().replace(' ', ".")
        )),
        phone: Set("070-174 06 77".to_owned()),
        gender: Set("man".to_owned()),
        birth_date: Set(birth),
        permit_date: Set(None),
        enrolled_on: Set(today() - Duration::days(200)),
        sfi_course: Set(String::new()),
        sfi_path: Set(None),
        driving_licence: Set("B".to_owned()),
        available_from: Set(None),
        hours: Set("full".to_owned()),
        availability_note: Set(String::new()),
        job_ready_since: Set(None),
        swedish_rank: Set(0),
        criteria_met: Set(0),
        active: Set(true),
        version: Set(1),
        created_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("candidate")
    .id;
    for (code, level) in std::iter::once(("sv", "B1")).chain(languages.iter().map(|l| (*l, "L1"))) {
        language::ActiveModel {
            candidate_id: Set(id),
            language: Set(code.to_owned()),
            level: Set(level.to_owned()),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .expect("language");
    }
    experience::ActiveModel {
        candidate_id: Set(id),
        occupation_code: Set(occupation.to_owned()),
        years: Set(4),
        country: Set("Eritrea".to_owned()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("experience");
    if let Some(isced) = isced {
        education::ActiveModel {
            candidate_id: Set(id),
            isced: Set(isced),
            field: Set("Vård".to_owned()),
            country: Set("Eritrea".to_owned()),
            years: Set(3),
            validated: Set(false),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .expect("education");
    }
    crate::helpers::refresh(&app.db, id).await;
    id
}

/// The birth date of someone who turns `years` today (a day later on 29 February).
fn born(years: i32) -> NaiveDate {
    let t = today();
    t.with_year(t.year() - years)
        .unwrap_or_else(|| t - Duration::days(1))
        .with_year(t.year() - years)
        .unwrap_or(t)
}

/// Three look-alikes (so the guard passes): 31-ish cooks with Tigrinya; returns the first.
async fn three_cooks(app: &TestApp) -> i32 {
    let first = person(app, "Yonas Haile", born(31), "5120", &["ti"], Some(3)).await;
    person(app, "Dawit Kebede", born(32), "5120", &["ti"], Some(3)).await;
    person(
        app,
        "Tesfay Gebru",
        born(33),
        "5120",
        &["ti", "ar"],
        Some(3),
    )
    .await;
    first
}

async fn json<T: serde::de::DeserializeOwned>(res: reqwest::Response) -> T {
    let status = res.status();
    let text = res.text().await.expect("body");
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// The admin's consent wording; returns its id.
async fn consent_text(app: &TestApp) -> i32 {
    let admin = app.client_as(Role::Admin).await;
    json(
        app.post_as(
            &admin,
            "/api/consent/text-new",
            &[
                ("language", "sv"),
                ("title", "Samtycke till delning"),
                (
                    "body",
                    "Jag samtycker till att en anonymiserad profil delas.",
                ),
            ],
        )
        .await,
    )
    .await
}

async fn record_consent(
    app: &TestApp,
    staff: &reqwest::Client,
    candidate: i32,
    text: i32,
    rings: &[i32],
) -> reqwest::Response {
    let candidate = candidate.to_string();
    let text = text.to_string();
    let given = today().to_string();
    let rings: Vec<String> = rings.iter().map(i32::to_string).collect();
    let mut form = vec![
        ("candidate_id", candidate.as_str()),
        ("text_id", text.as_str()),
        ("purpose", "Delning med ringen för att hitta praktik."),
        ("method", "signed"),
        ("witness", ""),
        ("given_on", given.as_str()),
        ("months", "12"),
    ];
    for r in &rings {
        form.push(("rings[]", r.as_str()));
    }
    app.post_as(staff, "/api/consent/record", &form).await
}

async fn preview(
    app: &TestApp,
    staff: &reqwest::Client,
    candidate: i32,
    ring: i32,
) -> ReleasePreview {
    json(
        app.post_as(
            staff,
            "/api/releases/preview",
            &[
                ("candidate_id", &candidate.to_string()),
                ("ring_id", &ring.to_string()),
            ],
        )
        .await,
    )
    .await
}

async fn release(
    app: &TestApp,
    staff: &reqwest::Client,
    candidate: i32,
    ring: i32,
    headline: &str,
    summary: &str,
) -> reqwest::Response {
    let p = preview(app, staff, candidate, ring).await;
    app.post_as(
        staff,
        "/api/releases/release",
        &[
            ("candidate_id", &candidate.to_string()),
            ("ring_id", &ring.to_string()),
            ("need_id", ""),
            ("headline", headline),
            ("summary", summary),
            ("levels", ""),
            ("fingerprint", &p.fingerprint),
        ],
    )
    .await
}

async fn profile(app: &TestApp, client: &reqwest::Client, code: &str) -> reqwest::Response {
    app.post_as(client, "/api/releases/profile", &[("pseudonym", code)])
        .await
}

db_test! {
    async fn a_release_reaches_only_its_ring_and_withdrawal_hides_it_and_cancels_its_mail(app: TestApp) {
        let rings = app.rings().await;
        let staff = app.client_as(Role::Coordinator).await;
        let text = consent_text(&app).await;
        let yonas = three_cooks(&app).await;

        // No consent: nothing can be released.
        let res = release(&app, &staff, yonas, rings.ring_a, "Kock med erfarenhet", "").await;
        assert_eq!(res.status(), 403, "without consent");

        assert_eq!(record_consent(&app, &staff, yonas, text, &[rings.ring_a]).await.status(), 200);
        let res = release(&app, &staff, yonas, rings.ring_a, "Kock med erfarenhet", "Van vid storkök.").await;
        let code: String = json(res).await;
        assert!(code.starts_with("K-") && code.len() == 6, "{code}");
        // The consent covers ring A only.
        let res = release(&app, &staff, yonas, rings.ring_b, "Kock", "").await;
        assert_eq!(res.status(), 403, "ring B is outside the scope");

        let (member, _) = app.employer_at(rings.firm_a).await;
        let (outsider, _) = app.employer_at(rings.firm_b).await;
        let seen: ProfileView = json(profile(&app, &member, &code).await).await;
        let p = seen.profile.expect("a live profile");
        assert_eq!(p.headline, "Kock med erfarenhet");
        assert_eq!(p.age.map(|a| a.label(app::i18n::Locale::Sv)).as_deref(), Some("30–34 år"));
        assert!(p.experience.iter().any(|e| e.ssyk == "5120"));
        assert_eq!(profile(&app, &outsider, &code).await.status(), 404, "another ring's employer");
        assert_eq!(profile(&app, &outsider, "K-ZZZZ").await.status(), 404, "a guessed code");
        let list: RingProfiles = json(app.post_as(&member, "/api/releases/ring", &[("ring_id", &rings.ring_a.to_string())]).await).await;
        assert!(list.profiles.iter().any(|c| c.pseudonym == code && !c.withdrawn && c.headline == "Kock med erfarenhet"));

        // Interest queues an e-mail to the coordinator that mentions the release.
        let res = app.post_as(&member, "/api/releases/interest", &[("pseudonym", &code), ("message", "Vi söker en kock till hösten.")]).await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap_or_default());
        assert_eq!(app.count("outbox_releases").await, 1);

        // The candidate withdraws: the next request shows "withdrawn".
        let consent_id = consent::Entity::find()
            .filter(consent::Column::CandidateId.eq(yonas))
            .one(&app.db).await.expect("query").expect("the consent").id;
        let res = app.post_as(&staff, "/api/consent/withdraw", &[
            ("consent_id", &consent_id.to_string()),
            ("withdrawn_on", &today().to_string()),
            ("how", "I telefon till koordinatorn"),
        ]).await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap_or_default());
        let seen: ProfileView = json(profile(&app, &member, &code).await).await;
        assert!(seen.profile.is_none(), "withdrawn");
        assert!(seen.interests.is_empty(), "nothing about a withdrawn profile");
        let list: RingProfiles = json(app.post_as(&member, "/api/releases/ring", &[("ring_id", &rings.ring_a.to_string())]).await).await;
        let card = list.profiles.iter().find(|c| c.pseudonym == code).expect("still listed");
        assert!(card.withdrawn && card.headline.is_empty() && card.occupations.is_empty());
        let page = member.get(format!("{}/profiler/{code}", app.address)).send().await.expect("page");
        let body = page.text().await.expect("body");
        assert!(body.contains("Profilen är återkallad") && !body.contains("Kock med erfarenhet"));
        // The queued e-mail is cancelled, and no worker will claim it.
        let row = app.db.query_one_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            "SELECT status FROM outbox WHERE kind = 'interest'",
        )).await.expect("query").expect("the interest mail");
        assert_eq!(row.try_get::<String>("", "status").expect("status"), "cancelled");
        assert!(server::outbox::claim(&app.db, "test").await.expect("claim").is_none());
        // And a second release under the withdrawn consent is refused.
        assert_eq!(release(&app, &staff, yonas, rings.ring_a, "Kock", "").await.status(), 403);
    }
}

db_test! {
    async fn pseudonyms_of_one_candidate_in_two_rings_differ_and_link_nothing(app: TestApp) {
        let rings = app.rings().await;
        let staff = app.client_as(Role::Coordinator).await;
        let text = consent_text(&app).await;
        let yonas = three_cooks(&app).await;
        assert_eq!(record_consent(&app, &staff, yonas, text, &[rings.ring_a, rings.ring_b]).await.status(), 200);
        let a: String = json(release(&app, &staff, yonas, rings.ring_a, "Kock", "").await).await;
        let b: String = json(release(&app, &staff, yonas, rings.ring_b, "Kock", "").await).await;
        assert_ne!(a, b);
        let (member_b, _) = app.employer_at(rings.firm_b).await;
        let body = profile(&app, &member_b, &b).await.text().await.expect("body");
        assert!(!body.contains(&a), "ring B's answer names nothing of ring A's release");
        assert!(!body.contains("candidate"), "no candidate field at all: {body}");
        assert_eq!(profile(&app, &member_b, &a).await.status(), 404);
    }
}

db_test! {
    async fn the_profile_text_is_scanned_and_a_finding_names_the_field(app: TestApp) {
        let rings = app.rings().await;
        let staff = app.client_as(Role::Coordinator).await;
        let text = consent_text(&app).await;
        let yonas = three_cooks(&app).await;
        assert_eq!(record_consent(&app, &staff, yonas, text, &[rings.ring_a]).await.status(), 200);
        let before = app.count("releases").await;
        for (headline, summary, expected) in [
            ("Kock", "Yonas är mycket noggrann.", "summary:release-scan-name"),
            ("Kock", "Ring 070-123 45 67 efter fem.", "summary:release-scan-phone"),
            ("Kock", "Mejla kock.sokes@exempel.se", "summary:release-scan-email"),
            ("Kock", "Född 1994-03-02 i Asmara.", "summary:release-scan-date"),
            ("HAILE söker jobb", "", "headline:release-scan-name"),
            ("", "", "headline:field-required"),
        ] {
            let res = release(&app, &staff, yonas, rings.ring_a, headline, summary).await;
            assert_eq!(field_errors(res).await, vec![expected.to_owned()], "{headline} / {summary}");
        }
        assert_eq!(app.count("releases").await, before, "nothing was released");
    }
}

db_test! {
    async fn the_guard_thins_a_unique_profile_the_coordinator_may_hide_more_never_less(app: TestApp) {
        let rings = app.rings().await;
        let staff = app.client_as(Role::Coordinator).await;
        let text = consent_text(&app).await;
        // A synthetic municipality of forty: cooks (5120) and cleaners (9111) across ages.
        let mut rng = StdRng::seed_from_u64(40);
        for k in 0..37 {
            let occupation = if k % 2 == 0 { "5120" } else { "9111" };
            let lang: &[&str] = if k % 3 == 0 { &["ar"] } else { &["prs"] };
            person(&app, &format!("Person {k}"), born(rng.random_range(20..60)), occupation, lang, Some(3)).await;
        }
        // A nurse (2221) with Somali: no one else is. Two more nurses share group 22.
        let unique = person(&app, "Hodan Warsame", born(31), "2221", &["so"], Some(6)).await;
        person(&app, "Asli Omar", born(27), "2211", &["so"], Some(6)).await;
        person(&app, "Hawa Ali", born(44), "2212", &["so", "ar"], Some(6)).await;
        assert_eq!(record_consent(&app, &staff, unique, text, &[rings.ring_a]).await.status(), 200);
        // The ring needs a nurse with Swedish B1 and a B licence.
        let need = app.need_in(rings.ring_a, rings.firm_a, "2221", "B1", "B").await;

        let before = app.count("releases").await;
        let p: ReleasePreview = json(app.post_as(&staff, "/api/releases/preview", &[
            ("candidate_id", &unique.to_string()), ("ring_id", &rings.ring_a.to_string()), ("need_id", &need.to_string()),
        ]).await).await;
        assert_eq!(p.need, Some(need));
        let Some(Guarded::Shown { crowd_exact, crowd, floor, levels }) = p.guard.clone() else {
            panic!("a unique profile is thinned, not refused: {:?}", p.guard);
        };
        assert_eq!(crowd_exact, 1, "exactly, only she fits");
        assert!(crowd >= DEFAULT_K && floor == levels && floor != Levels::EXACT);
        let shown = p.profile.clone().expect("the profile shown");
        // What the need asks for stays as exact as k allows: occupation group 22
        // (three nurses), Swedish B1 and the licence (everyone's).
        assert_eq!(shown.experience.iter().map(|e| e.ssyk.as_str()).collect::<Vec<_>>(), vec!["22"], "{shown:?}");
        assert_eq!(shown.swedish.as_deref(), Some("B1"));
        assert!(shown.licence.is_some());
        // Every change is explained field by field, in words.
        assert!(!p.changes.is_empty());
        assert!(p.changes.iter().any(|c| c.field == Field::NeedExperience && c.what.contains("2221") && c.to.as_deref().is_some_and(|t| t.starts_with("22 "))), "{:?}", p.changes);
        // Releasing what the page did not show is refused.
        let post = |levels: String, fingerprint: String| {
            let (staff, unique, ring, need) = (staff.clone(), unique, rings.ring_a, need);
            let app = &app;
            async move {
                app.post_as(&staff, "/api/releases/release", &[
                    ("candidate_id", &unique.to_string()), ("ring_id", &ring.to_string()),
                    ("need_id", &need.to_string()), ("headline", "Erfaren inom vården"), ("summary", ""),
                    ("levels", &levels), ("fingerprint", &fingerprint),
                ]).await
            }
        };
        assert_eq!(post(p.levels.clone(), "00".into()).await.status(), 409, "a stale page");
        assert_eq!(post(Levels::EXACT.encode(), p.fingerprint.clone()).await.status(), 409, "less than the guard requires");
        let res = post("9.9".into(), p.fingerprint.clone()).await;
        assert_eq!(res.status(), 422, "nonsense levels name the field");
        assert!(field_errors(res).await.iter().any(|f| f.starts_with("levels:")));
        // The coordinator hides more: the age too.
        let mut mine = levels;
        mine.set(Field::Age, Field::Age.hidden());
        let mut query = [
            ("candidate_id".to_owned(), unique.to_string()), ("ring_id".to_owned(), rings.ring_a.to_string()),
            ("need_id".to_owned(), need.to_string()), ("levels".to_owned(), mine.encode()),
        ];
        let hid: ReleasePreview = json(app.post_as(&staff, "/api/releases/preview", &query.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect::<Vec<_>>()).await).await;
        assert!(hid.profile.as_ref().is_some_and(|p| p.age.is_none()), "the age is hidden");
        assert!(hid.changes.iter().any(|c| c.field == Field::Age && c.by_coordinator && c.to.is_none()));
        // Asking for less than the guard requires shows the guard's floor instead.
        query[3].1 = Levels::EXACT.encode();
        let floor_again: ReleasePreview = json(app.post_as(&staff, "/api/releases/preview", &query.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect::<Vec<_>>()).await).await;
        assert_eq!(floor_again.levels, p.levels, "never less than the guard requires");
        let code: String = json(post(hid.levels.clone(), hid.fingerprint.clone()).await).await;
        assert_eq!(app.count("releases").await, before + 1);
        // The employer sees exactly what the preview showed.
        let (member, _) = app.employer_at(rings.firm_a).await;
        let seen: ProfileView = json(profile(&app, &member, &code).await).await;
        let seen = seen.profile.expect("live");
        assert_eq!(seen.shown_part(), hid.profile.expect("preview").shown_part());
        assert!(seen.age.is_none());

        // With k above the municipality's size nothing can be released.
        let (email, _) = app.account(Role::Coordinator).await;
        let id = app.user_id(&email).await;
        let me = SessionUser { id, name: "Koordinator".into(), email, role: Role::Coordinator, firm_id: None };
        let strict = authed(&app, me, 1000);
        let p = preview::preview(&strict, unique, Some(rings.ring_a), None, None, app::i18n::Locale::Sv).await.expect("preview");
        let everyone = app.count("candidates").await;
        assert!(matches!(p.guard, Some(Guarded::Refused { population }) if population as i64 == everyone), "{:?}", p.guard);
    }
}

db_test! {
    async fn interest_meeting_and_hire_reach_the_timeline_and_the_name_only_after_agreement(app: TestApp) {
        let rings = app.rings().await;
        let staff = app.client_as(Role::Coordinator).await;
        let text = consent_text(&app).await;
        let yonas = three_cooks(&app).await;
        assert_eq!(record_consent(&app, &staff, yonas, text, &[rings.ring_a]).await.status(), 200);
        let code: String = json(release(&app, &staff, yonas, rings.ring_a, "Kock", "").await).await;
        let (member, _) = app.employer_at(rings.firm_a).await;
        let (colleague, _) = app.employer_at(rings.firm_c).await;
        assert_eq!(app.post_as(&staff, "/api/releases/interest", &[("pseudonym", &code), ("message", "x")]).await.status(), 403, "staff do not ask");
        assert_eq!(field_errors(app.post_as(&member, "/api/releases/interest", &[("pseudonym", &code), ("message", " ")]).await).await, vec!["message:field-required"]);
        assert_eq!(app.post_as(&member, "/api/releases/interest", &[("pseudonym", &code), ("message", "Vi vill träffas.")]).await.status(), 200);
        assert_eq!(app.post_as(&member, "/api/releases/interest", &[("pseudonym", &code), ("message", "Igen")]).await.status(), 409);
        let inbox: Inbox = json(app.post_as(&staff, "/api/releases/inbox", &[]).await).await;
        let row = inbox.rows.first().expect("the interest");
        assert_eq!(row.candidate.0, yonas);
        let iid = row.interest.id.to_string();
        assert_eq!(app.post_as(&member, "/api/releases/inbox", &[]).await.status(), 403);

        let day = (today() + Duration::days(3)).to_string();
        assert_eq!(app.post_as(&staff, "/api/releases/agreed", &[("interest_id", &iid)]).await.status(), 409, "meeting first");
        assert_eq!(
            field_errors(app.post_as(&staff, "/api/releases/meeting", &[("interest_id", &iid), ("meeting_date", &day), ("meeting_time", "25:00"), ("meeting_place", "")]).await).await,
            vec!["meeting_place:field-required", "meeting_time:field-time-invalid"]
        );
        assert_eq!(app.post_as(&staff, "/api/releases/meeting", &[("interest_id", &iid), ("meeting_date", &day), ("meeting_time", "10:00"), ("meeting_place", "Arbetsmarknadsenheten, Storgatan 1")]).await.status(), 200);
        let seen: ProfileView = json(profile(&app, &member, &code).await).await;
        assert!(seen.interests[0].meeting_at.is_some());
        assert_eq!(seen.interests[0].candidate_name, None, "no name before the candidate agrees");
        assert!(!profile(&app, &member, &code).await.text().await.expect("body").contains("Yonas"));

        assert_eq!(app.post_as(&staff, "/api/releases/agreed", &[("interest_id", &iid)]).await.status(), 200);
        let seen: ProfileView = json(profile(&app, &member, &code).await).await;
        assert_eq!(seen.interests[0].candidate_name.as_deref(), Some("Yonas Haile"));
        // Another firm of the ring sees neither the interest nor the name.
        let other: ProfileView = json(profile(&app, &colleague, &code).await).await;
        assert!(other.interests.is_empty());
        assert!(!profile(&app, &colleague, &code).await.text().await.expect("body").contains("Yonas"));

        let start = (today() + Duration::days(14)).to_string();
        assert_eq!(
            field_errors(app.post_as(&staff, "/api/releases/outcome", &[("interest_id", &iid), ("outcome", "hired"), ("outcome_on", &start), ("employment_form", "")]).await).await,
            vec!["employment_form:field-choice-required"]
        );
        assert_eq!(app.post_as(&staff, "/api/releases/outcome", &[("interest_id", &iid), ("outcome", "hired"), ("outcome_on", &start), ("employment_form", "permanent")]).await.status(), 200);
        assert_eq!(app.post_as(&staff, "/api/releases/outcome", &[("interest_id", &iid), ("outcome", "no_match"), ("outcome_on", &start), ("employment_form", "")]).await.status(), 409, "once");
        let detail: app::candidates::CandidateDetail = json(app.post_as(&staff, "/api/candidates/get", &[("candidate_id", &yonas.to_string())]).await).await;
        let hired = detail.timeline.iter().find(|a| a.kind == app::candidates::model::ActivityKind::Employment).expect("the hire is in the timeline");
        assert_eq!(hired.firm.as_ref().map(|f| f.0), Some(rings.firm_a));
        assert_eq!(hired.start_on.to_string(), start);
    }
}

/// A coordinator's request context for calling services directly, with guard `k`.
fn authed(app: &TestApp, user: SessionUser, k: usize) -> Staff {
    let authed = Authed {
        ctx: Ctx {
            db: app.db.clone(),
            config: Arc::new(AppConfig {
                base_url: app.address.clone(),
                https: false,
                secret: Secret::new(vec![1; 32]),
                k_anonymity: k,
            }),
            matching: Default::default(),
            news: Default::default(),
            user: Some(user.clone()),
            session_token: None,
            ip: None,
        },
        user,
    };
    Staff::check(authed).expect("the caller is a coordinator")
}

db_test! {
    async fn over_random_histories_a_profile_is_visible_exactly_while_its_consent_is_active_and_covers_the_ring(app: TestApp) {
        use app::releases::entity::release;
        let rings = app.rings().await;
        let (email, _) = app.account(Role::Coordinator).await;
        let id = app.user_id(&email).await;
        let me = SessionUser { id, name: "Koordinator".into(), email, role: Role::Coordinator, firm_id: None };
        // k = 1: the guard has its own tests; here every profile may be released.
        let ctx = authed(&app, me, 1);
        let text = consent_text(&app).await;
        let ring_ids = [rings.ring_a, rings.ring_b];
        let histories = if app.backend == crate::helpers::Backend::Sqlite { 1000 } else { 250 };
        let mut rng = StdRng::seed_from_u64(8);
        let mut checked = 0usize;
        let mut seen_live = 0usize;
        let mut seen_dead = 0usize;
        for h in 0..histories {
            let birth = born(rng.random_range(20..60)) - Duration::days(rng.random_range(0..365));
            let cand = person(&app, &format!("Historia {h}"), birth, "5120", &[], None).await;
            for _step in 0..rng.random_range(2..8) {
                match rng.random_range(0..11) {
                    // Record a consent over one or both rings.
                    0..=2 => {
                        let scope: Vec<String> = ring_ids.iter().filter(|_| rng.random_bool(0.6)).map(i32::to_string).collect();
                        let fields = app::consent::model::ConsentForm {
                            text_id: text.to_string(),
                            purpose: "Delning".into(),
                            method: "digital".into(),
                            given_on: (today() - Duration::days(rng.random_range(0..300))).to_string(),
                            months: "12".into(),
                            ..Default::default()
                        };
                        let _ = consents::record(&ctx, cand, &fields, &scope).await;
                    }
                    // Release to a ring (refused without a covering consent).
                    3..=6 => {
                        let ring = ring_ids[rng.random_range(0..2)];
                        let p = preview::preview(&ctx, cand, Some(ring), None, None, app::i18n::Locale::Sv).await.expect("preview");
                        let form = releases::ReleaseFields { headline: "Kock".into(), fingerprint: p.fingerprint, ..Default::default() };
                        let covered = consents::covering(&app.db, cand, ring, today()).await.expect("q").is_some();
                        let shown_already = !p.existing.is_empty();
                        let res = releases::release(&ctx, cand, ring, form).await;
                        assert_eq!(res.is_ok(), covered && !shown_already, "release succeeds exactly under a covering consent, once per ring: {res:?}");
                    }
                    // Withdraw one consent.
                    7 => {
                        if let Some(c) = consent::Entity::find().filter(consent::Column::CandidateId.eq(cand)).filter(consent::Column::WithdrawnOn.is_null()).one(&app.db).await.expect("q") {
                            releases::withdraw_consent(&ctx, c.id, &today().to_string(), "muntligt").await.expect("withdraw");
                        }
                    }
                    // Time passes for one consent: it expires (as if a year went by).
                    8 => {
                        if let Some(c) = consent::Entity::find().filter(consent::Column::CandidateId.eq(cand)).one(&app.db).await.expect("q") {
                            consent::Entity::update_many()
                                .col_expr(consent::Column::ExpiresOn, sea_orm::sea_query::Expr::value(today()))
                                .filter(consent::Column::Id.eq(c.id))
                                .exec(&app.db).await.expect("expire");
                            if rng.random_bool(0.5) {
                                releases::expire_and_remind(&app.db, &app.address).await.expect("round");
                            }
                        }
                    }
                    // A coordinator ends one release.
                    _ => {
                        if let Some(r) = release::Entity::find().filter(release::Column::CandidateId.eq(cand)).filter(release::Column::RevokedAt.is_null()).one(&app.db).await.expect("q") {
                            releases::revoke_one(&ctx, &r.pseudonym).await.expect("revoke");
                        }
                    }
                }
                // The oracle, from the rows: a release is visible exactly when it was
                // not ended and its consent is given, unexpired, unwithdrawn and
                // covers the release's ring.
                for r in release::Entity::find().filter(release::Column::CandidateId.eq(cand)).all(&app.db).await.expect("q") {
                    let c = consent::Entity::find_by_id(r.consent_id).one(&app.db).await.expect("q").expect("consent");
                    let in_scope = app::consent::entity::consent_ring::Entity::find_by_id((c.id, r.ring_id)).one(&app.db).await.expect("q").is_some();
                    let ended = r.revoked_reason == "ended";
                    let expected = !ended && c.withdrawn_on.is_none() && c.given_on <= today() && c.expires_on > today() && in_scope;
                    let shown = views::profile_view(&ctx, app::auth::RingAccess::Staff, &r.pseudonym, app::i18n::Locale::Sv).await.expect("profile");
                    assert_eq!(shown.profile.is_some(), expected, "history {h}: release {} consent {:?}", r.pseudonym, c);
                    // The ring's list agrees (checked now and then: it reads every release).
                    if h % 50 == 0 {
                        let list = views::ring_profiles(&app.db, r.ring_id, app::i18n::Locale::Sv).await.expect("ring list");
                        let card = list.profiles.iter().find(|p| p.pseudonym == r.pseudonym);
                        assert_eq!(card.is_some_and(|p| !p.withdrawn), expected, "history {h}: the list");
                    }
                    if expected {
                        // And an active consent of this candidate covers the ring.
                        assert!(consents::covering(&app.db, cand, r.ring_id, today()).await.expect("q").is_some());
                        seen_live += 1;
                    } else {
                        seen_dead += 1;
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked > histories / 2, "{checked} checks");
        assert!(seen_live > histories / 10 && seen_dead > histories / 10, "both outcomes happened: {seen_live} live, {seen_dead} not");
    }
}

db_test! {
    async fn the_worker_reminds_once_before_expiry_and_revokes_at_expiry(app: TestApp) {
        use app::releases::entity::release;
        let rings = app.rings().await;
        let (email, _) = app.account(Role::Coordinator).await;
        let id = app.user_id(&email).await;
        let me = SessionUser { id, name: "Koordinator".into(), email: email.clone(), role: Role::Coordinator, firm_id: None };
        let ctx = authed(&app, me, 1);
        let text = consent_text(&app).await;
        let yonas = three_cooks(&app).await;
        let soon = (today() + Duration::days(10))
            .checked_sub_months(chrono::Months::new(12))
            .expect("a date");
        for given in [soon, today()] {
            let scope: Vec<String> = vec![rings.ring_a.to_string()];
            let fields = app::consent::model::ConsentForm {
                text_id: text.to_string(),
                purpose: "Delning".into(),
                method: "signed".into(),
                given_on: given.to_string(),
                months: "12".into(),
                ..Default::default()
            };
            consents::record(&ctx, yonas, &fields, &scope).await.expect("consent");
        }
        let mails = app.count("outbox").await;
        assert_eq!(releases::expire_and_remind(&app.db, &app.address).await.expect("round"), (0, 1));
        assert_eq!(releases::expire_and_remind(&app.db, &app.address).await.expect("round"), (0, 0), "once");
        assert_eq!(app.count("outbox").await, mails + 1);
        let row = app.db.query_one_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            "SELECT to_address, body_text FROM outbox WHERE kind = 'consent_expiring'",
        )).await.expect("query").expect("the reminder");
        assert_eq!(row.try_get::<String>("", "to_address").expect("to"), email);
        let body: String = row.try_get("", "body_text").expect("body");
        assert!(!body.contains("Yonas") && !body.contains("Haile"), "no candidate data in an e-mail: {body}");

        // At expiry the release under the consent is revoked by the round.
        let p = preview::preview(&ctx, yonas, Some(rings.ring_a), None, None, app::i18n::Locale::Sv).await.expect("preview");
        let form = releases::ReleaseFields { headline: "Kock".into(), fingerprint: p.fingerprint, ..Default::default() };
        let code = releases::release(&ctx, yonas, rings.ring_a, form).await.expect("released");
        consent::Entity::update_many()
            .col_expr(consent::Column::ExpiresOn, sea_orm::sea_query::Expr::value(today()))
            .filter(consent::Column::CandidateId.eq(yonas))
            .exec(&app.db).await.expect("time passes");
        let (revoked, _) = releases::expire_and_remind(&app.db, &app.address).await.expect("round");
        assert_eq!(revoked, 1);
        let r = release::Entity::find().filter(release::Column::Pseudonym.eq(code)).one(&app.db).await.expect("q").expect("release");
        assert_eq!(r.revoked_reason, "expired");
        assert!(r.revoked_at.is_some());
    }
}

db_test! {
    async fn without_javascript_consent_is_recorded_and_withdrawn_and_the_form_prints(app: TestApp) {
        let rings = app.rings().await;
        let (email, password) = app.account(Role::Coordinator).await;
        assert_eq!(app.login(&email, &password).await.status(), 200);
        let text = consent_text(&app).await;
        let yonas = three_cooks(&app).await;
        let page = app.get(&format!("/samtyckestexter/{text}")).await.text().await.expect("page");
        assert!(page.contains("Jag samtycker till att en anonymiserad profil delas.") && page.contains("Underskrift"));
        // The session-bound token a logged-in browser's plain form carries.
        let html = app.get(&format!("/deltagare/{yonas}/samtycken")).await.text().await.expect("page");
        let csrf = html.split("name=\"csrf\" value=\"").nth(1).and_then(|s| s.split('"').next()).expect("csrf token").to_owned();
        // A browser without JavaScript posts the ring boxes as rings%5B%5D=…
        let referer = format!("/deltagare/{yonas}/samtycken");
        let form = |rings: &[i32]| {
            let mut f: Vec<(String, String)> = vec![
                ("candidate_id".into(), yonas.to_string()), ("text_id".into(), text.to_string()),
                ("purpose".into(), "Delning".into()), ("method".into(), "oral".into()),
                ("witness".into(), String::new()), ("given_on".into(), today().to_string()), ("months".into(), "12".into()),
                ("csrf".into(), csrf.clone()),
            ];
            f.extend(rings.iter().map(|r| ("rings[]".to_owned(), r.to_string())));
            f
        };
        let pairs = |f: &[(String, String)]| f.iter().map(|(k, v)| (k.as_str().to_owned(), v.clone())).collect::<Vec<_>>();
        let bad = pairs(&form(&[rings.ring_a]));
        let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let res = app.post_plain_form("/api/consent/record", &referer, &bad).await;
        assert!(res.status().is_redirection(), "{}", res.status());
        let back = res.headers()["location"].to_str().expect("location").trim_start_matches(&app.address).to_owned();
        assert!(back.starts_with(&referer), "a failed post goes back to the form: {back}");
        let shown = app.get(&back).await.text().await.expect("page");
        assert!(shown.contains("Ange vittnet när samtycket gavs muntligt."), "the error names the field");
        let good = pairs(&form(&[rings.ring_a, rings.ring_b]));
        let mut good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        good.retain(|(k, _)| *k != "witness");
        good.push(("witness", "Johanna Berglund"));
        let res = app.post_plain_form("/api/consent/record", &referer, &good).await;
        assert!(res.status().is_redirection(), "{}", res.status());
        assert_eq!(res.headers()["location"], format!("/deltagare/{yonas}/samtycken?sparat=1").as_str());
        let c = consent::Entity::find().filter(consent::Column::CandidateId.eq(yonas)).one(&app.db).await.expect("q").expect("recorded");
        let scope = app::consent::entity::consent_ring::Entity::find()
            .filter(app::consent::entity::consent_ring::Column::ConsentId.eq(c.id))
            .all(&app.db).await.expect("q");
        assert_eq!(scope.len(), 2, "both ring boxes arrived");
        let res = app.post_plain_form("/api/consent/withdraw", &referer, &[
            ("consent_id", &c.id.to_string()), ("withdrawn_on", &today().to_string()), ("how", "Skriftligt"), ("csrf", &csrf),
        ]).await;
        assert!(res.status().is_redirection(), "{}", res.status());
        assert_eq!(res.headers()["location"], format!("/deltagare/{yonas}/samtycken?aterkallat=1").as_str());
        let page = app.get(&format!("/deltagare/{yonas}/samtycken?aterkallat=1")).await.text().await.expect("page");
        assert!(page.contains("Samtycket är återkallat") && page.contains("Återkallat"));
    }
}

db_test! {
    async fn the_matching_list_shows_consent_and_release_filters_and_leads_to_a_release(app: TestApp) {
        use app::matching::MatchView;
        let rings = app.rings().await;
        let staff = app.client_as(Role::Coordinator).await;
        let text = consent_text(&app).await;
        let yonas = three_cooks(&app).await;
        let need = app.need(rings.ring_a, rings.firm_a, "open");
        let need = need.await;
        let matching = |filters: &'static [(&'static str, &'static str)]| {
            let (app, staff) = (&app, staff.clone());
            async move {
                let need = need.to_string();
                let mut form = vec![("need_id", need.as_str())];
                form.extend_from_slice(filters);
                let m: MatchView = json(app.post_as(&staff, "/api/candidates/match", &form).await).await;
                m
            }
        };
        let m = matching(&[]).await;
        let row = |m: &MatchView, id: i32| m.ranked.iter().find(|r| r.score.candidate_id == id).cloned();
        let before = row(&m, yonas).expect("Yonas is ranked");
        assert!(!before.consent && before.released.is_none() && !before.placed);
        assert!(m.ranked.len() >= 3, "the three cooks");

        assert_eq!(record_consent(&app, &staff, yonas, text, &[rings.ring_a]).await.status(), 200);
        let only_consent = matching(&[("filters[consent]", "true")]).await;
        assert!(row(&only_consent, yonas).is_some_and(|r| r.consent), "Yonas now has consent");
        assert!(only_consent.ranked.iter().all(|r| r.consent) && only_consent.ranked.len() < m.ranked.len(), "the others are filtered out");
        assert!(matching(&[("filters[job_ready]", "true")]).await.ranked.is_empty(), "no one is job-ready");
        // The page offers "Dela profil" toward the need, and the filters work without JavaScript.
        let page = staff.get(format!("{}/behov/{need}/matchning?samtycke=1", app.address)).send().await.expect("page").text().await.expect("body");
        let share = format!("/deltagare/{yonas}/dela?ring={}&amp;behov={need}", rings.ring_a);
        assert!(page.contains(&share), "the share link: {share}");
        assert!(!page.contains("Dawit Kebede"), "filtered out");

        // The link's page releases toward the need; the list then shows the code.
        let p: ReleasePreview = json(app.post_as(&staff, "/api/releases/preview", &[
            ("candidate_id", &yonas.to_string()), ("ring_id", &rings.ring_a.to_string()), ("need_id", &need.to_string()),
        ]).await).await;
        let code: String = json(app.post_as(&staff, "/api/releases/release", &[
            ("candidate_id", &yonas.to_string()), ("ring_id", &rings.ring_a.to_string()), ("need_id", &need.to_string()),
            ("headline", "Kock"), ("summary", ""), ("levels", &p.levels), ("fingerprint", &p.fingerprint),
        ]).await).await;
        assert_eq!(row(&matching(&[]).await, yonas).expect("ranked").released.as_deref(), Some(code.as_str()));

        // Hired for the need: dropped from its list.
        let (member, _) = app.employer_at(rings.firm_a).await;
        assert_eq!(app.post_as(&member, "/api/releases/interest", &[("pseudonym", &code), ("message", "Vi vill träffas.")]).await.status(), 200);
        let inbox: Inbox = json(app.post_as(&staff, "/api/releases/inbox", &[]).await).await;
        let iid = inbox.rows.first().expect("the interest").interest.id.to_string();
        let day = (today() + Duration::days(3)).to_string();
        assert_eq!(app.post_as(&staff, "/api/releases/meeting", &[("interest_id", &iid), ("meeting_date", &day), ("meeting_time", "10:00"), ("meeting_place", "Storgatan 1")]).await.status(), 200);
        assert_eq!(app.post_as(&staff, "/api/releases/outcome", &[("interest_id", &iid), ("outcome", "hired"), ("outcome_on", &day), ("employment_form", "permanent")]).await.status(), 200);
        assert!(row(&matching(&[]).await, yonas).is_none(), "hired for this need");
        // For another need of the ring Yonas is listed as placed, and filtered out on request.
        let other = app.need(rings.ring_a, rings.firm_a, "open").await;
        let m: MatchView = json(app.post_as(&staff, "/api/candidates/match", &[("need_id", &other.to_string())]).await).await;
        assert!(row(&m, yonas).expect("ranked for the other need").placed);
        let m: MatchView = json(app.post_as(&staff, "/api/candidates/match", &[("need_id", &other.to_string()), ("filters[not_placed]", "true")]).await).await;
        assert!(row(&m, yonas).is_none() && !m.ranked.is_empty());
    }
}
