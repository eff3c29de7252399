//! What lets every server process keep the candidates' matching facts in memory and
//! know when they changed (`app::candidates::index`): one counter row, bumped in the
//! transaction of every change to a candidate's matching facts (its row lock puts the
//! changes in commit order), and on each candidate the counter's value at its last
//! change. `epoch` moves when candidates are deleted (erasure) or written in bulk, so
//! the processes load everything again.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MatchingState::Table)
                    .col(integer(MatchingState::Id).primary_key())
                    .col(big_integer(MatchingState::Version).default(0))
                    .col(big_integer(MatchingState::Epoch).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(MatchingState::Table)
                    .columns([
                        MatchingState::Id,
                        MatchingState::Version,
                        MatchingState::Epoch,
                    ])
                    .values_panic([1.into(), 0.into(), 0.into()])
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Candidates::Table)
                    .add_column(big_integer(Candidates::FactsVersion).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_candidates_facts_version")
                    .table(Candidates::Table)
                    .col(Candidates::FactsVersion)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_candidates_facts_version")
                    .table(Candidates::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Candidates::Table)
                    .drop_column(Candidates::FactsVersion)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(MatchingState::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum MatchingState {
    Table,
    Id,
    Version,
    Epoch,
}

#[derive(DeriveIden)]
enum Candidates {
    Table,
    FactsVersion,
}
