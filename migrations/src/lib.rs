//! Broar's schema, one migration per change; never edit one after it has landed.
//! Every migration runs on SQLite and PostgreSQL (the integration tests run both).

pub use sea_orm_migration::prelude::*;

mod counters;
mod m20261122_000001_foundation;
mod m20261122_000002_accounts;
mod m20261122_000003_rings;
mod m20261122_000004_needs;
mod m20261122_000005_forum;
mod m20261123_000006_candidates;
mod m20261129_000007_consent;
mod m20261130_000008_digests;
mod m20261204_000009_release_levels;
mod m20261204_000010_operations;
mod m20261205_000011_form_submissions;
mod m20261205_000012_home_visits;
mod m20261205_000013_teams;
mod m20261206_000014_tracks;
mod m20261206_000015_matching_index;
mod m20261206_000016_news_state;
mod m20261207_000017_board_state;

/// Applies Broar's migrations in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_foundation::Migration),
            Box::new(m20261122_000002_accounts::Migration),
            Box::new(m20261122_000003_rings::Migration),
            Box::new(m20261122_000004_needs::Migration),
            Box::new(m20261122_000005_forum::Migration),
            Box::new(m20261123_000006_candidates::Migration),
            Box::new(m20261129_000007_consent::Migration),
            Box::new(m20261130_000008_digests::Migration),
            Box::new(m20261204_000009_release_levels::Migration),
            Box::new(m20261204_000010_operations::Migration),
            Box::new(m20261205_000011_form_submissions::Migration),
            Box::new(m20261205_000012_home_visits::Migration),
            Box::new(m20261205_000013_teams::Migration),
            Box::new(m20261206_000014_tracks::Migration),
            Box::new(m20261206_000015_matching_index::Migration),
            Box::new(m20261206_000016_news_state::Migration),
            Box::new(m20261207_000017_board_state::Migration),
        ]
    }
}
