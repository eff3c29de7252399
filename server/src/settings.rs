//! Every setting of the server: an environment variable with a default, also
//! accepted as a command-line flag. `broar --help` lists them; so does the README.

use std::{net::SocketAddr, path::PathBuf};

use app::db::Db;

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
    /// Shared: see [`Settings::resolve_shared`]. Defaults to http:// and the bind
    /// address.
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

    /// The sender of every e-mail. Shared; default `Broar <broar@localhost>`.
    #[arg(long, env = "BROAR_MAIL_FROM", global = true)]
    pub mail_from: Option<String>,

    /// Secret for signing tokens. Unset: one is generated on first start and kept in
    /// the database, so every server process on the same database shares it.
    #[arg(long, env = "BROAR_SECRET", global = true, hide_env_values = true)]
    pub secret: Option<String>,

    /// What to log (tracing's filter syntax, e.g. `info` or `broar=debug,info`).
    #[arg(long, env = "RUST_LOG", default_value = "info", global = true)]
    pub log: String,

    /// How to log: `text` for people, `json` (one object a line, with the request id)
    /// for a log collector.
    #[arg(
        long,
        env = "BROAR_LOG_FORMAT",
        default_value = "text",
        value_parser = ["text", "json"],
        global = true
    )]
    pub log_format: String,

    /// Serve Prometheus metrics at `/metrics` on this address (e.g. `127.0.0.1:9464`),
    /// apart from the portal so the reverse proxy never publishes them. Unset: none.
    #[arg(long, env = "BROAR_METRICS_BIND", global = true)]
    pub metrics_bind: Option<SocketAddr>,

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

    /// The reverse proxies in front of the server, comma-separated addresses or
    /// networks (`10.0.0.5,192.0.2.0/24`). Only requests from these may name the
    /// client in `Forwarded` or `X-Forwarded-For`; the address is what login throttling
    /// and the audit log count. Unset: the TCP peer is the client.
    #[arg(
        long,
        env = "BROAR_TRUSTED_PROXIES",
        value_delimiter = ',',
        value_parser = crate::client_ip::parse_proxy,
        global = true
    )]
    pub trusted_proxies: Vec<ipnet::IpNet>,

    /// The largest request body accepted, in kilobytes.
    #[arg(
        long,
        env = "BROAR_BODY_LIMIT_KB",
        default_value_t = 1024,
        global = true
    )]
    pub body_limit_kb: usize,

    /// The re-identification guard's k: a released profile must fit at least this
    /// many candidates of the municipality (2–50). Shared; default 3.
    #[arg(
        long,
        env = "BROAR_K_ANONYMITY",
        value_parser = clap::value_parser!(u16).range(2..=50),
        global = true
    )]
    pub k_anonymity: Option<u16>,

    /// Months after leaving the programme (exit or self-sufficiency) a candidate is
    /// erased by the worker's retention round (1–120). Shared; default 24.
    #[arg(
        long,
        env = "BROAR_RETENTION_MONTHS",
        value_parser = clap::value_parser!(u32).range(1..=120),
        global = true
    )]
    pub retention_months: Option<u32>,

    /// The hour (Stockholm time, 0–23) e-mail digests are due on their day. Shared;
    /// default 7.
    #[arg(
        long,
        env = "BROAR_DIGEST_HOUR",
        value_parser = clap::value_parser!(u32).range(0..=23),
        global = true
    )]
    pub digest_hour: Option<u32>,

    /// How often the worker looks for digests that are due, in seconds.
    #[arg(
        long,
        env = "BROAR_DIGEST_INTERVAL_SECS",
        default_value_t = 300,
        global = true
    )]
    pub digest_interval_secs: u64,
}

/// The settings every process on one database must agree on: links in e-mails, the
/// sender, the digest hour, the guard's k and the retention.
const SHARED: [&str; 5] = [
    "base_url",
    "mail_from",
    "digest_hour",
    "k_anonymity",
    "retention_months",
];

/// Where a server given no `BROAR_BASE_URL` records its own address.
const BIND_ADDRESS: &str = "base_url_bind";

impl Settings {
    /// The public address without a trailing slash.
    pub fn base_url(&self) -> String {
        match &self.base_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.bind),
        }
    }

    /// The sender of every e-mail.
    pub fn mail_from(&self) -> String {
        self.mail_from
            .clone()
            .unwrap_or_else(|| "Broar <broar@localhost>".to_owned())
    }

    /// The hour digests are due.
    pub fn digest_hour(&self) -> u32 {
        self.digest_hour.unwrap_or(7)
    }

    /// The guard's k.
    pub fn k_anonymity(&self) -> u16 {
        self.k_anonymity.unwrap_or(3)
    }

    /// Months kept after leaving the programme.
    pub fn retention_months(&self) -> u32 {
        self.retention_months.unwrap_or(24)
    }

    fn shared_value(&self, name: &str) -> Option<String> {
        match name {
            "base_url" => self.base_url.clone(),
            "mail_from" => self.mail_from.clone(),
            "digest_hour" => self.digest_hour.map(|v| v.to_string()),
            "k_anonymity" => self.k_anonymity.map(|v| v.to_string()),
            "retention_months" => self.retention_months.map(|v| v.to_string()),
            _ => None,
        }
    }

    fn set_shared(&mut self, name: &str, value: &str) -> anyhow::Result<()> {
        let bad = || anyhow::anyhow!("the database's setting {name} = {value:?} is not valid");
        match name {
            "base_url" => self.base_url = Some(value.to_owned()),
            "mail_from" => self.mail_from = Some(value.to_owned()),
            "digest_hour" => {
                self.digest_hour = Some(value.parse().ok().filter(|h| *h < 24).ok_or_else(bad)?);
            }
            "k_anonymity" => {
                self.k_anonymity = Some(
                    value
                        .parse()
                        .ok()
                        .filter(|k| (2..=50).contains(k))
                        .ok_or_else(bad)?,
                );
            }
            "retention_months" => {
                self.retention_months = Some(
                    value
                        .parse()
                        .ok()
                        .filter(|m| (1..=120).contains(m))
                        .ok_or_else(bad)?,
                );
            }
            _ => {}
        }
        Ok(())
    }

    /// Settles the shared settings against the database, so that the command line and
    /// every server process use the same ones however each was started.
    ///
    /// A server (`serving`) stores each shared setting it was given (environment or
    /// flag): the operator sets them once, for the service. Any process given no value
    /// takes the stored one, else the default (for the address: a server's own bind
    /// address, see below). A command-line run given a value
    /// uses it for that run only. Returns what each setting came from, for the log.
    pub async fn resolve_shared(
        &mut self,
        db: &Db,
        serving: bool,
    ) -> anyhow::Result<Vec<(&'static str, &'static str)>> {
        let stored = crate::db::shared_settings(db)
            .await
            .map_err(|e| anyhow::anyhow!("could not read the shared settings: {e}"))?;
        let mut origins = Vec::new();
        for name in SHARED {
            let given = self.shared_value(name);
            let kept = stored.get(name);
            let origin = match (given, kept) {
                (Some(value), kept) => {
                    if serving && kept != Some(&value) {
                        if let Some(old) = kept {
                            tracing::warn!(setting = name, old, new = %value, "a shared setting changed");
                        }
                        store(db, name, &value).await?;
                    }
                    "given"
                }
                (None, Some(value)) => {
                    self.set_shared(name, value)?;
                    "database"
                }
                // A server given no address uses its own bind address, and records it
                // apart (`base_url_bind`, replaced by every such server): the command line
                // follows it while no address has been set, and a server that moved keeps
                // its own.
                (None, None) if name == "base_url" && serving => {
                    store(db, BIND_ADDRESS, &self.base_url()).await?;
                    "bind address"
                }
                (None, None) if name == "base_url" => match stored.get(BIND_ADDRESS) {
                    Some(value) => {
                        self.set_shared(name, value)?;
                        "a server's bind address"
                    }
                    None => "default",
                },
                (None, None) => "default",
            };
            origins.push((name, origin));
        }
        Ok(origins)
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

async fn store(db: &Db, name: &str, value: &str) -> anyhow::Result<()> {
    crate::db::store_shared_setting(db, name, value)
        .await
        .map_err(|e| anyhow::anyhow!("could not store the shared setting {name}: {e}"))
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
