//! The `tracks`, `track_firms` and `track_participants` tables.

pub mod track {
    //! A job track: a short vocational training for one occupation, run with a ring.
    use sea_orm::entity::prelude::*;

    /// A track.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "tracks")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub ring_id: i32,
        pub occupation_code: String,
        pub title: String,
        pub training_name: String,
        pub provider: String,
        pub starts_on: Date,
        pub ends_on: Date,
        pub seats: i32,
        pub swedish_level: String,
        pub swedish_for_trade: String,
        pub status: String,
        pub created_by: Option<i32>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod track_firm {
    //! A firm's commitment of internship places and jobs to a track.
    use sea_orm::entity::prelude::*;

    /// A commitment.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "track_firms")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub track_id: i32,
        pub firm_id: i32,
        pub internships: i32,
        pub jobs: i32,
        pub status: String,
        pub note: String,
        pub proposed_by: Option<i32>,
        pub proposed_at: DateTimeUtc,
        pub answered_by: Option<i32>,
        pub answered_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod track_participant {
    //! A candidate enrolled in a track.
    use sea_orm::entity::prelude::*;

    /// A participant.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "track_participants")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub track_id: i32,
        pub candidate_id: i32,
        pub enrolled_on: Date,
        pub status: String,
        pub ended_on: Option<Date>,
        pub consent_id: Option<i32>,
        pub enrolled_by: Option<i32>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
