//! The team around a participant through the HTTP API: the member form's rules, plan
//! steps given to a member (only one of this candidate's team, only while they are in
//! it), a member leaving hands their open steps back, and team meetings with who took
//! part. The authorization matrix (authz.tsv) holds who may call each function; the
//! erasure and extract of the team's rows are in rights.rs.

use app::{
    auth::model::Role,
    candidates::{CandidateDetail, TeamView},
};
use chrono::Duration;
use sea_orm::{ConnectionTrait, Statement};

use crate::{
    db_test,
    helpers::{TestApp, field_errors},
};

async fn team(app: &TestApp, client: &reqwest::Client, id: &str) -> TeamView {
    let res = app
        .post_as(client, "/api/candidates/team", &[("candidate_id", id)])
        .await;
    assert_eq!(res.status(), 200);
    res.json().await.expect("team")
}

async fn add_member(
    app: &TestApp,
    client: &reqwest::Client,
    id: &str,
    role: &str,
    name: &str,
    started_on: &str,
) -> String {
    let res = app
        .post_as(
            client,
            "/api/candidates/team-add",
            &[
                ("candidate_id", id),
                ("role", role),
                ("member_name", name),
                ("organisation", "Ekdala"),
                ("member_phone", "010-486 00 00"),
                ("member_email", ""),
                ("started_on", started_on),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        200,
        "{}",
        res.text().await.unwrap_or_default()
    );
    res.json::<i32>().await.expect("member id").to_string()
}

db_test! {
    async fn a_team_is_built_given_steps_meets_and_hands_steps_back_when_someone_leaves(app: TestApp) {
        let staff = app.client_as(Role::Coordinator).await;
        let id = app.candidate("Amina Teamsson").await.to_string();
        let other = app.candidate("Omar Annansson").await.to_string();
        let today = app::i18n::today();
        let (today_s, yesterday) = (today.to_string(), (today - Duration::days(1)).to_string());

        // The form names every bad field, and a member needs a way to be reached.
        let res = app.post_as(&staff, "/api/candidates/team-add", &[
            ("candidate_id", &id), ("role", "chef"), ("member_name", " "), ("organisation", ""),
            ("member_phone", ""), ("member_email", ""), ("started_on", "i morgon"),
        ]).await;
        assert_eq!(field_errors(res).await, [
            "member_name:field-required", "member_phone:team-contact-required",
            "role:field-choice-invalid", "started_on:field-date-invalid",
        ]);

        let officer = add_member(&app, &staff, &id, "employment_service", "Lena Handläggare", &yesterday).await;
        let teacher = add_member(&app, &staff, &id, "sfi_teacher", "Amal Lärare", &today_s).await;
        let strangers = add_member(&app, &staff, &other, "mentor", "Per Annanstans", &yesterday).await;
        let t = team(&app, &staff, &id).await;
        assert_eq!(t.members.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(), ["Lena Handläggare", "Amal Lärare"]);
        assert_eq!(t.members[0].phone, "010-486 00 00");

        // A plan step for the officer; not for someone in another candidate's team.
        let future = (today + Duration::days(14)).to_string();
        let res = app.post_as(&staff, "/api/candidates/plan", &[
            ("candidate_id", &id), ("due_on", &future), ("description", "Anmälan till arbetsmarknadsutbildning"), ("assignee_id", &officer),
        ]).await;
        assert_eq!(res.status(), 200);
        let res = app.post_as(&staff, "/api/candidates/plan", &[
            ("candidate_id", &id), ("due_on", &future), ("description", "Fel person"), ("assignee_id", &strangers),
        ]).await;
        assert_eq!(field_errors(res).await, ["assignee_id:field-choice-invalid"]);
        let res = app.post_as(&staff, "/api/candidates/plan", &[
            ("candidate_id", &id), ("due_on", &future), ("description", "Studiebesök"), ("assignee_id", ""),
        ]).await;
        assert_eq!(res.status(), 200, "empty: the coordinator");
        let t = team(&app, &staff, &id).await;
        assert_eq!(t.open_steps.len(), 2);
        let officer_step = &t.open_steps[0];
        assert_eq!(officer_step.assignee.as_ref().map(|a| a.1.as_str()), Some("Lena Handläggare"));
        assert_eq!(t.open_steps[1].assignee, None);

        // The coordinator's step goes to the teacher; a step of another candidate is not found.
        let step = t.open_steps[1].id.to_string();
        assert_eq!(app.post_as(&staff, "/api/candidates/plan-assign", &[("candidate_id", &id), ("step_id", &step), ("assignee_id", &teacher)]).await.status(), 200);
        assert_eq!(app.post_as(&staff, "/api/candidates/plan-assign", &[("candidate_id", &other), ("step_id", &step), ("assignee_id", "")]).await.status(), 404);
        let detail: CandidateDetail = app.post_as(&staff, "/api/candidates/get", &[("candidate_id", &id)]).await.json().await.expect("detail");
        let given: Vec<_> = detail.plan.iter().map(|s| s.assignee.as_ref().map(|a| a.1.clone())).collect();
        assert!(given.contains(&Some("Amal Lärare".to_owned())) && given.contains(&Some("Lena Handläggare".to_owned())), "{given:?}");
        assert_eq!(detail.team.len(), 2, "the record shows the team");

        // Meetings: not ahead of time, only this team's members, only those in it on the day.
        let tomorrow = (today + Duration::days(1)).to_string();
        let notes = "Lena bokar möte om utbildningen.\nAmal ser över nivån i svenska.";
        let res = app.post_as(&staff, "/api/candidates/team-meeting", &[("candidate_id", &id), ("held_on", &tomorrow), ("notes", notes)]).await;
        assert_eq!(field_errors(res).await, ["held_on:team-meeting-future"]);
        let res = app.post_as(&staff, "/api/candidates/team-meeting", &[("candidate_id", &id), ("held_on", &today_s), ("notes", notes), ("attendees[]", &strangers)]).await;
        assert_eq!(field_errors(res).await, ["attendees:field-choice-invalid"]);
        let res = app.post_as(&staff, "/api/candidates/team-meeting", &[("candidate_id", &id), ("held_on", &yesterday), ("notes", notes), ("attendees[]", &teacher)]).await;
        assert_eq!(field_errors(res).await, ["attendees:team-meeting-not-in-team"], "the teacher joined today");
        let res = app.post_as(&staff, "/api/candidates/team-meeting", &[("candidate_id", &id), ("held_on", &today_s), ("notes", " "), ("attendees[]", &officer)]).await;
        assert_eq!(field_errors(res).await, ["notes:field-required"]);
        let res = app.post_as(&staff, "/api/candidates/team-meeting", &[
            ("candidate_id", &id), ("held_on", &today_s), ("notes", notes), ("attendees[]", &teacher), ("attendees[]", &officer),
        ]).await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap_or_default());
        let t = team(&app, &staff, &id).await;
        assert_eq!(t.meetings.len(), 1);
        assert_eq!(t.meetings[0].attendees, ["Lena Handläggare", "Amal Lärare"], "in the team's order");
        assert_eq!(t.meetings[0].notes, notes);
        assert_eq!(t.meetings[0].written_by, "Testperson");

        // The teacher leaves: their open step goes back to the coordinator; once only.
        let res = app.post_as(&staff, "/api/candidates/team-end", &[("candidate_id", &other), ("member_id", &teacher)]).await;
        assert_eq!(res.status(), 404, "through another candidate");
        assert_eq!(app.post_as(&staff, "/api/candidates/team-end", &[("candidate_id", &id), ("member_id", &teacher)]).await.status(), 200);
        assert_eq!(app.post_as(&staff, "/api/candidates/team-end", &[("candidate_id", &id), ("member_id", &teacher)]).await.status(), 409);
        let t = team(&app, &staff, &id).await;
        assert_eq!(t.members.iter().map(|m| (m.name.as_str(), m.ended_on)).collect::<Vec<_>>(), [("Lena Handläggare", None), ("Amal Lärare", Some(today))]);
        assert_eq!(t.open_steps.iter().filter(|s| s.assignee.is_some()).count(), 1, "only the officer's step is still given");
        let res = app.post_as(&staff, "/api/candidates/plan-assign", &[("candidate_id", &id), ("step_id", &step), ("assignee_id", &teacher)]).await;
        assert_eq!(field_errors(res).await, ["assignee_id:team-member-left"]);
        // The meeting still says who was there.
        assert_eq!(t.meetings[0].attendees.len(), 2);

        // Every change is in the audit log, and so is the team page's read.
        let backend = app.db.get_database_backend();
        let row = app.db.query_one_raw(Statement::from_string(backend, format!(
            "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'candidate.team' AND object_id = '{id}'"))).await.expect("q").expect("row");
        assert_eq!(row.try_get::<i64>("", "n").expect("n"), 4, "two members, a meeting, a leaving");
        let row = app.db.query_one_raw(Statement::from_string(backend, format!(
            "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'candidate.read' AND detail = 'team' AND object_id = '{id}'"))).await.expect("q").expect("row");
        assert!(row.try_get::<i64>("", "n").expect("n") >= 4);
    }
}

db_test! {
    async fn the_team_page_works_without_javascript_and_keeps_what_was_typed(app: TestApp) {
        let id = app.candidate("Sara Sidsson").await;
        let (email, password) = app.account(Role::Coordinator).await;
        assert_eq!(app.login(&email, &password).await.status(), 200);
        let page = app.get(&format!("/deltagare/{id}/team")).await.text().await.expect("page");
        assert!(page.contains("Teamet runt Sara Sidsson") && page.contains("name=\"member_name\""), "the page and its form");

        // A refused post without JavaScript comes back to the page with the typed values.
        let csrf = page.split("name=\"csrf\" value=\"").nth(1).and_then(|s| s.split('"').next()).expect("csrf token").to_owned();
        let back = format!("/deltagare/{id}/team");
        let res = app.post_plain_form("/api/candidates/team-add", &back, &[
            ("csrf", &csrf), ("candidate_id", &id.to_string()), ("role", "mentor"), ("member_name", "Kerstin Handledare"), ("organisation", "Café Nyström"),
            ("member_phone", ""), ("member_email", ""), ("started_on", &app::i18n::today().to_string()),
        ]).await;
        assert!(res.status().is_redirection());
        let location = res.headers()["location"].to_str().expect("location").to_owned();
        let back = location.strip_prefix(&app.address).unwrap_or(&location).to_owned();
        assert!(back.starts_with(&format!("/deltagare/{id}/team")), "{back}");
        let page = app.get(&back).await.text().await.expect("page");
        assert!(page.contains("Kerstin Handledare") && page.contains("Café Nyström"), "what was typed is kept");
        assert!(page.contains("Fyll i telefon eller e-post"), "the field's message");
    }
}
