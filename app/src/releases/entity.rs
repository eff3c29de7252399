//! The `releases`, `interests` and `outbox_releases` tables.

pub mod release {
    //! An anonymised profile released to one ring under one consent.
    use sea_orm::entity::prelude::*;

    /// A release.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "releases")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub consent_id: i32,
        pub candidate_id: i32,
        pub ring_id: i32,
        pub need_id: Option<i32>,
        pub pseudonym: String,
        pub profile: String,
        pub headline: String,
        pub generalised: bool,
        /// How far up its ladder each field was shown ([`crate::releases::model::Levels::encode`]); "" before the ladders.
        pub levels: String,
        pub released_by: Option<i32>,
        pub released_at: DateTimeUtc,
        pub revoked_at: Option<DateTimeUtc>,
        pub revoked_reason: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod interest {
    //! A firm's interest in a released profile, and the meeting it leads to.
    use sea_orm::entity::prelude::*;

    /// An interest.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "interests")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub release_id: i32,
        pub firm_id: i32,
        pub user_id: Option<i32>,
        pub message: String,
        pub created_at: DateTimeUtc,
        pub meeting_at: Option<DateTimeUtc>,
        pub meeting_place: String,
        pub candidate_agreed: bool,
        pub outcome: String,
        pub outcome_on: Option<Date>,
        pub handled_by: Option<i32>,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
