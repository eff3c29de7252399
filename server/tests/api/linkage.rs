//! The linkage test of the re-identification guard: over generated municipalities
//! (sizes, skewed age and language mixes, several k), every candidate is released
//! through the service as a coordinator would, toward a need or a ring, sometimes
//! with a field hidden by hand. Then, for every release, every candidate in the
//! database is turned into a profile at the release's stored levels and scope and
//! compared with everything an employer of the ring sees of that pseudonym: at least
//! k candidates must be consistent with it.

use std::sync::Arc;

use app::{
    auth::{Authed, SessionUser, Staff, model::Role},
    candidates::entity::{assessment, candidate, education, experience, language, preference},
    consent::service as consents,
    needs::entity::need,
    releases::{
        Guarded,
        entity::release,
        guard,
        model::{AnonymisedProfile, Field, Levels},
        preview::preview,
        service as releases,
    },
    ssr::{AppConfig, Ctx, Secret},
};
use chrono::{Duration, NaiveDate, Utc};
use rand::{Rng, SeedableRng, rngs::StdRng, seq::IndexedRandom};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use crate::{db_test, fixtures::personnummer_born, helpers::TestApp};

fn today() -> NaiveDate {
    app::i18n::today()
}

/// Picks from `(weight, value)` pairs.
fn skewed(rng: &mut StdRng, choices: &[(u32, &'static str)]) -> &'static str {
    let total: u32 = choices.iter().map(|(w, _)| w).sum();
    let mut at = rng.random_range(0..total);
    for (w, v) in choices {
        if at < *w {
            return v;
        }
        at -= w;
    }
    choices[0].1
}

const OCCUPATIONS: [&str; 10] = [
    "5120", "9111", "5321", "7112", "2221", "8332", "4322", "5311", "7212", "9412",
];

/// Adds a candidate drawn from a municipality where `young` of 10 are under 35 and
/// `arabic` of 10 speak Arabic; the rest are spread thin on purpose.
async fn candidate(app: &TestApp, rng: &mut StdRng, n: usize, young: u32, arabic: u32) -> i32 {
    let now = Utc::now();
    let age = if rng.random_range(0..10) < young {
        rng.random_range(18..35)
    } else {
        rng.random_range(35..66)
    };
    let birth = today() - Duration::days(age * 365 + rng.random_range(0..365));
    let licence = skewed(rng, &[(5, ""), (4, "B"), (1, "B,C"), (1, "B,CE")]);
    let available = match rng.random_range(0..4) {
        0 => None,
        _ => Some(today() + Duration::days(rng.random_range(-30..200))),
    };
    let id = candidate::ActiveModel {
        name: Set(format!("Deltagare {n}")),
        personnummer: Set(personnummer_born(birth)),
        email: Set(format!("deltagare{n}@exempel.test")),
        phone: Set("070-174 06 77".to_owned()),
        gender: Set(if n.is_multiple_of(2) { "woman" } else { "man" }.to_owned()),
        birth_date: Set(birth),
        permit_date: Set(None),
        enrolled_on: Set(today() - Duration::days(200)),
        sfi_course: Set(String::new()),
        sfi_path: Set(None),
        driving_licence: Set(licence.to_owned()),
        available_from: Set(available),
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
    let mut languages = vec![(
        "sv",
        skewed(
            rng,
            &[(2, "A1"), (4, "A2"), (4, "B1"), (2, "B2"), (1, "C1")],
        ),
    )];
    let first = if rng.random_range(0..10) < arabic {
        "ar"
    } else {
        skewed(
            rng,
            &[
                (4, "ti"),
                (3, "so"),
                (2, "prs"),
                (2, "uk"),
                (1, "am"),
                (1, "ku"),
            ],
        )
    };
    languages.push((first, "L1"));
    if rng.random_bool(0.4) {
        let second = skewed(rng, &[(5, "en"), (2, "fr"), (1, "ru"), (1, "tr")]);
        languages.push((
            second,
            *["A2", "B1", "B2", "C1"].choose(rng).expect("levels"),
        ));
    }
    for (code, level) in languages {
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
    if rng.random_bool(0.7) {
        education::ActiveModel {
            candidate_id: Set(id),
            isced: Set(rng.random_range(1..8)),
            field: Set((*["Vård", "Teknik", "Ekonomi", "Pedagogik"]
                .choose(rng)
                .expect("fields"))
            .to_owned()),
            country: Set("Syrien".to_owned()),
            years: Set(rng.random_range(1..6)),
            validated: Set(false),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .expect("education");
    }
    for _ in 0..rng.random_range(0..4) {
        experience::ActiveModel {
            candidate_id: Set(id),
            occupation_code: Set((*OCCUPATIONS.choose(rng).expect("codes")).to_owned()),
            years: Set(rng.random_range(0..20)),
            country: Set("Syrien".to_owned()),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .expect("experience");
    }
    for _ in 0..rng.random_range(0..3) {
        preference::ActiveModel {
            candidate_id: Set(id),
            occupation_code: Set((*OCCUPATIONS.choose(rng).expect("codes")).to_owned()),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .expect("preference");
    }
    for criterion in ["A", "B", "C", "D"] {
        if rng.random_bool(0.6) {
            assessment::ActiveModel {
                candidate_id: Set(id),
                criterion: Set(criterion.to_owned()),
                met: Set(rng.random_bool(0.8)),
                assessed_on: Set(today() - Duration::days(10)),
                assessor_id: Set(None),
                assessor_name: Set("Koordinator".to_owned()),
                comment: Set(String::new()),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&app.db)
            .await
            .expect("assessment");
        }
    }
    crate::helpers::refresh(&app.db, id).await;
    id
}

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

/// Builds a municipality of `size`, releases `releases` of its candidates with guard
/// `k`, and checks every release against everyone. Returns how many were released.
async fn municipality(
    app: &TestApp,
    seed: u64,
    size: usize,
    releases_wanted: usize,
    k: usize,
    young: u32,
    arabic: u32,
) -> usize {
    let rings = app.rings().await;
    let (email, _) = app.account(Role::Coordinator).await;
    let id = app.user_id(&email).await;
    let me = SessionUser {
        id,
        name: "Koordinator".into(),
        email,
        role: Role::Coordinator,
        firm_id: None,
    };
    let ctx = authed(app, me, k);
    let mut rng = StdRng::seed_from_u64(seed);
    let text = {
        use app::consent::entity::consent_text;
        consent_text::ActiveModel {
            language: Set("sv".to_owned()),
            version: Set(1000 + i32::try_from(seed).expect("small seed")),
            title: Set("Samtycke".to_owned()),
            body: Set("Jag samtycker till att en anonymiserad profil delas.".to_owned()),
            created_by: Set(None),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .expect("text")
        .id
    };
    let mut people = Vec::new();
    for n in 0..size {
        people.push(candidate(app, &mut rng, n, young, arabic).await);
    }
    // Ring A has a need for a cook with Swedish B1 and licence B, and one for a
    // cleaner asking nothing; ring B has none.
    let cook = app
        .need_in(rings.ring_a, rings.firm_a, "5120", "B1", "B")
        .await;
    let cleaner = app
        .need_in(rings.ring_a, rings.firm_a, "9111", "", "")
        .await;
    let mut released = 0;
    for &cand in people.iter().take(releases_wanted) {
        let scope: Vec<String> = vec![rings.ring_a.to_string(), rings.ring_b.to_string()];
        let fields = app::consent::model::ConsentForm {
            text_id: text.to_string(),
            purpose: "Delning".into(),
            method: "signed".into(),
            given_on: today().to_string(),
            months: "12".into(),
            ..Default::default()
        };
        consents::record(&ctx, cand, &fields, &scope)
            .await
            .expect("consent");
        let (ring, need) = match rng.random_range(0..4) {
            0 => (rings.ring_a, Some(cook)),
            1 => (rings.ring_a, Some(cleaner)),
            2 => (rings.ring_a, None),
            _ => (rings.ring_b, None),
        };
        let p = preview(&ctx, cand, Some(ring), need, None, app::i18n::Locale::Sv)
            .await
            .expect("preview");
        let Some(Guarded::Shown { levels, .. }) = p.guard else {
            panic!(
                "size {size} ≥ k {k}: every profile can be shown, got {:?}",
                p.guard
            );
        };
        // Now and then the coordinator hides one more field.
        let p = if rng.random_bool(0.25) {
            let mut mine = levels;
            let f = *Field::ALL.choose(&mut rng).expect("fields");
            mine.set(f, f.hidden());
            preview(
                &ctx,
                cand,
                Some(ring),
                need,
                Some(mine),
                app::i18n::Locale::Sv,
            )
            .await
            .expect("preview")
        } else {
            p
        };
        let form = releases::ReleaseFields {
            need_id: need.map(|n| n.to_string()).unwrap_or_default(),
            headline: "Motiverad".into(),
            levels: p.levels.clone(),
            fingerprint: p.fingerprint.clone(),
            ..Default::default()
        };
        releases::release(&ctx, cand, ring, form)
            .await
            .expect("released");
        released += 1;
    }

    // The check: what an employer sees of each pseudonym (the profile, the need it
    // points at, the ring) against every candidate in the database.
    let everyone: Vec<i32> = candidate::Entity::find()
        .all(&app.db)
        .await
        .expect("q")
        .into_iter()
        .map(|c| c.id)
        .collect();
    let (population, _) = releases::population(&app.db, everyone[0], today())
        .await
        .expect("population");
    assert_eq!(
        population.len(),
        everyone.len(),
        "every candidate is counted"
    );
    let mut checked = 0;
    for r in release::Entity::find()
        .filter(release::Column::CandidateId.is_in(people.clone()))
        .all(&app.db)
        .await
        .expect("q")
    {
        let shown = AnonymisedProfile::from_stored(&r.profile)
            .expect("stored profile")
            .shown_part();
        let levels = Levels::decode(&r.levels).expect("stored levels");
        let needs: Vec<need::Model> = match r.need_id {
            Some(n) => vec![
                need::Entity::find_by_id(n)
                    .one(&app.db)
                    .await
                    .expect("q")
                    .expect("need"),
            ],
            None => need::Entity::find()
                .filter(need::Column::RingId.eq(r.ring_id))
                .filter(need::Column::Status.eq("open"))
                .all(&app.db)
                .await
                .expect("q"),
        };
        let scope = releases::scope_of(&needs.iter().collect::<Vec<_>>(), today());
        let consistent = population
            .iter()
            .filter(|q| guard::profile(q, &levels, &scope).shown_part() == shown)
            .count();
        checked += 1;
        assert!(
            consistent >= k,
            "size {size}, k {k}: release {} ({}) is consistent with only {consistent} candidates: {shown:?}",
            r.id,
            r.levels
        );
    }
    assert!(
        checked == released,
        "every release was checked: {checked} of {released}"
    );
    released
}

db_test! {
    async fn every_release_of_a_skewed_municipality_is_consistent_with_at_least_k_candidates(app: TestApp) {
        // Mostly young Arabic speakers: a few old speakers of rare languages stand out.
        let (size, releases) = if app.backend == crate::helpers::Backend::Sqlite { (90, 90) } else { (40, 40) };
        assert_eq!(municipality(&app, 20, size, releases, 3, 8, 7).await, releases);
    }
}

db_test! {
    async fn a_small_even_municipality_with_a_stricter_k_still_holds(app: TestApp) {
        // Twelve people, no majority language, ages spread evenly; k = 5.
        assert_eq!(municipality(&app, 21, 12, 12, 5, 5, 2).await, 12);
    }
}
