//! `broar send-digests`: build and queue the digests that are due (or, with `--now`,
//! one for every member up to now), then send the outbox; `--dry-run` prints what
//! would be sent and changes nothing.

use app::db::Db;
use app::digests::service::{DigestConfig, Due, round};
use chrono::Utc;

use crate::{mailer::Mailer, outbox, settings::Settings};

/// Counts a digest round in the metrics (`None`: the round failed).
pub fn count_round(report: Option<&app::digests::service::RoundReport>) {
    let outcome = if report.is_some() { "ok" } else { "failed" };
    metrics::counter!("broar_digest_rounds_total", "outcome" => outcome).increment(1);
    if let Some(r) = report {
        metrics::counter!("broar_digests_queued_total").increment(r.queued as u64);
        metrics::counter!("broar_digest_periods_taken_total").increment(r.taken as u64);
    }
}

/// Runs the command; prints what it did.
pub async fn send(
    db: &Db,
    settings: &Settings,
    config: &DigestConfig,
    dry_run: bool,
    now: bool,
) -> anyhow::Result<()> {
    println!("Links in e-mails point at {}.", config.base_url);
    let due = if now { Due::Now } else { Due::Scheduled };
    let report = round(db, config, Utc::now(), due, dry_run)
        .await
        .map_err(|e| anyhow::anyhow!("building the digests failed: {e}"))?;
    count_round(Some(&report).filter(|_| !dry_run));
    if dry_run {
        let mut would = 0;
        for built in &report.dry {
            let Some(mail) = &built.mail else { continue };
            would += 1;
            println!(
                "To: {}\nPeriod: {} – {}\nSubject: {}\n\n{}\n{}",
                mail.to,
                built.period.0.to_rfc3339(),
                built.period.1.to_rfc3339(),
                mail.subject,
                mail.text,
                "=".repeat(72)
            );
        }
        println!(
            "Dry run: {would} digest(s) would be sent; {} member(s) have nothing new. Nothing was changed.",
            report.dry.len() - would
        );
        return Ok(());
    }
    println!(
        "Queued {} digest(s); {} member(s) had nothing new; {} period(s) were built by another process.",
        report.queued, report.quiet, report.taken
    );
    let mailer = Mailer::from_settings(
        settings.smtp_url.as_deref(),
        settings.mail_dir.clone(),
        usize::from(settings.outbox_senders),
    )?;
    let worker = format!("send-digests-{}", std::process::id());
    let sent = outbox::drain_parallel(
        db,
        &mailer,
        &settings.mail_from(),
        &worker,
        config,
        None,
        usize::from(settings.outbox_senders),
    )
    .await?;
    let waiting = outbox::waiting(db).await?;
    println!("Sent {sent} e-mail(s) to {}.", mailer.describe());
    if waiting.in_hand > 0 {
        println!(
            "{} e-mail(s) are being sent by another process (a server's worker) right now.",
            waiting.in_hand
        );
    }
    if waiting.retrying > 0 {
        println!(
            "{} e-mail(s) wait for a retry after a failed attempt (see the log); the server's worker sends them, or run this again.",
            waiting.retrying
        );
    }
    if waiting.due > 0 {
        println!(
            "{} e-mail(s) became due while this ran; the server's worker sends them.",
            waiting.due
        );
    }
    Ok(())
}
