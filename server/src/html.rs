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
    // The page's policy names the nonce of the loader in its head, read from the page
    // itself: one place, and the two always agree. (Set by the shell through leptos'
    // ResponseOptions, it once failed to arrive in a CI run, and the page never
    // hydrated.)
    if let Some(value) =
        loader_nonce(&bytes).and_then(|n| header::HeaderValue::from_str(&app::page_policy(n)).ok())
    {
        parts.headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    let body = match tidy(&bytes) {
        Cow::Borrowed(_) => Body::from(bytes),
        Cow::Owned(page) => {
            parts.headers.remove(header::CONTENT_LENGTH);
            Body::from(page)
        }
    };
    Response::from_parts(parts, body)
}

/// The page with its markers spelled as comments and its trailing scripts in the body.
/// Bytes in, bytes out: only ASCII is inserted, between whole characters, so a page
/// in UTF-8 stays in UTF-8 (and need not be checked first).
pub fn tidy(html: &[u8]) -> Cow<'_, [u8]> {
    let (document, trailing) = match memchr::memmem::rfind(html, b"</html>") {
        Some(end) if !html[end + 7..].trim_ascii().is_empty() => {
            (&html[..end + 7], html[end + 7..].trim_ascii_start())
        }
        _ => (html, &b""[..]),
    };
    if trailing.is_empty() && memchr::memmem::find(html, b"<!>").is_none() {
        return Cow::Borrowed(html);
    }
    let mut out = Vec::with_capacity(html.len() + html.len() / 16);
    markers_as_comments(document, &mut out);
    if !trailing.is_empty() {
        let mut moved = Vec::with_capacity(trailing.len());
        markers_as_comments(trailing, &mut moved);
        match memchr::memmem::rfind(&out, b"</body>") {
            Some(at) => {
                out.splice(at..at, moved);
            }
            None => out.extend_from_slice(&moved),
        }
    }
    Cow::Owned(out)
}

/// Copies `html` to `out` with each `<!>` in content as `<!---->`; tags (with their
/// quoted attribute values), comments and raw-text elements are skipped whole. The
/// text between markers is copied in one piece (a page is a few hundred KB, with a
/// marker every few hundred bytes), and every search is `memchr`'s.
fn markers_as_comments(bytes: &[u8], out: &mut Vec<u8>) {
    let (mut copied, mut at) = (0, 0);
    while let Some(i) = memchr::memchr(b'<', &bytes[at..]).map(|i| at + i) {
        let rest = &bytes[i..];
        if rest.starts_with(b"<!>") {
            out.extend_from_slice(&bytes[copied..i]);
            out.extend_from_slice(b"<!---->");
            copied = i + 3;
            at = copied;
            continue;
        }
        at = i + if rest.starts_with(b"<!--") {
            memchr::memmem::find(rest, b"-->").map_or(rest.len(), |e| e + 3)
        } else {
            let tag_end = tag_end(rest);
            match raw_text_element(rest) {
                Some(name) => {
                    closing_tag(&rest[tag_end..], name).map_or(rest.len(), |e| tag_end + e)
                }
                None => tag_end,
            }
        };
    }
    out.extend_from_slice(&bytes[copied..]);
}

/// The name of the raw-text element (`script`, `style`, `textarea`: its content is
/// not markup) whose start tag begins `tag`, if it is one.
fn raw_text_element(tag: &[u8]) -> Option<&'static [u8]> {
    [&b"script"[..], b"style", b"textarea"]
        .into_iter()
        .find(|name| {
            tag.get(1..=name.len())
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
                && !tag
                    .get(name.len() + 1)
                    .is_some_and(|b| b.is_ascii_alphanumeric())
        })
}

/// Where the end tag of element `name` (`</name`, any case) starts in `s`.
fn closing_tag(s: &[u8], name: &[u8]) -> Option<usize> {
    memchr::memmem::find_iter(s, b"</").find(|&i| {
        s.get(i + 2..i + 2 + name.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
    })
}

/// The nonce of the loader the shell writes into the head
/// (`<script type="module" nonce="…">`); only the head is searched, before any text a
/// person wrote, and only a nonce of URL-safe base64 characters is taken.
fn loader_nonce(html: &[u8]) -> Option<&str> {
    let head = &html[..memchr::memmem::find(html, b"</head>")?];
    let start = memchr::memmem::find(head, b"<script type=\"module\" nonce=\"")? + 29;
    let len = memchr::memchr(b'"', &head[start..])?;
    let nonce = &head[start..start + len];
    (!nonce.is_empty()
        && nonce
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_'))
    .then(|| std::str::from_utf8(nonce).ok())
    .flatten()
}

/// The length of the tag that starts `s`, to its closing `>` outside quotes.
fn tag_end(s: &[u8]) -> usize {
    let mut at = 1;
    while let Some(i) = memchr::memchr3(b'>', b'"', b'\'', &s[at..]).map(|i| at + i) {
        if s[i] == b'>' {
            return i + 1;
        }
        // A quoted attribute value: to its closing quote.
        match memchr::memchr(s[i], &s[i + 1..]) {
            Some(close) => at = i + 1 + close + 1,
            None => return s.len(),
        }
    }
    s.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tidied(page: &str) -> String {
        String::from_utf8(tidy(page.as_bytes()).into_owned()).expect("still UTF-8")
    }

    #[test]
    fn markers_become_comments_and_trailing_scripts_move_into_the_body() {
        let page = "<!DOCTYPE html><html><head><script type=\"module\">a<!>b</script></head>\
                    <body><p>x<!></p><!></body><!></html><!><script nonce=\"n\">__R=[\"\\u003c!>\"];</script>";
        assert_eq!(
            tidied(page),
            "<!DOCTYPE html><html><head><script type=\"module\">a<!>b</script></head>\
             <body><p>x<!----></p><!----><!----><script nonce=\"n\">__R=[\"\\u003c!>\"];</script></body><!----></html>"
        );
    }

    #[test]
    fn what_a_person_typed_is_not_touched() {
        // Text is escaped by leptos; attribute values and a textarea's text are not.
        let page = "<html><body><input value=\"a <!> b\" title='<!>'><textarea name=\"t\">x <!> y</textarea>\
                    <p>&lt;!&gt; <!-- <!> --></p><style>a::before{content:\"<!>\"}</style></body></html>";
        assert_eq!(tidied(page), page);
    }

    #[test]
    fn the_loaders_nonce_is_read_from_the_head_only() {
        let page = "<html><head><title>x</title><script type=\"module\" nonce=\"Ab-9_z\">import x;</script></head>\
                    <body><script type=\"module\" nonce=\"evil\"></script></body></html>";
        assert_eq!(loader_nonce(page.as_bytes()), Some("Ab-9_z"));
        let typed = "<html><head></head><body><script type=\"module\" nonce=\"evil\"></script></body></html>";
        assert_eq!(loader_nonce(typed.as_bytes()), None);
        let odd = "<html><head><script type=\"module\" nonce=\"a' 'unsafe-inline\"></script></head></html>";
        assert_eq!(loader_nonce(odd.as_bytes()), None);
    }

    #[test]
    fn raw_text_ends_at_its_own_end_tag_in_any_case_and_quotes_may_hold_a_bracket() {
        let page = "<html><body><SCRIPT>a<!>b</scripts></Script><!><p title=\"x>y<!>\" data-q='\"<!>'><!></p>\
                    <styles><!></styles><textarea>t</textarea ><!></body></html>";
        assert_eq!(
            tidied(page),
            "<html><body><SCRIPT>a<!>b</scripts></Script><!----><p title=\"x>y<!>\" data-q='\"<!>'><!----></p>\
             <styles><!----></styles><textarea>t</textarea ><!----></body></html>"
        );
    }

    #[test]
    fn text_in_any_script_keeps_its_characters() {
        assert_eq!(
            tidied("<html><body><p title=\"Åsa\">Sjöström<!>Ümit 🌉</p></body></html>"),
            "<html><body><p title=\"Åsa\">Sjöström<!---->Ümit 🌉</p></body></html>"
        );
    }

    #[test]
    fn a_valid_page_is_passed_through_without_copying() {
        let page = "<!DOCTYPE html><html><body><p>Hej</p></body></html>\n";
        assert!(matches!(tidy(page.as_bytes()), Cow::Borrowed(_)));
    }
}
