//! The candidate pool through the HTTP API: validation, the version check, the
//! audited health reads, the timeline's rules, matching through each process's index, and
//! that no demo employer ever receives candidate data.

use std::collections::{BTreeSet, VecDeque};

use app::{
    auth::model::Role,
    candidates::{CandidateDetail, HealthView, model, ranking},
    matching::MatchView,
    needs::{entity::need, model::SwedishLevel},
};
use sea_orm::EntityTrait;

use crate::{
    db_test,
    fixtures::personnummer,
    helpers::{TestApp, encode, field_errors, new_client, with_changes},
};

fn today() -> String {
    app::i18n::today().to_string()
}

/// A complete, valid candidate form with `changes` applied.
fn form(changes: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    let f: Vec<(&'static str, String)> = vec![
        ("name", "Hawa Warsame".into()),
        ("personnummer", personnummer()),
        ("email", "hawa@exempel.test".into()),
        ("phone", "070-174 06 50".into()),
        ("gender", "woman".into()),
        ("permit_date", "2025-03-01".into()),
        ("enrolled_on", today()),
        ("sfi_course", "c".into()),
        ("sfi_path", "2".into()),
        ("driving_licence", "b ce".into()),
        ("available_from", String::new()),
        ("hours", "full".into()),
        ("availability_note", "Kvällar går bra.".into()),
    ];
    with_changes(f, changes)
}

async fn post(
    client: &reqwest::Client,
    app: &TestApp,
    path: &str,
    f: &[(&str, String)],
) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post_as(client, path, &pairs).await
}

async fn detail(client: &reqwest::Client, app: &TestApp, id: i32) -> CandidateDetail {
    let res = app
        .post_as(
            client,
            "/api/candidates/get",
            &[("candidate_id", &id.to_string())],
        )
        .await;
    assert_eq!(res.status(), 200);
    res.json().await.expect("detail")
}

db_test! {
    async fn a_candidate_is_recorded_with_normalised_values(app: TestApp) {
        let client = app.client_as(Role::Coordinator).await;
        let f = form(&[]);
        let res = post(&client, &app, "/api/candidates/create", &f).await;
        assert_eq!(res.status(), 200);
        let id: i32 = res.json().await.expect("id");
        let c = detail(&client, &app, id).await;
        let pnr = &f[1].1;
        assert_eq!(c.personnummer, format!("{}-{}", &pnr[..8], &pnr[8..]));
        assert_eq!(c.birth_date.format("%Y%m%d").to_string(), pnr[..8]);
        assert_eq!(c.sfi_course, "C");
        assert_eq!(c.driving_licence, "B,CE");
        assert_eq!(c.version, 1);
        // The same number again, in its ten-digit form: taken.
        let short = format!("{}-{}", &pnr[2..8], &pnr[8..]);
        let again = post(&client, &app, "/api/candidates/create", &form(&[("personnummer", &short)])).await;
        assert_eq!(field_errors(again).await, ["personnummer:field-pnr-taken"]);
        // Found by a part of the name (any case) or of the number, and not otherwise.
        for (q, found) in [("hawa w", true), (&pnr[2..8], true), ("Zzyzx", false)] {
            let list: app::candidates::CandidateList = app
                .post_as(&client, "/api/candidates/list", &[("q", q), ("status", "")])
                .await.json().await.expect("list");
            assert_eq!(list.candidates.iter().any(|c| c.id == id), found, "{q}");
        }
    }
}

db_test! {
    async fn every_bad_field_of_the_candidate_form_is_named(app: TestApp) {
        let client = app.client_as(Role::Coordinator).await;
        let res = post(&client, &app, "/api/candidates/create", &form(&[
            ("name", "  "),
            ("personnummer", "19900230-1238"),
            ("email", "inte-en-adress"),
            ("phone", "ring mig"),
            ("gender", ""),
            ("permit_date", "2999-01-01"),
            ("enrolled_on", "igår"),
            ("sfi_course", "E"),
            ("sfi_path", "7"),
            ("driving_licence", "B, Z"),
            ("hours", "ibland"),
        ])).await;
        let errors = field_errors(res).await;
        for expected in [
            "name:field-required",
            "personnummer:field-pnr-date",
            "email:field-email-invalid",
            "phone:field-phone-invalid",
            "gender:field-choice-required",
            "permit_date:field-date-future",
            "enrolled_on:field-date-invalid",
            "sfi_course:field-choice-invalid",
            "sfi_path:field-choice-invalid",
            "driving_licence:field-licence-invalid",
            "hours:field-choice-required",
        ] {
            assert!(errors.contains(&expected.to_owned()), "{expected} in {errors:?}");
        }
        let bad_check = post(&client, &app, "/api/candidates/create", &form(&[("personnummer", "811218-9875")])).await;
        assert_eq!(field_errors(bad_check).await, ["personnummer:field-pnr-check"]);
        assert_eq!(app.count("candidates").await, 0);
    }
}

db_test! {
    async fn two_coordinators_editing_one_candidate_never_overwrite_each_other(app: TestApp) {
        let first = app.client_as(Role::Coordinator).await;
        let second = app.client_as(Role::Coordinator).await;
        let id: i32 = post(&first, &app, "/api/candidates/create", &form(&[])).await.json().await.expect("id");
        let read = detail(&first, &app, id).await;
        let as_form = |name: &str, version: i32| {
            let mut f = form(&[("name", name), ("personnummer", &read.personnummer)]);
            f.push(("candidate_id", id.to_string()));
            f.push(("version", version.to_string()));
            f
        };
        // Both opened version 1; the second saves first.
        let res = post(&second, &app, "/api/candidates/update", &as_form("Hawa W. Warsame", read.version)).await;
        assert_eq!(res.status(), 200);
        let res = post(&first, &app, "/api/candidates/update", &as_form("Hawa Warsame Ali", read.version)).await;
        assert_eq!(res.status(), 409);
        let err: app::error::AppError = res.json().await.expect("error");
        assert_eq!(err.message_key(), "candidate-changed-elsewhere");
        let now = detail(&first, &app, id).await;
        assert_eq!(now.name, "Hawa W. Warsame", "the second save stands");
        assert_eq!(now.version, 2);
        // Having seen what is saved now, the first saves again, knowingly.
        let res = post(&first, &app, "/api/candidates/update", &as_form("Hawa Warsame Ali", now.version)).await;
        assert_eq!(res.status(), 200);
        assert_eq!(detail(&first, &app, id).await.name, "Hawa Warsame Ali");
    }
}

db_test! {
    async fn a_clash_without_javascript_keeps_what_was_typed(app: TestApp) {
        let (email, password) = app.account(Role::Coordinator).await;
        assert_eq!(app.login(&email, &password).await.status(), 200);
        let html = app.get("/deltagare").await.text().await.expect("page");
        let csrf = html.split("name=\"csrf\" value=\"").nth(1).and_then(|s| s.split('"').next()).expect("csrf token").to_owned();
        let other = app.client_as(Role::Coordinator).await;
        let id: i32 = post(&other, &app, "/api/candidates/create", &form(&[])).await.json().await.expect("id");
        let read = detail(&other, &app, id).await;
        let mut f = form(&[("name", "Ändrad av den andra"), ("personnummer", &read.personnummer)]);
        f.push(("candidate_id", id.to_string()));
        f.push(("version", "1".into()));
        assert_eq!(post(&other, &app, "/api/candidates/update", &f).await.status(), 200);
        let mut mine = form(&[("name", "Det jag skrev"), ("personnummer", &read.personnummer)]);
        mine.push(("candidate_id", id.to_string()));
        mine.push(("version", "1".into()));
        mine.push(("csrf", csrf));
        let pairs: Vec<(&str, &str)> = mine.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let edit = format!("/deltagare/{id}/redigera");
        let res = app.post_plain_form("/api/candidates/update", &edit, &pairs).await;
        assert_eq!(res.status(), 302, "back to the form");
        let location = res.headers()["location"].to_str().expect("location").to_owned();
        let back = location.strip_prefix(&app.address).unwrap_or(&location).to_owned();
        assert!(back.starts_with(&edit), "{back}");
        let page = app.get(&back).await.text().await.expect("page");
        assert!(page.contains("value=\"Det jag skrev\""), "the typed name is kept");
        assert!(page.contains("Ändrad av den andra"), "what is saved now is shown");
        assert!(page.contains("value=\"2\""), "the form now carries the current version");
        assert!(page.contains("Någon annan har ändrat uppgifterna"), "and says why");
    }
}

db_test! {
    async fn an_unclear_occupation_lists_the_closest_ones_without_javascript(app: TestApp) {
        let (email, password) = app.account(Role::Coordinator).await;
        assert_eq!(app.login(&email, &password).await.status(), 200);
        let other = app.client_as(Role::Coordinator).await;
        let id: i32 = post(&other, &app, "/api/candidates/create", &form(&[])).await.json().await.expect("id");
        let page = format!("/deltagare/{id}");
        let html = app.get(&page).await.text().await.expect("page");
        let csrf = html.split("name=\"csrf\" value=\"").nth(1).and_then(|s| s.split('"').next()).expect("csrf token").to_owned();
        // "lärare" fits several unit groups: the field's error asks for one, and the
        // page lists them with their codes (drawn on the server: no script needed).
        for (path, field) in [("/api/candidates/experience", "occupation"), ("/api/candidates/preference", "preferred")] {
            let mut pairs = vec![("candidate_id", id.to_string()), (field, "lärare".to_owned()), ("csrf", csrf.clone())];
            if field == "occupation" {
                pairs.push(("years", "3".to_owned()));
                pairs.push(("country", String::new()));
            }
            let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let res = app.post_plain_form(path, &page, &pairs).await;
            assert_eq!(res.status(), 302, "{path}");
            let location = res.headers()["location"].to_str().expect("location").to_owned();
            let back = app.get(location.strip_prefix(&app.address).unwrap_or(&location)).await.text().await.expect("page");
            assert!(back.contains("Flera yrken passar"), "{path}: the field says why");
            let closest = back.split(&format!("id=\"{field}-closest\"")).nth(1).unwrap_or_else(|| panic!("{path}: no list of the closest occupations"));
            let closest = closest.split("</ul>").next().unwrap_or_default();
            assert!(closest.matches("<code>23").count() >= 2, "{path}: {closest}");
        }
    }
}

db_test! {
    async fn the_audit_log_reads_in_words_and_finds_a_candidate_as_shown_or_by_name(app: TestApp) {
        let client = app.client_as(Role::Coordinator).await;
        let name = format!("Loggsökt {}", crate::helpers::random_hex(3));
        let other: i32 = post(&client, &app, "/api/candidates/create", &form(&[])).await.json().await.expect("id");
        let id: i32 = post(&client, &app, "/api/candidates/create", &form(&[("name", &name)])).await.json().await.expect("id");
        detail(&client, &app, id).await;
        detail(&client, &app, other).await;
        let search = |query: String| {
            let client = client.clone();
            let app = &app;
            async move {
                let res = app.post_as(&client, "/api/audit/search", &[("query", &query)]).await;
                assert_eq!(res.status(), 200, "{query}");
                res.json::<Vec<app::audit::AuditEntry>>().await.expect("entries")
            }
        };
        // As the page shows it, in either language's words, and by the candidate's name.
        for query in [format!("Deltagare {id}"), format!("deltagare {id}"), name.to_lowercase(), name.clone()] {
            let found = search(query.clone()).await;
            let actions: std::collections::BTreeSet<&str> = found.iter().map(|e| e.action.as_str()).collect();
            assert!(actions.contains("candidate.create") && actions.contains("candidate.read"), "{query}: {actions:?}");
            assert!(found.iter().all(|e| e.object_type == "candidate" && e.object_id == Some(id.to_string())), "{query}: only this candidate");
        }
        // An action in words.
        let read = search("Deltagare läst".to_owned()).await;
        assert!(read.len() >= 2 && read.iter().all(|e| e.action == "candidate.read"), "{read:?}");
        // The page shows words, not codes, to a Swedish reader.
        let page = client
            .get(format!("{}/granskningslogg?q=deltagare+{id}", app.address))
            .send().await.expect("page").text().await.expect("body");
        // (The table as drawn; the data handed to the browser for hydration holds codes.)
        let table = page.split("<tbody>").nth(1).and_then(|t| t.split("</tbody>").next()).expect("a table");
        assert!(table.contains("Deltagare läst") && table.contains(&format!("Deltagare {id}")) && table.contains("Genomförd"), "{table}");
        assert!(!table.contains("candidate.read") && !table.contains(">ok<"), "no codes: {table}");
    }
}

db_test! {
    async fn health_is_read_only_with_a_reason_and_every_read_is_audited(app: TestApp) {
        let client = app.client_as(Role::Coordinator).await;
        let fixture = app.rings().await;
        let id = fixture.candidate.to_string();
        let secret = "Astma, undviker damm";
        let res = app.post_as(&client, "/api/candidates/health-save", &[("candidate_id", &id), ("obstacles", "Kvällar"), ("health", secret)]).await;
        assert_eq!(res.status(), 200);
        let res = app.post_as(&client, "/api/candidates/health", &[("candidate_id", &id), ("reason", "")]).await;
        assert_eq!(field_errors(res).await, ["reason:field-required"]);
        let res = app.post_as(&client, "/api/candidates/health", &[("candidate_id", &id), ("reason", "kort")]).await;
        assert_eq!(field_errors(res).await, ["reason:field-reason-short"]);
        for reason in ["planering av praktik", "uppföljningssamtal"] {
            let res = app.post_as(&client, "/api/candidates/health", &[("candidate_id", &id), ("reason", reason)]).await;
            assert_eq!(res.status(), 200);
            let h: HealthView = res.json().await.expect("health");
            assert_eq!(h.health, secret);
        }
        let reads: Vec<(String, String)> = {
            use sea_orm::{ConnectionTrait, Statement};
            let backend = app.db.get_database_backend();
            app.db.query_all_raw(Statement::from_string(backend, "SELECT actor, detail FROM audit_log WHERE action = 'candidate.health.read' ORDER BY id"))
                .await.expect("log").iter()
                .map(|r| (r.try_get("", "actor").expect("actor"), r.try_get("", "detail").expect("detail")))
                .collect()
        };
        assert_eq!(reads.len(), 2, "the refused requests read nothing");
        assert_eq!(reads[0].1, "planering av praktik", "why");
        assert_eq!(reads[1].1, "uppföljningssamtal");
        assert!(reads.iter().all(|(who, _)| who.contains("@ekdala.test")), "who");
        let log = app.post_as(&client, "/api/audit/search", &[("query", "")]).await.text().await.expect("log");
        assert!(!log.contains(secret), "the log never holds the text");
        // Health is in no other response.
        let bodies = [
            app.post_as(&client, "/api/candidates/get", &[("candidate_id", &id)]).await.text().await.expect("body"),
            app.post_as(&client, "/api/candidates/list", &[("q", ""), ("status", "all")]).await.text().await.expect("body"),
            app.post_as(&client, "/api/candidates/match", &[("need_id", &fixture.need.to_string())]).await.text().await.expect("body"),
            client.get(format!("{}/deltagare/{id}", app.address)).send().await.expect("page").text().await.expect("body"),
            client.get(format!("{}/deltagare/{id}/halsa", app.address)).send().await.expect("page").text().await.expect("body"),
            client.get(format!("{}/deltagare", app.address)).send().await.expect("page").text().await.expect("body"),
        ];
        for body in &bodies {
            assert!(body.len() > 100);
            assert!(!body.contains(secret) && !body.contains("Kvällar"), "health leaked: {}", &body[..200.min(body.len())]);
        }
    }
}

db_test! {
    async fn job_ready_is_kept_from_the_day_all_four_criteria_first_held(app: TestApp) {
        let client = app.client_as(Role::Coordinator).await;
        let id = app.rings().await.candidate.to_string();
        let day = |n: i64| (app::i18n::today() - chrono::Duration::days(n)).to_string();
        for (criterion, on) in [("A", day(30)), ("B", day(20)), ("C", day(10)), ("D", day(5))] {
            let res = app.post_as(&client, "/api/candidates/assess", &[("candidate_id", &id), ("criterion", criterion), ("met", "yes"), ("assessed_on", &on), ("comment", "")]).await;
            assert_eq!(res.status(), 200);
        }
        let c = detail(&client, &app, id.parse().expect("id")).await;
        assert_eq!(c.job_ready_since.map(|d| d.to_string()), Some(day(5)));
        assert!(c.criteria.iter().all(|(_, a)| a.as_ref().is_some_and(|a| a.met)));
        // D no longer holds: the day it first happened stays; criteria show the change.
        app.post_as(&client, "/api/candidates/assess", &[("candidate_id", &id), ("criterion", "D"), ("met", "no"), ("assessed_on", &day(1)), ("comment", "Behöver mer språkträning")]).await;
        let c = detail(&client, &app, id.parse().expect("id")).await;
        assert_eq!(c.job_ready_since.map(|d| d.to_string()), Some(day(5)));
        assert_eq!(c.criteria[3].1.as_ref().map(|a| a.met), Some(false));
        assert_eq!(c.assessments.len(), 5);
        let res = app.post_as(&client, "/api/candidates/assess", &[("candidate_id", &id), ("criterion", "E"), ("met", "kanske"), ("assessed_on", "2999-01-01"), ("comment", "")]).await;
        assert_eq!(field_errors(res).await, ["assessed_on:field-date-future", "criterion:field-choice-required", "met:field-choice-required"]);
    }
}

db_test! {
    async fn the_timeline_asks_each_kind_for_its_fields_and_an_outcome_ends_the_programme(app: TestApp) {
        let client = app.client_as(Role::Coordinator).await;
        let fixture = app.rings().await;
        let id = fixture.candidate.to_string();
        let entry = |kind: &str, extra: &[(&'static str, &str)]| {
            let mut f: Vec<(&'static str, String)> = [
                ("candidate_id", id.as_str()), ("kind", kind), ("firm_id", ""), ("need_id", ""), ("title", ""),
                ("provider", ""), ("start_on", &today()), ("end_on", ""), ("employment_form", ""), ("exit_reason", ""), ("note", ""),
            ].iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
            for (k, v) in extra {
                if let Some(slot) = f.iter_mut().find(|(n, _)| n == k) { slot.1 = (*v).to_owned(); }
            }
            f
        };
        let res = post(&client, &app, "/api/candidates/activity", &entry("internship", &[])).await;
        assert_eq!(field_errors(res).await, ["firm_id:field-choice-required"]);
        let res = post(&client, &app, "/api/candidates/activity", &entry("employment", &[("firm_id", &fixture.firm_b.to_string()), ("need_id", &fixture.need.to_string()), ("employment_form", "permanent")])).await;
        assert_eq!(field_errors(res).await, ["need_id:field-need-other-firm"]);
        let res = post(&client, &app, "/api/candidates/activity", &entry("internship", &[("need_id", &fixture.need.to_string()), ("end_on", "2000-01-01")])).await;
        assert_eq!(field_errors(res).await, ["end_on:field-end-before-start"]);
        let res = post(&client, &app, "/api/candidates/activity", &entry("internship", &[("need_id", &fixture.need.to_string())])).await;
        assert_eq!(res.status(), 200);
        let res = post(&client, &app, "/api/candidates/activity", &entry("exit", &[])).await;
        assert_eq!(field_errors(res).await, ["exit_reason:field-choice-required"]);
        let res = post(&client, &app, "/api/candidates/activity", &entry("self_sufficiency", &[])).await;
        assert_eq!(res.status(), 200);
        let c = detail(&client, &app, fixture.candidate).await;
        assert_eq!(c.status, app::candidates::CandidateStatus::SelfSufficient);
        assert_eq!(c.timeline.len(), 2);
        assert_eq!(c.timeline[0].firm.as_ref().map(|f| f.0), Some(fixture.firm_a), "the need brings its firm");
        let res = post(&client, &app, "/api/candidates/activity", &entry("exit", &[("exit_reason", "moved")])).await;
        assert_eq!(field_errors(res).await, ["kind:field-candidate-already-ended"]);
        // Ended candidates are not matched.
        let m: MatchView = app.post_as(&client, "/api/candidates/match", &[("need_id", &fixture.need.to_string())]).await.json().await.expect("match");
        assert!(m.ranked.iter().all(|r| r.score.candidate_id != fixture.candidate));
    }
}

db_test! {
    async fn matching_ranks_and_explains_through_the_database(app: TestApp) {
        let client = app.client_as(Role::Coordinator).await;
        let fixture = app.rings().await;
        // The fixture candidate: cook 3 years (5120), Swedish B1, licence B, nothing
        // assessed. A second one who only wants to be a cook, and a third in the
        // same sub-major group with two criteria met.
        let second = app.candidate("Andra Kandidat").await.to_string();
        let third = app.candidate("Tredje Kandidat").await.to_string();
        // Second: swap the cook experience for a preference.
        let c2 = detail(&client, &app, second.parse().expect("id")).await;
        let row = c2.experiences[0].id.to_string();
        assert_eq!(app.post_as(&client, "/api/candidates/remove-row", &[("candidate_id", &second), ("kind", "experience"), ("row_id", &row)]).await.status(), 200);
        let res = app.post_as(&client, "/api/candidates/preference", &[("candidate_id", &second), ("preferred", "9999")]).await;
        assert_eq!(field_errors(res).await, ["preferred:field-occupation-unknown"]);
        assert_eq!(app.post_as(&client, "/api/candidates/preference", &[("candidate_id", &second), ("preferred", "5120 – Kockar och kallskänkor")]).await.status(), 200);
        // Third: waiter 5131 (same sub-major group 51), A and B hold.
        let c3 = detail(&client, &app, third.parse().expect("id")).await;
        let row = c3.experiences[0].id.to_string();
        app.post_as(&client, "/api/candidates/remove-row", &[("candidate_id", &third), ("kind", "experience"), ("row_id", &row)]).await;
        assert_eq!(app.post_as(&client, "/api/candidates/experience", &[("candidate_id", &third), ("occupation", "5131"), ("years", "2"), ("country", "Irak")]).await.status(), 200);
        for criterion in ["A", "B"] {
            app.post_as(&client, "/api/candidates/assess", &[("candidate_id", &third), ("criterion", criterion), ("met", "yes"), ("assessed_on", &today()), ("comment", "")]).await;
        }
        let m: MatchView = app.post_as(&client, "/api/candidates/match", &[("need_id", &fixture.need.to_string())]).await.json().await.expect("match");
        // Need: 5120, no Swedish minimum, no licence, start in 30 days, no training.
        // First: 32 + 20 + 9 + 0 + 10 + 3 = 74. Second: 32 + 20 + 0 + 0 + 10 + 3 = 65.
        // Third: 16 (51) + 20 + 0 (5131 shares only two digits) + 10 + 10 + 3 = 59.
        let got: Vec<(i32, i32)> = m.ranked.iter().map(|r| (r.score.candidate_id, r.score.total)).collect();
        assert_eq!(got, vec![(fixture.candidate, 74), (second.parse().expect("id"), 65), (third.parse().expect("id"), 59)]);
        assert_eq!(m.considered, 3);
        assert!(matches!(m.ranked[1].score.parts[0].factor, model::Factor::Occupation { shared: 4, experience: false, .. }));
        // The shortlist takes a note and shows on the ranking.
        assert_eq!(app.post_as(&client, "/api/candidates/shortlist-add", &[("need_id", &fixture.need.to_string()), ("candidate_id", &third), ("note", "Vill prova kök")]).await.status(), 200);
        let m: MatchView = app.post_as(&client, "/api/candidates/match", &[("need_id", &fixture.need.to_string())]).await.json().await.expect("match");
        assert_eq!(m.shortlist.len(), 1);
        assert_eq!(m.shortlist[0].note, "Vill prova kök");
        assert!(m.ranked[2].shortlisted && !m.ranked[0].shortlisted);
        // The reverse: the candidate's best open needs, best first.
        let c = detail(&client, &app, fixture.candidate).await;
        assert_eq!(c.fitting.first().map(|f| (f.score.total, f.occupation.code.as_str())), Some((74, "5120")));
    }
}

db_test! {
    async fn the_matching_index_equals_a_scan_of_every_candidate_and_follows_changes(app: TestApp) {
        // A few dozen candidates near and far from the needs.
        server::seed::run(&app.db).await.expect("seed");
        let needs = need::Entity::find().all(&app.db).await.expect("needs");
        // The demo's needs, and far needs no candidate is near (armed forces, managers,
        // farming), with and without a Swedish level and a licence.
        let mut all_needs: Vec<(String, model::NeedFacts)> = needs.iter().map(|n| (format!("need {}", n.id), ranking::need_facts(n))).collect();
        for (code, swedish, licence) in [("0110", Some(SwedishLevel::B1), "B"), ("1111", None, ""), ("6111", Some(SwedishLevel::A2), "C"), ("6121", Some(SwedishLevel::C2), "")] {
            all_needs.push((format!("far need {code}"), model::NeedFacts {
                occupation: code.to_owned(), swedish, licence: licence.to_owned(), start: app::i18n::today(), training: String::new(),
            }));
        }
        // This index stands for one server process; the changes below come through the
        // HTTP API, made by another (the test server, with its own index).
        let index = ranking::MatchingIndex::default();
        let same_as_a_scan = |when: &'static str| {
            let (index, all_needs, db) = (&index, &all_needs, &app.db);
            async move {
                let all = ranking::all_facts(db).await.expect("facts");
                for (name, facts) in all_needs {
                    for limit in [1, 5, 50, 500] {
                        let ranked = index.rank(db, facts, limit).await.expect("rank");
                        let scan = model::rank(facts, &all, limit);
                        assert_eq!(
                            ranked.scores.iter().map(|s| (s.candidate_id, s.total)).collect::<Vec<_>>(),
                            scan.iter().map(|s| (s.candidate_id, s.total)).collect::<Vec<_>>(),
                            "{when}: {name} limit {limit}"
                        );
                        assert_eq!(ranked.considered, all.len(), "{when}: every active candidate ranked");
                    }
                }
                all
            }
        };
        assert!(matches!(index.sync(&app.db).await.expect("sync"), ranking::Synced::Loaded(n) if n > 30));
        let all = same_as_a_scan("as seeded").await;
        assert_eq!(index.sync(&app.db).await.expect("sync"), ranking::Synced::Fresh, "nothing changed, nothing read");

        // A coordinator's week: an occupation added, a criterion assessed, a candidate
        // leaves the programme, a new one is mapped.
        let client = app.client_as(Role::Coordinator).await;
        let far = |code: &str| all_needs.iter().find(|(n, _)| n.ends_with(code)).map(|(_, f)| f.clone()).expect("far need");
        let last = model::rank(&far("0110"), &all, all.len()).last().map(|s| s.candidate_id).expect("someone");
        assert_eq!(app.post_as(&client, "/api/candidates/experience", &[("candidate_id", &last.to_string()), ("occupation", "0110"), ("years", "6"), ("country", "Irak")]).await.status(), 200);
        let ready = all.iter().find(|c| c.criteria_met >= 2 && c.id != last).map(|c| c.id).expect("someone meeting criteria");
        for criterion in ["A", "B", "C", "D"] {
            assert_eq!(app.post_as(&client, "/api/candidates/assess", &[("candidate_id", &ready.to_string()), ("criterion", criterion), ("met", "no"), ("assessed_on", &today()), ("comment", "")]).await.status(), 200);
        }
        let first = model::rank(&far("1111"), &all, 3).iter().map(|s| s.candidate_id).find(|id| ![last, ready].contains(id)).expect("a third");
        let exit = [("candidate_id", first.to_string()), ("kind", "exit".to_owned()), ("firm_id", String::new()), ("need_id", String::new()), ("title", String::new()),
            ("provider", String::new()), ("start_on", today()), ("end_on", String::new()), ("employment_form", String::new()), ("exit_reason", "moved".to_owned()), ("note", String::new())];
        assert_eq!(app.post_as(&client, "/api/candidates/activity", &exit.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await.status(), 200);
        let new = app.candidate("Ny Kandidat").await;
        assert_eq!(index.sync(&app.db).await.expect("sync"), ranking::Synced::Changed(4), "only the four changed candidates are read");
        let now = same_as_a_scan("after a week's changes").await;
        assert!(now.iter().all(|c| c.id != first) && now.iter().any(|c| c.id == new));
        assert_eq!(now.iter().find(|c| c.id == ready).map(|c| c.criteria_met), Some(0));
        assert_eq!(index.rank(&app.db, &far("0110"), 1).await.expect("rank").scores[0].candidate_id, last, "the officer's experience counts at once");

        // Erasure deletes the row: everyone is read again.
        let victim = model::rank(&far("6121"), &now, 1)[0].candidate_id;
        let c = detail(&client, &app, victim).await;
        let res = app.post_as(&client, "/api/rights/erase", &[("candidate_id", &victim.to_string()), ("confirm_name", &c.name)]).await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap_or_default());
        assert_eq!(index.sync(&app.db).await.expect("sync"), ranking::Synced::Loaded(now.len() - 1));
        let after = same_as_a_scan("after an erasure").await;
        assert!(after.iter().all(|c| c.id != victim));
    }
}

db_test! {
    async fn the_matching_index_misses_no_change_made_while_it_refreshes(app: TestApp) {
        use app::ssr::BeginWrite;
        use sea_orm::{ConnectionTrait, Statement};
        server::seed::run(&app.db).await.expect("seed");
        let index = ranking::MatchingIndex::default();
        let ids: Vec<i32> = ranking::all_facts(&app.db).await.expect("facts").iter().map(|c| c.id).collect();
        // Four coordinators change candidates' criteria at once, each change in its
        // own transaction, while the index refreshes as fast as it can.
        let writers = (0..4_usize).map(|w| {
            let (db, ids) = (app.db.clone(), ids.clone());
            tokio::spawn(async move {
                for round in 0..25_usize {
                    let id = ids[(w * 7 + round * 3) % ids.len()];
                    let txn = db.begin_write().await.expect("begin");
                    let backend = txn.get_database_backend();
                    txn.execute_raw(Statement::from_sql_and_values(backend, app::ssr::sql(backend, "UPDATE candidates SET criteria_met = ? WHERE id = ?"),
                        [i16::try_from((w + round) % 5).expect("small").into(), id.into()])).await.expect("update");
                    ranking::touch(&txn, id).await.expect("touch");
                    txn.commit().await.expect("commit");
                }
            })
        }).collect::<Vec<_>>();
        let mut refreshes = 0;
        while writers.iter().any(|w| !w.is_finished()) {
            index.sync(&app.db).await.expect("sync");
            refreshes += 1;
        }
        for w in writers {
            w.await.expect("writer");
        }
        index.sync(&app.db).await.expect("sync");
        let all = ranking::all_facts(&app.db).await.expect("facts");
        let need = model::NeedFacts { occupation: "0110".to_owned(), swedish: None, licence: String::new(), start: app::i18n::today(), training: String::new() };
        let ranked = index.rank(&app.db, &need, all.len()).await.expect("rank");
        assert_eq!(
            ranked.scores.iter().map(|s| (s.candidate_id, s.total)).collect::<Vec<_>>(),
            model::rank(&need, &all, all.len()).iter().map(|s| (s.candidate_id, s.total)).collect::<Vec<_>>(),
            "after {refreshes} refreshes during 100 changes"
        );
    }
}

/// Every page reachable by following links from the start page, with its body.
async fn crawl(app: &TestApp, client: &reqwest::Client) -> Vec<(String, String)> {
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from(["/".to_owned()]);
    let mut pages = Vec::new();
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) || seen.len() > 400 {
            continue;
        }
        let res = client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .expect("page");
        let status = res.status();
        let body = res.text().await.expect("body");
        assert!(status.as_u16() < 500, "{path}: {status}");
        for link in body
            .split("href=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
        {
            let link = link.replace("&amp;", "&");
            let link = link.split('#').next().unwrap_or_default().to_owned();
            if link.starts_with('/')
                && !link.starts_with("//")
                && !link.starts_with("/pkg")
                && !link.ends_with(".svg")
                && !seen.contains(&link)
            {
                queue.push_back(link);
            }
        }
        pages.push((path, body));
    }
    pages
}

db_test! {
    async fn no_demo_employer_reaches_any_candidate_data(app: TestApp) {
        use app::candidates::entity::candidate;
        server::seed::run(&app.db).await.expect("seed");
        let candidates = candidate::Entity::find().all(&app.db).await.expect("candidates");
        assert!(candidates.len() >= 60);
        let mut needles = Vec::new();
        for c in &candidates {
            needles.push(c.name.clone());
            needles.push(c.personnummer.clone());
            needles.push(format!("{}-{}", &c.personnummer[..8], &c.personnummer[8..]));
            needles.push(format!("{}-{}", &c.personnummer[2..8], &c.personnummer[8..]));
            if !c.phone.is_empty() { needles.push(c.phone.clone()); }
            if !c.email.is_empty() { needles.push(c.email.clone()); }
            needles.push(c.birth_date.to_string());
        }
        for h in app::candidates::entity::health::Entity::find().all(&app.db).await.expect("health") {
            needles.extend([h.obstacles, h.health].into_iter().filter(|t| t.len() > 12));
        }
        let leaks = |pages: &[(String, String)]| -> Vec<String> {
            pages.iter().flat_map(|(path, body)| {
                needles.iter().filter(|n| body.contains(n.as_str())).map(move |n| format!("{path}: {n}"))
            }).collect()
        };
        // The check can see data: a coordinator's crawl finds it.
        let staff = app.client_as(Role::Coordinator).await;
        let staff_pages = crawl(&app, &staff).await;
        assert!(!leaks(&staff_pages).is_empty(), "the needles are real");
        for (_, email, _) in server::seed::DEMO_ACCOUNTS.iter().filter(|a| a.2 == Role::Employer) {
            let client = new_client();
            let res = client
                .post(format!("{}/api/auth/login", app.address))
                .header("content-type", "application/x-www-form-urlencoded")
                .header("accept", "application/json")
                .body(encode(&[("email", email), ("password", server::seed::DEMO_PASSWORD)]))
                .send().await.expect("login");
            assert_eq!(res.status(), 200, "{email} logs in");
            let pages = crawl(&app, &client).await;
            assert!(pages.len() >= 8, "{email} reached {} pages", pages.len());
            assert!(pages.iter().any(|(p, _)| p.starts_with("/ringar/")), "{email} saw a ring");
            assert_eq!(leaks(&pages), Vec::<String>::new(), "{email}");
            // The released profiles are among what the crawl read.
            assert!(pages.iter().any(|(p, _)| p.starts_with("/profiler/")), "{email} saw a released profile");
            // And the server fns an employer may call, read directly.
            let mut answers = Vec::new();
            for r in app::releases::entity::release::Entity::find().all(&app.db).await.expect("releases") {
                for (path, form) in [
                    ("/api/releases/ring", vec![("ring_id", r.ring_id.to_string())]),
                    ("/api/releases/profile", vec![("pseudonym", r.pseudonym.clone())]),
                    ("/api/releases/need", vec![("need_id", r.need_id.unwrap_or(0).to_string())]),
                ] {
                    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                    let res = app.post_as(&client, path, &pairs).await;
                    answers.push((path.to_owned(), res.text().await.expect("body")));
                }
            }
            assert!(answers.iter().any(|(p, b)| p == "/api/releases/profile" && b.contains("\"headline\"")), "{email} read a profile");
            assert_eq!(leaks(&answers), Vec::<String>::new(), "{email} server fns");
            // And the candidate pages themselves refuse.
            for path in ["/deltagare", &format!("/deltagare/{}", candidates[0].id), &format!("/deltagare/{}/halsa?skal=nyfiken+bara", candidates[0].id)] {
                let res = client.get(format!("{}{path}", app.address)).send().await.expect("page");
                assert_eq!(res.status(), 403, "{email} {path}");
                let body = res.text().await.expect("body");
                // The heading says what happened, not only that something went wrong.
                assert!(body.contains("<h2>Ingen behörighet"), "{email} {path}: {body}");
                assert_eq!(leaks(&[(path.to_owned(), body)]), Vec::<String>::new());
            }
        }
    }
}
