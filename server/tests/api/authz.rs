//! The authorization matrix (authz.tsv) against the running server, for every caller.

use std::collections::BTreeSet;

use app::auth::model::Role;

use crate::{db_test, helpers::TestApp};

const TABLE: &str = include_str!("authz.tsv");

struct Row {
    method: String,
    path: String,
    body: String,
    expected: [u16; 4],
}

fn rows() -> Vec<Row> {
    TABLE
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(cols.len(), 7, "seven columns in: {line}");
            let status = |i: usize| {
                cols[i]
                    .parse::<u16>()
                    .unwrap_or_else(|_| panic!("status in: {line}"))
            };
            Row {
                method: cols[0].to_owned(),
                path: cols[1].to_owned(),
                body: cols[2].to_owned(),
                expected: [status(3), status(4), status(5), status(6)],
            }
        })
        .collect()
}

#[tokio::test]
async fn every_registered_server_function_and_page_is_in_the_matrix() {
    let listed: BTreeSet<(String, String)> =
        rows().into_iter().map(|r| (r.method, r.path)).collect();
    let mut missing = Vec::new();
    for (path, method) in leptos::server_fn::axum::server_fn_paths() {
        let key = (method.as_str().to_owned(), path.to_owned());
        if !listed.contains(&key) {
            missing.push(format!("{} {}", key.0, key.1));
        }
    }
    for route in leptos_axum::generate_route_list(app::App) {
        let key = ("GET".to_owned(), route.path().to_owned());
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
        // Logging out ends the session: the rows after it get freshly logged-in clients.
        let split = rows.iter().position(|r| r.path == "/api/auth/logout").map_or(rows.len(), |p| p + 1);
        let mut wrong = check(&app, &rows[..split], &clients(&app).await).await;
        wrong.extend(check(&app, &rows[split..], &clients(&app).await).await);
        assert!(wrong.is_empty(), "{wrong:#?}");
    }
}

/// One client per kind of caller, in the matrix's column order.
async fn clients(app: &TestApp) -> [(&'static str, reqwest::Client); 4] {
    [
        ("anonymous", crate::helpers::new_client()),
        ("employer", app.client_as(Role::Employer).await),
        ("coordinator", app.client_as(Role::Coordinator).await),
        ("admin", app.client_as(Role::Admin).await),
    ]
}

/// Calls every row as every caller; returns the mismatches.
async fn check(
    app: &TestApp,
    rows: &[Row],
    clients: &[(&'static str, reqwest::Client); 4],
) -> Vec<String> {
    let mut wrong = Vec::new();
    for row in rows {
        for (i, (who, client)) in clients.iter().enumerate() {
            let url = format!("{}{}", app.address, row.path);
            let res = if row.method == "GET" {
                client.get(url).send().await
            } else {
                client
                    .post(url)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("accept", "application/json")
                    .body(row.body.replace("{n}", &crate::helpers::random_hex(4)))
                    .send()
                    .await
            }
            .expect("sent");
            let status = res.status().as_u16();
            if status != row.expected[i] {
                wrong.push(format!(
                    "{} {} as {who}: {status}, expected {}",
                    row.method, row.path, row.expected[i]
                ));
            }
        }
    }
    wrong
}
