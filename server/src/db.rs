//! Connecting to the database (SQLite by default, PostgreSQL by URL), migrating it,
//! and the installation secret.

use std::{path::Path, time::Duration};

use anyhow::Context;
use app::db::Db;
use migrations::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement,
    sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous},
};

/// Opens the database at `url` (see [`Db`]): on PostgreSQL one pool; on a SQLite file,
/// with its folder created, readers and one writer, all in WAL mode with foreign keys
/// (in memory, one pool).
pub async fn connect(url: &str) -> anyhow::Result<Db> {
    open(url, Duration::from_secs(10)).await
}

/// [`connect`] with SQLite's busy timeout: how long a connection waits for another
/// one's lock before it fails.
async fn open(url: &str, busy_timeout: Duration) -> anyhow::Result<Db> {
    if !url.starts_with("sqlite:") {
        return Ok(Db::single(pool(url, 0, busy_timeout).await?));
    }
    // In memory, each pool would be a database of its own: one pool, as for a trial.
    let Some(path) = sqlite_path(url) else {
        return Ok(Db::single(pool(url, 8, busy_timeout).await?));
    };
    if let Some(dir) = Path::new(&path)
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("could not create the folder {}", dir.display()))?;
    }
    // The writer first: it creates the file and turns on WAL before any reader opens it.
    let write = pool(url, 1, busy_timeout).await?;
    let read = pool(url, 8, busy_timeout).await?;
    Ok(Db::split(read, write))
}

/// A pool of at most `size` connections (0: sea-orm's default) on `url`.
async fn pool(url: &str, size: u32, busy_timeout: Duration) -> anyhow::Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .acquire_timeout(Duration::from_secs(10))
        .connect_timeout(Duration::from_secs(10))
        .map_sqlx_sqlite_opts(move |o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(busy_timeout)
                .foreign_keys(true)
                .create_if_missing(true)
        });
    if size > 0 {
        options.max_connections(size);
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
pub async fn migrate(db: &Db) -> anyhow::Result<usize> {
    let db = db.writer();
    let pending = Migrator::get_pending_migrations(db)
        .await
        .context("could not read the migration state")?
        .len();
    Migrator::up(db, None).await.context("a migration failed")?;
    Ok(pending)
}

/// The signing secret: the configured one, else the one kept in the database, else a
/// new random one stored there (the first process to store it wins a race).
pub async fn secret(db: &Db, configured: Option<&str>) -> anyhow::Result<Vec<u8>> {
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
    db: &Db,
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
pub async fn store_shared_setting(db: &Db, name: &str, value: &str) -> Result<(), sea_orm::DbErr> {
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
    use std::time::Duration;

    use app::ssr::BeginWrite;
    use sea_orm::{ConnectionTrait, DbBackend, Statement};

    use super::{migrate, open, shared_settings, sqlite_path, store_shared_setting};

    /// A database in memory is one database: what the migrations made and a write
    /// stored, a read finds.
    #[tokio::test]
    async fn an_in_memory_database_is_one_database() {
        let db = open("sqlite::memory:", Duration::from_secs(10))
            .await
            .expect("open");
        migrate(&db).await.expect("migrate");
        store_shared_setting(&db, "digest_hour", "7")
            .await
            .expect("store");
        let settings = shared_settings(&db).await.expect("read");
        assert_eq!(settings.get("digest_hour").map(String::as_str), Some("7"));
    }

    /// 32 requests writing at once, half in transactions and half as single statements,
    /// reading between writes. With no busy timeout a connection that meets another's
    /// write lock fails at once ("database is locked"): every write succeeding shows
    /// that they queued for the one writer in the process, not in SQLite's busy handler,
    /// whose sleeps let an unlucky writer lose for seconds.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn sqlite_writes_queue_for_the_one_writer_and_never_meet_a_lock() {
        let dir = tempfile::tempdir().expect("a folder");
        let url = format!("sqlite://{}/queue.sqlite?mode=rwc", dir.path().display());
        let db = open(&url, Duration::ZERO).await.expect("open");
        db.execute_unprepared("CREATE TABLE t (task INTEGER NOT NULL, n INTEGER NOT NULL)")
            .await
            .expect("create");
        let insert = |task: i32, n: i32| {
            Statement::from_sql_and_values(
                DbBackend::Sqlite,
                "INSERT INTO t (task, n) VALUES (?, ?)",
                [task.into(), n.into()],
            )
        };
        let count = || Statement::from_string(DbBackend::Sqlite, "SELECT count(*) AS c FROM t");
        let tasks: Vec<_> = (0..32)
            .map(|task| {
                let db = db.clone();
                tokio::spawn(async move {
                    for n in 0..20 {
                        if n % 2 == 0 {
                            let txn = db.begin_write().await?;
                            txn.execute_raw(insert(task, n)).await?;
                            // Others ask for the writer while this one holds it.
                            tokio::task::yield_now().await;
                            txn.query_one_raw(count()).await?;
                            txn.commit().await?;
                        } else {
                            db.execute_raw(insert(task, n)).await?;
                        }
                        db.query_one_raw(count()).await?;
                    }
                    Ok::<_, sea_orm::DbErr>(())
                })
            })
            .collect();
        for t in tasks {
            t.await
                .expect("the task ran")
                .expect("every write succeeded");
        }
        let row = db
            .query_one_raw(count())
            .await
            .expect("count")
            .expect("a row");
        assert_eq!(row.try_get::<i64>("", "c").expect("c"), 32 * 20);
    }

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
