//! Connecting to the database (SQLite by default, PostgreSQL by URL), migrating it,
//! and the installation secret.

use std::{path::Path, time::Duration};

use anyhow::Context;
use migrations::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement,
    sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous},
};

/// Opens a pool on `url`. For SQLite the file's folder is created, and the
/// connection uses WAL, a busy timeout and foreign keys.
pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    if let Some(path) = sqlite_path(url)
        && let Some(dir) = Path::new(&path)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("could not create the folder {}", dir.display()))?;
    }
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .acquire_timeout(Duration::from_secs(10))
        .connect_timeout(Duration::from_secs(10))
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                .create_if_missing(true)
        });
    if url.starts_with("sqlite:") {
        // One writer at a time in SQLite; a small pool avoids lock convoys.
        options.max_connections(8);
    }
    Database::connect(options)
        .await
        .with_context(|| "could not open the database".to_owned())
}

/// The file of a `sqlite:` URL, unless it is in memory.
fn sqlite_path(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        None
    } else {
        Some(path.to_owned())
    }
}

/// Applies every pending migration; returns how many ran.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<usize> {
    let pending = Migrator::get_pending_migrations(db)
        .await
        .context("could not read the migration state")?
        .len();
    Migrator::up(db, None).await.context("a migration failed")?;
    Ok(pending)
}

/// The signing secret: the configured one, else the one kept in the database, else a
/// new random one stored there (the first process to store it wins a race).
pub async fn secret(db: &DatabaseConnection, configured: Option<&str>) -> anyhow::Result<Vec<u8>> {
    if let Some(value) = configured {
        anyhow::ensure!(
            value.len() >= 32,
            "BROAR_SECRET must be at least 32 characters"
        );
        return Ok(value.as_bytes().to_vec());
    }
    let backend = db.get_database_backend();
    let fresh = app::ssr::random_token(32);
    let insert = match backend {
        DbBackend::Postgres => {
            "INSERT INTO app_secrets (name, value, created_at) VALUES ('signing', $1, CURRENT_TIMESTAMP) ON CONFLICT (name) DO NOTHING"
        }
        _ => {
            "INSERT INTO app_secrets (name, value, created_at) VALUES ('signing', ?, CURRENT_TIMESTAMP) ON CONFLICT (name) DO NOTHING"
        }
    };
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        insert,
        [fresh.into()],
    ))
    .await
    .context("could not store the signing secret")?;
    let row = db
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT value FROM app_secrets WHERE name = 'signing'",
        ))
        .await?
        .context("the signing secret is missing after it was stored")?;
    let value: String = row.try_get("", "value")?;
    Ok(value.into_bytes())
}

/// The shared settings kept in the database (`Settings::resolve_shared`).
pub async fn shared_settings(
    db: &DatabaseConnection,
) -> Result<std::collections::HashMap<String, String>, sea_orm::DbErr> {
    db.query_all_raw(Statement::from_string(
        db.get_database_backend(),
        "SELECT name, value FROM app_settings",
    ))
    .await?
    .iter()
    .map(|r| Ok((r.try_get("", "name")?, r.try_get("", "value")?)))
    .collect()
}

/// Stores one shared setting.
pub async fn store_shared_setting(
    db: &DatabaseConnection,
    name: &str,
    value: &str,
) -> Result<(), sea_orm::DbErr> {
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        app::ssr::sql(
            backend,
            "INSERT INTO app_settings (name, value, updated_at) VALUES (?, ?, ?) \
             ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        ),
        [name.into(), value.into(), chrono::Utc::now().into()],
    ))
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::sqlite_path;

    #[test]
    fn the_sqlite_file_is_found_in_its_url() {
        assert_eq!(
            sqlite_path("sqlite://data/broar.sqlite?mode=rwc").as_deref(),
            Some("data/broar.sqlite")
        );
        assert_eq!(
            sqlite_path("sqlite:/tmp/x.db").as_deref(),
            Some("/tmp/x.db")
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://localhost/broar"), None);
    }
}
