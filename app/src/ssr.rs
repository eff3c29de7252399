//! Server-side plumbing shared by every concept: the application state that server
//! functions reach through context, the request id, and what a no-JavaScript form
//! post left behind (the typed values, so nothing a user wrote is lost).

use std::{collections::BTreeMap, sync::Arc};

use leptos::prelude::*;

use crate::{db::Db, error::AppError};

/// Settings the application itself needs (the server owns the full list).
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// The public address of the portal, without a trailing slash.
    pub base_url: String,
    /// Whether that address is https (cookies then get `Secure` and `__Host-`).
    pub https: bool,
    /// The installation's signing secret.
    pub secret: Secret,
    /// The re-identification guard's k (see `releases::model::guard`).
    pub k_anonymity: usize,
}

/// Key material that never shows up in `Debug` output or logs.
#[derive(Clone)]
pub struct Secret(Arc<[u8]>);

impl Secret {
    /// Wraps the secret's bytes.
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(bytes.into())
    }

    /// The bytes, for signing.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Everything a server function may use, provided as context for every request.
#[derive(Clone)]
pub struct AppState {
    /// The database (SQLite or PostgreSQL; see [`Db`]).
    pub db: Db,
    /// Application settings.
    pub config: Arc<AppConfig>,
    /// The candidates' matching facts held by this process.
    pub matching: crate::candidates::ranking::MatchingIndex,
    /// The menu's news counts held by this process.
    pub news: crate::home::badge::NewsBadge,
    /// The needs boards' renderings held by this process.
    pub boards: crate::needs::kept::KeptBoards,
}

/// The context of one request: the database, settings, and the caller if logged in.
/// Reached only through the guards in `auth`.
pub struct Ctx {
    /// The database.
    pub db: Db,
    /// Application settings.
    pub config: Arc<AppConfig>,
    /// The candidates' matching facts held by this process.
    pub matching: crate::candidates::ranking::MatchingIndex,
    /// The menu's news counts held by this process.
    pub news: crate::home::badge::NewsBadge,
    /// The logged-in user, if any.
    pub user: Option<crate::auth::SessionUser>,
    /// The session token from the cookie, if it names a live session.
    pub session_token: Option<String>,
    /// The caller's IP address.
    pub ip: Option<String>,
}

/// The session a page's request names, read once for the whole page: provided afresh
/// for each request (`server::startup::router`), and used only by GET requests — a
/// server function's POST may log in or out, and must see the change.
#[derive(Clone, Default)]
pub struct SessionOnce(Arc<tokio::sync::OnceCell<Option<crate::auth::SessionUser>>>);

/// The request's context. Guards in `auth` call this; server fns call the guards.
pub(crate) async fn ctx() -> Result<Ctx, AppError> {
    let state = use_context::<AppState>()
        .ok_or_else(|| AppError::unexpected(anyhow::anyhow!("AppState missing from context")))?;
    let parts = use_context::<http::request::Parts>();
    let cookie_name = crate::auth::session_cookie_name(state.config.https);
    let token = parts.as_ref().and_then(|p| cookie(&p.headers, cookie_name));
    let user = match (&token, use_context::<SessionOnce>()) {
        (None, _) => None,
        // A page (GET) reads its session once, however many of its parts ask.
        (Some(token), Some(once))
            if parts
                .as_ref()
                .is_some_and(|p| p.method == http::Method::GET) =>
        {
            once.0
                .get_or_try_init(|| crate::auth::service::load_session(&state.db, token))
                .await?
                .clone()
        }
        (Some(token), _) => crate::auth::service::load_session(&state.db, token).await?,
    };
    let ip = parts.as_ref().and_then(|p| {
        p.extensions
            .get::<ClientIp>()
            .map(|client| client.0.to_string())
    });
    Ok(Ctx {
        db: state.db,
        config: state.config,
        matching: state.matching,
        news: state.news,
        session_token: user.as_ref().and(token),
        user,
        ip,
    })
}

/// The value of cookie `name` in the current request.
pub fn request_cookie(name: &str) -> Option<String> {
    use_context::<http::request::Parts>().and_then(|p| cookie(&p.headers, name))
}

/// The client's address as the server worked it out (the peer, or what a trusted
/// proxy forwarded: `server::security::client_ip`), put in the request's extensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub std::net::IpAddr);

/// The value of cookie `name` in `headers`.
pub fn cookie(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.to_owned())
}

/// Adds a `Set-Cookie` header to the current response.
pub fn append_set_cookie(cookie: &str) {
    if let (Some(options), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(cookie),
    ) {
        options.append_header(http::header::SET_COOKIE, value);
    }
}

/// The id of the current request (from the `x-request-id` header the server sets).
pub fn request_id() -> Option<String> {
    use_context::<http::request::Parts>().and_then(|parts| {
        parts
            .headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    })
}

/// What the user typed into a form posted without JavaScript whose server function
/// answered with an error. The server keeps it for one page view, keyed by a cookie;
/// form fields read it to show the typed text again.
#[derive(Debug, Clone, Default)]
pub struct FormFlash(pub BTreeMap<String, String>);

/// The value typed into `field` before a failed no-JavaScript post, if any.
pub fn flashed_value(field: &str) -> Option<String> {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<FormFlash>().cloned())
        .and_then(|flash| flash.0.get(field).cloned())
}

/// Every value of a field sent more than once (a group of check boxes) before a failed
/// no-JavaScript post; empty when none was ticked.
pub fn flashed_values(field: &str) -> Vec<String> {
    flashed_value(field)
        .map(|v| v.lines().map(str::to_owned).collect())
        .unwrap_or_default()
}

/// Whether this page comes back from a failed form post (it carries typed values).
pub fn has_flash() -> bool {
    use_context::<http::request::Parts>()
        .is_some_and(|parts| parts.extensions.get::<FormFlash>().is_some())
}

/// True when the current request is a plain HTML form post (JavaScript off).
pub fn is_plain_form_post() -> bool {
    use_context::<http::request::Parts>().is_some_and(|parts| {
        parts
            .headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    })
}

/// After a successful plain form post, send the browser to `location` instead of
/// back to the form. With JavaScript the component shows the result itself.
pub fn redirect_plain_form_post(location: &str) {
    if is_plain_form_post() {
        leptos_axum::redirect(location);
    }
}

/// Rewrites `?` placeholders as `$1, $2 …` for PostgreSQL, so one SQL text serves both
/// databases in the few places that need raw SQL (claims, counts, append-only writes).
pub fn sql(backend: sea_orm::DbBackend, text: &str) -> String {
    if backend != sea_orm::DbBackend::Postgres {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut n = 0;
    for c in text.chars() {
        if c == '?' {
            n += 1;
            out.push('$');
            out.push_str(&n.to_string());
        } else {
            out.push(c);
        }
    }
    out
}

pub use crate::db::BeginWrite;

/// `n` placeholders for an `IN (…)` list: `?, ?, ?`.
pub fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// Locks row `id` of `table` until `txn` ends, so that a check and the write it
/// guards are not split by another process. On PostgreSQL a `FOR UPDATE` row lock;
/// SQLite's write transaction (`begin_write`) already holds the whole database.
/// `table` is a name from the code, never from a request.
pub async fn lock_row(
    txn: &impl sea_orm::ConnectionTrait,
    table: &'static str,
    id: i32,
) -> Result<(), AppError> {
    if txn.get_database_backend() == sea_orm::DbBackend::Postgres {
        query_all(
            txn,
            &format!("SELECT id FROM {table} WHERE id = ? FOR UPDATE"),
            vec![id.into()],
        )
        .await?;
    }
    Ok(())
}

/// Runs `text` (with `?` placeholders, see [`sql`]) on `db` and returns every row.
pub async fn query_all(
    db: &impl sea_orm::ConnectionTrait,
    text: &str,
    values: Vec<sea_orm::Value>,
) -> Result<Vec<sea_orm::QueryResult>, crate::error::AppError> {
    let backend = db.get_database_backend();
    Ok(db
        .query_all_raw(sea_orm::Statement::from_sql_and_values(
            backend,
            sql(backend, text),
            values,
        ))
        .await?)
}

/// Whether `e` is a unique-index violation: a race that a check before the write did not
/// see (two requests inserting the same row); callers answer it as the check would.
pub fn is_unique_violation(e: &sea_orm::DbErr) -> bool {
    matches!(
        e.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}

/// A write that lost such a race to a concurrent one (two clicks, two admins): the
/// first stands and the user is asked to try again; any other error passes through.
pub fn raced(e: sea_orm::DbErr) -> AppError {
    if is_unique_violation(&e) {
        AppError::Conflict("error-try-again".into())
    } else {
        e.into()
    }
}

/// `bytes` random bytes from the OS generator, as lower-case hex.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut buf);
    hex(&buf)
}

/// The SHA-256 of `text`, as hex. Tokens are stored only in this form.
pub fn sha256_hex(text: &str) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(text.as_bytes()))
}

/// HMAC-SHA-256 of `message` under the installation secret, as hex.
pub fn sign(secret: &Secret, message: &str) -> String {
    use hmac::Mac;
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = match hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.expose()) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(message.as_bytes());
    hex(&mac.finalize().into_bytes())
}

/// Compares two strings in constant time (for tokens and signatures).
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The name of the hidden form field that carries the CSRF token.
pub const CSRF_FIELD: &str = "csrf";

/// The CSRF token for a session token: an HMAC, so it cannot be guessed without the
/// installation secret and is worthless with any other session.
pub fn csrf_token_for(secret: &Secret, session_token: &str) -> String {
    sign(secret, &format!("csrf:{session_token}"))
}

/// The CSRF token of the current request's session (`None` when logged out).
pub fn csrf_token() -> Option<String> {
    let state = use_context::<AppState>()?;
    let parts = use_context::<http::request::Parts>()?;
    let token = cookie(
        &parts.headers,
        crate::auth::session_cookie_name(state.config.https),
    )?;
    Some(csrf_token_for(&state.config.secret, &token))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_for_postgres_only() {
        assert_eq!(
            sql(sea_orm::DbBackend::Postgres, "a = ? AND b = ?"),
            "a = $1 AND b = $2"
        );
        assert_eq!(sql(sea_orm::DbBackend::Sqlite, "a = ?"), "a = ?");
    }

    #[test]
    fn signatures_depend_on_the_secret_and_compare_in_constant_time() {
        let a = Secret::new(b"a".repeat(32));
        let b = Secret::new(b"b".repeat(32));
        assert_eq!(sign(&a, "x"), sign(&a, "x"));
        assert_ne!(sign(&a, "x"), sign(&b, "x"));
        assert!(constant_time_eq(&sign(&a, "x"), &sign(&a, "x")));
        assert!(!constant_time_eq("abc", "abd"));
        assert_eq!(random_token(16).len(), 32);
        assert_eq!(sha256_hex("abc").len(), 64);
    }
}
