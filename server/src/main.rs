//! The `broar` command: serve the portal (default), migrate, seed demo data.

use anyhow::Context;
use clap::{Parser, Subcommand};
use server::{db, seed, settings::Settings, startup};
use tracing_subscriber::EnvFilter;

/// mimalloc: a page's many small allocations (rendering, rows) cost a fraction of
/// what glibc's malloc and free did (issue 26's profile: a third of a page).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Broar: recruitment rings for small firms and newly arrived people.
///
/// Every setting is an environment variable (shown in brackets) or a flag.
#[derive(Parser)]
#[command(name = "broar", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    settings: Settings,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (the default). Migrates the database first.
    Serve,
    /// Create or update the database schema, then exit.
    Migrate,
    /// Fill the database with a fictional municipality's demo data (idempotent).
    SeedDemo {
        /// Also generate candidates until there are this many (for benchmarks).
        #[arg(long)]
        candidates: Option<usize>,
    },
    /// Measure matching: rank open needs over every active candidate through the
    /// database, and over the same data held in memory; print p50/p95 and the ratio.
    BenchMatching {
        /// How many times to rank each need.
        #[arg(long, default_value_t = 20)]
        runs: usize,
    },
    /// Measure the re-identification guard: its utility over generated municipalities
    /// and the release page's answer time over this installation's candidates.
    BenchRelease {
        /// How many job-ready candidates' release pages to time.
        #[arg(long, default_value_t = 50)]
        runs: usize,
    },
    /// Measure the follow-up report: build it for all rings and for one ring over the
    /// default period; print p50/p95.
    BenchReports {
        /// How many times to build each.
        #[arg(long, default_value_t = 10)]
        runs: usize,
    },
    /// Build and queue the e-mail digests that are due, then send everything in the
    /// outbox. Safe beside running servers: each member's period is built once.
    SendDigests {
        /// Print what would be sent (recipient, period, subject and text) and change
        /// nothing.
        #[arg(long)]
        dry_run: bool,
        /// Do not wait for each member's day and hour: a digest of everything since
        /// their last one, now, for every member who gets digests.
        #[arg(long)]
        now: bool,
    },
    /// Measure digests: build, queue and send one for each of MEMBERS ring members (added
    /// as needed) through the outbox to SMTP_URL, then send the same prepared messages
    /// in a plain lettre loop; print both times and the ratio.
    BenchDigests {
        /// How many members get a digest.
        #[arg(long, default_value_t = 10_000)]
        members: usize,
    },
    /// For the HTTP benchmark (bench/http.sh): serve FILE's bytes as an HTML page on
    /// every path from a bare axum handler, on BROAR_BIND. No database, no middleware.
    BenchBare {
        /// The bytes every answer carries.
        file: std::path::PathBuf,
    },
    /// Write a consistent copy of the database to FILE while the portal runs (SQLite:
    /// a copy of the file; PostgreSQL: pg_dump's custom format, for pg_restore).
    Backup {
        /// Where to write it; it must not exist yet.
        file: std::path::PathBuf,
    },
    /// Create an administrator account. The password comes from BROAR_ADMIN_PASSWORD,
    /// or is asked for at a prompt.
    CreateAdmin {
        /// The administrator's e-mail address (the login).
        #[arg(long)]
        email: String,
        /// The name shown in the interface.
        #[arg(long, default_value = "Administratör")]
        name: String,
    },
}

/// The digests' settings: the portal's address, the signing secret, the hour.
fn digest_config(settings: &Settings, secret: Vec<u8>) -> app::digests::service::DigestConfig {
    app::digests::service::DigestConfig {
        base_url: settings.base_url(),
        secret: app::ssr::Secret::new(secret),
        hour: settings.digest_hour(),
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let filter = EnvFilter::try_new(&cli.settings.log).unwrap_or_else(|_| EnvFilter::new("info"));
    if cli.settings.log_format == "json" {
        tracing_subscriber::fmt()
            .json()
            .with_env_filter(filter)
            .with_current_span(true)
            .with_span_list(false)
            .init();
    } else {
        tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_target(false)
            .init();
    }
    match run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("broar: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let mut settings = cli.settings;
    let command = cli.command.unwrap_or(Command::Serve);
    if let Command::BenchBare { file } = &command {
        return server::bench::bare(file, settings.bind).await;
    }
    println!("Database: {}", settings.database_for_humans());
    let db = db::connect(&settings.database_url).await?;
    let applied = db::migrate(&db).await?;
    match applied {
        0 => println!("Schema is up to date."),
        n => println!("Applied {n} migration(s)."),
    }
    let origins = settings
        .resolve_shared(&db, matches!(command, Command::Serve))
        .await?;
    tracing::info!(?origins, base_url = %settings.base_url(), "shared settings");
    match command {
        Command::Migrate => Ok(()),
        Command::SeedDemo { candidates } => {
            println!("Adding demo data …");
            seed::run(&db).await?;
            if let Some(total) = candidates {
                server::seed::bulk(&db, total).await?;
            }
            println!("Demo data is in place.");
            Ok(())
        }
        Command::BenchMatching { runs } => server::bench::matching(&db, runs).await,
        Command::BenchReports { runs } => server::bench::reports(&db, runs).await,
        Command::BenchRelease { runs } => server::bench_release::release(&db, runs).await,
        Command::BenchDigests { members } => {
            let secret = db::secret(&db, settings.secret.as_deref()).await?;
            let config = digest_config(&settings, secret);
            let smtp = settings
                .smtp_url
                .as_deref()
                .context("bench-digests needs SMTP_URL (bench/digests.sh starts a sink)")?;
            server::bench::digests(&db, &config, &settings, smtp, members).await
        }
        Command::SendDigests { dry_run, now } => {
            let secret = db::secret(&db, settings.secret.as_deref()).await?;
            let config = digest_config(&settings, secret);
            server::digests::send(&db, &settings, &config, dry_run, now).await
        }
        Command::BenchBare { .. } => Ok(()),
        Command::Backup { file } => {
            server::backup::backup(&db, &settings.database_url, &file).await?;
            println!("Backup written to {}.", file.display());
            Ok(())
        }
        Command::CreateAdmin { email, name } => {
            let email = app::auth::model::Email::parse(&email)
                .map_err(|key| anyhow::anyhow!("--email: {}", app::i18n::Locale::En.t(key)))?;
            let password = match std::env::var("BROAR_ADMIN_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    let first = rpassword::prompt_password("Password for the new administrator: ")
                        .context("could not read the password (set BROAR_ADMIN_PASSWORD when there is no terminal)")?;
                    let again = rpassword::prompt_password("The same password again: ")?;
                    anyhow::ensure!(first == again, "the two passwords differ");
                    first
                }
            };
            let password = app::auth::model::NewPassword::parse(&password)
                .map_err(|key| anyhow::anyhow!("password: {}", app::i18n::Locale::En.t(key)))?;
            let (id, created) = app::auth::accounts::ensure_account(
                &db,
                name.trim(),
                &email,
                app::auth::model::Role::Admin,
                &password,
            )
            .await
            .map_err(|e| anyhow::anyhow!("could not create the account: {e}"))?;
            if created {
                println!("Created administrator {} (account {id}).", email.as_str());
                Ok(())
            } else {
                anyhow::bail!(
                    "an account with {} exists already (account {id}); nothing changed",
                    email.as_str()
                )
            }
        }
        Command::Serve => {
            if settings.metrics_bind.is_some() {
                // Installed before anything is counted.
                server::metrics::handle();
            }
            let secret = db::secret(&db, settings.secret.as_deref()).await?;
            let digests = digest_config(&settings, secret.clone());
            let (stop, stopped) = tokio::sync::watch::channel(false);
            let mailer = server::mailer::Mailer::from_settings(
                settings.smtp_url.as_deref(),
                settings.mail_dir.clone(),
                usize::from(settings.outbox_senders),
            )?;
            println!("E-mail goes to {}.", mailer.describe());
            let workers = [
                tokio::spawn(server::outbox::run(
                    db.clone(),
                    mailer,
                    settings.mail_from(),
                    digests.clone(),
                    (
                        std::time::Duration::from_secs(settings.outbox_interval_secs.max(1)),
                        usize::from(settings.outbox_senders),
                    ),
                    stopped.clone(),
                )),
                tokio::spawn(server::rounds::digests(
                    db.clone(),
                    digests,
                    std::time::Duration::from_secs(settings.digest_interval_secs.max(1)),
                    stopped.clone(),
                )),
                // Consent expiry and reminders: a day's resolution is enough, ten minutes
                // keeps a fresh start from waiting long.
                tokio::spawn(server::rounds::run(
                    db.clone(),
                    settings.base_url(),
                    settings.retention_months(),
                    std::time::Duration::from_secs(600),
                    stopped,
                )),
            ];
            if let Some(bind) = settings.metrics_bind {
                let metrics = tokio::net::TcpListener::bind(bind)
                    .await
                    .with_context(|| format!("could not listen for metrics on {bind}"))?;
                let router = server::metrics::router(db.clone());
                tokio::spawn(async move {
                    if let Err(err) = axum::serve(metrics, router).await {
                        tracing::error!("the metrics listener stopped: {err}");
                    }
                });
                println!("Metrics at http://{bind}/metrics.");
            }
            // The matching facts load while the first pages are served, not on the
            // first coordinator's matching page.
            let matching = app::candidates::ranking::MatchingIndex::default();
            tokio::spawn({
                let (matching, db) = (matching.clone(), db.clone());
                async move {
                    if let Err(err) = matching.sync(&db).await {
                        tracing::warn!("could not load the matching facts: {err}");
                    }
                }
            });
            let router = startup::router(&settings, db, secret, matching);
            let listener = tokio::net::TcpListener::bind(settings.bind)
                .await
                .with_context(|| format!("could not listen on {}", settings.bind))?;
            println!(
                "Broar is running at {} (Ctrl-C stops it).",
                settings.base_url()
            );
            startup::serve(listener, router).await?;
            // Let the workers finish the message or round in hand (a message the SMTP
            // server accepted is marked sent before the process ends).
            let _ = stop.send(true);
            let finish = futures::future::join_all(workers);
            if tokio::time::timeout(std::time::Duration::from_secs(30), finish)
                .await
                .is_err()
            {
                tracing::warn!("the workers did not finish within 30 s");
            }
            println!("Broar has stopped.");
            Ok(())
        }
    }
}
