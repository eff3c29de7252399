//! Firms, the outreach log, recruitment rings with their membership history,
//! invitations into a ring, and ring meetings with answers and attendance.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Firms::Table)
                    .col(pk_auto(Firms::Id))
                    .col(string(Firms::Name))
                    // Ten digits, no dash: the normalised form; unique.
                    .col(string_len_uniq(Firms::OrgNumber, 10))
                    .col(integer(Firms::Employees))
                    .col(string_len(Firms::SniSection, 1))
                    .col(string(Firms::Address))
                    .col(integer_null(Firms::MunicipalityId))
                    .col(string(Firms::ContactName))
                    .col(string(Firms::ContactEmail))
                    .col(string(Firms::ContactPhone))
                    .col(integer_null(Firms::CreatedBy))
                    .col(timestamp_with_time_zone(Firms::CreatedAt))
                    .col(timestamp_with_time_zone(Firms::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Firms::Table, Firms::MunicipalityId)
                            .to(Municipalities::Table, Municipalities::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Outreach::Table)
                    .col(pk_auto(Outreach::Id))
                    .col(integer(Outreach::FirmId))
                    .col(date(Outreach::ContactedOn))
                    .col(string_len(Outreach::Channel, 16))
                    .col(integer(Outreach::CoordinatorId))
                    .col(string_len(Outreach::Outcome, 16))
                    .col(text(Outreach::Note))
                    .col(text(Outreach::NextStep))
                    .col(date_null(Outreach::NextStepOn))
                    // Set when a later contact with the firm took the next step.
                    .col(timestamp_with_time_zone_null(Outreach::FollowedUpAt))
                    .col(timestamp_with_time_zone(Outreach::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Outreach::Table, Outreach::FirmId)
                            .to(Firms::Table, Firms::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Outreach::Table, Outreach::CoordinatorId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_outreach_firm")
                    .table(Outreach::Table)
                    .col(Outreach::FirmId)
                    .col(Outreach::ContactedOn)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Rings::Table)
                    .col(pk_auto(Rings::Id))
                    .col(string(Rings::Name))
                    .col(text(Rings::Description))
                    .col(string_len_null(Rings::SectorFocus, 1))
                    .col(integer(Rings::HostCoordinatorId))
                    .col(string_len(Rings::Status, 8).default("active"))
                    .col(timestamp_with_time_zone(Rings::CreatedAt))
                    .col(timestamp_with_time_zone(Rings::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Rings::Table, Rings::HostCoordinatorId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RingMemberships::Table)
                    .col(pk_auto(RingMemberships::Id))
                    .col(integer(RingMemberships::RingId))
                    .col(integer(RingMemberships::FirmId))
                    .col(timestamp_with_time_zone(RingMemberships::JoinedAt))
                    .col(integer_null(RingMemberships::JoinedBy))
                    .col(timestamp_with_time_zone_null(RingMemberships::LeftAt))
                    .col(integer_null(RingMemberships::LeftBy))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RingMemberships::Table, RingMemberships::RingId)
                            .to(Rings::Table, Rings::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(RingMemberships::Table, RingMemberships::FirmId)
                            .to(Firms::Table, Firms::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // A firm is in a ring at most once at a time; the history keeps earlier spells.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX idx_ring_memberships_current \
                 ON ring_memberships (ring_id, firm_id) WHERE left_at IS NULL",
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_ring_memberships_firm")
                    .table(RingMemberships::Table)
                    .col(RingMemberships::FirmId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Invitations::Table)
                    .col(pk_auto(Invitations::Id))
                    .col(integer(Invitations::RingId))
                    .col(integer(Invitations::FirmId))
                    .col(string(Invitations::Email))
                    .col(string(Invitations::Name))
                    .col(string_len(Invitations::Locale, 8))
                    // Only the SHA-256 of the token in the link is stored.
                    .col(string_len_uniq(Invitations::TokenHash, 64))
                    .col(timestamp_with_time_zone(Invitations::ExpiresAt))
                    .col(integer(Invitations::InvitedBy))
                    .col(integer(Invitations::SendCount).default(1))
                    .col(timestamp_with_time_zone(Invitations::LastSentAt))
                    .col(timestamp_with_time_zone_null(Invitations::AcceptedAt))
                    .col(integer_null(Invitations::AcceptedUserId))
                    .col(timestamp_with_time_zone_null(Invitations::RevokedAt))
                    .col(integer_null(Invitations::RevokedBy))
                    .col(timestamp_with_time_zone(Invitations::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Invitations::Table, Invitations::RingId)
                            .to(Rings::Table, Rings::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Invitations::Table, Invitations::FirmId)
                            .to(Firms::Table, Firms::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_invitations_ring")
                    .table(Invitations::Table)
                    .col(Invitations::RingId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Meetings::Table)
                    .col(pk_auto(Meetings::Id))
                    .col(integer(Meetings::RingId))
                    .col(timestamp_with_time_zone(Meetings::StartsAt))
                    .col(timestamp_with_time_zone(Meetings::EndsAt))
                    .col(string(Meetings::Place))
                    .col(text(Meetings::Agenda))
                    .col(integer(Meetings::CreatedBy))
                    .col(timestamp_with_time_zone(Meetings::CreatedAt))
                    .col(timestamp_with_time_zone(Meetings::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Meetings::Table, Meetings::RingId)
                            .to(Rings::Table, Rings::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_meetings_ring_start")
                    .table(Meetings::Table)
                    .col(Meetings::RingId)
                    .col(Meetings::StartsAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MeetingResponses::Table)
                    .col(integer(MeetingResponses::MeetingId))
                    .col(integer(MeetingResponses::UserId))
                    .col(string_len(MeetingResponses::Answer, 8))
                    .col(boolean_null(MeetingResponses::Attended))
                    .col(timestamp_with_time_zone(MeetingResponses::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(MeetingResponses::MeetingId)
                            .col(MeetingResponses::UserId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(MeetingResponses::Table, MeetingResponses::MeetingId)
                            .to(Meetings::Table, Meetings::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(MeetingResponses::Table, MeetingResponses::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            MeetingResponses::Table.into_iden(),
            Meetings::Table.into_iden(),
            Invitations::Table.into_iden(),
            RingMemberships::Table.into_iden(),
            Rings::Table.into_iden(),
            Outreach::Table.into_iden(),
            Firms::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Municipalities {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Firms {
    Table,
    Id,
    Name,
    OrgNumber,
    Employees,
    SniSection,
    Address,
    MunicipalityId,
    ContactName,
    ContactEmail,
    ContactPhone,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Outreach {
    Table,
    Id,
    FirmId,
    ContactedOn,
    Channel,
    CoordinatorId,
    Outcome,
    Note,
    NextStep,
    NextStepOn,
    FollowedUpAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Rings {
    Table,
    Id,
    Name,
    Description,
    SectorFocus,
    HostCoordinatorId,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RingMemberships {
    Table,
    Id,
    RingId,
    FirmId,
    JoinedAt,
    JoinedBy,
    LeftAt,
    LeftBy,
}

#[derive(DeriveIden)]
enum Invitations {
    Table,
    Id,
    RingId,
    FirmId,
    Email,
    Name,
    Locale,
    TokenHash,
    ExpiresAt,
    InvitedBy,
    SendCount,
    LastSentAt,
    AcceptedAt,
    AcceptedUserId,
    RevokedAt,
    RevokedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Meetings {
    Table,
    Id,
    RingId,
    StartsAt,
    EndsAt,
    Place,
    Agenda,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum MeetingResponses {
    Table,
    MeetingId,
    UserId,
    Answer,
    Attended,
    UpdatedAt,
}
