//! The database handle every request uses ([`Db`]). On PostgreSQL it is one pool. On
//! SQLite it is a pool of readers and one writer connection that writes queue for,
//! first come, first served.
//!
//! SQLite lets one connection write at a time. With several connections writing, the
//! ones that lose wait in SQLite's busy handler: it sleeps with a growing back-off (up
//! to 100 ms) and tries again, and whoever asks in the gap wins. Under a steady stream
//! of writes an unlucky request loses again and again: 64 clients posting replies saw
//! single replies take 0.6–1.8 s at an average of 80 ms (`bench/repeat.sh`, P4). Here
//! every write goes to the one writer connection instead, and the pool hands it out in
//! the order it was asked for (sqlx's pools are fair), so no request waits in SQLite:
//! - a transaction from [`BeginWrite::begin_write`];
//! - a statement run on the handle itself that is not a `SELECT` (`execute`, an
//!   `INSERT … RETURNING`, `.insert(db)`, `.update(db)`, `.exec(db)`).
//!
//! A `SELECT` on the handle goes to a reader. In WAL mode readers never wait for the
//! writer, and they see every write whose commit has returned.

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, ExecResult,
    QueryResult, Statement, TransactionTrait,
};

/// The portal's database: where reads and writes go (see the module).
#[derive(Clone, Debug)]
pub struct Db {
    read: DatabaseConnection,
    write: DatabaseConnection,
}

impl Db {
    /// One pool for reads and writes alike: PostgreSQL, whose rows lock one by one (and
    /// SQLite in memory, where a second pool would be a second database).
    pub fn single(pool: DatabaseConnection) -> Self {
        Self {
            read: pool.clone(),
            write: pool,
        }
    }

    /// SQLite: `read`'s connections for `SELECT`s, `write` (a pool of one connection)
    /// for everything that writes.
    pub fn split(read: DatabaseConnection, write: DatabaseConnection) -> Self {
        Self { read, write }
    }

    /// The pool writes go to (for migrations, which need sea-orm's own type).
    pub fn writer(&self) -> &DatabaseConnection {
        &self.write
    }

    /// The pool reads go to (the writer's on PostgreSQL): for backups, which only read.
    pub fn reader(&self) -> &DatabaseConnection {
        &self.read
    }

    /// Whether both pools answer.
    pub async fn ping(&self) -> Result<(), DbErr> {
        self.read.ping().await?;
        self.write.ping().await
    }

    /// Closes both pools.
    pub async fn close(self) -> Result<(), DbErr> {
        self.read.close().await?;
        self.write.close().await
    }

    /// Calls `callback` after every statement, on either pool (tests count statements).
    pub fn set_metric_callback(
        &mut self,
        callback: impl Fn(&sea_orm::metric::Info<'_>) + Send + Sync + 'static,
    ) {
        let callback = std::sync::Arc::new(callback);
        let other = callback.clone();
        self.read.set_metric_callback(move |info| other(info));
        self.write.set_metric_callback(move |info| callback(info));
    }

    fn for_statement(&self, sql: &str) -> &DatabaseConnection {
        if is_select(sql) {
            &self.read
        } else {
            &self.write
        }
    }
}

/// Whether `sql` is a plain `SELECT`, the only kind a reader runs. Anything else
/// (`INSERT … RETURNING`, `WITH … UPDATE`, a `PRAGMA`) goes to the writer, which can
/// read too.
fn is_select(sql: &str) -> bool {
    sql.trim_start()
        .get(..6)
        .is_some_and(|word| word.eq_ignore_ascii_case("select"))
}

#[async_trait::async_trait]
impl ConnectionTrait for Db {
    fn get_database_backend(&self) -> DbBackend {
        self.write.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.write.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.write.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.for_statement(&stmt.sql).query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.for_statement(&stmt.sql).query_all_raw(stmt).await
    }

    fn support_returning(&self) -> bool {
        self.write.support_returning()
    }
}

/// A transaction that will write, on the writer. On SQLite it takes the write lock when
/// it begins (`BEGIN IMMEDIATE`): a transaction that began as a reader and then writes
/// fails at once ("database is locked") when another wrote meanwhile. PostgreSQL ignores
/// the mode.
pub trait BeginWrite {
    /// Begins it.
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<DatabaseTransaction, DbErr>> + Send;
}

impl BeginWrite for Db {
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<DatabaseTransaction, DbErr>> + Send {
        self.write.begin_with_options(sea_orm::TransactionOptions {
            sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
            ..Default::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::is_select;

    #[test]
    fn only_a_select_is_a_read() {
        assert!(is_select("SELECT id FROM needs"));
        assert!(is_select("  select 1"));
        assert!(is_select("\n\tSeLeCt count(*) FROM posts"));
        assert!(!is_select(
            "INSERT INTO posts (body) VALUES (?) RETURNING id"
        ));
        assert!(!is_select("UPDATE needs SET title = ? RETURNING *"));
        assert!(!is_select(
            "WITH gone AS (DELETE FROM sessions RETURNING id) SELECT 1"
        ));
        assert!(!is_select("PRAGMA wal_checkpoint"));
        assert!(!is_select("SELEC"));
        assert!(!is_select(""));
        // A multi-byte character where the word would end is not a panic.
        assert!(!is_select("SELECÄ"));
    }
}
