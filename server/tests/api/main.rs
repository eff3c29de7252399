//! Integration tests: the real server over HTTP on a fresh database per test, on
//! SQLite and (with TEST_DATABASE_URL) PostgreSQL.

mod helpers;
mod skeleton;
