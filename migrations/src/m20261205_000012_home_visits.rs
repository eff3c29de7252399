//! A person's visits to their home page: what counts as new there is what happened
//! since the visit before this one (`previous_at`); a visit lasts while they come
//! back within half an hour (`seen_at`), so reloading the page keeps its news.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(HomeVisits::Table)
                    .if_not_exists()
                    .col(integer(HomeVisits::UserId).primary_key())
                    .col(timestamp_with_time_zone(HomeVisits::SeenAt))
                    .col(timestamp_with_time_zone(HomeVisits::PreviousAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(HomeVisits::Table, HomeVisits::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(HomeVisits::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum HomeVisits {
    Table,
    UserId,
    SeenAt,
    PreviousAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}
