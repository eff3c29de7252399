//! Security headers on every response (pages, errors, static files, server functions),
//! the cross-site request check on every state-changing request, and the refusal of
//! NUL characters in what a request carries, and of bodies over the limit, in the
//! person's language.

use axum::{
    body::{Body, to_bytes},
    extract::{Request, State},
    http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

use app::error::AppError;

use crate::startup::ServerState;

/// The policy for responses that set none themselves (pages set one with a nonce for
/// their inline hydration script, see `app::shell`).
const DEFAULT_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; \
     form-action 'self'; frame-ancestors 'none'";

/// Adds the security headers to whatever the application answered.
pub async fn headers(State(state): State<ServerState>, request: Request, next: Next) -> Response {
    let (static_file, hashed) = {
        let path = request.uri().path();
        (
            path.starts_with("/pkg/") || path == "/favicon.svg" || path == "/favicon.ico",
            app::assets::is_hashed_path(path),
        )
    };
    let has_session = app::ssr::cookie(
        request.headers(),
        app::auth::session_cookie_name(state.https),
    )
    .is_some();
    let mut response = next.run(request).await;
    // A 404 for a file that is not there (yet) must not be kept for a year.
    let response_ok = response.status().is_success() || response.status().as_u16() == 304;
    let h = response.headers_mut();
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(DEFAULT_CSP),
        );
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
    );
    if state.https {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    // Whatever a logged-in person sees may be personal data: never keep it in a cache.
    if !static_file && (has_session || !h.contains_key(header::CACHE_CONTROL)) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    // A bundle file with its content's hash in the name never changes: a browser
    // keeps it a year without asking. The other files (the favicon, a build
    // without hashes) keep their names from build to build: a browser keeps them
    // but asks each time whether they changed (a 304 without a body when not).
    if static_file && !h.contains_key(header::CACHE_CONTROL) {
        let policy = if hashed && response_ok {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    response
}

/// Refuses state-changing requests that a browser says come from another site.
///
/// `Sec-Fetch-Site` (sent by every current browser) must be `same-origin` or `none`;
/// where it is missing, an `Origin` header must name this host. Requests with neither
/// header are not from a browser's cross-site form or script. Forms posted without
/// JavaScript by a logged-in browser also carry a session-bound token (`forms.rs`).
pub async fn same_origin(request: Request, next: Next) -> Response {
    if is_safe(request.method()) || is_same_origin(request.headers()) {
        next.run(request).await
    } else {
        tracing::warn!(path = %request.uri().path(), "refused a cross-site request");
        forbidden_cross_site()
    }
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn is_same_origin(headers: &HeaderMap) -> bool {
    let value = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = value("sec-fetch-site") {
        return site == "same-origin" || site == "none";
    }
    match (value("origin"), value("host")) {
        (Some(origin), Some(host)) => origin
            .split_once("://")
            .is_some_and(|(_, authority)| authority.eq_ignore_ascii_case(host)),
        (Some(_), None) => false,
        (None, _) => true,
    }
}

/// The answer to a refused cross-site request or a missing form token.
pub fn forbidden_cross_site() -> Response {
    let text = format!(
        "{}\n\n{}\n",
        app::i18n::Locale::Sv.t("error-csrf"),
        app::i18n::Locale::En.t("error-csrf")
    );
    (StatusCode::FORBIDDEN, text).into_response()
}

/// Refuses a request whose query string or body holds a NUL character — raw, as
/// `%00`, or as `\u0000` in JSON. No text in Broar takes one, and PostgreSQL refuses it
/// in a text column, so it would otherwise end as an internal error. A form's answer
/// names the field (422, as any field error), and a form posted without JavaScript
/// goes back to its page with the error and what was typed (`forms.rs` keeps it).
pub async fn no_nul(request: Request, next: Next) -> Response {
    if request.uri().query().is_some_and(|q| has_nul(q.as_bytes())) {
        return refuse(
            request.headers(),
            request.uri().path(),
            AppError::BadRequest,
        );
    }
    if is_safe(request.method()) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    // The body limit (an outer layer) bounds this.
    let bytes = match to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(_) => return refuse(&parts.headers, parts.uri.path(), AppError::TooLarge),
    };
    if has_nul(&bytes) {
        let error = match field_with_nul(&bytes) {
            Some(field) => AppError::field(&field, "field-nul"),
            None => AppError::BadRequest,
        };
        return refuse(&parts.headers, parts.uri.path(), error);
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// Answers a body over `limit` bytes, by its `Content-Length`, before any of it is read
/// (a body without one is cut off at the limit by the layer inside and answered by
/// [`no_nul`] or `forms.rs` the same way).
pub async fn body_limit(State(limit): State<usize>, request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return refuse(request.headers(), request.uri().path(), AppError::TooLarge);
    }
    next.run(request).await
}

/// The first field of a urlencoded body whose name or value holds a NUL.
fn field_with_nul(body: &[u8]) -> Option<String> {
    form_urlencoded::parse(body)
        .find(|(name, value)| name.contains('\0') || value.contains('\0'))
        .map(|(name, _)| name.replace('\0', ""))
        .filter(|name| !name.is_empty())
}

/// The answer to a request refused before it reached the application, in the
/// person's language: a form posted without JavaScript goes back to its page with the
/// error (as leptos does for a server function's error), a server function call gets
/// the error as JSON, a page a short text.
pub fn refuse(headers: &HeaderMap, path: &str, error: AppError) -> Response {
    let status = error.status();
    if crate::forms::is_plain_form(headers) && path.starts_with("/api/") {
        let back = headers
            .get(header::REFERER)
            .and_then(|v| v.to_str().ok())
            .filter(|r| r.starts_with("http://") || r.starts_with("https://"))
            .unwrap_or("/");
        let base = if back == "/" {
            "http://localhost/".to_owned()
        } else {
            back.to_owned()
        };
        if let Ok(url) =
            leptos::server_fn::error::ServerFnUrlError::new(path, error.clone()).to_url(&base)
        {
            let location = if back == "/" {
                format!("/?{}", url.query().unwrap_or_default())
            } else {
                url.to_string()
            };
            if let Ok(value) = HeaderValue::from_str(&location) {
                return (StatusCode::SEE_OTHER, [(header::LOCATION, value)]).into_response();
            }
        }
    }
    if path.starts_with("/api/") {
        let body = serde_json::to_string(&error).unwrap_or_default();
        return (
            status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body,
        )
            .into_response();
    }
    let locale = app::i18n::locale_from_cookie_header(headers).unwrap_or_default();
    let mut text = locale.t(error.message_key());
    if let Some(errors) = error.field_errors() {
        for (field, key) in &errors.0 {
            text.push_str(&format!("\n{field}: {}", locale.t(key)));
        }
    }
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        )],
        text,
    )
        .into_response()
}

fn has_nul(bytes: &[u8]) -> bool {
    bytes.contains(&0)
        || bytes.windows(3).any(|w| w == b"%00")
        || bytes.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn browsers_cross_site_requests_are_told_apart_from_same_site_ones() {
        assert!(is_same_origin(&headers(&[(
            "sec-fetch-site",
            "same-origin"
        )])));
        assert!(!is_same_origin(&headers(&[(
            "sec-fetch-site",
            "cross-site"
        )])));
        assert!(!is_same_origin(&headers(&[(
            "sec-fetch-site",
            "same-site"
        )])));
        assert!(is_same_origin(&headers(&[
            ("origin", "http://localhost:3000"),
            ("host", "localhost:3000")
        ])));
        assert!(!is_same_origin(&headers(&[
            ("origin", "https://evil.example"),
            ("host", "localhost:3000")
        ])));
        assert!(!is_same_origin(&headers(&[
            ("origin", "null"),
            ("host", "localhost:3000")
        ])));
        assert!(
            is_same_origin(&headers(&[])),
            "no browser, no cross-site form"
        );
    }

    #[test]
    fn nul_characters_are_found_however_they_are_written() {
        assert!(has_nul(b"a=x\0y"));
        assert!(has_nul(b"a=x%00y"));
        assert!(has_nul(br#"{"a":"x\u0000y"}"#));
        assert!(has_nul(br#"{"a":"x\U0000y"}"#));
        assert!(!has_nul(b"a=%2500&b=100%25"), "the text %00 itself is fine");
        assert!(!has_nul(b"a=2000-01-01&b=x%C3%A5"));
    }
}
