//! `broar backup FILE`: a consistent copy of the database while the portal runs.
//! SQLite: `VACUUM INTO` (one transaction's snapshot, written compactly; the WAL's
//! committed pages are in it). PostgreSQL: `pg_dump` in its custom format, restored
//! with `pg_restore`. The file must not exist yet: a backup never overwrites.

use std::path::Path;

use anyhow::Context;
use app::db::Db;
use sea_orm::{ConnectionTrait, DbBackend, Statement};

/// Writes the backup of `db` (reached at `url`) to `file`.
pub async fn backup(db: &Db, url: &str, file: &Path) -> anyhow::Result<()> {
    anyhow::ensure!(
        !file.exists(),
        "{} exists already; a backup never overwrites a file",
        file.display()
    );
    match db.get_database_backend() {
        DbBackend::Sqlite => {
            let target = file
                .to_str()
                .context("the backup file's name must be UTF-8")?;
            // It only reads the database: a reader's snapshot, the writer stays free.
            db.reader()
                .execute_raw(Statement::from_sql_and_values(
                    DbBackend::Sqlite,
                    "VACUUM INTO ?",
                    [target.into()],
                ))
                .await
                .context("writing the SQLite backup")?;
        }
        _ => {
            let status = std::process::Command::new("pg_dump")
                .args(["--format=custom", "--no-owner", "--file"])
                .arg(file)
                .arg("--dbname")
                .arg(url)
                .status()
                .context("running pg_dump (install PostgreSQL's client programs)")?;
            anyhow::ensure!(status.success(), "pg_dump failed: {status}");
        }
    }
    Ok(())
}
