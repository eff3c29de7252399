//! The walking skeleton's tables: the installation secret, municipalities, the
//! accessibility feedback reports, and the flash store for no-JavaScript forms.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AppSecrets::Table)
                    .if_not_exists()
                    .col(string(AppSecrets::Name).primary_key())
                    .col(string(AppSecrets::Value))
                    .col(timestamp_with_time_zone(AppSecrets::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Municipalities::Table)
                    .if_not_exists()
                    .col(pk_auto(Municipalities::Id))
                    .col(string(Municipalities::Name))
                    .col(string_uniq(Municipalities::Code))
                    .col(timestamp_with_time_zone(Municipalities::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AccessibilityReports::Table)
                    .if_not_exists()
                    .col(pk_auto(AccessibilityReports::Id))
                    .col(string(AccessibilityReports::Email))
                    .col(text(AccessibilityReports::Page))
                    .col(text(AccessibilityReports::Message))
                    .col(string_len(AccessibilityReports::Locale, 8))
                    .col(timestamp_with_time_zone(AccessibilityReports::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FormFlashes::Table)
                    .if_not_exists()
                    .col(string(FormFlashes::Id).primary_key())
                    .col(text(FormFlashes::Payload))
                    .col(timestamp_with_time_zone(FormFlashes::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_form_flashes_created_at")
                    .table(FormFlashes::Table)
                    .col(FormFlashes::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            FormFlashes::Table.into_iden(),
            AccessibilityReports::Table.into_iden(),
            Municipalities::Table.into_iden(),
            AppSecrets::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum AppSecrets {
    Table,
    Name,
    Value,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Municipalities {
    Table,
    Id,
    Name,
    Code,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AccessibilityReports {
    Table,
    Id,
    Email,
    Page,
    Message,
    Locale,
    CreatedAt,
}

#[derive(DeriveIden)]
enum FormFlashes {
    Table,
    Id,
    Payload,
    CreatedAt,
}
