//! Each release records how far up its generalisation ladder every field of the
//! profile was shown (`levels`, e.g. "0.1.0.3.0.6.1.0.2.4"), so what employers saw
//! can be checked against the installation's candidates later. Releases made
//! before the ladders have "" (their profile is read as it was stored).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Releases::Table)
                    .add_column(string_len(Releases::Levels, 64).default(""))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Releases::Table)
                    .drop_column(Releases::Levels)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Releases {
    Table,
    Levels,
}
