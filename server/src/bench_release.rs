//! `broar bench-release`: the re-identification guard's utility and speed (issue 20).
//!
//! - Utility, in memory: over generated municipalities of 60, 200 and 1 000 candidates
//!   (skewed: mostly young, Arabic the common first language, a few rare ones), the
//!   share of job-ready candidates releasable at k = 3 and the mean number of the ten
//!   fields kept exact, toward a ring without needs and toward a need.
//! - Speed, through the database: the release page's answer (`releases::preview`,
//!   all of it: the population read, the search, the explanations) for `runs`
//!   job-ready candidates of the seeded installation, p50/p95/max.
//!
//! Run by `bench/release.sh`; figures go in notes, never into a timed test.

use std::{sync::Arc, time::Instant};

use app::db::Db;
use app::{
    auth::{Authed, SessionUser, entity::user, model::Role},
    candidates::{entity::candidate, model::Criterion},
    consent::{entity::consent_text, service as consents},
    i18n::{Locale, today},
    releases::{
        Guarded,
        guard::{QuasiIds, Scope, propose},
        model::{DEFAULT_K, Levels},
        preview as releases,
    },
    rings::entity::ring,
    ssr::{AppConfig, Ctx, Secret},
};
use chrono::Duration;
use rand::{Rng, SeedableRng, rngs::StdRng};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

fn pick<'a>(rng: &mut StdRng, choices: &[(u32, &'a str)]) -> &'a str {
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

/// A generated municipality of `n` candidates, as the guard sees them.
fn municipality(n: usize, seed: u64) -> Vec<QuasiIds> {
    let mut rng = StdRng::seed_from_u64(seed);
    let codes = [
        "5120", "9111", "5321", "7112", "2221", "8332", "4322", "5311", "7212", "9412", "5131",
    ];
    let day = today();
    (0..n)
        .map(|_| {
            let age = if rng.random_bool(0.7) {
                rng.random_range(18..35)
            } else {
                rng.random_range(35..66)
            };
            let first = if rng.random_bool(0.6) {
                "ar"
            } else {
                pick(
                    &mut rng,
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
            let mut languages = vec![(first.to_owned(), "L1".to_owned())];
            if rng.random_bool(0.4) {
                let level = pick(&mut rng, &[(1, "A2"), (2, "B1"), (2, "B2"), (1, "C1")]);
                languages.push(("en".to_owned(), level.to_owned()));
            }
            QuasiIds {
                age,
                swedish: Some(
                    pick(
                        &mut rng,
                        &[(2, "A1"), (4, "A2"), (4, "B1"), (2, "B2"), (1, "C1")],
                    )
                    .to_owned(),
                ),
                languages,
                education: rng.random_bool(0.7).then(|| {
                    (
                        rng.random_range(1..8),
                        pick(
                            &mut rng,
                            &[(1, "Vård"), (1, "Teknik"), (1, "Ekonomi"), (1, "Pedagogik")],
                        )
                        .to_owned(),
                    )
                }),
                experience: (0..rng.random_range(0..4))
                    .map(|_| {
                        (
                            codes[rng.random_range(0..codes.len())].to_owned(),
                            rng.random_range(0..20),
                        )
                    })
                    .collect(),
                criteria: Criterion::ALL
                    .iter()
                    .copied()
                    .filter(|_| rng.random_bool(0.75))
                    .collect(),
                licence: pick(&mut rng, &[(5, ""), (4, "B"), (1, "B,C"), (1, "B,CE")]).to_owned(),
                available: day + Duration::days(rng.random_range(0..200)),
                preferred: (0..rng.random_range(0..3))
                    .map(|_| codes[rng.random_range(0..codes.len())].to_owned())
                    .collect(),
            }
            .normalised()
        })
        .collect()
}

/// Prints the utility table, then times the release page over the database.
pub async fn release(db: &Db, runs: usize) -> anyhow::Result<()> {
    println!(
        "| candidates | toward | job-ready | releasable at k = {DEFAULT_K} | mean fields exact (of 10) | search p95 (ms) |"
    );
    println!("|---|---|---|---|---|---|");
    for n in [60, 200, 1000] {
        let people = municipality(n, n as u64);
        let ready: Vec<&QuasiIds> = people.iter().filter(|q| q.criteria.len() == 4).collect();
        for (toward, scope) in [
            (
                "a ring without needs",
                Scope {
                    need_codes: vec![],
                    swedish_asked: false,
                    licence_asked: false,
                    today: today(),
                },
            ),
            (
                "a need (5120, B1, licence)",
                Scope {
                    need_codes: vec!["5120".into()],
                    swedish_asked: true,
                    licence_asked: true,
                    today: today(),
                },
            ),
        ] {
            let mut releasable = 0;
            let mut exact = 0;
            let mut times = Vec::with_capacity(ready.len());
            for q in &ready {
                let start = Instant::now();
                let p = propose(q, &people, DEFAULT_K, &scope);
                times.push(start.elapsed());
                if let Some(p) = p {
                    releasable += 1;
                    exact += p.levels.exact_fields();
                }
            }
            times.sort();
            let p95 = times
                .get(times.len() * 95 / 100)
                .or(times.last())
                .copied()
                .unwrap_or_default();
            println!(
                "| {n} | {toward} | {} | {:.0} % | {:.1} | {:.2} |",
                ready.len(),
                100.0 * releasable as f64 / ready.len().max(1) as f64,
                exact as f64 / releasable.max(1) as f64,
                p95.as_secs_f64() * 1000.0
            );
        }
    }

    // The release page over the seeded installation.
    let coordinator = user::Entity::find()
        .filter(user::Column::Role.eq(Role::Coordinator.as_str()))
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no coordinator: run seed-demo first"))?;
    let me = SessionUser {
        id: coordinator.id,
        name: coordinator.name.clone(),
        email: coordinator.email.clone(),
        role: Role::Coordinator,
        firm_id: None,
    };
    let authed = app::auth::Staff::check(Authed {
        ctx: Ctx {
            db: db.clone(),
            config: Arc::new(AppConfig {
                base_url: "http://localhost:3000".into(),
                https: false,
                secret: Secret::new(vec![0; 32]),
                k_anonymity: DEFAULT_K,
            }),
            matching: Default::default(),
            news: Default::default(),
            user: Some(me.clone()),
            session_token: None,
            ip: None,
        },
        user: me,
    })
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let ring_id = ring::Entity::find()
        .order_by_asc(ring::Column::Id)
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no ring: run seed-demo first"))?
        .id;
    let text = consent_text::Entity::find()
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no consent text: run seed-demo first"))?
        .id;
    let active = candidate::Entity::find()
        .filter(candidate::Column::Active.eq(true))
        .count(db)
        .await?;
    let chosen: Vec<i32> = candidate::Entity::find()
        .filter(candidate::Column::Active.eq(true))
        .filter(candidate::Column::JobReadySince.is_not_null())
        .order_by_desc(candidate::Column::Id)
        .limit(runs as u64)
        .select_only()
        .column(candidate::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mut times = Vec::new();
    let mut shown = 0;
    let mut exact = 0;
    for id in &chosen {
        if consents::covering(db, *id, ring_id, today())
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .is_none()
        {
            let fields = app::consent::model::ConsentForm {
                text_id: text.to_string(),
                purpose: "Mätning av delningssidan.".into(),
                method: "signed".into(),
                witness: String::new(),
                given_on: today().to_string(),
                months: "12".into(),
            };
            consents::record(&authed, *id, &fields, &[ring_id.to_string()])
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        let start = Instant::now();
        let p = releases::preview(&authed, *id, Some(ring_id), None, None, Locale::Sv)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        times.push(start.elapsed());
        if let Some(Guarded::Shown { levels, .. }) = p.guard {
            shown += 1;
            exact += Levels::exact_fields(&levels);
        }
    }
    times.sort();
    let at = |p: usize| {
        times
            .get((times.len() * p / 100).min(times.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
            .as_secs_f64()
            * 1000.0
    };
    println!();
    println!(
        "release page (preview) over {active} active candidates, {} job-ready ones: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms; {shown} releasable, mean {:.1} fields exact",
        times.len(),
        at(50),
        at(95),
        times.last().copied().unwrap_or_default().as_secs_f64() * 1000.0,
        exact as f64 / f64::from(shown.max(1)),
    );
    Ok(())
}
