//! The authorization matrix (authz.tsv) against the running server, for every caller;
//! every answer is also checked for the security headers (every route, every caller).

use std::collections::BTreeSet;

use app::auth::model::Role;

use crate::{db_test, fixtures::Rings, helpers::TestApp};

const TABLE: &str = include_str!("authz.tsv");

/// The kinds of caller, in the table's column order.
const CALLERS: usize = 5;

pub(crate) struct Row {
    pub method: String,
    pub path: String,
    pub body: String,
    expected: [u16; CALLERS],
}

pub(crate) fn rows() -> Vec<Row> {
    TABLE
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(cols.len(), 3 + CALLERS, "eight columns in: {line}");
            let status = |i: usize| {
                cols[i]
                    .parse::<u16>()
                    .unwrap_or_else(|_| panic!("status in: {line}"))
            };
            Row {
                method: cols[0].to_owned(),
                path: cols[1].to_owned(),
                body: cols[2].to_owned(),
                expected: [status(3), status(4), status(5), status(6), status(7)],
            }
        })
        .collect()
}

/// A path with its ids replaced by `*`, so `/ringar/{ring}`, `/ringar/999999` and the
/// route `/ringar/:id` are one entry.
fn shape(path: &str) -> String {
    let path = path.split('?').next().unwrap_or(path);
    path.split('/')
        .map(|seg| {
            if seg.starts_with(':')
                || seg.starts_with('{')
                || (!seg.is_empty() && seg.chars().all(|c| c.is_ascii_digit()))
            {
                "*"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[tokio::test]
async fn every_registered_server_function_and_page_is_in_the_matrix() {
    let listed: BTreeSet<(String, String)> = rows()
        .into_iter()
        .map(|r| (r.method, shape(&r.path)))
        .collect();
    let mut missing = Vec::new();
    for (path, method) in leptos::server_fn::axum::server_fn_paths() {
        let key = (method.as_str().to_owned(), shape(path));
        if !listed.contains(&key) {
            missing.push(format!("{} {}", key.0, key.1));
        }
    }
    // The server's cached list: generating it again here could stall pages that other
    // tests are rendering at the same moment (see server::startup::routes).
    for route in server::startup::routes() {
        let key = ("GET".to_owned(), shape(route.path()));
        if !listed.contains(&key) {
            missing.push(format!("GET {}", key.1));
        }
    }
    assert!(missing.is_empty(), "add these to authz.tsv: {missing:#?}");
    assert!(listed.len() >= 20, "the table was read");
}

db_test! {
    async fn every_caller_gets_exactly_the_access_the_matrix_says(app: TestApp) {
        let rows = rows();
        let fixture = app.rings().await;
        // Logging out ends the session: the rows after it get freshly logged-in clients.
        let split = rows.iter().position(|r| r.path == "/api/auth/logout").map_or(rows.len(), |p| p + 1);
        let (clients_before, _) = clients(&app, &fixture).await;
        let mut wrong = check(&app, &rows[..split], &clients_before, &fixture, 0).await;
        let (clients_after, member) = clients(&app, &fixture).await;
        wrong.extend(check(&app, &rows[split..], &clients_after, &fixture, member).await);
        assert!(wrong.is_empty(), "{wrong:#?}");
    }
}

/// One client per kind of caller, in the matrix's column order, and the account id of
/// the employer in ring A.
async fn clients(
    app: &TestApp,
    fixture: &Rings,
) -> ([(&'static str, reqwest::Client); CALLERS], i32) {
    let (member, member_id) = app.employer_at(fixture.firm_a).await;
    let (other, _) = app.employer_at(fixture.firm_b).await;
    (
        [
            ("anonymous", crate::helpers::new_client()),
            ("employer", member),
            ("employer of another ring", other),
            ("coordinator", app.client_as(Role::Coordinator).await),
            ("admin", app.client_as(Role::Admin).await),
        ],
        member_id,
    )
}

/// Puts the fixture's ids (and fresh values) in place of the table's placeholders.
pub(crate) fn fill(text: &str, fixture: &Rings, member: i32, secret: &app::ssr::Secret) -> String {
    text.replace(
        "{member_token}",
        &app::digests::service::token(secret, member),
    )
    .replace("{ring}", &fixture.ring_a.to_string())
    .replace("{ring_b}", &fixture.ring_b.to_string())
    .replace("{firm}", &fixture.firm_a.to_string())
    .replace("{firm_c}", &fixture.firm_c.to_string())
    .replace("{need}", &fixture.need.to_string())
    .replace("{thread}", &fixture.thread.to_string())
    .replace("{candidate}", &fixture.candidate.to_string())
    .replace("{track}", &fixture.track.to_string())
    .replace("{consent_text}", &fixture.consent_text.to_string())
    .replace("{release}", &fixture.release)
    .replace("{pnr}", &crate::fixtures::personnummer())
    .replace("{post}", &fixture.post.to_string())
    .replace("{other_need}", &fixture.other_need.to_string())
    .replace("{other_draft}", &fixture.other_draft.to_string())
    .replace(
        "{future}",
        &(chrono::Utc::now().date_naive() + chrono::Duration::days(30)).to_string(),
    )
    .replace("{today}", &app::i18n::today().to_string())
    .replace("{meeting}", &fixture.meeting.to_string())
    .replace("{past_meeting}", &fixture.past_meeting.to_string())
    .replace("{invitation}", &fixture.invitation.to_string())
    .replace("{member}", &member.to_string())
    .replace("{orgnr}", &crate::fixtures::org_number())
    .replace("{n}", &crate::helpers::random_hex(4))
}

/// Calls every row as every caller; returns the mismatches.
async fn check(
    app: &TestApp,
    rows: &[Row],
    clients: &[(&'static str, reqwest::Client); CALLERS],
    fixture: &Rings,
    member: i32,
) -> Vec<String> {
    let mut wrong = Vec::new();
    for row in rows {
        for (i, (who, client)) in clients.iter().enumerate() {
            let url = format!(
                "{}{}",
                app.address,
                fill(&row.path, fixture, member, &app.digests.secret)
            );
            let res = if row.method == "GET" {
                client.get(url).send().await
            } else {
                client
                    .post(url)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("accept", "application/json")
                    .body(fill(&row.body, fixture, member, &app.digests.secret))
                    .send()
                    .await
            }
            .expect("sent");
            let status = res.status().as_u16();
            // Every answer, whatever its status, carries the security headers.
            let h = res.headers();
            let csp = h
                .get("content-security-policy")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            if !csp.contains("frame-ancestors 'none'")
                || h.get("x-content-type-options")
                    .is_none_or(|v| v != "nosniff")
                || h.get("referrer-policy")
                    .is_none_or(|v| v != "strict-origin-when-cross-origin")
            {
                wrong.push(format!(
                    "{} {} as {who}: security headers missing",
                    row.method, row.path
                ));
            }
            if status != row.expected[i] {
                wrong.push(format!(
                    "{} {} as {who}: {status}, expected {}",
                    row.method, row.path, row.expected[i]
                ));
            }
            let html = h
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("text/html"));
            if row.method == "GET" && status == 200 && html {
                let page = res.text().await.expect("page");
                for problem in form_problems(&page, i > 0) {
                    wrong.push(format!("GET {} as {who}: {problem}", row.path));
                }
            }
        }
    }
    wrong
}

/// What is wrong with the page's post forms: every one carries the way back to the
/// page (`__back`), and, for a logged-in caller, the session's CSRF token.
fn form_problems(page: &str, logged_in: bool) -> Vec<String> {
    let mut problems = Vec::new();
    let mut rest = page;
    while let Some(start) = rest.find("<form") {
        let form = &rest[start..];
        let end = form.find("</form>").map_or(form.len(), |e| e + 7);
        let (form, after) = form.split_at(end);
        rest = after;
        let tag = &form[..form.find('>').unwrap_or(form.len())];
        if !tag.contains(r#"method="post""#) {
            continue;
        }
        let action = tag
            .split("action=\"")
            .nth(1)
            .and_then(|a| a.split('"').next())
            .unwrap_or_default();
        let token = form
            .split(r#"name="csrf" value=""#)
            .nth(1)
            .and_then(|v| v.split('"').next())
            .unwrap_or_default();
        if logged_in && token.is_empty() {
            problems.push(format!("the form posting to {action} has no CSRF token"));
        }
        if action.starts_with("/api/") && !form.contains(r#"name="__back""#) {
            problems.push(format!(
                "the form posting to {action} has no way back (__back)"
            ));
        }
    }
    problems
}

#[test]
fn a_form_without_its_token_or_way_back_is_found() {
    let good = r#"<form method="post" action="/api/x"><input type="hidden" name="csrf" value="abc"/><input type="hidden" name="__back" value="/"/></form>"#;
    assert!(form_problems(good, true).is_empty());
    let bare = r#"<p><form method="post" action="/api/x"><input name="a"/></form><form method="get" action="/s"></form>"#;
    assert_eq!(form_problems(bare, true).len(), 2);
    assert_eq!(
        form_problems(bare, false).len(),
        1,
        "logged out: no token to carry"
    );
}
