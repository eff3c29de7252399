//! What lets a process keep the needs boards it rendered (`app::needs::kept`): a change
//! counter (`counters`) that moves with every change to what a board shows, and with
//! nothing else, so a discussion, a release or a meeting leaves the boards kept.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables a needs board is read from (`app::needs::service::board`).
const TABLES: [&str; 4] = ["needs", "firms", "rings", "ring_memberships"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::counters::create(manager, "board_state", &TABLES).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::counters::drop(manager, "board_state", &TABLES).await
    }
}
