//! `broar bench-matching`: how fast matching ranks a need over every active
//! candidate, through the database as the page does it, against a plain in-memory
//! scan of the same data. Run by `bench/matching.sh`; figures go in notes, never
//! into a timed test.

use std::time::{Duration, Instant};

use app::{
    candidates::{model, ranking},
    needs::entity::need,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Far needs: an occupation (attendants, 5341) whose minor group (534) no generated
/// candidate has worked in or wants, though many share its sub-major group (53, care);
/// and one (officers, 0110) whose major group nobody shares, so the database must rank
/// everyone (issue 26's "far need").
fn far_needs() -> [(&'static str, model::NeedFacts); 2] {
    let need = |code: &str| model::NeedFacts {
        occupation: code.to_owned(),
        swedish: Some(app::needs::model::SwedishLevel::B1),
        licence: "B".to_owned(),
        start: app::i18n::today(),
        training: String::new(),
    };
    [
        ("far: nobody in its minor group (5341)", need("5341")),
        ("far: nobody in its major group (0110)", need("0110")),
    ]
}

/// Ranks each of `needs` `runs` times through the database; the times, sorted, and how
/// often it had to rank candidates sharing ≥ 0, 1, 2, 3, 4 digits.
async fn through_db(
    db: &DatabaseConnection,
    needs: &[model::NeedFacts],
    runs: usize,
) -> anyhow::Result<(Vec<Duration>, [usize; 5])> {
    let mut times = Vec::with_capacity(runs * needs.len());
    let mut reached = [0_usize; 5];
    for _ in 0..runs {
        for f in needs {
            let start = Instant::now();
            let ranking = ranking::rank_for_need(db, f, app::matching::service::MATCH_RANKED)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            times.push(start.elapsed());
            reached[usize::from(ranking.reached.min(4))] += 1;
            std::hint::black_box(ranking);
        }
    }
    times.sort();
    Ok((times, reached))
}

/// Ranks each of `needs` `runs` times over `all` in memory; the times, sorted.
fn in_memory(
    needs: &[model::NeedFacts],
    all: &[model::CandidateFacts],
    runs: usize,
) -> Vec<Duration> {
    let mut times = Vec::with_capacity(runs * needs.len());
    for _ in 0..runs {
        for f in needs {
            let start = Instant::now();
            std::hint::black_box(model::rank(f, all, app::matching::service::MATCH_RANKED));
            times.push(start.elapsed());
        }
    }
    times.sort();
    times
}

/// Ranks every open need, and a far need, `runs` times both ways and prints the
/// figures.
pub async fn matching(db: &DatabaseConnection, runs: usize) -> anyhow::Result<()> {
    let needs = need::Entity::find()
        .filter(need::Column::Status.eq("open"))
        .all(db)
        .await?;
    anyhow::ensure!(!needs.is_empty(), "no open needs: run seed-demo first");
    let facts: Vec<model::NeedFacts> = needs.iter().map(ranking::need_facts).collect();
    let far = far_needs();

    // Warm up caches and the pool once per need.
    through_db(db, &facts, 1).await?;
    for (_, f) in &far {
        through_db(db, std::slice::from_ref(f), 1).await?;
    }
    let considered = ranking::active_count(db)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let (demo_db, reached) = through_db(db, &facts, runs).await?;
    let mut far_db = Vec::new();
    for (_, f) in &far {
        far_db.push(through_db(db, std::slice::from_ref(f), runs).await?);
    }
    // The matching page also counts the active candidates ("the best 50 of N").
    let mut counts = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        std::hint::black_box(
            ranking::active_count(db)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?,
        );
        counts.push(start.elapsed());
    }
    counts.sort();
    let load = Instant::now();
    let all = ranking::all_facts(db)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let load = load.elapsed();
    let demo_mem = in_memory(&facts, &all, runs);
    println!(
        "matching: {} open needs and {} far needs × {runs} runs over {considered} active candidates ({} loaded in memory in {:.0} ms)",
        facts.len(),
        far.len(),
        all.len(),
        ms(load)
    );
    println!(
        "the demo's needs: the database ranked only candidates sharing 4/≥3/≥2/≥1 SSYK digits {}/{}/{}/{} times, everyone {} times",
        reached[4], reached[3], reached[2], reached[1], reached[0]
    );
    let mut rows = vec![("the demo's needs", demo_db, demo_mem)];
    for ((name, f), (times, reached)) in far.iter().zip(far_db) {
        println!(
            "{name}: the database stopped at ≥3/≥2/≥1 digits {}/{}/{} times, ranked everyone {} times",
            reached[3], reached[2], reached[1], reached[0]
        );
        rows.push((name, times, in_memory(std::slice::from_ref(f), &all, runs)));
    }
    println!("| need | path | p50 ms | p95 ms | p95 database / in-memory | p95 ≤ 50 ms |");
    println!("|---|---|---|---|---|---|");
    for (name, db_times, mem_times) in &rows {
        let (db50, db95) = (percentile(db_times, 50.0), percentile(db_times, 95.0));
        let (mem50, mem95) = (percentile(mem_times, 50.0), percentile(mem_times, 95.0));
        println!(
            "| {name} | database (rank_for_need) | {:.1} | {:.1} | {:.2}× | {} |",
            ms(db50),
            ms(db95),
            ms(db95) / ms(mem95).max(0.001),
            if ms(db95) <= 50.0 { "met" } else { "missed" }
        );
        println!(
            "| {name} | in-memory scan (model::rank) | {:.1} | {:.1} | | |",
            ms(mem50),
            ms(mem95)
        );
    }
    println!(
        "| | the page's count of active candidates | {:.1} | {:.1} | | |",
        ms(percentile(&counts, 50.0)),
        ms(percentile(&counts, 95.0))
    );
    Ok(())
}

/// `broar bench-digests`: `members` ring members get a digest (built, queued and sent
/// through the outbox to the SMTP server at `smtp_url`, as the worker does it), then the
/// same messages, prepared beforehand, go out in a plain lettre loop to the same server.
/// Prints both times and the ratio. Run by `bench/digests.sh`.
pub async fn digests(
    db: &DatabaseConnection,
    config: &app::digests::service::DigestConfig,
    settings: &crate::settings::Settings,
    smtp_url: &str,
    members: usize,
) -> anyhow::Result<()> {
    let from = &settings.mail_from();
    use app::digests::service::{self as digests, Due};
    use lettre::AsyncTransport;
    use sea_orm::ConnectionTrait;

    let added = add_members(db, members).await?;
    let news = add_news(db).await?;
    let total = app::digests::prefs::members(db)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .len();
    println!(
        "digests: {total} members ({added} added), a new post in each of {news} rings, SMTP {smtp_url}"
    );

    let mailer = crate::mailer::Mailer::from_settings(
        Some(smtp_url),
        Default::default(),
        usize::from(settings.outbox_senders),
    )?;
    let started = Instant::now();
    let report = digests::round(db, config, chrono::Utc::now(), Due::Now, false)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let built = started.elapsed();
    let senders = usize::from(settings.outbox_senders);
    let sent =
        crate::outbox::drain_parallel(db, &mailer, from, "bench", config, None, senders).await?;
    let broar = started.elapsed();
    anyhow::ensure!(
        sent == report.queued,
        "queued {} but sent {sent}",
        report.queued
    );

    // The same messages, prepared in memory first; only the sending is timed.
    let rows = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT o.message_id, o.to_address, o.subject, o.body_text, o.body_html, o.list_unsubscribe \
             FROM outbox o JOIN digests d ON d.outbox_id = o.id WHERE o.status = 'sent' ORDER BY o.id DESC",
        ))
        .await?;
    let mut messages = Vec::with_capacity(sent);
    for r in rows.iter().take(sent) {
        let envelope = crate::mailer::Envelope {
            message_id: r.try_get("", "message_id")?,
            to: r.try_get("", "to_address")?,
            subject: r.try_get("", "subject")?,
            text: r.try_get("", "body_text")?,
            html: r.try_get("", "body_html")?,
            list_unsubscribe: r.try_get("", "list_unsubscribe")?,
        };
        messages.push(crate::mailer::build(from, &envelope)?);
    }
    let transport =
        lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(smtp_url)?.build();
    let started = Instant::now();
    for message in messages.iter().cloned() {
        transport.send(message).await?;
    }
    let plain = started.elapsed();
    // The same loop with as many sends at once as Broar's senders: what is left between
    // the two is Broar's own work (the database, the check before sending).
    let pool = lettre::transport::smtp::PoolConfig::new()
        .max_size(u32::try_from(senders).unwrap_or(u32::MAX));
    let transport = lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(smtp_url)?
        .pool_config(pool)
        .build();
    let started = Instant::now();
    let failures = std::sync::atomic::AtomicUsize::new(0);
    futures::StreamExt::for_each_concurrent(futures::stream::iter(messages), senders, |message| {
        let (transport, failures) = (&transport, &failures);
        async move {
            if transport.send(message).await.is_err() {
                failures.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        }
    })
    .await;
    let concurrent = started.elapsed();
    anyhow::ensure!(
        failures.into_inner() == 0,
        "the concurrent plain loop had failures"
    );

    let secs = |d: Duration| d.as_secs_f64();
    println!("| path | messages | seconds | messages/s |");
    println!("|---|---|---|---|");
    println!(
        "| Broar: build, queue, check and send through the outbox ({senders} senders) | {sent} | {:.1} (build and queue {:.1}) | {:.0} |",
        secs(broar),
        secs(built),
        sent as f64 / secs(broar).max(0.001)
    );
    println!(
        "| plain lettre loop, the same messages prepared | {sent} | {:.1} | {:.0} |",
        secs(plain),
        sent as f64 / secs(plain).max(0.001)
    );
    println!(
        "| plain lettre, {senders} sends at once, the same messages prepared | {sent} | {:.1} | {:.0} |",
        secs(concurrent),
        sent as f64 / secs(concurrent).max(0.001)
    );
    let ratio = secs(plain) / secs(broar).max(0.001);
    println!(
        "throughput Broar / plain loop: {ratio:.2}× (target ≥ 0.5×: {}); Broar under 60 s: {}",
        if ratio >= 0.5 { "met" } else { "missed" },
        if secs(broar) < 60.0 { "yes" } else { "no" }
    );
    println!(
        "throughput Broar / plain lettre with {senders} sends at once: {:.2}×",
        secs(concurrent) / secs(broar).max(0.001)
    );
    Ok(())
}

/// Adds employer accounts at the firms in rings until `members` employers get digests.
async fn add_members(db: &DatabaseConnection, members: usize) -> anyhow::Result<usize> {
    use sea_orm::{ConnectionTrait, TransactionTrait};
    let have = app::digests::prefs::members(db)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .len();
    let firms: Vec<i32> = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT DISTINCT m.firm_id FROM ring_memberships m JOIN rings r ON r.id = m.ring_id \
             WHERE m.left_at IS NULL AND r.status = 'active' ORDER BY m.firm_id",
        ))
        .await?
        .iter()
        .map(|r| r.try_get::<i32>("", "firm_id"))
        .collect::<Result<_, _>>()?;
    anyhow::ensure!(
        !firms.is_empty(),
        "no firm is in a ring: run seed-demo first"
    );
    let missing = members.saturating_sub(have);
    let backend = db.get_database_backend();
    let now = chrono::Utc::now();
    for chunk in (0..missing).collect::<Vec<_>>().chunks(500) {
        let txn = db.begin().await?;
        for i in chunk {
            let n = have + i;
            // No password can match "!": these accounts only receive digests.
            txn.execute_raw(sea_orm::Statement::from_sql_and_values(
                backend,
                app::ssr::sql(
                    backend,
                    "INSERT INTO users (email, name, role, firm_id, password_hash, locale, created_at, updated_at) \
                     VALUES (?, ?, 'employer', ?, '!', ?, ?, ?)",
                ),
                [
                    format!("medlem-{n}@bench.test").into(),
                    format!("Medlem {n}").into(),
                    firms[n % firms.len()].into(),
                    (if n % 3 == 0 { "en" } else { "sv" }).into(),
                    now.into(),
                    now.into(),
                ],
            ))
            .await?;
        }
        txn.commit().await?;
    }
    Ok(missing)
}

/// A post by the host in a thread of each active ring, an hour ago; returns the rings.
async fn add_news(db: &DatabaseConnection) -> anyhow::Result<usize> {
    use sea_orm::ConnectionTrait;
    let backend = db.get_database_backend();
    let rings = db
        .query_all_raw(sea_orm::Statement::from_string(
            backend,
            "SELECT r.id, r.host_coordinator_id, MIN(t.id) AS thread FROM rings r \
             JOIN threads t ON t.ring_id = r.id WHERE r.status = 'active' \
             GROUP BY r.id, r.host_coordinator_id",
        ))
        .await?;
    let at = chrono::Utc::now() - chrono::Duration::hours(1);
    for r in &rings {
        db.execute_raw(sea_orm::Statement::from_sql_and_values(
            backend,
            app::ssr::sql(
                backend,
                "INSERT INTO posts (thread_id, author_id, body, created_at, hidden_reason) VALUES (?, ?, ?, ?, '')",
            ),
            [
                r.try_get::<i32>("", "thread")?.into(),
                r.try_get::<i32>("", "host_coordinator_id")?.into(),
                "Påminnelse: nästa ringträff tar upp **praktikplatser** i vår.".into(),
                at.into(),
            ],
        ))
        .await?;
    }
    Ok(rings.len())
}

/// `broar bench-reports`: how long the follow-up report takes (every query and the
/// computation, as the page and the CSV export run it) for all rings and for the
/// first ring over the default period, `runs` times each.
pub async fn reports(db: &DatabaseConnection, runs: usize) -> anyhow::Result<()> {
    use app::reports::service::{self, ReportQuery};
    let today = app::i18n::today();
    let fail = |e: app::error::AppError| anyhow::anyhow!("{e}");
    let rings = service::rings(db).await.map_err(fail)?;
    let mut scopes = vec![("all rings".to_owned(), None)];
    if let Some(r) = rings.first() {
        scopes.push((r.name.clone(), Some(r.id)));
    }
    let candidates = app::candidates::entity::candidate::Entity::find()
        .count(db)
        .await?;
    println!("{candidates} candidates, {runs} runs per scope");
    println!(
        "{:<28} {:>10} {:>10} {:>8}",
        "scope", "p50 ms", "p95 ms", "cohort"
    );
    for (name, ring) in scopes {
        let q = ReportQuery {
            period: ReportQuery::default_period(today),
            ring,
            as_of: today,
        };
        let first = service::report(db, &q).await.map_err(fail)?;
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            let started = Instant::now();
            service::report(db, &q).await.map_err(fail)?;
            times.push(started.elapsed());
        }
        times.sort();
        println!(
            "{name:<28} {:>10.1} {:>10.1} {:>8}",
            ms(percentile(&times, 50.0)),
            ms(percentile(&times, 95.0)),
            first.figures.cohort.total()
        );
    }
    Ok(())
}

/// `broar bench-bare FILE`: the baseline of the HTTP benchmark — a bare axum handler
/// answering every request with FILE's bytes (a page the portal rendered), so the
/// portal's cost per page is measured against the framework's floor.
pub async fn bare(file: &std::path::Path, bind: std::net::SocketAddr) -> anyhow::Result<()> {
    use axum::http::header;
    let body = axum::body::Bytes::from(
        std::fs::read(file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?,
    );
    let router = axum::Router::new().fallback(move || {
        let body = body.clone();
        async move { ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body) }
    });
    let listener = tokio::net::TcpListener::bind(bind).await?;
    println!("Serving {} at http://{bind}", file.display());
    axum::serve(listener, router).await?;
    Ok(())
}
