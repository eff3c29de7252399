//! `broar bench-matching`: how fast matching ranks a need over every active
//! candidate, through the database as the page does it, against a plain in-memory
//! scan of the same data. Run by `bench/matching.sh`; figures go in notes, never
//! into a timed test.

use std::time::{Duration, Instant};

use app::{
    candidates::{matching, model, service},
    needs::entity::need,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

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

/// Ranks every open need `runs` times both ways and prints the figures.
pub async fn matching(db: &DatabaseConnection, runs: usize) -> anyhow::Result<()> {
    let needs = need::Entity::find()
        .filter(need::Column::Status.eq("open"))
        .all(db)
        .await?;
    anyhow::ensure!(!needs.is_empty(), "no open needs: run seed-demo first");
    let facts: Vec<model::NeedFacts> = needs.iter().map(matching::need_facts).collect();

    // Warm up caches and the pool once per need.
    for f in &facts {
        matching::rank_for_need(db, f, service::MATCH_LIMIT)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    let mut through_db = Vec::with_capacity(runs * facts.len());
    let considered = matching::active_count(db)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    // How often the database had to rank candidates sharing ≥ 0, 1, 2, 3, 4 digits.
    let mut reached = [0_usize; 5];
    for _ in 0..runs {
        for f in &facts {
            let start = Instant::now();
            let ranking = matching::rank_for_need(db, f, service::MATCH_LIMIT)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            through_db.push(start.elapsed());
            reached[usize::from(ranking.reached.min(4))] += 1;
            std::hint::black_box(ranking);
        }
    }
    // The matching page also counts the active candidates ("the best 50 of N").
    let mut counts = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        std::hint::black_box(
            matching::active_count(db)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?,
        );
        counts.push(start.elapsed());
    }
    counts.sort();
    let load = Instant::now();
    let all = matching::all_facts(db)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let load = load.elapsed();
    let mut in_memory = Vec::with_capacity(runs * facts.len());
    for _ in 0..runs {
        for f in &facts {
            let start = Instant::now();
            std::hint::black_box(model::rank(f, &all, service::MATCH_LIMIT));
            in_memory.push(start.elapsed());
        }
    }
    through_db.sort();
    in_memory.sort();
    let (db50, db95) = (percentile(&through_db, 50.0), percentile(&through_db, 95.0));
    let (mem50, mem95) = (percentile(&in_memory, 50.0), percentile(&in_memory, 95.0));
    println!(
        "matching: {} open needs × {runs} runs over {considered} active candidates ({} loaded in memory in {:.0} ms)",
        facts.len(),
        all.len(),
        ms(load)
    );
    println!(
        "the database ranked only candidates sharing 4/≥3/≥2/≥1 SSYK digits {}/{}/{}/{} times, everyone {} times",
        reached[4], reached[3], reached[2], reached[1], reached[0]
    );
    println!("| path | p50 ms | p95 ms |");
    println!("|---|---|---|");
    println!(
        "| database (rank_for_need) | {:.1} | {:.1} |",
        ms(db50),
        ms(db95)
    );
    println!(
        "| in-memory scan (model::rank) | {:.1} | {:.1} |",
        ms(mem50),
        ms(mem95)
    );
    println!(
        "| the page's count of active candidates | {:.1} | {:.1} |",
        ms(percentile(&counts, 50.0)),
        ms(percentile(&counts, 95.0))
    );
    println!(
        "ratio database / in-memory: p50 {:.2}×, p95 {:.2}× (target p95 ≤ 50 ms: {})",
        ms(db50) / ms(mem50).max(0.001),
        ms(db95) / ms(mem95).max(0.001),
        if ms(db95) <= 50.0 { "met" } else { "missed" }
    );
    Ok(())
}
