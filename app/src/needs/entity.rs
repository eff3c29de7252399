//! The `occupations`, `needs` and `need_events` tables.

pub mod occupation {
    //! One SSYK 2012 group (levels 1–4), as shipped.
    use sea_orm::entity::prelude::*;

    /// An occupation group.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "occupations")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub code: String,
        pub level: i16,
        pub parent: Option<String>,
        pub name_sv: String,
        pub name_en: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod need {
    //! One recruitment need.
    use sea_orm::entity::prelude::*;

    /// A need.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "needs")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub ring_id: i32,
        pub firm_id: i32,
        pub occupation_code: String,
        pub title: String,
        pub description: String,
        pub positions: i32,
        pub required_skills: String,
        pub merit_skills: String,
        pub swedish_level: String,
        pub other_languages: String,
        pub driving_licence: String,
        pub start_date: Date,
        pub employment_form: String,
        pub internship_first: bool,
        pub suggested_training: String,
        pub status: String,
        pub created_by: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod event {
    //! One step in a need's history.
    use sea_orm::entity::prelude::*;

    /// A history entry.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "need_events")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub need_id: i32,
        pub at: DateTimeUtc,
        pub actor_id: Option<i32>,
        pub actor_name: String,
        pub action: String,
        pub detail: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
