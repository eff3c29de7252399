//! Every setting of the server: an environment variable with a default, also
//! accepted as a command-line flag. `broar --help` lists them; so does the README.

use std::{net::SocketAddr, path::PathBuf};

/// The server's settings.
#[derive(Debug, Clone, clap::Args)]
pub struct Settings {
    /// Address and port to listen on.
    #[arg(
        long,
        env = "BROAR_BIND",
        default_value = "127.0.0.1:3000",
        global = true
    )]
    pub bind: SocketAddr,

    /// The database. The default SQLite file is created and migrated on first start;
    /// `postgres://user@host/db` runs on PostgreSQL.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/broar.sqlite?mode=rwc",
        global = true,
        hide_env_values = true
    )]
    pub database_url: String,

    /// The portal's public address, used in links in e-mails (no trailing slash).
    /// Defaults to http:// and the bind address.
    #[arg(long, env = "BROAR_BASE_URL", global = true)]
    pub base_url: Option<String>,

    /// Send e-mail through this SMTP server (`smtp://` or `smtps://user:pass@host:port`).
    /// Unset: e-mails are written as files to BROAR_MAIL_DIR.
    #[arg(long, env = "SMTP_URL", global = true, hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// Folder that e-mails are written to when SMTP_URL is unset.
    #[arg(
        long,
        env = "BROAR_MAIL_DIR",
        default_value = "data/mail",
        global = true
    )]
    pub mail_dir: PathBuf,

    /// The sender of every e-mail.
    #[arg(
        long,
        env = "BROAR_MAIL_FROM",
        default_value = "Broar <broar@localhost>",
        global = true
    )]
    pub mail_from: String,

    /// Secret for signing tokens. Unset: one is generated on first start and kept in
    /// the database, so every server process on the same database shares it.
    #[arg(long, env = "BROAR_SECRET", global = true, hide_env_values = true)]
    pub secret: Option<String>,

    /// What to log (tracing's filter syntax, e.g. `info` or `broar=debug,info`).
    #[arg(long, env = "RUST_LOG", default_value = "info", global = true)]
    pub log: String,

    /// The built site (the `pkg/` folder with the wasm, js and css, and public files).
    #[arg(
        long,
        env = "LEPTOS_SITE_ROOT",
        default_value = "target/site",
        global = true
    )]
    pub site_root: String,

    /// How often the outbox worker looks for e-mail to send, in seconds.
    #[arg(
        long,
        env = "BROAR_OUTBOX_INTERVAL_SECS",
        default_value_t = 5,
        global = true
    )]
    pub outbox_interval_secs: u64,

    /// How many e-mails the outbox worker sends at once, each on its own SMTP
    /// connection (1–32). An SMTP session waits for the server at every step, so
    /// throughput grows with connections.
    #[arg(
        long,
        env = "BROAR_OUTBOX_SENDERS",
        default_value_t = 8,
        value_parser = clap::value_parser!(u16).range(1..=32),
        global = true
    )]
    pub outbox_senders: u16,

    /// The largest request body accepted, in kilobytes.
    #[arg(
        long,
        env = "BROAR_BODY_LIMIT_KB",
        default_value_t = 1024,
        global = true
    )]
    pub body_limit_kb: usize,

    /// The re-identification guard's k: a released profile must fit at least this
    /// many candidates of the municipality (2–50).
    #[arg(
        long,
        env = "BROAR_K_ANONYMITY",
        default_value_t = 3,
        value_parser = clap::value_parser!(u16).range(2..=50),
        global = true
    )]
    pub k_anonymity: u16,

    /// Months after leaving the programme (exit or self-sufficiency) a candidate is
    /// erased by the worker's retention round (1–120).
    #[arg(
        long,
        env = "BROAR_RETENTION_MONTHS",
        default_value_t = 24,
        value_parser = clap::value_parser!(u32).range(1..=120),
        global = true
    )]
    pub retention_months: u32,

    /// The hour (Stockholm time, 0–23) e-mail digests are due on their day.
    #[arg(
        long,
        env = "BROAR_DIGEST_HOUR",
        default_value_t = 7,
        value_parser = clap::value_parser!(u32).range(0..=23),
        global = true
    )]
    pub digest_hour: u32,

    /// How often the worker looks for digests that are due, in seconds.
    #[arg(
        long,
        env = "BROAR_DIGEST_INTERVAL_SECS",
        default_value_t = 300,
        global = true
    )]
    pub digest_interval_secs: u64,
}

impl Settings {
    /// The public address without a trailing slash.
    pub fn base_url(&self) -> String {
        match &self.base_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.bind),
        }
    }

    /// The database URL with any password hidden, for messages.
    pub fn database_for_humans(&self) -> String {
        let url = &self.database_url;
        match (url.find("://"), url.rfind('@')) {
            (Some(scheme), Some(at)) if at > scheme => {
                let creds = &url[scheme + 3..at];
                match creds.split_once(':') {
                    Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                    None => url.clone(),
                }
            }
            _ => url.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct T {
        #[command(flatten)]
        s: Settings,
    }

    #[test]
    fn passwords_in_database_urls_are_hidden() {
        let t = T::parse_from(["x", "--database-url", "postgres://app:s3cret@db:5432/broar"]);
        assert_eq!(
            t.s.database_for_humans(),
            "postgres://app:***@db:5432/broar"
        );
    }

    #[test]
    fn the_base_url_defaults_to_the_bind_address() {
        let t = T::parse_from(["x", "--bind", "127.0.0.1:8080"]);
        assert_eq!(t.s.base_url(), "http://127.0.0.1:8080");
        let t = T::parse_from(["x", "--base-url", "https://broar.ekdala.se/"]);
        assert_eq!(t.s.base_url(), "https://broar.ekdala.se");
    }
}
