//! The `rings`, `ring_memberships`, `invitations`, `meetings` and `meeting_responses`
//! tables.

pub mod ring {
    //! One recruitment ring.
    use sea_orm::entity::prelude::*;

    /// A ring.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "rings")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub name: String,
        pub description: String,
        pub sector_focus: Option<String>,
        pub host_coordinator_id: i32,
        pub status: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod membership {
    //! One spell of a firm in a ring; `left_at` is set when it ends.
    use sea_orm::entity::prelude::*;

    /// A membership spell.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "ring_memberships")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub ring_id: i32,
        pub firm_id: i32,
        pub joined_at: DateTimeUtc,
        pub joined_by: Option<i32>,
        pub left_at: Option<DateTimeUtc>,
        pub left_by: Option<i32>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod invitation {
    //! An invitation of a person at a firm into a ring.
    use sea_orm::entity::prelude::*;

    /// An invitation; only the SHA-256 of its link's token is stored.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "invitations")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub ring_id: i32,
        pub firm_id: i32,
        pub email: String,
        pub name: String,
        pub locale: String,
        #[sea_orm(unique)]
        pub token_hash: String,
        pub expires_at: DateTimeUtc,
        pub invited_by: i32,
        pub send_count: i32,
        pub last_sent_at: DateTimeUtc,
        pub accepted_at: Option<DateTimeUtc>,
        pub accepted_user_id: Option<i32>,
        pub revoked_at: Option<DateTimeUtc>,
        pub revoked_by: Option<i32>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod meeting {
    //! One ring meeting (mötesplats).
    use sea_orm::entity::prelude::*;

    /// A meeting.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "meetings")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub ring_id: i32,
        pub starts_at: DateTimeUtc,
        pub ends_at: DateTimeUtc,
        pub place: String,
        pub agenda: String,
        pub created_by: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod response {
    //! A person's answer to a meeting, and whether they came.
    use sea_orm::entity::prelude::*;

    /// An answer.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "meeting_responses")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub meeting_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: i32,
        pub answer: String,
        pub attended: Option<bool>,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
