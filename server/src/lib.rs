//! Broar's server: settings, database, the web application and its middleware, and
//! the demo data. `main.rs` is only the command line around it.

pub mod backup;
pub mod bench;
pub mod bench_release;
pub mod client_ip;
pub mod db;
pub mod digests;
pub mod forms;
pub mod html;
pub mod mailer;
pub mod metrics;
pub mod once;
pub mod outbox;
pub mod rounds;
pub mod security;
pub mod seed;
pub mod settings;
pub mod startup;
