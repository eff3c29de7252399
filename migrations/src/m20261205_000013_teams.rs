//! The team around a participant: the people outside the municipality's staff who
//! work with a candidate (the Public Employment Service's officer, social services,
//! the SFI teacher, a mentor at the firm), the action plan's steps assigned to one of
//! them, and the team's meetings with their notes and who took part. Every row goes
//! with the candidate (erasure deletes the candidate row, and these cascade).

use sea_orm_migration::{prelude::*, schema::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TeamMembers::Table)
                    .col(pk_auto(TeamMembers::Id))
                    .col(integer(TeamMembers::CandidateId))
                    // employment_service, social_services, sfi_teacher, mentor, other
                    .col(string_len(TeamMembers::Role, 24))
                    .col(string(TeamMembers::Name))
                    .col(string(TeamMembers::Organisation))
                    .col(string(TeamMembers::Phone))
                    .col(string(TeamMembers::Email))
                    .col(date(TeamMembers::StartedOn))
                    .col(date_null(TeamMembers::EndedOn))
                    .col(integer_null(TeamMembers::CreatedBy))
                    .col(timestamp_with_time_zone(TeamMembers::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(TeamMembers::Table, TeamMembers::CandidateId)
                            .to(Candidates::Table, Candidates::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_team_members_candidate")
                    .table(TeamMembers::Table)
                    .col(TeamMembers::CandidateId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(TeamMeetings::Table)
                    .col(pk_auto(TeamMeetings::Id))
                    .col(integer(TeamMeetings::CandidateId))
                    .col(date(TeamMeetings::HeldOn))
                    .col(text(TeamMeetings::Notes))
                    .col(integer_null(TeamMeetings::CreatedBy))
                    .col(timestamp_with_time_zone(TeamMeetings::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(TeamMeetings::Table, TeamMeetings::CandidateId)
                            .to(Candidates::Table, Candidates::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_team_meetings_candidate")
                    .table(TeamMeetings::Table)
                    .col(TeamMeetings::CandidateId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(TeamMeetingAttendees::Table)
                    .col(integer(TeamMeetingAttendees::MeetingId))
                    .col(integer(TeamMeetingAttendees::MemberId))
                    .primary_key(
                        Index::create()
                            .col(TeamMeetingAttendees::MeetingId)
                            .col(TeamMeetingAttendees::MemberId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(TeamMeetingAttendees::Table, TeamMeetingAttendees::MeetingId)
                            .to(TeamMeetings::Table, TeamMeetings::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(TeamMeetingAttendees::Table, TeamMeetingAttendees::MemberId)
                            .to(TeamMembers::Table, TeamMembers::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        // A plan step's responsible team member; none is the coordinator. SQLite adds
        // a column with a reference only through this plain statement, which
        // PostgreSQL reads the same.
        manager
            .get_connection()
            .execute_unprepared(
                "ALTER TABLE plan_steps ADD COLUMN assignee_id INTEGER NULL \
                 REFERENCES team_members (id) ON DELETE SET NULL",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite cannot drop a column that holds a reference; there the column stays,
        // unused, and dropping `team_members` below sets it to NULL everywhere.
        if manager.get_database_backend() != DbBackend::Sqlite {
            manager
                .alter_table(
                    Table::alter()
                        .table(PlanSteps::Table)
                        .drop_column(PlanSteps::AssigneeId)
                        .to_owned(),
                )
                .await?;
        }
        for table in [
            TeamMeetingAttendees::Table.into_iden(),
            TeamMeetings::Table.into_iden(),
            TeamMembers::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum TeamMembers {
    Table,
    Id,
    CandidateId,
    Role,
    Name,
    Organisation,
    Phone,
    Email,
    StartedOn,
    EndedOn,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TeamMeetings {
    Table,
    Id,
    CandidateId,
    HeldOn,
    Notes,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TeamMeetingAttendees {
    Table,
    MeetingId,
    MemberId,
}

#[derive(DeriveIden)]
enum PlanSteps {
    Table,
    AssigneeId,
}

#[derive(DeriveIden)]
enum Candidates {
    Table,
    Id,
}
