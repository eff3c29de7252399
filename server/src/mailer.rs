//! Where e-mail goes: an SMTP server (`SMTP_URL`), a folder of `.eml` files (the
//! default), or memory (tests). The outbox worker is the only caller.

use std::{
    path::PathBuf,
    sync::{Arc, Mutex},
};

use anyhow::Context;
use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{
        Mailbox, MultiPart,
        header::{ContentType, HeaderName, HeaderValue},
    },
    transport::smtp::PoolConfig,
};

/// One message as it leaves the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// The stable Message-ID, `<…@host>`; a retry sends the same one.
    pub message_id: String,
    /// The recipient.
    pub to: String,
    /// The subject.
    pub subject: String,
    /// Plain text.
    pub text: String,
    /// HTML.
    pub html: String,
    /// For a message to a list (a digest): the one-click unsubscribe address, sent as
    /// `List-Unsubscribe` with `List-Unsubscribe-Post` (RFC 8058).
    pub list_unsubscribe: Option<String>,
}

/// A mail backend.
#[derive(Clone)]
pub enum Mailer {
    /// A real SMTP server.
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// Each message as `<folder>/<message-id>.eml`.
    Folder(PathBuf),
    /// Kept in memory (tests).
    Memory(Arc<Mutex<Vec<Envelope>>>),
}

impl Mailer {
    /// The backend the settings ask for: SMTP when `smtp_url` is set (keeping up to
    /// `connections` open, one per sender), else the folder.
    pub fn from_settings(
        smtp_url: Option<&str>,
        folder: PathBuf,
        connections: usize,
    ) -> anyhow::Result<Self> {
        match smtp_url {
            Some(url) => {
                let pool = PoolConfig::new()
                    .max_size(u32::try_from(connections.max(1)).unwrap_or(u32::MAX));
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .context("SMTP_URL is not a valid smtp:// or smtps:// address")?
                    .timeout(Some(std::time::Duration::from_secs(20)))
                    .pool_config(pool)
                    .build();
                Ok(Self::Smtp(transport))
            }
            None => Ok(Self::Folder(folder)),
        }
    }

    /// A short description for the start-up message (no credentials).
    pub fn describe(&self) -> String {
        match self {
            Self::Smtp(_) => "an SMTP server (SMTP_URL)".to_owned(),
            Self::Folder(dir) => format!("files in {}", dir.display()),
            Self::Memory(_) => "memory".to_owned(),
        }
    }

    /// Whether the mail server answers (a connection and NOOP); a folder or memory
    /// always does.
    pub async fn answers(&self) -> bool {
        match self {
            Self::Smtp(transport) => {
                tokio::time::timeout(SEND_TIMEOUT, transport.test_connection())
                    .await
                    .is_ok_and(|answered| answered.unwrap_or(false))
            }
            Self::Folder(_) | Self::Memory(_) => true,
        }
    }

    /// Sends one message. An error means it was not accepted and may be retried. A
    /// send is cut off after [`SEND_TIMEOUT`] (the outbox's lease outlasts it).
    pub async fn send(&self, from: &str, envelope: &Envelope) -> anyhow::Result<()> {
        match self {
            Self::Smtp(transport) => {
                let message = build(from, envelope)?;
                tokio::time::timeout(SEND_TIMEOUT, transport.send(message))
                    .await
                    .map_err(|_| {
                        anyhow::anyhow!("the SMTP server did not finish within {SEND_TIMEOUT:?}")
                    })?
                    .context("the SMTP server refused or was unreachable")?;
            }
            Self::Folder(dir) => {
                let message = build(from, envelope)?;
                tokio::fs::create_dir_all(dir)
                    .await
                    .context("could not create the mail folder")?;
                let name: String = envelope
                    .message_id
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '@'))
                    .collect();
                // Write then rename: a reader never sees half a message, and a retry
                // of the same message replaces the file rather than adding one.
                let tmp = dir.join(format!(".{name}.tmp"));
                tokio::fs::write(&tmp, message.formatted())
                    .await
                    .context("could not write the mail file")?;
                tokio::fs::rename(&tmp, dir.join(format!("{name}.eml")))
                    .await
                    .context("could not name the mail file")?;
            }
            Self::Memory(sent) => {
                build(from, envelope)?;
                sent.lock()
                    .map_err(|_| anyhow::anyhow!("mail store poisoned"))?
                    .push(envelope.clone());
            }
        }
        Ok(())
    }
}

/// How long one send may take before it counts as failed.
pub const SEND_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(25);

/// Whether a send's error came without any answer from the mail server (no SMTP reply:
/// refused connection, network, TLS), as opposed to the server refusing the message or
/// a send that timed out part-way (which the server may have accepted).
pub fn unreachable(err: &anyhow::Error) -> bool {
    err.downcast_ref::<lettre::transport::smtp::Error>()
        .is_some_and(|e| !(e.is_permanent() || e.is_transient() || e.is_timeout() || e.is_client()))
}

/// The MIME message: plain text and HTML alternatives, with the stable Message-ID.
pub fn build(from: &str, envelope: &Envelope) -> anyhow::Result<Message> {
    let from: Mailbox = from
        .parse()
        .context("BROAR_MAIL_FROM is not a valid address")?;
    let to: Mailbox = envelope
        .to
        .parse()
        .context("the recipient's address is not valid")?;
    let mut builder = Message::builder()
        .from(from)
        .to(to)
        .subject(envelope.subject.clone())
        .message_id(Some(envelope.message_id.clone()));
    if let Some(url) = &envelope.list_unsubscribe {
        anyhow::ensure!(
            !url.contains(['\r', '\n', '>']),
            "the unsubscribe address is not a single URL"
        );
        builder = builder
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{url}>"),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_owned(),
            ));
    }
    builder
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    lettre::message::SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(envelope.text.clone()),
                )
                .singlepart(
                    lettre::message::SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(envelope.html.clone()),
                ),
        )
        .context("could not build the message")
}
