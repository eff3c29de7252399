//! Pages on their way out: their Content-Security-Policy, named after the nonce of the
//! loader in the page's head (`app::page_policy`), and valid HTML. leptos 0.8 writes
//! two things the HTML standard calls errors, though browsers build the same document
//! from them:
//!
//! - its hydration markers as `<!>`, a "bogus comment"; `<!---->` is the valid
//!   spelling of the same empty comment, so the browser's DOM (and hydration) is
//!   unchanged;
//! - the resolved resources' `<script>`s after `</html>`; a browser moves them into
//!   the body, and so does this: they go just before `</body>`.
//!
//! Only markup is touched: text is escaped by leptos (so `<!>` in text is `&lt;!>`),
//! while an attribute value may hold a literal `<!>` a person typed and is copied as
//! it is, as is the content of `<script>`, `<style>` and `<textarea>` elements.

use std::borrow::Cow;

use axum::{
    body::{Body, to_bytes},
    extract::Request,
    http::header,
    middleware::Next,
    response::{IntoResponse, Response},
};

/// The largest page this reads (a larger one answers 500; the largest page, matching
/// for a need, is a few hundred KB).
const MAX_PAGE: usize = 16 * 1024 * 1024;

/// Rewrites HTML responses with `tidy`.
pub async fn middleware(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html || response.headers().contains_key(header::CONTENT_ENCODING) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match to_bytes(body, MAX_PAGE).await {
        Ok(b) => b,
        Err(e) => {
            tracing::error!("page body could not be read: {e}");
            return axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    // The page's policy names the nonce of the loader in its head, read from the page
    // itself: one place, and the two always agree. (Set by the shell through leptos'
    // ResponseOptions, it once failed to arrive in a CI run, and the page never
    // hydrated.)
    if let Some(value) =
        loader_nonce(text).and_then(|n| header::HeaderValue::from_str(&app::page_policy(n)).ok())
    {
        parts.headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    let body = match tidy(text) {
        Cow::Borrowed(_) => Body::from(bytes),
        Cow::Owned(s) => {
            parts.headers.remove(header::CONTENT_LENGTH);
            Body::from(s)
        }
    };
    Response::from_parts(parts, body)
}

/// The page with its markers spelled as comments and its trailing scripts in the body.
pub fn tidy(html: &str) -> Cow<'_, str> {
    let (document, trailing) = match html.rfind("</html>") {
        Some(end) if !html[end + 7..].trim().is_empty() => {
            (&html[..end + 7], html[end + 7..].trim_start())
        }
        _ => (html, ""),
    };
    if trailing.is_empty() && !html.contains("<!>") {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    markers_as_comments(document, &mut out);
    if !trailing.is_empty() {
        let mut moved = String::with_capacity(trailing.len());
        markers_as_comments(trailing, &mut moved);
        match out.rfind("</body>") {
            Some(at) => out.insert_str(at, &moved),
            None => out.push_str(&moved),
        }
    }
    Cow::Owned(out)
}

/// Copies `html` to `out` with each `<!>` in content as `<!---->`; tags (with their
/// quoted attribute values), comments and raw-text elements are copied whole.
fn markers_as_comments(html: &str, out: &mut String) {
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if let Some(after) = rest.strip_prefix("<!>") {
            out.push_str("<!---->");
            rest = after;
            continue;
        }
        let copy = if rest.starts_with("<!--") {
            rest.find("-->").map_or(rest.len(), |e| e + 3)
        } else {
            let tag_end = tag_end(rest);
            let name = tag_name(rest);
            match ["script", "style", "textarea"]
                .into_iter()
                .find(|raw| name.eq_ignore_ascii_case(raw))
            {
                Some(raw) => {
                    let close = format!("</{raw}");
                    rest[tag_end..]
                        .to_ascii_lowercase()
                        .find(&close)
                        .map_or(rest.len(), |e| tag_end + e)
                }
                None => tag_end,
            }
        };
        out.push_str(&rest[..copy]);
        rest = &rest[copy..];
    }
    out.push_str(rest);
}

/// The nonce of the loader the shell writes into the head
/// (`<script type="module" nonce="…">`); only the head is searched, before any text a
/// person wrote, and only a nonce of URL-safe base64 characters is taken.
fn loader_nonce(html: &str) -> Option<&str> {
    let head = &html[..html.find("</head>")?];
    let start = head.find("<script type=\"module\" nonce=\"")? + 29;
    let len = head[start..].find('"')?;
    let nonce = &head[start..start + len];
    (!nonce.is_empty()
        && nonce
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
    .then_some(nonce)
}

/// The element name of a tag that starts `s` (`<name ...`), or "".
fn tag_name(s: &str) -> &str {
    let name = &s[1..];
    let end = name
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(name.len());
    &name[..end]
}

/// The length of the tag that starts `s`, to its closing `>` outside quotes.
fn tag_end(s: &str) -> usize {
    let mut quote: Option<u8> = None;
    for (i, b) in s.bytes().enumerate().skip(1) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return i + 1,
            _ => {}
        }
    }
    s.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_become_comments_and_trailing_scripts_move_into_the_body() {
        let page = "<!DOCTYPE html><html><head><script type=\"module\">a<!>b</script></head>\
                    <body><p>x<!></p><!></body><!></html><!><script nonce=\"n\">__R=[\"\\u003c!>\"];</script>";
        assert_eq!(
            tidy(page),
            "<!DOCTYPE html><html><head><script type=\"module\">a<!>b</script></head>\
             <body><p>x<!----></p><!----><!----><script nonce=\"n\">__R=[\"\\u003c!>\"];</script></body><!----></html>"
        );
    }

    #[test]
    fn what_a_person_typed_is_not_touched() {
        // Text is escaped by leptos; attribute values and a textarea's text are not.
        let page = "<html><body><input value=\"a <!> b\" title='<!>'><textarea name=\"t\">x <!> y</textarea>\
                    <p>&lt;!&gt; <!-- <!> --></p><style>a::before{content:\"<!>\"}</style></body></html>";
        assert_eq!(tidy(page), page);
    }

    #[test]
    fn the_loaders_nonce_is_read_from_the_head_only() {
        let page = "<html><head><title>x</title><script type=\"module\" nonce=\"Ab-9_z\">import x;</script></head>\
                    <body><script type=\"module\" nonce=\"evil\"></script></body></html>";
        assert_eq!(loader_nonce(page), Some("Ab-9_z"));
        let typed = "<html><head></head><body><script type=\"module\" nonce=\"evil\"></script></body></html>";
        assert_eq!(loader_nonce(typed), None);
        let odd = "<html><head><script type=\"module\" nonce=\"a' 'unsafe-inline\"></script></head></html>";
        assert_eq!(loader_nonce(odd), None);
    }

    #[test]
    fn a_valid_page_is_passed_through_without_copying() {
        let page = "<!DOCTYPE html><html><body><p>Hej</p></body></html>\n";
        assert!(matches!(tidy(page), Cow::Borrowed(_)));
    }
}
