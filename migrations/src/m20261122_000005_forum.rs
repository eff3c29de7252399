//! Ring discussions: threads, posts, earlier versions of edited posts, and what each
//! member has read.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Threads::Table)
                    .col(pk_auto(Threads::Id))
                    .col(integer(Threads::RingId))
                    .col(integer_null(Threads::NeedId))
                    .col(string(Threads::Title))
                    .col(integer(Threads::AuthorId))
                    .col(boolean(Threads::Pinned).default(false))
                    .col(timestamp_with_time_zone_null(Threads::LockedAt))
                    .col(timestamp_with_time_zone(Threads::CreatedAt))
                    .col(timestamp_with_time_zone(Threads::LastActivityAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Threads::Table, Threads::RingId)
                            .to(Rings::Table, Rings::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Threads::Table, Threads::NeedId)
                            .to(Needs::Table, Needs::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_threads_ring_activity")
                    .table(Threads::Table)
                    .col(Threads::RingId)
                    .col(Threads::LastActivityAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Posts::Table)
                    .col(pk_auto(Posts::Id))
                    .col(integer(Posts::ThreadId))
                    .col(integer(Posts::AuthorId))
                    .col(text(Posts::Body))
                    .col(timestamp_with_time_zone(Posts::CreatedAt))
                    .col(timestamp_with_time_zone_null(Posts::EditedAt))
                    .col(timestamp_with_time_zone_null(Posts::DeletedAt))
                    .col(timestamp_with_time_zone_null(Posts::HiddenAt))
                    .col(integer_null(Posts::HiddenBy))
                    .col(string(Posts::HiddenReason).default(""))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Posts::Table, Posts::ThreadId)
                            .to(Threads::Table, Threads::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_posts_thread")
                    .table(Posts::Table)
                    .col(Posts::ThreadId)
                    .col(Posts::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PostRevisions::Table)
                    .col(pk_auto(PostRevisions::Id))
                    .col(integer(PostRevisions::PostId))
                    .col(text(PostRevisions::Body))
                    .col(timestamp_with_time_zone(PostRevisions::ReplacedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PostRevisions::Table, PostRevisions::PostId)
                            .to(Posts::Table, Posts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ThreadReads::Table)
                    .col(integer(ThreadReads::ThreadId))
                    .col(integer(ThreadReads::UserId))
                    .col(timestamp_with_time_zone(ThreadReads::ReadAt))
                    .primary_key(
                        Index::create()
                            .col(ThreadReads::ThreadId)
                            .col(ThreadReads::UserId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ThreadReads::Table, ThreadReads::ThreadId)
                            .to(Threads::Table, Threads::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ThreadReads::Table.into_iden(),
            PostRevisions::Table.into_iden(),
            Posts::Table.into_iden(),
            Threads::Table.into_iden(),
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
enum Needs {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Threads {
    Table,
    Id,
    RingId,
    NeedId,
    Title,
    AuthorId,
    Pinned,
    LockedAt,
    CreatedAt,
    LastActivityAt,
}

#[derive(DeriveIden)]
enum Posts {
    Table,
    Id,
    ThreadId,
    AuthorId,
    Body,
    CreatedAt,
    EditedAt,
    DeletedAt,
    HiddenAt,
    HiddenBy,
    HiddenReason,
}

#[derive(DeriveIden)]
enum PostRevisions {
    Table,
    Id,
    PostId,
    Body,
    ReplacedAt,
}

#[derive(DeriveIden)]
enum ThreadReads {
    Table,
    ThreadId,
    UserId,
    ReadAt,
}
