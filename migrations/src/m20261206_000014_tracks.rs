//! Job tracks (jobbspår, Norrköping's method): a short vocational training for one
//! occupation in demand, with a provider, dates, seats and Swedish for the trade,
//! run with one ring; the ring's firms that commit internship places and jobs to it
//! (proposed by a coordinator, confirmed or declined by the firm itself); and the
//! candidates enrolled in it. A participant row goes with the candidate (erasure
//! deletes the candidate row, and it cascades).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Tracks::Table)
                    .col(pk_auto(Tracks::Id))
                    .col(integer(Tracks::RingId))
                    .col(string_len(Tracks::OccupationCode, 4))
                    .col(string(Tracks::Title))
                    .col(string(Tracks::TrainingName))
                    .col(string(Tracks::Provider))
                    .col(date(Tracks::StartsOn))
                    .col(date(Tracks::EndsOn))
                    .col(integer(Tracks::Seats))
                    // The Swedish level a participant needs on entry ("" none).
                    .col(string_len(Tracks::SwedishLevel, 8))
                    .col(text(Tracks::SwedishForTrade))
                    // planned, running, completed, cancelled
                    .col(string_len(Tracks::Status, 16))
                    .col(integer_null(Tracks::CreatedBy))
                    .col(timestamp_with_time_zone(Tracks::CreatedAt))
                    .col(timestamp_with_time_zone(Tracks::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Tracks::Table, Tracks::RingId)
                            .to(Rings::Table, Rings::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(TrackFirms::Table)
                    .col(pk_auto(TrackFirms::Id))
                    .col(integer(TrackFirms::TrackId))
                    .col(integer(TrackFirms::FirmId))
                    .col(integer(TrackFirms::Internships))
                    .col(integer(TrackFirms::Jobs))
                    // proposed, confirmed, declined
                    .col(string_len(TrackFirms::Status, 16))
                    .col(string(TrackFirms::Note))
                    .col(integer_null(TrackFirms::ProposedBy))
                    .col(timestamp_with_time_zone(TrackFirms::ProposedAt))
                    .col(integer_null(TrackFirms::AnsweredBy))
                    .col(timestamp_with_time_zone_null(TrackFirms::AnsweredAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(TrackFirms::Table, TrackFirms::TrackId)
                            .to(Tracks::Table, Tracks::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(TrackFirms::Table, TrackFirms::FirmId)
                            .to(Firms::Table, Firms::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_track_firms_unique")
                    .table(TrackFirms::Table)
                    .col(TrackFirms::TrackId)
                    .col(TrackFirms::FirmId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_track_firms_firm")
                    .table(TrackFirms::Table)
                    .col(TrackFirms::FirmId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(TrackParticipants::Table)
                    .col(pk_auto(TrackParticipants::Id))
                    .col(integer(TrackParticipants::TrackId))
                    .col(integer(TrackParticipants::CandidateId))
                    .col(date(TrackParticipants::EnrolledOn))
                    // enrolled, completed, left
                    .col(string_len(TrackParticipants::Status, 16))
                    .col(date_null(TrackParticipants::EndedOn))
                    .col(integer_null(TrackParticipants::ConsentId))
                    .col(integer_null(TrackParticipants::EnrolledBy))
                    .col(timestamp_with_time_zone(TrackParticipants::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(TrackParticipants::Table, TrackParticipants::TrackId)
                            .to(Tracks::Table, Tracks::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(TrackParticipants::Table, TrackParticipants::CandidateId)
                            .to(Candidates::Table, Candidates::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_track_participants_unique")
                    .table(TrackParticipants::Table)
                    .col(TrackParticipants::TrackId)
                    .col(TrackParticipants::CandidateId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_track_participants_candidate")
                    .table(TrackParticipants::Table)
                    .col(TrackParticipants::CandidateId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            TrackParticipants::Table.into_iden(),
            TrackFirms::Table.into_iden(),
            Tracks::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Tracks {
    Table,
    Id,
    RingId,
    OccupationCode,
    Title,
    TrainingName,
    Provider,
    StartsOn,
    EndsOn,
    Seats,
    SwedishLevel,
    SwedishForTrade,
    Status,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TrackFirms {
    Table,
    Id,
    TrackId,
    FirmId,
    Internships,
    Jobs,
    Status,
    Note,
    ProposedBy,
    ProposedAt,
    AnsweredBy,
    AnsweredAt,
}

#[derive(DeriveIden)]
enum TrackParticipants {
    Table,
    Id,
    TrackId,
    CandidateId,
    EnrolledOn,
    Status,
    EndedOn,
    ConsentId,
    EnrolledBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Rings {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Firms {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Candidates {
    Table,
    Id,
}
