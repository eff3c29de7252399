//! Integration tests: the real server over HTTP on a fresh database per test, on
//! SQLite and (with TEST_DATABASE_URL) PostgreSQL.

mod accounts;
mod analysis;
mod authz;
mod backup;
mod candidates;
mod cli;
mod digests;
mod fixtures;
mod forum;
mod fuzz;
mod helpers;
mod home;
mod linkage;
mod mail;
mod needs;
mod operations;
mod releases;
mod reports;
mod rights;
mod rings;
mod security;
mod skeleton;
mod smtp;
mod team;
mod tracks;
