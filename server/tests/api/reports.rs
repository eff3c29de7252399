//! Follow-up reports through the real server and database: every figure of a
//! hand-built 2024 at the period's and the rules' edges (for all rings, with an
//! erased candidate, and for one ring), the CSV file as Excel opens it, and the ring
//! statistics an employer sees with small counts hidden.

use app::{
    auth::model::Role,
    candidates::entity::activity,
    reports::{
        ReportView, RingStatsView,
        model::{Counts, Shown},
    },
};
use chrono::{Datelike, Duration, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, Set, Value};

use crate::{db_test, helpers::TestApp};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

/// A candidate of `gender`, `age` on the day of `enrolled`, job-ready from `ready`.
async fn person(
    app: &TestApp,
    gender: &str,
    age: i32,
    enrolled: &str,
    ready: Option<NaiveDate>,
) -> i32 {
    let id = app.candidate("Testdeltagare").await;
    let enrolled = d(enrolled);
    // The birthday was the day before: exactly `age` on the day.
    let birth = enrolled
        .checked_sub_months(chrono::Months::new(12 * age.unsigned_abs()))
        .expect("birth")
        - Duration::days(1);
    app.exec(
        "UPDATE candidates SET gender = ?, birth_date = ?, enrolled_on = ?, job_ready_since = ? \
         WHERE id = ?",
        vec![
            gender.into(),
            birth.into(),
            enrolled.into(),
            ready.into(),
            id.into(),
        ],
    )
    .await;
    id
}

struct Act<'a> {
    kind: &'a str,
    start: NaiveDate,
    end: Option<NaiveDate>,
    form: &'a str,
    reason: &'a str,
    firm: Option<i32>,
    need: Option<i32>,
}

impl<'a> Act<'a> {
    fn new(kind: &'a str, start: NaiveDate) -> Self {
        Self {
            kind,
            start,
            end: None,
            form: "",
            reason: "",
            firm: None,
            need: None,
        }
    }
}

async fn act(app: &TestApp, candidate: i32, a: Act<'_>) {
    activity::ActiveModel {
        candidate_id: Set(candidate),
        kind: Set(a.kind.to_owned()),
        firm_id: Set(a.firm),
        need_id: Set(a.need),
        title: Set(String::new()),
        provider: Set(String::new()),
        start_on: Set(a.start),
        end_on: Set(a.end),
        completed: Set(None),
        employment_form: Set(a.form.to_owned()),
        exit_reason: Set(a.reason.to_owned()),
        note: Set(String::new()),
        created_by: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("activity");
}

/// The need's history: opened on `opened` (noon UTC), and `then` later.
async fn need_history(app: &TestApp, need: i32, opened: &str, then: Option<(&str, &str)>) {
    let at = |day: &str| d(day).and_hms_opt(12, 0, 0).expect("time").and_utc();
    app.exec(
        "DELETE FROM need_events WHERE need_id = ?",
        vec![need.into()],
    )
    .await;
    let mut events = vec![(at(opened), "created", "open")];
    if let Some((day, status)) = then {
        events.push((at(day), "status", status));
    }
    for (when, action, detail) in events {
        app.exec(
            "INSERT INTO need_events (need_id, at, actor_id, actor_name, action, detail) \
             VALUES (?, ?, NULL, 'Test', ?, ?)",
            vec![need.into(), when.into(), action.into(), detail.into()],
        )
        .await;
    }
}

async fn contact(app: &TestApp, firm: i32, coordinator: i32, on: &str) {
    app.exec(
        "INSERT INTO outreach (firm_id, contacted_on, channel, coordinator_id, outcome, note, \
         next_step, next_step_on, followed_up_at, created_at) \
         VALUES (?, ?, 'phone', ?, 'interested', '', '', NULL, NULL, ?)",
        vec![
            firm.into(),
            d(on).into(),
            coordinator.into(),
            Utc::now().into(),
        ],
    )
    .await;
}

async fn report(
    app: &TestApp,
    client: &reqwest::Client,
    from: &str,
    to: &str,
    ring: &str,
) -> ReportView {
    let res = app
        .post_as(
            client,
            "/api/reports/report",
            &[("from", from), ("to", to), ("ring", ring)],
        )
        .await;
    assert_eq!(res.status(), 200);
    res.json().await.expect("a report")
}

fn row<T: PartialEq + std::fmt::Debug>(rows: &[(T, Counts)], key: T) -> [u32; 8] {
    rows.iter()
        .find(|(k, _)| *k == key)
        .unwrap_or_else(|| panic!("no row {key:?}"))
        .1
        .0
}

db_test! {
    /// 2024 with people on both sides of its edges and of the 548- and 122-day rules;
    /// the answers were worked out by hand.
    async fn every_figure_for_a_hand_built_year(app: TestApp) {
        use app::{candidates::model::ExitReason, needs::model::EmploymentForm};
        let f = app.rings().await;
        let (coordinator_email, _) = app.account(Role::Coordinator).await;
        let coordinator = app.user_id(&coordinator_email).await;
        let day = |s: &str, n: i64| d(s) + Duration::days(n);
        // Enrolled the day before the period, self-sufficient in it: in no cohort.
        let before = person(&app, "woman", 30, "2023-12-31", Some(d("2024-01-15"))).await;
        act(&app, before, Act::new("self_sufficiency", d("2024-02-01"))).await;
        // First day; job-ready on day 122, self-sufficient on exactly day 548. In ring A's pool.
        let a = person(&app, "woman", 20, "2024-01-01", Some(day("2024-01-01", 122))).await;
        act(&app, a, Act::new("self_sufficiency", day("2024-01-01", 548))).await;
        app.exec(
            "INSERT INTO pool_entries (ring_id, candidate_id, note, added_by, added_at) VALUES (?, ?, '', NULL, ?)",
            vec![f.ring_a.into(), a.into(), Utc::now().into()],
        ).await;
        // Job-ready on day 123, self-sufficient on day 549: neither within.
        let b = person(&app, "man", 30, "2024-03-10", Some(day("2024-03-10", 123))).await;
        act(&app, b, Act::new("self_sufficiency", day("2024-03-10", 549))).await;
        // Last day of the period, 60 years old; an internship for ring A's need over
        // the turn of the year, then a permanent job.
        let c = person(&app, "woman", 60, "2024-12-31", None).await;
        act(&app, c, Act { end: Some(d("2025-01-31")), firm: Some(f.firm_a), need: Some(f.need), ..Act::new("internship", d("2024-12-01")) }).await;
        act(&app, c, Act { form: "permanent", firm: Some(f.firm_a), ..Act::new("employment", d("2025-02-01")) }).await;
        // A training that ended in the period, then an exit to another programme.
        let e = person(&app, "man", 40, "2024-06-15", None).await;
        act(&app, e, Act { end: Some(d("2024-09-30")), ..Act::new("training", d("2024-08-01")) }).await;
        act(&app, e, Act { reason: "other_programme", ..Act::new("exit", d("2025-03-01")) }).await;
        // Enrolled the day after the period, with a job: in nothing.
        let after = person(&app, "man", 30, "2025-01-01", None).await;
        act(&app, after, Act { form: "fixed_term", ..Act::new("employment", d("2025-01-02")) }).await;
        // An erased candidate enrolled in May 2024: job-ready on day 30, self-sufficient
        // on day 400, a fixed-term first job.
        app.exec(
            "INSERT INTO erased_candidates (gender, age_band, enrolled_month, job_ready_days, \
             self_sufficient_days, exit_reason, had_internship, had_training, employment_form, \
             reason, erased_at) VALUES ('woman', '25-54', ?, 30, 400, '', false, false, 'fixed_term', 'retention', ?)",
            vec![d("2024-05-01").into(), Utc::now().into()],
        ).await;
        // Firms: A contacted in the period, B the day before; A's need open from
        // March 2024, C's other need only in 2023.
        contact(&app, f.firm_a, coordinator, "2024-03-01").await;
        contact(&app, f.firm_b, coordinator, "2023-12-31").await;
        need_history(&app, f.need, "2024-03-01", Some(("2025-02-01", "filled"))).await;
        need_history(&app, f.other_need, "2023-01-10", Some(("2023-12-31", "closed"))).await;
        need_history(&app, f.other_draft, "2025-05-01", None).await;

        let staff = app.client_as(Role::Coordinator).await;
        let all = report(&app, &staff, "2024-01-01", "2024-12-31", "").await;
        let r = &all.figures;
        // Columns: total, women, men, other, 16–24, 25–54, 55–64, other age.
        // Cohort: a (w, 20), b (m, 30), c (w, 60), e (m, 40) and the erased (w, 25–54).
        assert_eq!(r.cohort.0, [5, 3, 2, 0, 1, 3, 1, 0]);
        assert_eq!(all.erased, 1);
        assert_eq!(r.matured.0, [5, 3, 2, 0, 1, 3, 1, 0], "every day 548 has passed");
        assert_eq!(r.self_sufficient_18m.0, [2, 2, 0, 0, 1, 1, 0, 0], "a on day 548, the erased on day 400");
        assert_eq!(r.share_18m()[0], Some(40.0));
        assert_eq!(r.job_ready_4m.0, [2, 2, 0, 0, 1, 1, 0, 0], "a on day 122, the erased on day 30; not b on 123");
        assert_eq!(r.self_sufficient.0, [3, 2, 1, 0, 1, 2, 0, 0]);
        assert_eq!(r.mean_days()[0], Some((548.0 + 549.0 + 400.0) / 3.0));
        assert_eq!(row(&r.exits, ExitReason::OtherProgramme), [1, 0, 1, 0, 0, 1, 0, 0]);
        assert_eq!(row(&r.exits, ExitReason::Moved)[0], 0);
        assert_eq!(row(&r.jobs, Some(EmploymentForm::Permanent)), [1, 1, 0, 0, 0, 0, 1, 0]);
        assert_eq!(row(&r.jobs, Some(EmploymentForm::FixedTerm)), [1, 1, 0, 0, 0, 1, 0, 0], "the erased one's; not the one enrolled after");
        assert_eq!(r.in_internship.0, [1, 1, 0, 0, 0, 0, 1, 0]);
        assert_eq!(r.job_after_internship.0, [1, 1, 0, 0, 0, 0, 1, 0]);
        assert_eq!(r.in_training.0, [1, 0, 1, 0, 0, 1, 0, 0]);
        assert_eq!(r.job_after_training.0[0], 0);
        assert_eq!(r.firms_contacted, 1);
        assert_eq!(r.firms_with_needs, 1);
        assert_eq!(r.trend.len(), 12);
        assert_eq!(r.trend[0].enrolled, 1, "a; not the one the day before");
        assert_eq!(r.trend[0].job_ready, 1, "the one enrolled the day before");
        assert_eq!(r.trend[1].self_sufficient, 1);
        assert_eq!(r.trend[4].enrolled, 1, "the erased one, by its month");
        assert_eq!(r.trend[11].enrolled, 1);

        // Ring A: a (its pool) and c (its need); no erased candidates, A's and C's firms.
        let ring = report(&app, &staff, "2024-01-01", "2024-12-31", &f.ring_a.to_string()).await;
        assert_eq!(ring.ring.as_ref().map(|r| r.id), Some(f.ring_a));
        assert_eq!(ring.erased, 0);
        assert_eq!(ring.figures.cohort.0, [2, 2, 0, 0, 1, 0, 1, 0]);
        assert_eq!(ring.figures.self_sufficient_18m.0[0], 1);
        assert_eq!(ring.figures.firms_contacted, 1);
        assert_eq!(ring.figures.firms_with_needs, 1);
        // Ring B: firm B was contacted the day before; nobody in it.
        let ring_b = report(&app, &staff, "2024-01-01", "2024-12-31", &f.ring_b.to_string()).await;
        assert_eq!(ring_b.figures.cohort.0[0], 0);
        assert_eq!(ring_b.figures.firms_contacted, 0);

        // The CSV file: BOM, semicolons, CRLF, a decimal comma, definitions.
        let res = staff
            .get(format!("{}/rapporter/export.csv?tabell=figures&from=2024-01-01&to=2024-12-31&ring=", app.address))
            .send()
            .await
            .expect("csv");
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
        assert!(res.headers()["content-disposition"].to_str().expect("ascii").contains("uppfoljning-figures-2024-01-01-2024-12-31.csv"));
        let bytes = res.bytes().await.expect("body");
        assert!(bytes.starts_with("\u{feff}".as_bytes()), "a byte-order mark for Excel");
        let text = std::str::from_utf8(&bytes[3..]).expect("UTF-8");
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert!(lines[0].starts_with("Mått;Totalt;Kvinnor;Män;Annat/ej angivet;16–24 år;25–54 år;55–64 år;Annan ålder;Definition"), "{}", lines[0]);
        assert!(lines[1].starts_with("Inskrivna under perioden;5;3;2;0;1;3;1;0;\"Deltagare med inskrivningsdag inom perioden (kohorten); ålder"), "a field with a semicolon is quoted: {}", lines[1]);
        assert!(lines.iter().any(|l| l.starts_with("Andel självförsörjande inom 18 månader;40,0 %;66,7 %;0,0 %;–;100,0 %;33,3 %;0,0 %;–;")), "{text}");
        // Bad input is named, not a 500.
        let bad = staff
            .get(format!("{}/rapporter/export.csv?tabell=figures&from=2024-12-31&to=2024-01-01", app.address))
            .send()
            .await
            .expect("csv");
        assert_eq!(bad.status(), 422);
        let res = app
            .post_as(&staff, "/api/reports/report", &[("from", "2024-13-01"), ("to", "2023-01-01"), ("ring", "x")])
            .await;
        let errors = crate::helpers::field_errors(res).await;
        assert_eq!(errors, vec!["from:field-date-invalid", "ring:field-choice-invalid"], "a bad date and a bad ring are both named");
    }
}

db_test! {
    /// What a member of a ring sees of it: needs and hires of the last complete year
    /// with every count of 1 or 2 hidden, and what would give one away hidden too.
    async fn ring_statistics_hide_small_counts(app: TestApp) {
        let f = app.rings().await;
        let year = app::i18n::today().year() - 1;
        let on = |m: u32, day: u32| NaiveDate::from_ymd_opt(year, m, day).expect("date");
        // Three women and a man, all 25–54, hired at firm A; one internship at C.
        for (k, gender) in ["woman", "woman", "woman", "man"].into_iter().enumerate() {
            let id = person(&app, gender, 30, &on(1, 10).to_string(), None).await;
            act(&app, id, Act { form: "permanent", firm: Some(f.firm_a), ..Act::new("employment", on(3, 1 + k as u32)) }).await;
        }
        let intern = person(&app, "woman", 20, &on(1, 10).to_string(), None).await;
        act(&app, intern, Act { firm: Some(f.firm_c), ..Act::new("internship", on(4, 1)) }).await;
        // A job at firm B (ring B) does not count for ring A.
        let elsewhere = person(&app, "man", 30, &on(1, 10).to_string(), None).await;
        act(&app, elsewhere, Act { firm: Some(f.firm_b), ..Act::new("employment", on(5, 1)) }).await;
        // The fixture's ring and memberships began today: back-date them.
        let start = Value::from(on(1, 1).and_hms_opt(0, 0, 0).expect("t").and_utc());
        app.exec("UPDATE ring_memberships SET joined_at = ?", vec![start.clone()]).await;
        app.exec("UPDATE rings SET created_at = ?", vec![start]).await;
        // One need posted and filled in the year.
        need_history(&app, f.need, &on(2, 1).to_string(), Some((&on(6, 1).to_string(), "filled"))).await;

        let (member, _) = app.employer_at(f.firm_a).await;
        let res = app
            .post_as(&member, "/api/reports/ring-stats", &[("ring", &f.ring_a.to_string()), ("year", &year.to_string())])
            .await;
        assert_eq!(res.status(), 200);
        let stats: RingStatsView = res.json().await.expect("stats");
        use Shown::{Count, Hidden};
        assert_eq!(stats.hires, [Count(4), Hidden, Hidden, Hidden, Count(0), Count(4), Count(0), Count(0)],
            "the man is hidden, and so are the women and the zero: 4 − 3 would give him away, and 4 over two hidden cells would read as 2 + 2");
        assert_eq!(stats.internships, [Hidden; 8], "a total of one hides the row");
        assert_eq!(stats.needs_posted, Hidden);
        assert_eq!(stats.needs_filled, Hidden);
        for cells in [&stats.hires, &stats.internships] {
            for cell in cells {
                assert!(!matches!(cell, Count(1) | Count(2)), "{cells:?}");
            }
        }
        // The CSV file the member can download shows the same.
        let csv = member
            .get(format!("{}/ringar/{}/statistik.csv?ar={year}", app.address, f.ring_a))
            .send()
            .await
            .expect("csv");
        assert_eq!(csv.status(), 200);
        let text = csv.text().await.expect("text");
        assert!(text.contains("Anställningar genom ringen;4;..;..;..;0;4;0;0;"), "{text}");
        assert!(text.contains("Praktik genom ringen;..;..;..;..;..;..;..;..;"), "{text}");
        // And the page.
        let page = member
            .get(format!("{}/ringar/{}/statistik?ar={year}", app.address, f.ring_a))
            .send()
            .await
            .expect("page");
        assert_eq!(page.status(), 200);
        let html = page.text().await.expect("html");
        assert!(html.contains("Anställningar genom ringen"));
        // A year that is not the ring's is named as a bad choice.
        let res = app
            .post_as(&member, "/api/reports/ring-stats", &[("ring", &f.ring_a.to_string()), ("year", "1999")])
            .await;
        assert_eq!(crate::helpers::field_errors(res).await, vec!["year:field-choice-invalid"]);
    }
}
