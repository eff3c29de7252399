//! The `consent_texts`, `consents` and `consent_rings` tables.

pub mod consent_text {
    //! One version of the consent wording in one language.
    use sea_orm::entity::prelude::*;

    /// A wording.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "consent_texts")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub language: String,
        pub version: i32,
        pub title: String,
        pub body: String,
        pub created_by: Option<i32>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod consent {
    //! A consent a candidate gave.
    use sea_orm::entity::prelude::*;

    /// A consent.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "consents")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub candidate_id: i32,
        pub purpose: String,
        pub text_id: i32,
        pub method: String,
        pub witness: String,
        pub given_on: Date,
        pub expires_on: Date,
        pub recorded_by: Option<i32>,
        pub recorded_at: DateTimeUtc,
        pub withdrawn_on: Option<Date>,
        pub withdrawn_how: String,
        pub withdrawn_by: Option<i32>,
        pub reminded_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}

    impl Model {
        /// Given, not expired on `today`, not withdrawn.
        pub fn active_on(&self, today: Date) -> bool {
            self.given_on <= today && today < self.expires_on && self.withdrawn_on.is_none()
        }
    }
}

pub mod consent_ring {
    //! A ring in a consent's scope.
    use sea_orm::entity::prelude::*;

    /// A consent's ring.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "consent_rings")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub consent_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub ring_id: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
