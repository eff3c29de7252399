//! The `threads`, `posts`, `post_revisions` and `thread_reads` tables.

pub mod thread {
    //! One discussion thread in a ring.
    use sea_orm::entity::prelude::*;

    /// A thread.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "threads")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub ring_id: i32,
        pub need_id: Option<i32>,
        pub title: String,
        pub author_id: i32,
        pub pinned: bool,
        pub locked_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
        pub last_activity_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod post {
    //! One post (the first one opens the thread).
    use sea_orm::entity::prelude::*;

    /// A post; `body` is the Markdown as written.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "posts")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub thread_id: i32,
        pub author_id: i32,
        pub body: String,
        pub created_at: DateTimeUtc,
        pub edited_at: Option<DateTimeUtc>,
        pub deleted_at: Option<DateTimeUtc>,
        pub hidden_at: Option<DateTimeUtc>,
        pub hidden_by: Option<i32>,
        pub hidden_reason: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod revision {
    //! An earlier version of an edited post.
    use sea_orm::entity::prelude::*;

    /// A replaced body.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "post_revisions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub post_id: i32,
        pub body: String,
        pub replaced_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod read {
    //! When a member last read a thread.
    use sea_orm::entity::prelude::*;

    /// A read marker.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "thread_reads")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub thread_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: i32,
        pub read_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
