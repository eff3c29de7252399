//! The data subject's rights: the export holds what was recorded; erasure leaves no
//! row anywhere that holds the candidate's id, number or name (found by reading the
//! schema, so a table added later is checked too) and keeps anonymous counts; the
//! retention round erases only those who left long enough ago.

use app::{
    auth::model::Role,
    candidates::entity::{activity, candidate},
    rights::CandidateExport,
};
use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbBackend, EntityTrait, Set, Statement};

use crate::{db_test, helpers::TestApp};

/// Every (table, column, is-text) of the schema.
async fn columns(app: &TestApp) -> Vec<(String, String, bool)> {
    let backend = app.db.get_database_backend();
    let q = |sql: &str| Statement::from_string(backend, sql.to_owned());
    let mut out = Vec::new();
    match backend {
        DbBackend::Postgres => {
            for row in app
                .db
                .query_all_raw(q(
                    "SELECT table_name, column_name, data_type FROM information_schema.columns \
                 WHERE table_schema = 'public'",
                ))
                .await
                .expect("columns")
            {
                let ty: String = row.try_get("", "data_type").expect("type");
                out.push((
                    row.try_get("", "table_name").expect("table"),
                    row.try_get("", "column_name").expect("column"),
                    ty == "text" || ty.starts_with("character"),
                ));
            }
        }
        _ => {
            let tables = app.db.query_all_raw(q(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            )).await.expect("tables");
            for t in tables {
                let table: String = t.try_get("", "name").expect("name");
                for c in app
                    .db
                    .query_all_raw(q(&format!(
                        "SELECT name, type FROM pragma_table_info('{table}')"
                    )))
                    .await
                    .expect("info")
                {
                    let ty: String = c.try_get("", "type").expect("type");
                    let ty = ty.to_lowercase();
                    out.push((
                        table.clone(),
                        c.try_get("", "name").expect("column"),
                        ty.contains("text") || ty.contains("char"),
                    ));
                }
            }
        }
    }
    assert!(out.len() > 50, "the schema was read: {} columns", out.len());
    out
}

/// Every place the candidate still shows: rows holding the id in a column that
/// refers to candidates, audit entries about them, and text holding the number or name.
async fn traces(app: &TestApp, id: i32, needles: &[String]) -> Vec<String> {
    let backend = app.db.get_database_backend();
    let mut found = Vec::new();
    for (table, column, text) in columns(app).await {
        let mut checks = Vec::new();
        if column == "candidate_id" || (table == "candidates" && column == "id") {
            checks.push(format!("{column} = {id}"));
        }
        if table == "audit_log" && column == "object_id" {
            checks.push(format!("object_type = 'candidate' AND object_id = '{id}'"));
        }
        if text {
            for n in needles {
                checks.push(format!("{column} LIKE '%{}%'", n.replace('\'', "''")));
            }
        }
        for check in checks {
            let row = app
                .db
                .query_one_raw(Statement::from_string(
                    backend,
                    format!("SELECT COUNT(*) AS n FROM \"{table}\" WHERE {check}"),
                ))
                .await
                .expect("count")
                .expect("a row");
            let n: i64 = row.try_get("", "n").expect("n");
            if n > 0 {
                found.push(format!("{table}.{column}: {check} ({n})"));
            }
        }
    }
    found
}

db_test! {
    async fn erasure_leaves_no_row_anywhere_that_holds_the_candidate_and_keeps_anonymous_counts(app: TestApp) {
        let rings = app.rings().await;
        let staff = app.client_as(Role::Coordinator).await;
        let id = rings.candidate;
        let sid = id.to_string();
        let c = candidate::Entity::find_by_id(id).one(&app.db).await.expect("q").expect("candidate");
        let dashed = format!("{}-{}", &c.personnummer[..8], &c.personnummer[8..]);
        // The team's members are people too: their names and the meeting's notes go with the candidate.
        let needles = vec![c.personnummer.clone(), dashed.clone(), c.name.clone(), c.email.clone(), "Sofia Socialsekreterare".to_owned(), "Samordnad plan".to_owned()];
        let today = app::i18n::today().to_string();
        let ring = rings.ring_a.to_string();
        // A full history: health, assessment, plan, timeline, pool, shortlist, a
        // consent and a release with interest and a meeting mail in the queue, and a
        // failed form (without JavaScript) whose typed values hold the number.
        for (path, form) in [
            ("/api/candidates/health-save", vec![("obstacles", "Ryggbesvär sedan länge"), ("health", "Behöver ergonomiskt stöd")]),
            ("/api/candidates/assess", vec![("criterion", "A"), ("met", "yes"), ("assessed_on", today.as_str()), ("comment", "Cv klart")]),
            ("/api/candidates/plan", vec![("due_on", today.as_str()), ("description", "Studiebesök")]),
            ("/api/candidates/pool-add", vec![("ring_id", ring.as_str()), ("pool_note", "Stark kandidat")]),
        ] {
            let mut f = vec![("candidate_id", sid.as_str())];
            f.extend(form);
            let res = app.post_as(&staff, path, &f).await;
            assert_eq!(res.status(), 200, "{path}: {}", res.text().await.unwrap_or_default());
        }
        // The team: a member, a plan step given to her, a meeting she took part in.
        let res = app.post_as(&staff, "/api/candidates/team-add", &[("candidate_id", sid.as_str()), ("role", "social_services"), ("member_name", "Sofia Socialsekreterare"),
            ("organisation", "Ekdala socialtjänst"), ("member_phone", "010-486 00 01"), ("member_email", ""), ("started_on", today.as_str())]).await;
        let team_member = res.json::<i32>().await.expect("member").to_string();
        assert_eq!(app.post_as(&staff, "/api/candidates/plan", &[("candidate_id", sid.as_str()), ("due_on", today.as_str()), ("description", "Ansökan om försörjningsstöd"), ("assignee_id", &team_member)]).await.status(), 200);
        assert_eq!(app.post_as(&staff, "/api/candidates/team-meeting", &[("candidate_id", sid.as_str()), ("held_on", today.as_str()), ("notes", "Samordnad plan för försörjningen"), ("attendees[]", &team_member)]).await.status(), 200);
        let need = rings.need.to_string();
        assert_eq!(app.post_as(&staff, "/api/candidates/shortlist-add", &[("need_id", need.as_str()), ("candidate_id", &sid), ("note", "Passar")]).await.status(), 200);
        let (member, _) = app.employer_at(rings.firm_a).await;
        assert_eq!(app.post_as(&member, "/api/releases/interest", &[("pseudonym", &rings.release), ("message", "Vi vill träffas")]).await.status(), 200);
        let inbox: app::releases::Inbox = app.post_as(&staff, "/api/releases/inbox", &[]).await.json().await.expect("inbox");
        let iid = inbox.rows[0].interest.id.to_string();
        let day = (app::i18n::today() + Duration::days(2)).to_string();
        assert_eq!(app.post_as(&staff, "/api/releases/meeting", &[("interest_id", &iid), ("meeting_date", &day), ("meeting_time", "09:30"), ("meeting_place", "Kontoret")]).await.status(), 200);
        let res = app.post_plain_form("/api/candidates/update", &format!("/deltagare/{id}/redigera"), &[
            ("candidate_id", &sid), ("version", "1"), ("name", ""), ("personnummer", &dashed), ("email", ""), ("phone", ""),
            ("gender", "woman"), ("permit_date", ""), ("enrolled_on", &today), ("sfi_course", ""), ("sfi_path", ""),
            ("driving_licence", ""), ("available_from", ""), ("hours", "full"), ("availability_note", ""),
        ]).await;
        assert!(res.status().is_redirection(), "a failed plain form goes back with its values");

        // The export holds it (health too, so it asks why), as a page and as a file.
        let res = app.post_as(&staff, "/api/rights/export", &[("candidate_id", &sid), ("reason", "")]).await;
        assert_eq!(crate::helpers::field_errors(res).await, ["reason:field-required"]);
        let why = "Begäran från deltagaren";
        let export: CandidateExport = app.post_as(&staff, "/api/rights/export", &[("candidate_id", &sid), ("reason", why)]).await.json().await.expect("export");
        assert_eq!(export.candidate.personnummer, dashed);
        assert!(export.health.as_ref().is_some_and(|h| h.health.contains("ergonomiskt")));
        assert_eq!(export.consents.len(), 1);
        assert_eq!(export.consents[0].releases[0].pseudonym, rings.release);
        assert_eq!(export.interests.len(), 1);
        assert_eq!(export.shortlists.len(), 1);
        assert_eq!(export.candidate.team.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(), ["Sofia Socialsekreterare"]);
        assert_eq!(export.candidate.team_meetings.iter().map(|m| (m.notes.as_str(), m.attendees.clone())).collect::<Vec<_>>(),
            [("Samordnad plan för försörjningen", vec!["Sofia Socialsekreterare".to_owned()])]);
        assert!(export.candidate.plan.iter().any(|p| p.assignee.as_ref().is_some_and(|a| a.1 == "Sofia Socialsekreterare")));
        assert_eq!(export.tracks.iter().map(|t| (t.track_id, t.training.as_str())).collect::<Vec<_>>(),
            [(rings.track, "Vård- och omsorgsutbildning, kort, Komvux")], "the job track");
        assert!(export.candidate.rings.is_empty() && export.candidate.firms.is_empty(), "no form choices");
        let file = staff.get(format!("{}/deltagare/{id}/registerutdrag.json?skal=Beg%C3%A4ran+fr%C3%A5n+deltagaren", app.address)).send().await.expect("file");
        assert_eq!(file.status(), 200);
        assert!(file.headers()["content-disposition"].to_str().expect("header").starts_with("attachment"));
        let file: CandidateExport = file.json().await.expect("json");
        assert_eq!(file.candidate.name, c.name);
        assert!(file.access.iter().any(|a| a.action == "candidate.export"), "the export is in the audit log");
        let ask = staff.get(format!("{}/deltagare/{id}/registerutdrag", app.address)).send().await.expect("page").text().await.expect("body");
        assert!(ask.contains("name=\"skal\"") && !ask.contains(&dashed), "first the question, nothing else");
        let page = staff.get(format!("{}/deltagare/{id}/registerutdrag?skal=Beg%C3%A4ran+fr%C3%A5n+deltagaren", app.address)).send().await.expect("page").text().await.expect("body");
        assert!(page.contains(&dashed) && page.contains("ergonomiskt"));
        assert!(page.contains("Sofia Socialsekreterare") && page.contains("Samordnad plan för försörjningen"), "the team is in the extract");
        assert!(page.contains("Vård- och omsorgsutbildning, kort"), "the track is in the extract");
        let logged = app.db.query_one_raw(Statement::from_string(app.db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'candidate.export' AND detail = 'Begäran från deltagaren'")).await.expect("q").expect("row");
        assert_eq!(logged.try_get::<i64>("", "n").expect("n"), 3, "each export logged with its reason");

        let before = traces(&app, id, &needles).await;
        let tables: std::collections::BTreeSet<&str> = before.iter().filter_map(|t| t.split('.').next()).collect();
        for t in ["candidates", "candidate_health", "assessments", "plan_steps", "pool_entries", "shortlist_entries", "consents", "releases", "audit_log", "form_flashes", "team_members", "team_meetings", "track_participants"] {
            assert!(tables.contains(t), "the scan sees {t} before erasure: {before:#?}");
        }
        let mail_before = app.count("outbox").await;
        assert!(app.count("outbox_releases").await >= 1, "a queued mail mentions the release");

        let res = app.post_as(&staff, "/api/rights/erase", &[("candidate_id", &sid), ("confirm_name", "Någon Annan")]).await;
        assert_eq!(crate::helpers::field_errors(res).await, ["confirm_name:erase-name-mismatch"]);
        let res = app.post_as(&staff, "/api/rights/erase", &[("candidate_id", &sid), ("confirm_name", &c.name.to_uppercase())]).await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap_or_default());

        assert_eq!(traces(&app, id, &needles).await, Vec::<String>::new());
        assert_eq!(app.count("team_meeting_attendees").await, 0, "who took part went with the meeting");
        assert!(app.count("outbox").await < mail_before, "the mail about the release left the queue");
        assert_eq!(app.count("erased_candidates").await, 1, "anonymous counts kept");
        assert_eq!(app.post_as(&member, "/api/releases/profile", &[("pseudonym", &rings.release)]).await.status(), 404);
        assert_eq!(app.post_as(&staff, "/api/candidates/get", &[("candidate_id", &sid)]).await.status(), 404);
        // The audit log kept that it happened, and still refuses any other change.
        let erasures = app.db.query_one_raw(Statement::from_string(app.db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'candidate.erase'")).await.expect("q").expect("row");
        assert_eq!(erasures.try_get::<i64>("", "n").expect("n"), 1);
        let tamper = app.db.execute_raw(Statement::from_string(app.db.get_database_backend(),
            "UPDATE audit_log SET actor = 'ingen' WHERE action = 'candidate.erase'")).await;
        assert!(tamper.is_err(), "the log is still append-only");
        let redact_other = app.db.execute_raw(Statement::from_string(app.db.get_database_backend(),
            "UPDATE audit_log SET object_id = NULL, detail = 'erased' WHERE object_type <> 'candidate'")).await;
        assert!(redact_other.is_err(), "only entries about a candidate may be redacted");
    }
}

db_test! {
    async fn the_retention_round_erases_only_those_who_left_longer_ago_than_the_setting(app: TestApp) {
        let old = app.candidate("Gammal Avslutad").await;
        let recent = app.candidate("Nyss Avslutad").await;
        let active = app.candidate("Fortfarande Aktiv").await;
        let now = Utc::now();
        for (id, months_ago) in [(old, 30), (recent, 3)] {
            activity::ActiveModel {
                candidate_id: Set(id),
                kind: Set("exit".to_owned()),
                firm_id: Set(None),
                need_id: Set(None),
                title: Set(String::new()),
                provider: Set(String::new()),
                start_on: Set(app::i18n::today() - Duration::days(months_ago * 31)),
                end_on: Set(None),
                completed: Set(None),
                employment_form: Set(String::new()),
                exit_reason: Set("moved".to_owned()),
                note: Set(String::new()),
                created_by: Set(None),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&app.db).await.expect("exit");
            crate::helpers::refresh(&app.db, id).await;
        }
        assert_eq!(app::rights::service::retention_round(&app.db, 24).await.expect("round"), 1);
        assert!(candidate::Entity::find_by_id(old).one(&app.db).await.expect("q").is_none());
        assert!(candidate::Entity::find_by_id(recent).one(&app.db).await.expect("q").is_some());
        assert!(candidate::Entity::find_by_id(active).one(&app.db).await.expect("q").is_some());
        let row = app.db.query_one_raw(Statement::from_string(app.db.get_database_backend(),
            "SELECT exit_reason, reason FROM erased_candidates")).await.expect("q").expect("row");
        assert_eq!(row.try_get::<String>("", "exit_reason").expect("reason"), "moved");
        assert_eq!(row.try_get::<String>("", "reason").expect("reason"), "retention");
        assert_eq!(app::rights::service::retention_round(&app.db, 24).await.expect("again"), 0, "idempotent");
    }
}
