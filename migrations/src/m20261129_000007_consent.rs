//! Consent and release: the consent wordings admins keep (versioned, per language),
//! the consents coordinators record with their scope of rings, the anonymised
//! releases to a ring, employers' interest in a release and the meeting it leads to,
//! and the link from an outbox message to the releases it mentions (so a revoked
//! release's e-mail is not sent).
//!
//! Everything that names a candidate deletes with the candidate (erasure is one
//! delete); a release keeps its frozen profile, never the candidate's data.
//! `erased_candidates` keeps what erasure may keep: anonymous facts for the reports.

use sea_orm_migration::{prelude::*, schema::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(
    table: impl IntoIden + Clone,
    col: impl IntoIden,
    to: impl IntoIden,
    to_col: impl IntoIden,
    cascade: bool,
) -> ForeignKeyCreateStatement {
    let mut fk = ForeignKey::create();
    fk.from(table, col).to(to, to_col);
    if cascade {
        fk.on_delete(ForeignKeyAction::Cascade);
    }
    fk.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ConsentTexts::Table)
                    .col(pk_auto(ConsentTexts::Id))
                    // ISO 639-1 ("sv", "en", "ar", "prs", "ti", "so").
                    .col(string_len(ConsentTexts::Language, 8))
                    .col(integer(ConsentTexts::Version))
                    .col(string(ConsentTexts::Title))
                    .col(text(ConsentTexts::Body))
                    .col(integer_null(ConsentTexts::CreatedBy))
                    .col(timestamp_with_time_zone(ConsentTexts::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_consent_texts_language_version")
                    .table(ConsentTexts::Table)
                    .col(ConsentTexts::Language)
                    .col(ConsentTexts::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Consents::Table)
                    .col(pk_auto(Consents::Id))
                    .col(integer(Consents::CandidateId))
                    .col(text(Consents::Purpose))
                    .col(integer(Consents::TextId))
                    // signed | digital | oral
                    .col(string_len(Consents::Method, 16))
                    .col(string(Consents::Witness))
                    .col(date(Consents::GivenOn))
                    .col(date(Consents::ExpiresOn))
                    .col(integer_null(Consents::RecordedBy))
                    .col(timestamp_with_time_zone(Consents::RecordedAt))
                    .col(date_null(Consents::WithdrawnOn))
                    .col(string(Consents::WithdrawnHow))
                    .col(integer_null(Consents::WithdrawnBy))
                    // Set once the coordinator has been reminded of the expiry, so
                    // several workers remind exactly once.
                    .col(timestamp_with_time_zone_null(Consents::RemindedAt))
                    .foreign_key(&mut fk(
                        Consents::Table,
                        Consents::CandidateId,
                        Candidates::Table,
                        Candidates::Id,
                        true,
                    ))
                    .foreign_key(&mut fk(
                        Consents::Table,
                        Consents::TextId,
                        ConsentTexts::Table,
                        ConsentTexts::Id,
                        false,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_consents_candidate")
                    .table(Consents::Table)
                    .col(Consents::CandidateId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ConsentRings::Table)
                    .col(integer(ConsentRings::ConsentId))
                    .col(integer(ConsentRings::RingId))
                    .primary_key(
                        Index::create()
                            .col(ConsentRings::ConsentId)
                            .col(ConsentRings::RingId),
                    )
                    .foreign_key(&mut fk(
                        ConsentRings::Table,
                        ConsentRings::ConsentId,
                        Consents::Table,
                        Consents::Id,
                        true,
                    ))
                    .foreign_key(&mut fk(
                        ConsentRings::Table,
                        ConsentRings::RingId,
                        Rings::Table,
                        Rings::Id,
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Releases::Table)
                    .col(pk_auto(Releases::Id))
                    .col(integer(Releases::ConsentId))
                    .col(integer(Releases::CandidateId))
                    .col(integer(Releases::RingId))
                    .col(integer_null(Releases::NeedId))
                    // Random per release, so releases cannot be linked across rings.
                    .col(string_len_uniq(Releases::Pseudonym, 16))
                    // The anonymised profile as released (JSON), frozen.
                    .col(text(Releases::Profile))
                    .col(string(Releases::Headline))
                    .col(boolean(Releases::Generalised))
                    .col(integer_null(Releases::ReleasedBy))
                    .col(timestamp_with_time_zone(Releases::ReleasedAt))
                    .col(timestamp_with_time_zone_null(Releases::RevokedAt))
                    // withdrawn | expired | ended
                    .col(string_len(Releases::RevokedReason, 16))
                    .foreign_key(&mut fk(
                        Releases::Table,
                        Releases::ConsentId,
                        Consents::Table,
                        Consents::Id,
                        true,
                    ))
                    .foreign_key(&mut fk(
                        Releases::Table,
                        Releases::CandidateId,
                        Candidates::Table,
                        Candidates::Id,
                        true,
                    ))
                    .foreign_key(&mut fk(
                        Releases::Table,
                        Releases::RingId,
                        Rings::Table,
                        Rings::Id,
                        true,
                    ))
                    .foreign_key(&mut fk(
                        Releases::Table,
                        Releases::NeedId,
                        Needs::Table,
                        Needs::Id,
                        false,
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_releases_ring", Releases::RingId),
            ("idx_releases_consent", Releases::ConsentId),
            ("idx_releases_candidate", Releases::CandidateId),
            ("idx_releases_need", Releases::NeedId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Releases::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(Interests::Table)
                    .col(pk_auto(Interests::Id))
                    .col(integer(Interests::ReleaseId))
                    .col(integer(Interests::FirmId))
                    .col(integer_null(Interests::UserId))
                    .col(text(Interests::Message))
                    .col(timestamp_with_time_zone(Interests::CreatedAt))
                    // The personal meeting the coordinator arranges.
                    .col(timestamp_with_time_zone_null(Interests::MeetingAt))
                    .col(string(Interests::MeetingPlace))
                    // Only once the candidate agreed to meet does the employer learn
                    // the name.
                    .col(boolean(Interests::CandidateAgreed))
                    // internship | hired | no_match
                    .col(string_len(Interests::Outcome, 16))
                    .col(date_null(Interests::OutcomeOn))
                    .col(integer_null(Interests::HandledBy))
                    .col(timestamp_with_time_zone(Interests::UpdatedAt))
                    .foreign_key(&mut fk(
                        Interests::Table,
                        Interests::ReleaseId,
                        Releases::Table,
                        Releases::Id,
                        true,
                    ))
                    .foreign_key(&mut fk(
                        Interests::Table,
                        Interests::FirmId,
                        Firms::Table,
                        Firms::Id,
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_interests_release_firm")
                    .table(Interests::Table)
                    .col(Interests::ReleaseId)
                    .col(Interests::FirmId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OutboxReleases::Table)
                    .col(big_integer(OutboxReleases::OutboxId))
                    .col(integer(OutboxReleases::ReleaseId))
                    .primary_key(
                        Index::create()
                            .col(OutboxReleases::OutboxId)
                            .col(OutboxReleases::ReleaseId),
                    )
                    .foreign_key(&mut fk(
                        OutboxReleases::Table,
                        OutboxReleases::OutboxId,
                        Outbox::Table,
                        Outbox::Id,
                        true,
                    ))
                    .foreign_key(&mut fk(
                        OutboxReleases::Table,
                        OutboxReleases::ReleaseId,
                        Releases::Table,
                        Releases::Id,
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_outbox_releases_release")
                    .table(OutboxReleases::Table)
                    .col(OutboxReleases::ReleaseId)
                    .to_owned(),
            )
            .await?;
        // What erasure keeps: anonymous facts for the reports, no id, no name, no date
        // finer than a month.
        manager
            .create_table(
                Table::create()
                    .table(ErasedCandidates::Table)
                    .col(pk_auto(ErasedCandidates::Id))
                    .col(string_len(ErasedCandidates::Gender, 16))
                    // The reports' band at enrolment: 16-24, 25-54, 55-64 or other.
                    .col(string_len(ErasedCandidates::AgeBand, 8))
                    // The first day of the month of enrolment.
                    .col(date(ErasedCandidates::EnrolledMonth))
                    .col(integer_null(ErasedCandidates::JobReadyDays))
                    .col(integer_null(ErasedCandidates::SelfSufficientDays))
                    .col(string_len(ErasedCandidates::ExitReason, 32))
                    .col(boolean(ErasedCandidates::HadInternship))
                    .col(boolean(ErasedCandidates::HadTraining))
                    .col(string_len(ErasedCandidates::EmploymentForm, 16))
                    // request (Art. 17) | retention
                    .col(string_len(ErasedCandidates::Reason, 16))
                    .col(timestamp_with_time_zone(ErasedCandidates::ErasedAt))
                    .to_owned(),
            )
            .await?;
        audit_redaction(manager, true).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        audit_redaction(manager, false).await?;
        for table in [
            ErasedCandidates::Table.into_iden(),
            OutboxReleases::Table.into_iden(),
            Interests::Table.into_iden(),
            Releases::Table.into_iden(),
            ConsentRings::Table.into_iden(),
            Consents::Table.into_iden(),
            ConsentTexts::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

/// The audit log stays append-only with one exception erasure (Art. 17) needs: an
/// entry about a candidate may have its subject redacted — `object_id` set to NULL
/// and `detail` to `erased` — and nothing else changed. Who did what, and when,
/// stays; to whom is gone with the person. `allow` false restores the strict rule.
async fn audit_redaction(manager: &SchemaManager<'_>, allow: bool) -> Result<(), DbErr> {
    let db = manager.get_connection();
    match manager.get_database_backend() {
        DbBackend::Postgres => {
            let body = if allow {
                "IF TG_OP = 'UPDATE' AND OLD.object_type = 'candidate' \
                   AND NEW.object_type = 'candidate' AND NEW.object_id IS NULL \
                   AND NEW.detail = 'erased' AND NEW.id = OLD.id AND NEW.at = OLD.at \
                   AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id AND NEW.actor = OLD.actor \
                   AND NEW.action = OLD.action AND NEW.outcome = OLD.outcome \
                   AND NEW.ip IS NOT DISTINCT FROM OLD.ip THEN RETURN NEW; END IF; "
            } else {
                ""
            };
            db.execute_unprepared(&format!(
                "CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger AS $$ \
                 BEGIN {body}RAISE EXCEPTION 'audit_log is append-only'; END; $$ LANGUAGE plpgsql"
            ))
            .await?;
        }
        _ => {
            // Two names, so each direction drops one trigger and creates the other.
            let (drop, create, when) = if allow {
                (
                    "audit_log_no_update",
                    "audit_log_no_update_unless_redacted",
                    "WHEN NOT (OLD.object_type = 'candidate' AND NEW.object_type = 'candidate' \
                       AND NEW.object_id IS NULL AND NEW.detail = 'erased' AND NEW.id = OLD.id \
                       AND NEW.at = OLD.at AND NEW.actor_id IS OLD.actor_id AND NEW.actor = OLD.actor \
                       AND NEW.action = OLD.action AND NEW.outcome = OLD.outcome AND NEW.ip IS OLD.ip) ",
                )
            } else {
                (
                    "audit_log_no_update_unless_redacted",
                    "audit_log_no_update",
                    "",
                )
            };
            db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {drop}"))
                .await?;
            db.execute_unprepared(&format!(
                "CREATE TRIGGER IF NOT EXISTS {create} BEFORE UPDATE ON audit_log {when}\
                 BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
            ))
            .await?;
        }
    }
    Ok(())
}

#[derive(DeriveIden, Clone, Copy)]
enum ConsentTexts {
    Table,
    Id,
    Language,
    Version,
    Title,
    Body,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Consents {
    Table,
    Id,
    CandidateId,
    Purpose,
    TextId,
    Method,
    Witness,
    GivenOn,
    ExpiresOn,
    RecordedBy,
    RecordedAt,
    WithdrawnOn,
    WithdrawnHow,
    WithdrawnBy,
    RemindedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ConsentRings {
    Table,
    ConsentId,
    RingId,
}

#[derive(DeriveIden, Clone, Copy)]
enum Releases {
    Table,
    Id,
    ConsentId,
    CandidateId,
    RingId,
    NeedId,
    Pseudonym,
    Profile,
    Headline,
    Generalised,
    ReleasedBy,
    ReleasedAt,
    RevokedAt,
    RevokedReason,
}

#[derive(DeriveIden, Clone, Copy)]
enum Interests {
    Table,
    Id,
    ReleaseId,
    FirmId,
    UserId,
    Message,
    CreatedAt,
    MeetingAt,
    MeetingPlace,
    CandidateAgreed,
    Outcome,
    OutcomeOn,
    HandledBy,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum OutboxReleases {
    Table,
    OutboxId,
    ReleaseId,
}

#[derive(DeriveIden, Clone, Copy)]
enum ErasedCandidates {
    Table,
    Id,
    Gender,
    AgeBand,
    EnrolledMonth,
    JobReadyDays,
    SelfSufficientDays,
    ExitReason,
    HadInternship,
    HadTraining,
    EmploymentForm,
    Reason,
    ErasedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Candidates {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Rings {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Needs {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Firms {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Outbox {
    Table,
    Id,
}
