//! `seed-demo`: a believable, fictional municipality to try Broar with. Every name
//! is invented; no real person appears. Running it twice changes nothing.

use sea_orm::DatabaseConnection;

/// The fictional municipalities. SCB codes start at 0114; 99xx are not in use,
/// so the demo can never be mistaken for a real municipality's data.
const MUNICIPALITIES: &[(&str, &str)] = &[("Ekdala kommun", "9901"), ("Storvik kommun", "9902")];

/// Fills the database with demo data, printing what it does.
pub async fn run(db: &DatabaseConnection) -> anyhow::Result<()> {
    for (name, code) in MUNICIPALITIES {
        app::municipality::service::ensure(db, name, code)
            .await
            .map_err(|e| anyhow::anyhow!("could not add {name}: {e}"))?;
        println!("  municipality: {name} ({code})");
    }
    Ok(())
}
