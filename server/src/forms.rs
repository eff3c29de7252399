//! The middleware around server-function calls.
//!
//! 1. Status codes: server functions answer errors with 500; this sets the status
//!    that [`AppError::status`] says (422 for validation, 403, 404 …).
//! 2. No-JavaScript forms: when a plain HTML form post fails, leptos redirects back
//!    with the error in the query string. What the user typed must not be lost and
//!    must not go into a URL, so it is kept server-side for one page view (table
//!    `form_flashes`, keyed by a short-lived cookie) and the form fields show it again.
//! 3. Create forms act once, with or without JavaScript (`crate::once`).

use std::collections::BTreeMap;

use app::db::Db;
use app::{
    error::AppError,
    ssr::{CSRF_FIELD, FormFlash, constant_time_eq, cookie, csrf_token_for, sql},
};
use axum::{
    body::{Body, Bytes, to_bytes},
    extract::{Request, State},
    http::{HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use chrono::{Duration, Utc};
use sea_orm::{ConnectionTrait, Statement};

use crate::startup::ServerState;

const FLASH_COOKIE: &str = "broar_flash";
/// How long typed values are kept for the page view that follows the failed post.
const FLASH_TTL_MINUTES: i64 = 10;
/// Server functions' JSON errors are small; anything larger is passed on untouched.
const ERROR_BODY_MAX: usize = 64 * 1024;

/// See the module documentation.
pub async fn middleware(
    State(state): State<ServerState>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    if is_plain_form_post(&request) {
        return plain_form_post(&state, request, next).await;
    }
    if path.starts_with("/api/") {
        if request.method() != Method::POST || !is_urlencoded(request.headers()) {
            return with_error_status(next.run(request).await).await;
        }
        // A server function called by the leptos client: a create form's token makes
        // a second call with it replay the first one's answer (`crate::once`).
        let session = cookie(
            request.headers(),
            app::auth::session_cookie_name(state.https),
        );
        let (parts, body) = request.into_parts();
        let Ok(bytes) = to_bytes(body, usize::MAX).await else {
            return crate::security::refuse(&parts.headers, parts.uri.path(), AppError::TooLarge);
        };
        let run = async {
            let request = Request::from_parts(parts, Body::from(bytes.clone()));
            with_error_status(next.run(request).await).await
        };
        return crate::once::run_once(&state.app.db, session.as_deref(), &path, &bytes, run).await;
    }
    if request.method() == Method::GET
        && let Some(id) = cookie(request.headers(), FLASH_COOKIE)
    {
        return page_with_flash(&state.app.db, id, request, next).await;
    }
    next.run(request).await
}

/// A form posted by the browser itself: check its CSRF token when logged in, and keep
/// what was typed when a server function refuses it.
async fn plain_form_post(state: &ServerState, request: Request, next: Next) -> Response {
    let is_server_fn = request.uri().path().starts_with("/api/");
    let session = cookie(
        request.headers(),
        app::auth::session_cookie_name(state.https),
    );
    // Keep a copy of the form body: the fields typed must survive an error.
    let (parts, body) = request.into_parts();
    let bytes = match to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        // Over the body limit or a broken connection.
        Err(_) => {
            return crate::security::refuse(&parts.headers, parts.uri.path(), AppError::TooLarge);
        }
    };
    if let Some(session) = &session {
        let expected = csrf_token_for(&state.app.config.secret, session);
        let sent = form_urlencoded::parse(&bytes)
            .find(|(name, _)| name == CSRF_FIELD)
            .map(|(_, value)| value.into_owned())
            .unwrap_or_default();
        if expected.is_empty() || !constant_time_eq(&sent, &expected) {
            tracing::warn!("refused a form post without a valid CSRF token");
            return crate::security::forbidden_cross_site();
        }
    }
    let mut parts = parts;
    if let Some(back) = back_of(&state.app.config.base_url, &bytes) {
        // Leptos sends a refused plain post back to the Referer with `__err` and
        // `__path` added. The page the form names itself (`app::ui::PostForm`) is that
        // page without them, so a second refusal does not add a second pair; it is also
        // there when the browser sends no Referer (a privacy setting or extension).
        parts.headers.insert(header::REFERER, back);
    }
    let request = Request::from_parts(parts, Body::from(bytes.clone()));
    let response = if is_server_fn {
        let path = request.uri().path().to_owned();
        crate::once::run_once(
            &state.app.db,
            session.as_deref(),
            &path,
            &bytes,
            next.run(request),
        )
        .await
    } else {
        next.run(request).await
    };
    if !is_server_fn {
        return response;
    }
    let failed = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|location| location.contains("__err="));
    if !failed {
        return response;
    }
    match store_flash(&state.app.db, &bytes).await {
        Ok(id) => {
            let mut response = response;
            let secure = if state.https { "; Secure" } else { "" };
            let cookie = format!(
                "{FLASH_COOKIE}={id}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{secure}",
                FLASH_TTL_MINUTES * 60
            );
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
            response
        }
        Err(err) => {
            // The error is still shown; only the typed values are not restored.
            tracing::error!("could not keep a failed form's values: {err:#}");
            response
        }
    }
}

/// A form posted by the browser itself (JavaScript off), not by the leptos client.
fn is_plain_form_post(request: &Request) -> bool {
    request.method() == Method::POST && is_plain_form(request.headers())
}

/// Whether `headers` are those of a browser's own form post (it accepts HTML and sends
/// a urlencoded form; the leptos client asks for JSON).
pub fn is_plain_form(headers: &axum::http::HeaderMap) -> bool {
    let accepts_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    accepts_html && is_urlencoded(headers)
}

/// Whether the body is a urlencoded form (a plain post, or the leptos client's).
fn is_urlencoded(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

/// Sets the status of a server function's error response from the error itself.
async fn with_error_status(response: Response) -> Response {
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, ERROR_BODY_MAX).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "").into_response();
    };
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = err.status();
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The page a form was posted from, from its [`app::ui::BACK_FIELD`], as an absolute
/// address on this portal; `None` unless it is a local path.
fn back_of(base_url: &str, body: &[u8]) -> Option<HeaderValue> {
    let back = form_urlencoded::parse(body)
        .find(|(name, _)| name == app::ui::BACK_FIELD)
        .map(|(_, value)| value.into_owned())?;
    let local = back.starts_with('/')
        && !back.starts_with("//")
        && !back.starts_with("/\\")
        && !back.chars().any(char::is_control);
    local
        .then(|| HeaderValue::from_str(&format!("{base_url}{back}")).ok())
        .flatten()
}

/// Field names whose values are never kept: secrets are typed again.
fn is_secret_field(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.contains("password") || name.contains("token") || name.contains("csrf")
}

async fn store_flash(db: &Db, body: &Bytes) -> anyhow::Result<String> {
    // A name sent more than once (a group of check boxes, `rings[]`) keeps every value,
    // one per line (see `app::ssr::flashed_values`).
    let mut values: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in form_urlencoded::parse(body).filter(|(name, _)| !is_secret_field(name)) {
        values
            .entry(name.into_owned())
            .and_modify(|v| {
                v.push('\n');
                v.push_str(&value);
            })
            .or_insert_with(|| value.into_owned());
    }
    // A NUL (refused, see `security::no_nul`) is the one thing typed that is not kept.
    for value in values.values_mut() {
        value.retain(|c| c != '\0');
    }
    let payload = serde_json::to_string(&values)?;
    let id = app::ssr::random_token(16);
    let backend = db.get_database_backend();
    let cutoff = Utc::now() - Duration::minutes(FLASH_TTL_MINUTES);
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql(backend, "DELETE FROM form_flashes WHERE created_at < ?"),
        [cutoff.into()],
    ))
    .await?;
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            "INSERT INTO form_flashes (id, payload, created_at) VALUES (?, ?, ?)",
        ),
        [id.clone().into(), payload.into(), Utc::now().into()],
    ))
    .await?;
    Ok(id)
}

/// Loads (and deletes) the flash for this page view, hands it to the page, and
/// clears the cookie.
async fn page_with_flash(db: &Db, id: String, mut request: Request, next: Next) -> Response {
    match take_flash(db, &id).await {
        Ok(Some(values)) => {
            request.extensions_mut().insert(FormFlash(values));
        }
        Ok(None) => {}
        Err(err) => tracing::error!("could not read a form flash: {err:#}"),
    }
    let mut response = next.run(request).await;
    let clear = format!("{FLASH_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
    if let Ok(value) = HeaderValue::from_str(&clear) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

async fn take_flash(db: &Db, id: &str) -> anyhow::Result<Option<BTreeMap<String, String>>> {
    if id.len() != 32 || !id.chars().all(|c| c.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let backend = db.get_database_backend();
    let cutoff = Utc::now() - Duration::minutes(FLASH_TTL_MINUTES);
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql(
                backend,
                "SELECT payload FROM form_flashes WHERE id = ? AND created_at >= ?",
            ),
            [id.into(), cutoff.into()],
        ))
        .await?;
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql(backend, "DELETE FROM form_flashes WHERE id = ?"),
        [id.into()],
    ))
    .await?;
    let Some(row) = row else { return Ok(None) };
    let payload: String = row.try_get("", "payload")?;
    Ok(Some(serde_json::from_str(&payload)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_local_page_is_taken_as_the_way_back() {
        let back = |body: &str| back_of("https://broar.test", body.as_bytes());
        assert_eq!(
            back("a=1&__back=%2Fbehov%2F3%3Fsida%3D2"),
            Some(HeaderValue::from_static(
                "https://broar.test/behov/3?sida=2"
            ))
        );
        assert_eq!(back("__back=https%3A%2F%2Fevil.example%2F"), None);
        assert_eq!(back("__back=%2F%2Fevil.example"), None);
        assert_eq!(back("__back=%2F%5Cevil.example"), None);
        assert_eq!(back("__back=%2Fa%0D%0ASet-Cookie%3A+x"), None);
        assert_eq!(back("a=1"), None);
    }

    #[test]
    fn secrets_are_not_kept_for_redisplay() {
        assert!(is_secret_field("new_password"));
        assert!(is_secret_field("csrf_token"));
        assert!(!is_secret_field("message"));
    }
}
