//! The candidate pool: candidates (personal data under GDPR), their languages,
//! education, work experience and preferred occupations, obstacles and health in a
//! table of their own (Art. 9 data), the job-ready assessments, action-plan steps,
//! the timeline of activities and outcomes, ring pools and need shortlists.
//!
//! Every table that holds a candidate's id deletes its rows with the candidate, so
//! erasure is one delete.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn to_candidate(table: impl IntoIden + Clone, col: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, col)
        .to(Candidates::Table, Candidates::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden + Clone + 'static,
    cols: &[&'static str],
    unique: bool,
) -> Result<(), DbErr> {
    let mut stmt = Index::create();
    stmt.name(name).table(table);
    for col in cols {
        stmt.col(Alias::new(*col));
    }
    if unique {
        stmt.unique();
    }
    manager.create_index(stmt.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Candidates::Table)
                    .col(pk_auto(Candidates::Id))
                    .col(string(Candidates::Name))
                    // Twelve digits, no dash (samordningsnummer: day + 60).
                    .col(string_len_uniq(Candidates::Personnummer, 12))
                    .col(string(Candidates::Email))
                    .col(string(Candidates::Phone))
                    .col(string_len(Candidates::Gender, 16))
                    .col(date(Candidates::BirthDate))
                    .col(date_null(Candidates::PermitDate))
                    .col(date(Candidates::EnrolledOn))
                    // "" or A–D; the study path 1–3.
                    .col(string_len(Candidates::SfiCourse, 1))
                    .col(small_integer_null(Candidates::SfiPath))
                    // Licence classes, comma-separated ("B,C").
                    .col(string_len(Candidates::DrivingLicence, 32))
                    .col(date_null(Candidates::AvailableFrom))
                    .col(string_len(Candidates::Hours, 8))
                    .col(string(Candidates::AvailabilityNote))
                    // The first day all four job-ready criteria held.
                    .col(date_null(Candidates::JobReadySince))
                    // Kept by the service on every change, for matching at scale:
                    // the best Swedish as a rank (see candidates::model), criteria
                    // met now, and whether the candidate is still in the programme.
                    .col(small_integer(Candidates::SwedishRank))
                    .col(small_integer(Candidates::CriteriaMet))
                    .col(boolean(Candidates::Active))
                    // Optimistic concurrency: every update checks and bumps it.
                    .col(integer(Candidates::Version))
                    .col(integer_null(Candidates::CreatedBy))
                    .col(timestamp_with_time_zone(Candidates::CreatedAt))
                    .col(timestamp_with_time_zone(Candidates::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_candidates_active",
            Candidates::Table,
            &["active"],
            false,
        )
        .await?;
        // Covers what matching reads of each candidate it ranks, so the ranking
        // query reads the index and not the wide rows (about a third faster at
        // 100 000 candidates on PostgreSQL).
        index(
            manager,
            "idx_candidates_matching",
            Candidates::Table,
            &[
                "id",
                "active",
                "swedish_rank",
                "criteria_met",
                "driving_licence",
                "available_from",
                "enrolled_on",
            ],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(CandidateLanguages::Table)
                    .col(pk_auto(CandidateLanguages::Id))
                    .col(integer(CandidateLanguages::CandidateId))
                    .col(string_len(CandidateLanguages::Language, 8))
                    // "L1" (first language) or CEFR A1–C2.
                    .col(string_len(CandidateLanguages::Level, 4))
                    .foreign_key(&mut to_candidate(
                        CandidateLanguages::Table,
                        CandidateLanguages::CandidateId,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_candidate_languages_unique",
            CandidateLanguages::Table,
            &["candidate_id", "language"],
            true,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(CandidateEducations::Table)
                    .col(pk_auto(CandidateEducations::Id))
                    .col(integer(CandidateEducations::CandidateId))
                    .col(small_integer(CandidateEducations::Isced))
                    .col(string(CandidateEducations::Field))
                    .col(string(CandidateEducations::Country))
                    .col(small_integer(CandidateEducations::Years))
                    .col(boolean(CandidateEducations::Validated))
                    .foreign_key(&mut to_candidate(
                        CandidateEducations::Table,
                        CandidateEducations::CandidateId,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_candidate_educations_candidate",
            CandidateEducations::Table,
            &["candidate_id"],
            false,
        )
        .await?;

        for (table, name) in [
            (CandidateExperiences::Table, "experiences"),
            (CandidateExperiences::Preferences, "preferences"),
        ] {
            let mut create = Table::create();
            create
                .table(table.clone())
                .col(pk_auto(CandidateExperiences::Id))
                .col(integer(CandidateExperiences::CandidateId))
                .col(string_len(CandidateExperiences::OccupationCode, 4))
                .foreign_key(&mut to_candidate(
                    table.clone(),
                    CandidateExperiences::CandidateId,
                ))
                .foreign_key(
                    ForeignKey::create()
                        .from(table.clone(), CandidateExperiences::OccupationCode)
                        .to(Occupations::Table, Occupations::Code),
                );
            if name == "experiences" {
                create
                    .col(small_integer(CandidateExperiences::Years))
                    .col(string(CandidateExperiences::Country));
            }
            manager.create_table(create.to_owned()).await?;
            index(
                manager,
                &format!("idx_candidate_{name}_candidate"),
                table.clone(),
                &["candidate_id"],
                false,
            )
            .await?;
            // Matching finds candidates near a need by a range of codes.
            index(
                manager,
                &format!("idx_candidate_{name}_code"),
                table,
                &["occupation_code", "candidate_id"],
                false,
            )
            .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(CandidateHealth::Table)
                    .col(integer(CandidateHealth::CandidateId).primary_key())
                    .col(text(CandidateHealth::Obstacles))
                    .col(text(CandidateHealth::Health))
                    .col(integer_null(CandidateHealth::UpdatedBy))
                    .col(timestamp_with_time_zone(CandidateHealth::UpdatedAt))
                    .foreign_key(&mut to_candidate(
                        CandidateHealth::Table,
                        CandidateHealth::CandidateId,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Assessments::Table)
                    .col(pk_auto(Assessments::Id))
                    .col(integer(Assessments::CandidateId))
                    // A formalities, B own responsibility, C social competence, D language.
                    .col(string_len(Assessments::Criterion, 1))
                    .col(boolean(Assessments::Met))
                    .col(date(Assessments::AssessedOn))
                    .col(integer_null(Assessments::AssessorId))
                    .col(string(Assessments::AssessorName))
                    .col(text(Assessments::Comment))
                    .col(timestamp_with_time_zone(Assessments::CreatedAt))
                    .foreign_key(&mut to_candidate(
                        Assessments::Table,
                        Assessments::CandidateId,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_assessments_candidate",
            Assessments::Table,
            &["candidate_id", "criterion"],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(PlanSteps::Table)
                    .col(pk_auto(PlanSteps::Id))
                    .col(integer(PlanSteps::CandidateId))
                    .col(date(PlanSteps::DueOn))
                    .col(text(PlanSteps::Description))
                    .col(date_null(PlanSteps::DoneOn))
                    .col(integer_null(PlanSteps::CreatedBy))
                    .col(timestamp_with_time_zone(PlanSteps::CreatedAt))
                    .foreign_key(&mut to_candidate(PlanSteps::Table, PlanSteps::CandidateId))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_plan_steps_candidate",
            PlanSteps::Table,
            &["candidate_id"],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Activities::Table)
                    .col(pk_auto(Activities::Id))
                    .col(integer(Activities::CandidateId))
                    // internship, training, employment, studies, self_sufficiency, exit
                    .col(string_len(Activities::Kind, 20))
                    .col(integer_null(Activities::FirmId))
                    .col(integer_null(Activities::NeedId))
                    .col(string(Activities::Title))
                    .col(string(Activities::Provider))
                    .col(date(Activities::StartOn))
                    .col(date_null(Activities::EndOn))
                    .col(boolean_null(Activities::Completed))
                    .col(string_len(Activities::EmploymentForm, 16))
                    .col(string_len(Activities::ExitReason, 20))
                    .col(text(Activities::Note))
                    .col(integer_null(Activities::CreatedBy))
                    .col(timestamp_with_time_zone(Activities::CreatedAt))
                    .foreign_key(&mut to_candidate(
                        Activities::Table,
                        Activities::CandidateId,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Activities::Table, Activities::FirmId)
                            .to(Firms::Table, Firms::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Activities::Table, Activities::NeedId)
                            .to(Needs::Table, Needs::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_activities_candidate",
            Activities::Table,
            &["candidate_id", "start_on"],
            false,
        )
        .await?;

        for (table, owner, owner_table, name) in [
            (
                Lists::PoolEntries,
                Lists::RingId,
                Rings::Table.into_iden(),
                "pool",
            ),
            (
                Lists::ShortlistEntries,
                Lists::NeedId,
                Needs::Table.into_iden(),
                "shortlist",
            ),
        ] {
            manager
                .create_table(
                    Table::create()
                        .table(table.clone())
                        .col(pk_auto(Lists::Id))
                        .col(integer(owner.clone()))
                        .col(integer(Lists::CandidateId))
                        .col(text(Lists::Note))
                        .col(integer_null(Lists::AddedBy))
                        .col(timestamp_with_time_zone(Lists::AddedAt))
                        .foreign_key(&mut to_candidate(table.clone(), Lists::CandidateId))
                        .foreign_key(
                            ForeignKey::create()
                                .from(table.clone(), owner.clone())
                                .to(owner_table, Alias::new("id"))
                                .on_delete(ForeignKeyAction::Cascade),
                        )
                        .to_owned(),
                )
                .await?;
            let owner_col: &'static str = match owner {
                Lists::RingId => "ring_id",
                _ => "need_id",
            };
            index(
                manager,
                &format!("idx_{name}_entries_unique"),
                table.clone(),
                &[owner_col, "candidate_id"],
                true,
            )
            .await?;
            index(
                manager,
                &format!("idx_{name}_entries_candidate"),
                table,
                &["candidate_id"],
                false,
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Lists::ShortlistEntries.into_iden(),
            Lists::PoolEntries.into_iden(),
            Activities::Table.into_iden(),
            PlanSteps::Table.into_iden(),
            Assessments::Table.into_iden(),
            CandidateHealth::Table.into_iden(),
            CandidateExperiences::Preferences.into_iden(),
            CandidateExperiences::Table.into_iden(),
            CandidateEducations::Table.into_iden(),
            CandidateLanguages::Table.into_iden(),
            Candidates::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone)]
enum Rings {
    Table,
}

#[derive(DeriveIden, Clone)]
enum Firms {
    Table,
    Id,
}

#[derive(DeriveIden, Clone)]
enum Needs {
    Table,
    Id,
}

#[derive(DeriveIden, Clone)]
enum Occupations {
    Table,
    Code,
}

#[derive(DeriveIden, Clone)]
enum Candidates {
    Table,
    Id,
    Name,
    Personnummer,
    Email,
    Phone,
    Gender,
    BirthDate,
    PermitDate,
    EnrolledOn,
    SfiCourse,
    SfiPath,
    DrivingLicence,
    AvailableFrom,
    Hours,
    AvailabilityNote,
    JobReadySince,
    SwedishRank,
    CriteriaMet,
    Active,
    Version,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone)]
enum CandidateLanguages {
    Table,
    Id,
    CandidateId,
    Language,
    Level,
}

#[derive(DeriveIden, Clone)]
enum CandidateEducations {
    Table,
    Id,
    CandidateId,
    Isced,
    Field,
    Country,
    Years,
    Validated,
}

#[derive(DeriveIden, Clone)]
enum CandidateExperiences {
    Table,
    #[sea_orm(iden = "candidate_preferences")]
    Preferences,
    Id,
    CandidateId,
    OccupationCode,
    Years,
    Country,
}

#[derive(DeriveIden, Clone)]
enum CandidateHealth {
    Table,
    CandidateId,
    Obstacles,
    Health,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden, Clone)]
enum Assessments {
    Table,
    Id,
    CandidateId,
    Criterion,
    Met,
    AssessedOn,
    AssessorId,
    AssessorName,
    Comment,
    CreatedAt,
}

#[derive(DeriveIden, Clone)]
enum PlanSteps {
    Table,
    Id,
    CandidateId,
    DueOn,
    Description,
    DoneOn,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden, Clone)]
enum Activities {
    Table,
    Id,
    CandidateId,
    Kind,
    FirmId,
    NeedId,
    Title,
    Provider,
    StartOn,
    EndOn,
    Completed,
    EmploymentForm,
    ExitReason,
    Note,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden, Clone)]
enum Lists {
    PoolEntries,
    ShortlistEntries,
    Id,
    RingId,
    NeedId,
    CandidateId,
    Note,
    AddedBy,
    AddedAt,
}
