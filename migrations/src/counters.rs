//! A change counter: one row that the database itself bumps on every change to a list
//! of tables, so no write path can forget it. A process that keeps something read from
//! those tables keeps it while the counter stands still. On PostgreSQL the bump runs at
//! commit (a deferred trigger): the counter's row lock is the last lock a transaction
//! takes, so it orders the commits without adding a deadlock. On SQLite, where writers
//! take turns anyway, it runs with each change. (`news_state`, the first such counter,
//! spells the same out in its own migration, which landed before this.)

use sea_orm_migration::{prelude::*, schema::*, sea_orm::DbBackend};

const EVENTS: [&str; 3] = ["insert", "update", "delete"];

/// Creates the counter `name` (a table of one row, id 1, its `version` at 0) and the
/// triggers that bump it on every change to `tables`.
pub async fn create(manager: &SchemaManager<'_>, name: &str, tables: &[&str]) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Alias::new(name))
                .col(integer(Alias::new("id")).primary_key())
                .col(big_integer(Alias::new("version")).default(0))
                .to_owned(),
        )
        .await?;
    manager
        .exec_stmt(
            Query::insert()
                .into_table(Alias::new(name))
                .columns([Alias::new("id"), Alias::new("version")])
                .values_panic([1.into(), 0.into()])
                .to_owned(),
        )
        .await?;
    let db = manager.get_connection();
    let bump = format!("UPDATE {name} SET version = version + 1 WHERE id = 1");
    match manager.get_database_backend() {
        DbBackend::Postgres => {
            db.execute_unprepared(&format!(
                "CREATE FUNCTION {name}_bump() RETURNS trigger AS $$ \
                 BEGIN {bump}; RETURN NULL; END; $$ LANGUAGE plpgsql"
            ))
            .await?;
            for table in tables {
                db.execute_unprepared(&format!(
                    "CREATE CONSTRAINT TRIGGER {name}_{table} \
                     AFTER INSERT OR UPDATE OR DELETE ON {table} \
                     DEFERRABLE INITIALLY DEFERRED FOR EACH ROW \
                     EXECUTE FUNCTION {name}_bump()"
                ))
                .await?;
            }
        }
        _ => {
            for table in tables {
                for event in EVENTS {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER {name}_{table}_{event} AFTER {event} ON {table} \
                         BEGIN {bump}; END"
                    ))
                    .await?;
                }
            }
        }
    }
    Ok(())
}

/// Drops what [`create`] made.
pub async fn drop(manager: &SchemaManager<'_>, name: &str, tables: &[&str]) -> Result<(), DbErr> {
    let db = manager.get_connection();
    match manager.get_database_backend() {
        DbBackend::Postgres => {
            for table in tables {
                db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {name}_{table} ON {table}"))
                    .await?;
            }
            db.execute_unprepared(&format!("DROP FUNCTION IF EXISTS {name}_bump()"))
                .await?;
        }
        _ => {
            for table in tables {
                for event in EVENTS {
                    db.execute_unprepared(&format!(
                        "DROP TRIGGER IF EXISTS {name}_{table}_{event}"
                    ))
                    .await?;
                }
            }
        }
    }
    manager
        .drop_table(Table::drop().table(Alias::new(name)).to_owned())
        .await
}
