//! Malformed input to every server function: each field of each function's form (as
//! the authorization matrix calls it) replaced by wrong types, numbers out of range,
//! impossible dates, huge and multi-byte strings, control characters and injection
//! text; and whole bodies that are not forms at all (invalid UTF-8, deep nesting,
//! repeated keys, JSON, the wrong content type, over the size limit). At least 10 000
//! requests per database, from a logged-in admin and a logged-in ring member: no
//! answer may be a 5xx, none may carry internal error text, and the server answers
//! its health check afterwards.

use std::collections::BTreeSet;

use app::auth::model::Role;
use futures::StreamExt;
use rand::{Rng, SeedableRng, rngs::StdRng, seq::SliceRandom};

use crate::{authz, db_test};

/// How many requests per database, at least.
const INPUTS: usize = 10_000;

/// Text that must never reach a client: it would mean an internal error leaked.
const LEAKS: &[&str] = &[
    "panicked",
    "RUST_BACKTRACE",
    "DbErr",
    "sqlx",
    "SqlxError",
    "error returned from database",
    "syntax error",
    "called `Option::unwrap()`",
    "called `Result::unwrap()`",
    "stack backtrace",
    "Execution Error",
    "no such table",
    "violates",
];

/// Values that break a field's type or rules.
fn bad_values() -> Vec<String> {
    let mut v: Vec<String> = [
        "",
        " ",
        "-1",
        "0",
        "2147483648",
        "-2147483649",
        "99999999999999999999999999",
        "1.5",
        "1e309",
        "NaN",
        "Infinity",
        "true",
        "null",
        "[]",
        "{}",
        "[object Object]",
        "2024-02-30",
        "0000-00-00",
        "9999-12-31",
        "2024-13-01",
        "24:61",
        "T",
        "1970-01-01T00:00:00Z",
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "' OR '1'='1",
        "'; DROP TABLE users; --",
        "a\0b",
        "\0",
        "\u{202e}gnp.exe",
        "😀🇸🇪",
        "\r\n\r\n",
        "../../etc/passwd",
        "%",
        "%zz",
        "+46 70-174 06 99",
        "000000-0000",
        "19000101-0000",
        "x@",
        "@x",
        "A1",
        "SFI-Z",
        "K-ZZZZ",
        "rings[]",
        "\u{feff}",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    v.push("x".repeat(70_000));
    v.push("Å".repeat(20_000));
    v.push("\u{7}".repeat(100));
    v
}

/// One request: path, content type and raw body.
type Input = (String, &'static str, Vec<u8>);

const FORM: &str = "application/x-www-form-urlencoded";

/// Bodies that are not well-formed forms, for `path`.
fn broken_bodies(path: &str, rng: &mut StdRng) -> Vec<Input> {
    let p = path.to_owned();
    let mut random = vec![0u8; rng.random_range(1..300)];
    rng.fill(&mut random[..]);
    vec![
        // Invalid UTF-8, raw and percent-encoded.
        (p.clone(), FORM, b"name=\xff\xfe\xfd&id=\xc3\x28".to_vec()),
        (p.clone(), FORM, b"id=%FF%FE%FD&ring_id=%C3%28".to_vec()),
        (p.clone(), FORM, random),
        // Deep nesting and repeated keys.
        (
            p.clone(),
            FORM,
            format!("a{}=1", "[b]".repeat(2_000)).into_bytes(),
        ),
        (p.clone(), FORM, "rings[]=1&".repeat(5_000).into_bytes()),
        // JSON and other types where a form is expected.
        (
            p.clone(),
            "application/json",
            format!("{}{}", "[".repeat(5_000), "]".repeat(5_000)).into_bytes(),
        ),
        (
            p.clone(),
            "application/json",
            br#"{"ring_id": {"$gt": 0}, "id": [1, 2]}"#.to_vec(),
        ),
        (p.clone(), "text/plain", b"ring_id=1".to_vec()),
        (p.clone(), "multipart/form-data", b"--x\r\n\r\n".to_vec()),
        (p, FORM, Vec::new()),
    ]
}

/// The inputs for every server function: each field of each matrix row replaced by
/// each bad value, plus the broken bodies, shuffled and cut to `INPUTS` (every
/// function keeps its broken bodies).
fn inputs(fill: impl Fn(&str) -> String) -> Vec<Input> {
    let mut rng = StdRng::seed_from_u64(2026);
    let values = bad_values();
    let mut per_field = Vec::new();
    let mut always = Vec::new();
    let mut paths = BTreeSet::new();
    for row in authz::rows() {
        // Ending the session or leaving the ring would change who the callers are.
        if row.method != "POST"
            || !row.path.starts_with("/api/")
            || row.path.ends_with("/logout")
            || row.path.ends_with("/rings/leave")
        {
            continue;
        }
        let path = fill(&row.path);
        let body = fill(&row.body);
        let pairs: Vec<(String, String)> = form_urlencoded::parse(body.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        for i in 0..pairs.len() {
            for value in &values {
                let mut changed = pairs.clone();
                changed[i].1.clone_from(value);
                let mut s = form_urlencoded::Serializer::new(String::new());
                for (k, v) in &changed {
                    s.append_pair(k, v);
                }
                per_field.push((path.clone(), FORM, s.finish().into_bytes()));
            }
        }
        if paths.insert(path.clone()) {
            always.extend(broken_bodies(&path, &mut rng));
        }
    }
    per_field.shuffle(&mut rng);
    // Two bodies just over the default limit (1024 KiB): refused, not a 5xx.
    if let Some(path) = paths.iter().next() {
        let over = format!("text={}", "x".repeat(1024 * 1024));
        always.push((path.clone(), FORM, over.clone().into_bytes()));
        always.push((path.clone(), "application/json", over.into_bytes()));
    }
    let room = INPUTS.saturating_sub(always.len());
    let mut all = always;
    all.extend(per_field.iter().cycle().take(room).cloned());
    all
}

db_test! {
    async fn ten_thousand_malformed_inputs_get_no_5xx_and_no_internal_error_text(app: TestApp) {
        let fixture = app.rings().await;
        let (member, member_id) = app.employer_at(fixture.firm_a).await;
        let admin = app.client_as(Role::Admin).await;
        let secret = app.digests.secret.clone();
        let inputs = inputs(|t| authz::fill(t, &fixture, member_id, &secret));
        assert!(inputs.len() >= INPUTS, "{} inputs", inputs.len());
        let clients = [admin, member];
        let failures: Vec<String> = futures::stream::iter(inputs.iter().enumerate())
            .map(|(k, (path, kind, body))| {
                let client = clients[k % 2].clone();
                let url = format!("{}{path}", app.address);
                async move {
                    let send = || {
                        client
                            .post(&url)
                            .header("content-type", *kind)
                            .header("accept", "application/json")
                            .body(body.clone())
                            .send()
                    };
                    // A kept-alive connection the server closes just as the client
                    // reuses it fails before any answer; the same request then goes
                    // once more on a new connection. Two failures in a row count.
                    let res = match send().await {
                        Ok(res) => Ok(res),
                        Err(_) => send().await,
                    };
                    let res = match res {
                        Ok(res) => res,
                        Err(e) => return Some(format!("{path}: no answer: {e}")),
                    };
                    let status = res.status();
                    let text = res.text().await.unwrap_or_default();
                    if status.is_server_error() {
                        let shown = String::from_utf8_lossy(&body[..body.len().min(120)]).into_owned();
                        return Some(format!("{path} ({kind}) {shown:?}: {status} {}", &text[..text.len().min(200)]));
                    }
                    LEAKS
                        .iter()
                        .find(|leak| text.contains(*leak))
                        .map(|leak| format!("{path}: the answer contains {leak:?}: {}", &text[..text.len().min(200)]))
                }
            })
            .buffer_unordered(4)
            .filter_map(|f| async move { f })
            .collect()
            .await;
        // One example per kind of failure (path and status), and how many there were.
        let mut kinds = std::collections::BTreeMap::new();
        for f in &failures {
            let key: String = f.split(['(', ':']).next().unwrap_or(f).to_owned();
            kinds.entry(key).or_insert_with(|| (0, f.clone())).0 += 1;
        }
        assert!(failures.is_empty(), "{} of {} inputs failed: {kinds:#?}", failures.len(), inputs.len());
        assert_eq!(app.get("/healthz").await.status(), 200, "the server still answers");
    }
}
