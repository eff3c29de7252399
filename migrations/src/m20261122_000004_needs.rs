//! The SSYK 2012 occupation classification (loaded from the shipped CSV), recruitment
//! needs and each need's history.

use sea_orm_migration::{prelude::*, schema::*};

/// SSYK 2012 from SCB, Swedish and English names: code, level, parent, name_sv, name_en.
const SSYK: &str = include_str!("../data/ssyk2012.csv");

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Occupations::Table)
                    .col(string_len(Occupations::Code, 4).primary_key())
                    .col(small_integer(Occupations::Level))
                    .col(string_len_null(Occupations::Parent, 4))
                    .col(string(Occupations::NameSv))
                    .col(string(Occupations::NameEn))
                    .to_owned(),
            )
            .await?;
        let mut reader = csv::ReaderBuilder::new().from_reader(SSYK.as_bytes());
        let mut insert = Query::insert()
            .into_table(Occupations::Table)
            .columns([
                Occupations::Code,
                Occupations::Level,
                Occupations::Parent,
                Occupations::NameSv,
                Occupations::NameEn,
            ])
            .to_owned();
        for record in reader.records() {
            let r = record.map_err(|e| DbErr::Custom(format!("ssyk2012.csv: {e}")))?;
            let field = |i: usize| r.get(i).unwrap_or_default().trim().to_owned();
            let level: i16 = field(1)
                .parse()
                .map_err(|_| DbErr::Custom(format!("ssyk2012.csv: level of {}", field(0))))?;
            let parent = Some(field(2)).filter(|p| !p.is_empty());
            insert.values_panic([
                field(0).into(),
                level.into(),
                parent.into(),
                field(3).into(),
                field(4).into(),
            ]);
        }
        manager.exec_stmt(insert).await?;
        manager
            .create_table(
                Table::create()
                    .table(Needs::Table)
                    .col(pk_auto(Needs::Id))
                    .col(integer(Needs::RingId))
                    .col(integer(Needs::FirmId))
                    .col(string_len(Needs::OccupationCode, 4))
                    .col(string(Needs::Title))
                    .col(text(Needs::Description))
                    .col(integer(Needs::Positions))
                    .col(text(Needs::RequiredSkills))
                    .col(text(Needs::MeritSkills))
                    // "A1".."C2", "SFI-A".."SFI-D", or empty for no requirement.
                    .col(string_len(Needs::SwedishLevel, 8))
                    .col(string(Needs::OtherLanguages))
                    .col(string_len(Needs::DrivingLicence, 8))
                    .col(date(Needs::StartDate))
                    .col(string_len(Needs::EmploymentForm, 16))
                    .col(boolean(Needs::InternshipFirst))
                    .col(string(Needs::SuggestedTraining))
                    .col(string_len(Needs::Status, 8))
                    .col(integer(Needs::CreatedBy))
                    .col(timestamp_with_time_zone(Needs::CreatedAt))
                    .col(timestamp_with_time_zone(Needs::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Needs::Table, Needs::RingId)
                            .to(Rings::Table, Rings::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Needs::Table, Needs::FirmId)
                            .to(Firms::Table, Firms::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Needs::Table, Needs::OccupationCode)
                            .to(Occupations::Table, Occupations::Code),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_needs_ring", Needs::RingId),
            ("idx_needs_firm", Needs::FirmId),
            ("idx_needs_occupation", Needs::OccupationCode),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Needs::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(NeedEvents::Table)
                    .col(pk_auto(NeedEvents::Id))
                    .col(integer(NeedEvents::NeedId))
                    .col(timestamp_with_time_zone(NeedEvents::At))
                    .col(integer_null(NeedEvents::ActorId))
                    .col(string(NeedEvents::ActorName))
                    .col(string_len(NeedEvents::Action, 16))
                    .col(string(NeedEvents::Detail))
                    .foreign_key(
                        ForeignKey::create()
                            .from(NeedEvents::Table, NeedEvents::NeedId)
                            .to(Needs::Table, Needs::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_need_events_need")
                    .table(NeedEvents::Table)
                    .col(NeedEvents::NeedId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            NeedEvents::Table.into_iden(),
            Needs::Table.into_iden(),
            Occupations::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
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
enum Occupations {
    Table,
    Code,
    Level,
    Parent,
    NameSv,
    NameEn,
}

#[derive(DeriveIden)]
enum Needs {
    Table,
    Id,
    RingId,
    FirmId,
    OccupationCode,
    Title,
    Description,
    Positions,
    RequiredSkills,
    MeritSkills,
    SwedishLevel,
    OtherLanguages,
    DrivingLicence,
    StartDate,
    EmploymentForm,
    InternshipFirst,
    SuggestedTraining,
    Status,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum NeedEvents {
    Table,
    Id,
    NeedId,
    At,
    ActorId,
    ActorName,
    Action,
    Detail,
}
