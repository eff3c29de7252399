//! Backup and restore as an operator does them (docs/SECURITY.md): `broar backup` while
//! the server is answering and writing, then the copy restored — SQLite by opening the
//! file, PostgreSQL with `pg_restore` into an empty database — holds every row that was
//! committed before the backup began, and a server starts on it.

use std::process::Command;

use chrono::Utc;
use sea_orm::{ConnectionTrait, Statement};

use crate::db_test;

const TABLES: &[&str] = &[
    "users",
    "firms",
    "rings",
    "ring_memberships",
    "needs",
    "threads",
    "posts",
    "candidates",
    "consents",
    "releases",
    "audit_log",
    "seaql_migrations",
];

async fn counts(db: &impl ConnectionTrait) -> Vec<i64> {
    let mut out = Vec::new();
    for table in TABLES {
        let row = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .unwrap_or_else(|e| panic!("{table}: {e}"))
            .expect("a row");
        out.push(row.try_get::<i64>("", "n").expect("count"));
    }
    out
}

db_test! {
    async fn an_online_backup_restores_every_committed_row(app: TestApp) {
        let f = app.rings().await;
        // A login, so the audit log has an entry.
        let _ = app.client_as(app::auth::model::Role::Coordinator).await;
        let before = counts(&app.db).await;
        assert!(before.iter().all(|n| *n > 0), "the fixture has rows everywhere: {before:?}");
        let dir = tempfile::tempdir().expect("dir");
        let postgres = app.database_url.starts_with("postgres");
        let file = dir.path().join(if postgres { "broar.dump" } else { "broar.sqlite" });

        // The server keeps answering and writing while the backup runs.
        let writer = {
            let db = app.db.clone();
            let thread = f.thread;
            tokio::spawn(async move {
                for k in 0..50 {
                    let _ = db.execute_raw(Statement::from_sql_and_values(
                        db.get_database_backend(),
                        app::ssr::sql(db.get_database_backend(),
                            "INSERT INTO posts (thread_id, author_id, body, created_at, edited_at, deleted_at, hidden_at, hidden_by, hidden_reason) \
                             VALUES (?, (SELECT MIN(id) FROM users), ?, ?, NULL, NULL, NULL, NULL, '')"),
                        [thread.into(), format!("under backup {k}").into(), Utc::now().into()],
                    )).await;
                }
            })
        };
        let out = Command::new(env!("CARGO_BIN_EXE_broar"))
            .arg("backup")
            .arg(&file)
            .env("DATABASE_URL", &app.database_url)
            .env("RUST_LOG", "warn")
            .output()
            .expect("runs");
        assert!(out.status.success(), "{out:?}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("Backup written to"));
        writer.await.expect("writer");
        assert_eq!(app.get("/healthz").await.status(), 200, "the server kept answering");

        // A second backup to the same file is refused, not overwritten.
        let again = Command::new(env!("CARGO_BIN_EXE_broar"))
            .arg("backup")
            .arg(&file)
            .env("DATABASE_URL", &app.database_url)
            .output()
            .expect("runs");
        assert!(!again.status.success());

        // Restore.
        let restore_db = format!("broar_restore_{}", crate::helpers::random_hex(6));
        let restored_url = if postgres {
            app.exec(&format!("CREATE DATABASE {restore_db}"), Vec::new()).await;
            let url = format!("{}/{restore_db}", app.database_url.rsplit_once('/').expect("a database name").0);
            let status = Command::new("pg_restore")
                .arg("--no-owner")
                .arg("--dbname")
                .arg(&url)
                .arg(&file)
                .status()
                .expect("pg_restore runs");
            assert!(status.success(), "pg_restore: {status}");
            url
        } else {
            format!("sqlite://{}?mode=rw", file.display())
        };
        let restored = server::db::connect(&restored_url).await.expect("the copy opens");
        assert_eq!(server::db::migrate(&restored).await.expect("migrate"), 0, "the copy's schema is current");
        let after = counts(&restored).await;
        for (i, table) in TABLES.iter().enumerate() {
            assert!(after[i] >= before[i], "{table}: {} rows restored, {} before the backup", after[i], before[i]);
        }
        let name: String = restored
            .query_one_raw(Statement::from_sql_and_values(
                restored.get_database_backend(),
                app::ssr::sql(restored.get_database_backend(), "SELECT name FROM candidates WHERE id = ?"),
                [f.candidate.into()],
            ))
            .await
            .expect("query")
            .expect("the candidate is there")
            .try_get("", "name")
            .expect("name");
        assert!(!name.is_empty());
        // The audit log stays append-only in the copy.
        let tamper = restored
            .execute_raw(Statement::from_string(restored.get_database_backend(), "DELETE FROM audit_log"))
            .await;
        assert!(tamper.is_err(), "the copy's audit log refuses DELETE");
        restored.close().await.expect("close");
        if postgres {
            app.exec(&format!("DROP DATABASE {restore_db}"), Vec::new()).await;
        }
    }
}
