//! The competence-needs analysis through the HTTP API on a hand-computed fixture:
//! needs with a history (open, filled, closed, a draft opened later, one closed before
//! the period) against candidates who know or wish for the occupation, by ring, by
//! municipality and at two group levels; the CSV file holds the same.

use app::{
    analysis::{AnalysisView, GroupRow},
    auth::model::Role,
};
use chrono::{NaiveDate, TimeZone, Utc};

use crate::{db_test, helpers::TestApp};

const FROM: &str = "2026-01-01";
const TO: &str = "2026-06-30";

/// A need for a lorry driver (8332) with its history: (day, status) in order.
async fn need(
    app: &TestApp,
    ring: i32,
    firm: i32,
    positions: i32,
    swedish: &str,
    licence: &str,
    history: &[(&str, &str)],
) {
    let created = history.first().map_or("2026-01-01", |(day, _)| day);
    app.exec(
        "INSERT INTO needs (ring_id, firm_id, occupation_code, title, description, positions, required_skills, \
         merit_skills, swedish_level, other_languages, driving_licence, start_date, employment_form, internship_first, \
         suggested_training, status, created_by, created_at, updated_at) \
         VALUES (?, ?, '8332', 'Lastbilsförare', '', ?, '', '', ?, '', ?, ?, 'permanent', ?, '', ?, 1, ?, ?)",
        vec![
            ring.into(), firm.into(), positions.into(), swedish.into(), licence.into(),
            NaiveDate::parse_from_str(created, "%Y-%m-%d").expect("day").into(), false.into(),
            history.last().map_or("draft", |(_, s)| *s).into(), at(created).into(), at(created).into(),
        ],
    )
    .await;
    for (i, (day, status)) in history.iter().enumerate() {
        app.exec(
            "INSERT INTO need_events (need_id, at, actor_id, actor_name, action, detail) \
             VALUES ((SELECT MAX(id) FROM needs), ?, NULL, 'Testperson', ?, ?)",
            vec![
                at(day).into(),
                if i == 0 { "created" } else { "status" }.into(),
                (*status).into(),
            ],
        )
        .await;
    }
}

fn at(day: &str) -> chrono::DateTime<Utc> {
    let d = NaiveDate::parse_from_str(day, "%Y-%m-%d").expect("day");
    Utc.from_utc_datetime(&d.and_hms_opt(10, 0, 0).expect("time"))
}

async fn analysis(
    app: &TestApp,
    client: &reqwest::Client,
    ring: &str,
    municipality: &str,
    level: &str,
) -> AnalysisView {
    let res = app
        .post_as(
            client,
            "/api/analysis",
            &[
                ("from", FROM),
                ("to", TO),
                ("ring", ring),
                ("municipality", municipality),
                ("level", level),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    res.json().await.expect("analysis")
}

fn row<'a>(v: &'a AnalysisView, group: &str) -> Option<&'a GroupRow> {
    v.rows.iter().find(|r| r.figures.group == group)
}

db_test! {
    async fn needs_by_occupation_against_the_pool_as_counted_by_hand(app: TestApp) {
        let rings = app.rings().await;
        let staff = app.client_as(Role::Coordinator).await;
        need(&app, rings.ring_a, rings.firm_a, 2, "B1", "C", &[("2026-02-01", "open"), ("2026-03-03", "filled")]).await;
        need(&app, rings.ring_a, rings.firm_a, 1, "B1", "", &[("2025-11-01", "open")]).await;
        need(&app, rings.ring_a, rings.firm_c, 3, "A2", "CE", &[("2026-05-01", "open"), ("2026-05-21", "filled")]).await;
        need(&app, rings.ring_b, rings.firm_b, 4, "", "", &[("2026-03-01", "draft"), ("2026-03-10", "open"), ("2026-04-01", "closed")]).await;
        need(&app, rings.ring_b, rings.firm_b, 5, "B2", "C", &[("2025-01-01", "open"), ("2025-12-31", "closed")]).await;
        // Firm B is in another municipality.
        let storvik = app::municipality::service::ensure(&app.db, "Testvik kommun", "9977").await.expect("municipality");
        app.exec("UPDATE firms SET municipality_id = ? WHERE id = ?", vec![storvik.into(), rings.firm_b.into()]).await;

        // The pool: a job-ready woman 25–54 who drove lorries and wants to again (once),
        // a man 16–24 who wants to, not yet job-ready, and one who has left the programme.
        let (ready, young, gone) = (app.candidate("Ready Förare").await, app.candidate("Young Förare").await, app.candidate("Gone Förare").await);
        app.exec("UPDATE candidates SET birth_date = ?, gender = 'woman', job_ready_since = ? WHERE id = ?",
            vec![NaiveDate::from_ymd_opt(1990, 1, 1).into(), NaiveDate::from_ymd_opt(2026, 5, 1).into(), ready.into()]).await;
        app.exec("UPDATE candidates SET birth_date = ?, gender = 'man', enrolled_on = ? WHERE id = ?",
            vec![NaiveDate::from_ymd_opt(2005, 1, 1).into(), NaiveDate::from_ymd_opt(2026, 1, 1).into(), young.into()]).await;
        app.exec("UPDATE candidates SET active = ? WHERE id = ?", vec![false.into(), gone.into()]).await;
        for (id, table) in [(ready, "candidate_experiences"), (ready, "candidate_preferences"), (young, "candidate_preferences"), (gone, "candidate_preferences")] {
            let sql = if table == "candidate_experiences" {
                "INSERT INTO candidate_experiences (candidate_id, occupation_code, years, country) VALUES (?, '8332', 4, 'Irak')"
            } else {
                "INSERT INTO candidate_preferences (candidate_id, occupation_code) VALUES (?, '8332')"
            };
            app.exec(sql, vec![id.into()]).await;
        }

        let all = analysis(&app, &staff, "", "", "4").await;
        let lorry = row(&all, "8332").expect("a row for lorry drivers");
        assert!(lorry.name.starts_with("Lastbilsförare"), "{}", lorry.name);
        let f = &lorry.figures;
        assert_eq!((f.needs, f.positions, f.filled, f.licence), (4, 10, 5, 2), "the need closed in 2025 is not counted");
        assert_eq!(f.lead_days, Some(25.0), "30 and 20 days");
        assert_eq!(f.swedish.iter().map(|(l, n)| (l.as_str(), *n)).collect::<Vec<_>>(), [("B1", 2), ("A2", 1)]);
        assert_eq!(f.ready.0, [1, 1, 0, 0, 0, 1, 0, 0]);
        assert_eq!(f.not_ready.0, [1, 0, 1, 0, 1, 0, 0, 0]);
        assert_eq!(all.rows[0].figures.group, "8332", "most positions first");

        let ring_a = analysis(&app, &staff, &rings.ring_a.to_string(), "", "4").await;
        let f = &row(&ring_a, "8332").expect("ring A's row").figures;
        assert_eq!((f.needs, f.positions, f.filled), (3, 6, 5));
        assert_eq!(f.ready.total(), 1, "the supply is the whole pool");
        let storvik_only = analysis(&app, &staff, "", &storvik.to_string(), "4").await;
        assert_eq!(storvik_only.rows.iter().map(|r| (r.figures.group.as_str(), r.figures.positions)).collect::<Vec<_>>(), [("8332", 4)]);
        let two = analysis(&app, &staff, "", "", "2").await;
        let f = &row(&two, "83").expect("the sub-major group").figures;
        assert_eq!((f.needs, f.positions), (4, 10));

        // Each bad field is named.
        let res = app.post_as(&staff, "/api/analysis", &[("from", "2026-07-01"), ("to", TO), ("ring", "999999"), ("municipality", "x"), ("level", "5")]).await;
        assert_eq!(crate::helpers::field_errors(res).await, ["level:field-choice-invalid", "municipality:field-choice-invalid", "to:report-error-to-before-from"]);

        // The CSV file holds the same, in Swedish spelling.
        let csv = staff.get(format!("{}/analys/export.csv?from={FROM}&to={TO}&level=4&tabell=demand", app.address)).send().await.expect("csv");
        assert_eq!(csv.status(), 200);
        let body = csv.text().await.expect("body");
        let line = body.lines().find(|l| l.starts_with("8332")).unwrap_or_else(|| panic!("a line for 8332 in {body}"));
        assert_eq!(line.split(';').skip(1).collect::<Vec<_>>(), ["4", "10", "5", "25,0", "B1 (2), A2 (1)", "2", "1", "1"]);
        let page = staff.get(format!("{}/analys?from={FROM}&to={TO}", app.address)).send().await.expect("page").text().await.expect("html");
        assert!(page.contains("8332 Lastbilsförare") && page.contains("B1 (2), A2 (1)"), "the page shows the row");
    }
}
