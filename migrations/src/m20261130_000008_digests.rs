//! E-mail digests: each member's preferences (frequency, weekday, language, rings left
//! out), one row per digest built (its period, what it holds, the outbox message that
//! carries it), and the `List-Unsubscribe` address an outbox message is sent with.
//!
//! A member's digests form a chain: each starts where the previous one ended, and
//! `(user_id, period_start)` is unique, so however many processes build at once, a
//! period is built once and no two digests overlap.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(
    table: impl IntoIden + Clone,
    col: impl IntoIden,
    to: impl IntoIden,
    to_col: impl IntoIden,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, col)
        .to(to, to_col)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DigestPreferences::Table)
                    .col(integer(DigestPreferences::UserId).primary_key().to_owned())
                    // daily | weekly | never
                    .col(string_len(DigestPreferences::Frequency, 8))
                    // ISO weekday of a weekly digest: 1 = Monday … 7 = Sunday.
                    .col(small_integer(DigestPreferences::Weekday))
                    // sv | en
                    .col(string_len(DigestPreferences::Locale, 2))
                    .col(timestamp_with_time_zone(DigestPreferences::UpdatedAt))
                    .foreign_key(&mut fk(
                        DigestPreferences::Table,
                        DigestPreferences::UserId,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        // Rings a member left out of the digest; a ring joined later is in by default.
        manager
            .create_table(
                Table::create()
                    .table(DigestMutedRings::Table)
                    .col(integer(DigestMutedRings::UserId))
                    .col(integer(DigestMutedRings::RingId))
                    .primary_key(
                        Index::create()
                            .col(DigestMutedRings::UserId)
                            .col(DigestMutedRings::RingId),
                    )
                    .foreign_key(&mut fk(
                        DigestMutedRings::Table,
                        DigestMutedRings::UserId,
                        Users::Table,
                        Users::Id,
                    ))
                    .foreign_key(&mut fk(
                        DigestMutedRings::Table,
                        DigestMutedRings::RingId,
                        Rings::Table,
                        Rings::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Digests::Table)
                    .col(big_pk_auto(Digests::Id))
                    .col(integer(Digests::UserId))
                    // "daily:2026-11-30", "weekly:2026-11-30", "now:2026-11-30T10:15Z"
                    .col(string_len(Digests::PeriodKey, 40))
                    .col(timestamp_with_time_zone(Digests::PeriodStart))
                    .col(timestamp_with_time_zone(Digests::PeriodEnd))
                    .col(string_len(Digests::Locale, 2))
                    // The ids of what it holds (JSON), to see before sending whether
                    // something in it was hidden or revoked since.
                    .col(text(Digests::Items))
                    // NULL: nothing was new, no e-mail.
                    .col(big_integer_null(Digests::OutboxId))
                    .col(timestamp_with_time_zone(Digests::CreatedAt))
                    .foreign_key(&mut fk(
                        Digests::Table,
                        Digests::UserId,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "idx_digests_user_start",
                vec![Digests::UserId, Digests::PeriodStart],
            ),
            (
                "idx_digests_user_key",
                vec![Digests::UserId, Digests::PeriodKey],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(Digests::Table).unique();
            for col in cols {
                index.col(col);
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_digests_outbox")
                    .table(Digests::Table)
                    .col(Digests::OutboxId)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Outbox::Table)
                    .add_column(text_null(Outbox::ListUnsubscribe))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Outbox::Table)
                    .drop_column(Outbox::ListUnsubscribe)
                    .to_owned(),
            )
            .await?;
        for table in [
            Digests::Table.into_iden(),
            DigestMutedRings::Table.into_iden(),
            DigestPreferences::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone)]
enum DigestPreferences {
    Table,
    UserId,
    Frequency,
    Weekday,
    Locale,
    UpdatedAt,
}

#[derive(DeriveIden, Clone)]
enum DigestMutedRings {
    Table,
    UserId,
    RingId,
}

#[derive(DeriveIden, Clone)]
enum Digests {
    Table,
    Id,
    UserId,
    PeriodKey,
    PeriodStart,
    PeriodEnd,
    Locale,
    Items,
    OutboxId,
    CreatedAt,
}

#[derive(DeriveIden, Clone)]
enum Outbox {
    Table,
    ListUnsubscribe,
}

#[derive(DeriveIden, Clone)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden, Clone)]
enum Rings {
    Table,
    Id,
}
