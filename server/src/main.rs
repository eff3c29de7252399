//! The `broar` command: serve the portal (default), migrate, seed demo data.

use anyhow::Context;
use clap::{Parser, Subcommand};
use server::{db, seed, settings::Settings, startup};
use tracing_subscriber::EnvFilter;

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
    SeedDemo,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_new(&cli.settings.log).unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_target(false)
        .init();
    match run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("broar: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = cli.settings;
    let command = cli.command.unwrap_or(Command::Serve);
    println!("Database: {}", settings.database_for_humans());
    let db = db::connect(&settings.database_url).await?;
    let applied = db::migrate(&db).await?;
    match applied {
        0 => println!("Schema is up to date."),
        n => println!("Applied {n} migration(s)."),
    }
    match command {
        Command::Migrate => Ok(()),
        Command::SeedDemo => {
            println!("Adding demo data …");
            seed::run(&db).await?;
            println!("Demo data is in place.");
            Ok(())
        }
        Command::Serve => {
            let secret = db::secret(&db, settings.secret.as_deref()).await?;
            let router = startup::router(&settings, db, secret);
            let listener = tokio::net::TcpListener::bind(settings.bind)
                .await
                .with_context(|| format!("could not listen on {}", settings.bind))?;
            println!(
                "Broar is running at {} (Ctrl-C stops it).",
                settings.base_url()
            );
            startup::serve(listener, router).await?;
            println!("Broar has stopped.");
            Ok(())
        }
    }
}
