//! What lets the menu's count of an employer's news skip building the news on every
//! page (`app::home::badge`): one counter row that the database itself bumps on every
//! change to a table the news are read from, so no write path can forget it. On
//! PostgreSQL the bump runs at commit (a deferred trigger): the counter's row lock is
//! the last lock a transaction takes, so it orders the commits without adding a
//! deadlock. On SQLite, where writers take turns anyway, it runs with each change.

use sea_orm_migration::{prelude::*, schema::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables an employer's news are read from (`app::digests::content` and the
/// home's read threads less the reads themselves, which the badge reads directly).
const TABLES: [&str; 10] = [
    "needs",
    "need_events",
    "firms",
    "threads",
    "posts",
    "releases",
    "consents",
    "meetings",
    "rings",
    "ring_memberships",
];

const EVENTS: [&str; 3] = ["insert", "update", "delete"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(NewsState::Table)
                    .col(integer(NewsState::Id).primary_key())
                    .col(big_integer(NewsState::Version).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(NewsState::Table)
                    .columns([NewsState::Id, NewsState::Version])
                    .values_panic([1.into(), 0.into()])
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        let bump = "UPDATE news_state SET version = version + 1 WHERE id = 1";
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(&format!(
                    "CREATE FUNCTION news_state_bump() RETURNS trigger AS $$ \
                     BEGIN {bump}; RETURN NULL; END; $$ LANGUAGE plpgsql"
                ))
                .await?;
                for table in TABLES {
                    db.execute_unprepared(&format!(
                        "CREATE CONSTRAINT TRIGGER news_state_{table} \
                         AFTER INSERT OR UPDATE OR DELETE ON {table} \
                         DEFERRABLE INITIALLY DEFERRED FOR EACH ROW \
                         EXECUTE FUNCTION news_state_bump()"
                    ))
                    .await?;
                }
            }
            _ => {
                for table in TABLES {
                    for event in EVENTS {
                        db.execute_unprepared(&format!(
                            "CREATE TRIGGER news_state_{table}_{event} AFTER {event} ON {table} \
                             BEGIN {bump}; END"
                        ))
                        .await?;
                    }
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                for table in TABLES {
                    db.execute_unprepared(&format!(
                        "DROP TRIGGER IF EXISTS news_state_{table} ON {table}"
                    ))
                    .await?;
                }
                db.execute_unprepared("DROP FUNCTION IF EXISTS news_state_bump()")
                    .await?;
            }
            _ => {
                for table in TABLES {
                    for event in EVENTS {
                        db.execute_unprepared(&format!(
                            "DROP TRIGGER IF EXISTS news_state_{table}_{event}"
                        ))
                        .await?;
                    }
                }
            }
        }
        manager
            .drop_table(Table::drop().table(NewsState::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum NewsState {
    Table,
    Id,
    Version,
}
