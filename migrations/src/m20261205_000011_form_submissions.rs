//! A form posted twice is saved once: each create form carries a token
//! (`app::ui::ONCE_FIELD`), and the server keeps the first post's answer under it
//! (`form_submissions`), so a second press, a double click or a browser resending the
//! post gets the same answer and changes nothing. Rows are kept for a day.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(FormSubmissions::Table)
                    .if_not_exists()
                    // A hash of the session and the form's token: who posted is not kept.
                    .col(string_len(FormSubmissions::Key, 64).primary_key())
                    .col(string(FormSubmissions::Path))
                    // Empty until the first post has its answer.
                    .col(integer_null(FormSubmissions::Status))
                    .col(text_null(FormSubmissions::Location))
                    .col(text_null(FormSubmissions::Body))
                    .col(timestamp_with_time_zone(FormSubmissions::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("form_submissions_created_at")
                    .table(FormSubmissions::Table)
                    .col(FormSubmissions::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(FormSubmissions::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum FormSubmissions {
    Table,
    Key,
    Path,
    Status,
    Location,
    Body,
    CreatedAt,
}
