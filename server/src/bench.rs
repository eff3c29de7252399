//! `broar bench-matching`: how fast matching ranks a need over every active
//! candidate, through the process's matching index as the page does it (the counter
//! read, the refresh when something changed, the scoring), against a plain in-memory
//! scan of the same data. Run by `bench/matching.sh`; figures go in notes, never into
//! a timed test.

use app::ssr::BeginWrite;
use std::time::{Duration, Instant};

use app::db::Db;
use app::{
    candidates::{
        model,
        ranking::{self, MatchingIndex, Synced},
    },
    needs::entity::need,
};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

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
/// and one (officers, 0110) whose major group nobody shares (issue 26's "far need").
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

/// Ranks each of `needs` `runs` times through `index`; the times, sorted. With
/// `touch`, a candidate's facts change before each ranking (as a coordinator's edit
/// does), so each ranking first reads that candidate again.
async fn through_index(
    db: &Db,
    index: &MatchingIndex,
    needs: &[model::NeedFacts],
    runs: usize,
    touch: Option<i32>,
) -> anyhow::Result<Vec<Duration>> {
    let fail = |e: app::error::AppError| anyhow::anyhow!("{e}");
    let mut times = Vec::with_capacity(runs * needs.len());
    for _ in 0..runs {
        for f in needs {
            if let Some(id) = touch {
                let txn = db.begin_write().await?;
                ranking::touch(&txn, id).await.map_err(fail)?;
                txn.commit().await?;
            }
            let start = Instant::now();
            let ranking = index
                .rank(db, f, app::matching::service::MATCH_RANKED)
                .await
                .map_err(fail)?;
            times.push(start.elapsed());
            std::hint::black_box(ranking);
        }
    }
    times.sort();
    Ok(times)
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

/// This process's resident memory in MB (Linux), for the index's cost.
fn resident_mb() -> Option<f64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: f64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096.0 / 1_048_576.0)
}

/// Ranks every open need, and the far needs, `runs` times both ways and prints the
/// figures.
pub async fn matching(db: &Db, runs: usize) -> anyhow::Result<()> {
    let fail = |e: app::error::AppError| anyhow::anyhow!("{e}");
    let needs = need::Entity::find()
        .filter(need::Column::Status.eq("open"))
        .all(db)
        .await?;
    anyhow::ensure!(!needs.is_empty(), "no open needs: run seed-demo first");
    let facts: Vec<model::NeedFacts> = needs.iter().map(ranking::need_facts).collect();
    let far = far_needs();

    // The first use loads every active candidate: what a process pays once.
    let index = MatchingIndex::default();
    let before = resident_mb();
    let load = Instant::now();
    let loaded = index.sync(db).await.map_err(fail)?;
    let load = load.elapsed();
    let grown = resident_mb().zip(before).map(|(a, b)| a - b);
    let Synced::Loaded(considered) = loaded else {
        anyhow::bail!("a new index did not load: {loaded:?}");
    };
    // Warm up once per need.
    through_index(db, &index, &facts, 1, None).await?;
    let demo_index = through_index(db, &index, &facts, runs, None).await?;
    let mut far_index = Vec::new();
    for (_, f) in &far {
        far_index.push(through_index(db, &index, std::slice::from_ref(f), runs, None).await?);
    }
    // After a coordinator's change to one candidate: the counter moved, the index
    // reads that candidate again before ranking.
    let someone = app::candidates::entity::candidate::Entity::find()
        .filter(app::candidates::entity::candidate::Column::Active.eq(true))
        .one(db)
        .await?
        .map(|c| c.id)
        .ok_or_else(|| anyhow::anyhow!("no active candidate"))?;
    let changed = through_index(db, &index, &facts, runs, Some(someone)).await?;
    let all = ranking::all_facts(db).await.map_err(fail)?;
    let demo_mem = in_memory(&facts, &all, runs);
    println!(
        "matching: {} open needs and {} far needs × {runs} runs over {considered} active candidates",
        facts.len(),
        far.len(),
    );
    println!(
        "a process's first ranking loads them all: {:.0} ms, resident memory +{} MB",
        ms(load),
        grown.map_or("?".to_owned(), |mb| format!("{mb:.1}"))
    );
    let mut rows = vec![
        (
            "the demo's needs",
            "index (MatchingIndex::rank)",
            demo_index,
            demo_mem.clone(),
        ),
        (
            "the demo's needs, one candidate changed before each",
            "index, after a change",
            changed,
            demo_mem,
        ),
    ];
    for ((name, f), times) in far.iter().zip(far_index) {
        rows.push((
            name,
            "index (MatchingIndex::rank)",
            times,
            in_memory(std::slice::from_ref(f), &all, runs),
        ));
    }
    println!(
        "| need | path | p50 ms | p95 ms | p95 in-memory ms | p95 / in-memory | p95 ≤ 50 ms |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (name, path, times, mem_times) in &rows {
        let (p50, p95) = (percentile(times, 50.0), percentile(times, 95.0));
        let mem95 = percentile(mem_times, 95.0);
        println!(
            "| {name} | {path} | {:.1} | {:.1} | {:.1} | {:.2}× | {} |",
            ms(p50),
            ms(p95),
            ms(mem95),
            ms(p95) / ms(mem95).max(0.001),
            if ms(p95) <= 50.0 { "met" } else { "missed" }
        );
    }
    Ok(())
}

/// `broar bench-digests`: `members` ring members get a digest (built, queued and sent
/// through the outbox to the SMTP server at `smtp_url`, as the worker does it), then the
/// same messages, prepared beforehand, go out in a plain lettre loop to the same server.
/// Prints both times and the ratio. Run by `bench/digests.sh`.
pub async fn digests(
    db: &Db,
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
async fn add_members(db: &Db, members: usize) -> anyhow::Result<usize> {
    use sea_orm::ConnectionTrait;
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
        let txn = db.begin_write().await?;
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
async fn add_news(db: &Db) -> anyhow::Result<usize> {
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
pub async fn reports(db: &Db, runs: usize) -> anyhow::Result<()> {
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
