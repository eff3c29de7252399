//! Firms, outreach, rings, invitations and meetings through the HTTP API.

use app::{auth::model::Role, rings::InvitationPreview};
use sea_orm::{ConnectionTrait, Statement};

use crate::{db_test, fixtures::org_number, helpers::TestApp};

/// The token in the newest invitation e-mail to `to`, read from the outbox.
async fn invitation_token(app: &TestApp, to: &str) -> String {
    let backend = app.db.get_database_backend();
    let sql = match backend {
        sea_orm::DbBackend::Postgres => {
            "SELECT body_text FROM outbox WHERE to_address = $1 ORDER BY id DESC"
        }
        _ => "SELECT body_text FROM outbox WHERE to_address = ? ORDER BY id DESC",
    };
    let row = app
        .db
        .query_one_raw(Statement::from_sql_and_values(backend, sql, [to.into()]))
        .await
        .expect("query")
        .expect("an invitation e-mail in the outbox");
    let body: String = row.try_get("", "body_text").expect("body");
    let start = body.find("/inbjudan?token=").expect("a link") + "/inbjudan?token=".len();
    body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

async fn preview(app: &TestApp, token: &str) -> InvitationPreview {
    app.post_form("/api/invitations/preview", &[("token", token)])
        .await
        .json()
        .await
        .expect("json")
}

async fn accept(
    client: &reqwest::Client,
    app: &TestApp,
    token: &str,
    password: &str,
    confirm: &str,
) -> reqwest::Response {
    client
        .post(format!("{}/api/invitations/accept", app.address))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .body(crate::helpers::encode(&[
            ("token", token),
            ("name", "Ann Inbjuden"),
            ("password", password),
            ("password_confirm", confirm),
        ]))
        .send()
        .await
        .expect("sent")
}

async fn error_key(res: reqwest::Response) -> String {
    let err: app::error::AppError = res.json().await.expect("an error body");
    match err.field_errors() {
        Some(fields) => fields
            .0
            .iter()
            .map(|(f, k)| format!("{f}:{k}"))
            .collect::<Vec<_>>()
            .join(","),
        None => err.message_key().to_owned(),
    }
}

const PASSWORD: &str = "ringen i Ekdala 2026";

db_test! {
    async fn an_invitation_creates_the_account_joins_the_ring_and_works_only_once(app: TestApp) {
        let fixture = app.rings().await;
        let coordinator = app.client_as(Role::Coordinator).await;
        let ring = fixture.ring_a.to_string();
        let firm_id = app.firm("Nya Firman AB").await;
        let res = app.post_as(&coordinator, "/api/rings/invite", &[
            ("ring_id", &ring), ("firm_id", &firm_id.to_string()),
            ("name", "Ann Inbjuden"), ("email", "Ann@Nya-Firman.test"),
        ]).await;
        assert_eq!(res.status(), 200);
        let token = invitation_token(&app, "ann@nya-firman.test").await;
        match preview(&app, &token).await {
            InvitationPreview::Valid { ring_name, firm_name, has_account, .. } => {
                assert_eq!(ring_name, "Ring A");
                assert_eq!(firm_name, "Nya Firman AB");
                assert!(!has_account);
            }
            other => panic!("expected a valid invitation, got {other:?}"),
        }
        // A second invitation to the same person and ring is refused while one is open.
        let again = app.post_as(&coordinator, "/api/rings/invite", &[
            ("ring_id", &ring), ("firm_id", &firm_id.to_string()),
            ("name", "Ann"), ("email", "ann@nya-firman.test"),
        ]).await;
        assert_eq!(again.status(), 422);
        assert_eq!(error_key(again).await, "email:field-invitation-pending");

        let browser = crate::helpers::new_client();
        let mismatch = accept(&browser, &app, &token, PASSWORD, "något annat").await;
        assert_eq!(mismatch.status(), 422);
        assert_eq!(error_key(mismatch).await, "password_confirm:field-password-mismatch");
        let res = accept(&browser, &app, &token, PASSWORD, PASSWORD).await;
        assert_eq!(res.status(), 200);
        let me = app.me(&browser).await.expect("logged in after accepting");
        assert_eq!(me.role, Role::Employer);
        assert_eq!(me.firm_id, Some(firm_id));
        assert_eq!(me.name, "Ann Inbjuden");
        let home = app.post_as(&browser, "/api/rings/get", &[("ring_id", &ring)]).await;
        assert_eq!(home.status(), 200);
        let home: app::rings::RingHome = home.json().await.expect("json");
        assert!(home.members.iter().any(|m| m.firm_id == firm_id));
        assert!(home.invitations.is_empty(), "employers do not see invitations");
        assert!(home.history.is_empty(), "nor the membership history");
        // The same link again, from another browser: used.
        let reuse = accept(&crate::helpers::new_client(), &app, &token, PASSWORD, PASSWORD).await;
        assert_eq!(reuse.status(), 409);
        assert_eq!(error_key(reuse).await, "error-invitation-used");
        assert_eq!(
            preview(&app, &token).await,
            InvitationPreview::Invalid(Some(app::rings::model::InvitationStatus::Accepted))
        );
        // The new member logs in with the chosen password.
        assert_eq!(app.login("ann@nya-firman.test", PASSWORD).await.status(), 200);
    }
}

db_test! {
    async fn an_expired_invitation_is_refused_until_it_is_sent_again_with_a_new_link(app: TestApp) {
        let fixture = app.rings().await;
        let coordinator = app.client_as(Role::Coordinator).await;
        let res = app.post_as(&coordinator, "/api/rings/invite", &[
            ("ring_id", &fixture.ring_a.to_string()), ("firm_id", &fixture.firm_a.to_string()),
            ("name", "Bo"), ("email", "bo@firma-a.test"),
        ]).await;
        assert_eq!(res.status(), 200);
        let id: i32 = res.json().await.expect("id");
        let old = invitation_token(&app, "bo@firma-a.test").await;
        let backend = app.db.get_database_backend();
        let sql = match backend {
            sea_orm::DbBackend::Postgres => "UPDATE invitations SET expires_at = $1 WHERE id = $2",
            _ => "UPDATE invitations SET expires_at = ? WHERE id = ?",
        };
        app.db
            .execute_raw(Statement::from_sql_and_values(
                backend,
                sql,
                [(chrono::Utc::now() - chrono::Duration::minutes(1)).into(), id.into()],
            ))
            .await
            .expect("expire");
        let browser = crate::helpers::new_client();
        let res = accept(&browser, &app, &old, PASSWORD, PASSWORD).await;
        assert_eq!(res.status(), 409);
        assert_eq!(error_key(res).await, "error-invitation-expired");
        let page = browser
            .get(format!("{}/inbjudan?token={old}", app.address))
            .send()
            .await
            .expect("page");
        assert_eq!(page.status(), 200, "an expired link is a page, not an error");
        assert!(page.text().await.expect("html").contains("Inbjudan har gått ut"));

        let res = app.post_as(&coordinator, "/api/invitations/resend", &[("invitation_id", &id.to_string())]).await;
        assert_eq!(res.status(), 200);
        let new = invitation_token(&app, "bo@firma-a.test").await;
        assert_ne!(new, old);
        let res = accept(&browser, &app, &old, PASSWORD, PASSWORD).await;
        assert_eq!(error_key(res).await, "error-invitation-unknown", "the old link is dead");
        let res = accept(&browser, &app, &new, PASSWORD, PASSWORD).await;
        assert_eq!(res.status(), 200);
        assert_eq!(app.me(&browser).await.and_then(|u| u.firm_id), Some(fixture.firm_a));
    }
}

db_test! {
    async fn a_revoked_or_forged_invitation_gets_a_clear_answer(app: TestApp) {
        let fixture = app.rings().await;
        let coordinator = app.client_as(Role::Coordinator).await;
        let res = app.post_as(&coordinator, "/api/rings/invite", &[
            ("ring_id", &fixture.ring_a.to_string()), ("firm_id", &fixture.firm_a.to_string()),
            ("name", "Cia"), ("email", "cia@firma-a.test"),
        ]).await;
        let id: i32 = res.json().await.expect("id");
        let token = invitation_token(&app, "cia@firma-a.test").await;
        let res = app.post_as(&coordinator, "/api/invitations/revoke", &[("invitation_id", &id.to_string())]).await;
        assert_eq!(res.status(), 200);
        let browser = crate::helpers::new_client();
        let res = accept(&browser, &app, &token, PASSWORD, PASSWORD).await;
        assert_eq!(res.status(), 409);
        assert_eq!(error_key(res).await, "error-invitation-revoked");
        let res = app.post_as(&coordinator, "/api/invitations/resend", &[("invitation_id", &id.to_string())]).await;
        assert_eq!(res.status(), 409, "a withdrawn invitation is not sent again");

        // A forged token: one character changed, or something else entirely.
        let mut forged = token.clone();
        let last = if forged.ends_with('A') { 'B' } else { 'A' };
        forged.pop();
        forged.push(last);
        for t in [forged.as_str(), "", "x", &"y".repeat(5000), "<script>alert(1)</script>"] {
            let res = accept(&browser, &app, t, PASSWORD, PASSWORD).await;
            assert_eq!(res.status(), 409, "token {:.20}", t);
            assert_eq!(error_key(res).await, "error-invitation-unknown");
        }
        let page = browser
            .get(format!("{}/inbjudan?token=%3Cscript%3Ealert(1)%3C%2Fscript%3E", app.address))
            .send()
            .await
            .expect("page");
        assert_eq!(page.status(), 200);
        let html = page.text().await.expect("html");
        assert!(html.contains("Länken till inbjudan fungerar inte"));
        assert!(!html.contains("<script>alert(1)"));
        assert!(app.me(&browser).await.is_none(), "nobody was logged in");
        assert_eq!(app.count("ring_memberships").await, 3, "nobody joined");
    }
}

db_test! {
    async fn an_existing_employer_accepts_with_their_password_and_keeps_one_firm(app: TestApp) {
        let fixture = app.rings().await;
        let coordinator = app.client_as(Role::Coordinator).await;
        // An employer without a firm yet is invited for firm B into ring A.
        let (email, password) = app.account(Role::Employer).await;
        let res = app.post_as(&coordinator, "/api/rings/invite", &[
            ("ring_id", &fixture.ring_a.to_string()), ("firm_id", &fixture.firm_b.to_string()),
            ("name", "Testperson"), ("email", &email),
        ]).await;
        assert_eq!(res.status(), 200);
        let token = invitation_token(&app, &email).await;
        assert!(matches!(preview(&app, &token).await, InvitationPreview::Valid { has_account: true, .. }));
        let browser = crate::helpers::new_client();
        let wrong = accept(&browser, &app, &token, "inte mitt lösenord", "").await;
        assert_eq!(wrong.status(), 409);
        assert_eq!(error_key(wrong).await, "error-login-failed");
        let res = accept(&browser, &app, &token, &password, "").await;
        assert_eq!(res.status(), 200);
        assert_eq!(app.me(&browser).await.and_then(|u| u.firm_id), Some(fixture.firm_b));
        // Now at firm B, the same person cannot be invited for firm A.
        let res = app.post_as(&coordinator, "/api/rings/invite", &[
            ("ring_id", &fixture.ring_b.to_string()), ("firm_id", &fixture.firm_a.to_string()),
            ("name", "Testperson"), ("email", &email),
        ]).await;
        assert_eq!(res.status(), 422);
        assert_eq!(error_key(res).await, "email:field-email-other-firm");
        // Staff addresses cannot be invited as employers.
        let (staff_email, _) = app.account(Role::Coordinator).await;
        let res = app.post_as(&coordinator, "/api/rings/invite", &[
            ("ring_id", &fixture.ring_a.to_string()), ("firm_id", &fixture.firm_a.to_string()),
            ("name", "Kollega"), ("email", &staff_email),
        ]).await;
        assert_eq!(error_key(res).await, "email:field-email-staff");
    }
}

db_test! {
    async fn firms_are_registered_once_per_organisation_number_with_every_field_checked(app: TestApp) {
        let coordinator = app.client_as(Role::Coordinator).await;
        let org = org_number();
        let dashed = format!("{}-{}", &org[..6], &org[6..]);
        let form = |org: &str, employees: &'static str| {
            vec![
                ("name", "Ekholms Bygg AB".to_owned()), ("org_number", org.to_owned()),
                ("employees", employees.to_owned()), ("sni_section", "F".to_owned()),
                ("address", "Verkstadsgatan 4".to_owned()), ("municipality_id", String::new()),
                ("contact_name", "Per".to_owned()), ("contact_email", String::new()),
                ("contact_phone", String::new()),
            ]
        };
        let send = |f: Vec<(&'static str, String)>| {
            let coordinator = coordinator.clone();
            let address = app.address.clone();
            async move {
                let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
                coordinator
                    .post(format!("{address}/api/firms/create"))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("accept", "application/json")
                    .body(crate::helpers::encode(&pairs))
                    .send()
                    .await
                    .expect("sent")
            }
        };
        let res = send(form(&dashed, "300")).await;
        assert_eq!(res.status(), 200);
        let id: i32 = res.json().await.expect("id");
        let detail: app::firms::FirmDetail = app.post_as(&coordinator, "/api/firms/get", &[("firm_id", &id.to_string())])
            .await.json().await.expect("json");
        assert_eq!(detail.org_number, dashed, "shown with the dash");
        assert_eq!(detail.size, app::firms::model::SizeClass::Large, "large firms are allowed, flagged");
        // The same number without the dash is the same firm.
        let res = send(form(&org, "12")).await;
        assert_eq!(res.status(), 422);
        assert_eq!(error_key(res).await, "org_number:field-orgnr-taken");
        let mut bad = org.clone();
        let last = bad.pop().and_then(|c| c.to_digit(10)).expect("digit");
        bad.push(char::from_digit((last + 1) % 10, 10).expect("digit"));
        let res = send(form(&bad, "12")).await;
        assert_eq!(error_key(res).await, "org_number:field-orgnr-check");
        let res = send(form("12345", "tolv")).await;
        assert_eq!(error_key(res).await, "employees:field-number-invalid,org_number:field-orgnr-length");
        assert_eq!(app.count("firms").await, 1);
    }
}

db_test! {
    async fn a_logged_next_step_is_the_coordinators_follow_up_until_the_next_contact(app: TestApp) {
        let firm = app.firm("Sjöbergs Mekaniska").await;
        let coordinator = app.client_as(Role::Coordinator).await;
        let colleague = app.client_as(Role::Coordinator).await;
        let today = app::i18n::today();
        let due = (today + chrono::Duration::days(3)).to_string();
        let res = app.post_as(&coordinator, "/api/firms/outreach", &[
            ("firm_id", &firm.to_string()), ("contacted_on", &today.to_string()), ("channel", "visit"),
            ("outcome", "has_needs"), ("note", "Två CNC-operatörer"), ("next_step", "Boka ringträff"),
            ("next_step_on", &due),
        ]).await;
        assert_eq!(res.status(), 200);
        let mine: app::firms::FirmsOverview = app.post_as(&coordinator, "/api/firms/list", &[("query", "")])
            .await.json().await.expect("json");
        assert_eq!(mine.follow_ups.len(), 1);
        assert_eq!(mine.follow_ups[0].next_step, "Boka ringträff");
        assert!(!mine.follow_ups[0].overdue);
        assert_eq!(mine.firms[0].last_contact, Some(today));
        assert!(mine.firms[0].rings.is_empty(), "a prospect");
        let theirs: app::firms::FirmsOverview = app.post_as(&colleague, "/api/firms/list", &[("query", "")])
            .await.json().await.expect("json");
        assert!(theirs.follow_ups.is_empty(), "each coordinator sees their own follow-ups");
        // The colleague calls the firm: the next step is taken.
        let res = app.post_as(&colleague, "/api/firms/outreach", &[
            ("firm_id", &firm.to_string()), ("contacted_on", &today.to_string()), ("channel", "phone"),
            ("outcome", "joined_ring"), ("note", ""), ("next_step", ""), ("next_step_on", ""),
        ]).await;
        assert_eq!(res.status(), 200);
        let mine: app::firms::FirmsOverview = app.post_as(&coordinator, "/api/firms/list", &[("query", "sjöberg")])
            .await.json().await.expect("json");
        assert!(mine.follow_ups.is_empty());
        assert_eq!(mine.firms.len(), 1, "search by name, any case");
        let future = (today + chrono::Duration::days(1)).to_string();
        let res = app.post_as(&coordinator, "/api/firms/outreach", &[
            ("firm_id", &firm.to_string()), ("contacted_on", &future), ("channel", "fax"),
            ("outcome", "has_needs"), ("note", ""), ("next_step", ""), ("next_step_on", ""),
        ]).await;
        assert_eq!(error_key(res).await, "channel:field-choice-invalid,contacted_on:field-date-future");
    }
}

db_test! {
    async fn an_employer_leaves_the_ring_for_the_firm_and_then_sees_nothing_of_it(app: TestApp) {
        let fixture = app.rings().await;
        let (member, _) = app.employer_at(fixture.firm_a).await;
        let ring = fixture.ring_a.to_string();
        let list: app::rings::RingsOverview = app.post_as(&member, "/api/rings/list", &[]).await.json().await.expect("json");
        assert_eq!(list.rings.iter().map(|r| r.id).collect::<Vec<_>>(), vec![fixture.ring_a], "only the firm's rings");
        // Leaving is two steps: the ring page links to a page that says what it means
        // and holds the one button that does it.
        let page = |path: String| {
            let member = member.clone();
            let address = app.address.clone();
            async move { member.get(format!("{address}{path}")).send().await.expect("page").text().await.expect("body") }
        };
        let home = page(format!("/ringar/{ring}")).await;
        assert!(home.contains(&format!("href=\"/ringar/{ring}/lamna\"")), "a link to the confirm page");
        assert!(!home.contains("action=\"/api/rings/leave\""), "no leave button on the ring page");
        let confirm = page(format!("/ringar/{ring}/lamna")).await;
        assert!(confirm.contains("action=\"/api/rings/leave\"") && confirm.contains("Lämna Ring A?"), "{confirm}");
        assert!(confirm.contains(&format!("href=\"/ringar/{ring}\"")), "a way back");
        let res = app.post_as(&member, "/api/rings/leave", &[("ring_id", &ring)]).await;
        assert_eq!(res.status(), 200);
        assert_eq!(app.post_as(&member, "/api/rings/get", &[("ring_id", &ring)]).await.status(), 404);
        assert_eq!(app.post_as(&member, "/api/meetings/get", &[("meeting_id", &fixture.meeting.to_string())]).await.status(), 404);
        let list: app::rings::RingsOverview = app.post_as(&member, "/api/rings/list", &[]).await.json().await.expect("json");
        assert!(list.rings.is_empty());
        let coordinator = app.client_as(Role::Coordinator).await;
        let home: app::rings::RingHome = app.post_as(&coordinator, "/api/rings/get", &[("ring_id", &ring)]).await.json().await.expect("json");
        assert!(home.members.iter().all(|m| m.firm_id != fixture.firm_a));
        let spell = home
            .history
            .iter()
            .find(|h| h.firm_name == "Firma A")
            .expect("the spell is kept");
        assert!(spell.left_at.is_some());
        assert_eq!(spell.left_by.as_deref(), Some("Testperson"));
        // The coordinator puts the firm back: a second spell.
        let res = app.post_as(&coordinator, "/api/rings/add-firm", &[("ring_id", &ring), ("firm_id", &fixture.firm_a.to_string())]).await;
        assert_eq!(res.status(), 200);
        let res = app.post_as(&coordinator, "/api/rings/add-firm", &[("ring_id", &ring), ("firm_id", &fixture.firm_a.to_string())]).await;
        assert_eq!(error_key(res).await, "error-already-member");
        assert_eq!(app.post_as(&member, "/api/rings/get", &[("ring_id", &ring)]).await.status(), 200);
    }
}

db_test! {
    async fn members_answer_a_meeting_staff_record_attendance_and_the_calendar_file_is_valid(app: TestApp) {
        let fixture = app.rings().await;
        let (member, member_id) = app.employer_at(fixture.firm_a).await;
        let meeting = fixture.meeting.to_string();
        let res = app.post_as(&member, "/api/meetings/respond", &[("meeting_id", &meeting), ("answer", "yes")]).await;
        assert_eq!(res.status(), 200);
        let res = app.post_as(&member, "/api/meetings/respond", &[("meeting_id", &meeting), ("answer", "maybe")]).await;
        assert_eq!(error_key(res).await, "answer:field-choice-invalid");
        let detail: app::rings::MeetingDetail = app.post_as(&member, "/api/meetings/get", &[("meeting_id", &meeting)])
            .await.json().await.expect("json");
        assert_eq!(detail.my_answer, Some(app::rings::model::Answer::Yes));
        assert_eq!(detail.coming, 1);
        assert!(detail.participants.is_empty(), "employers do not see the list of people");
        let past = fixture.past_meeting.to_string();
        let res = app.post_as(&member, "/api/meetings/respond", &[("meeting_id", &past), ("answer", "yes")]).await;
        assert_eq!(error_key(res).await, "error-meeting-started");

        let coordinator = app.client_as(Role::Coordinator).await;
        let res = app.post_as(&coordinator, "/api/meetings/attendance", &[
            ("meeting_id", &meeting), ("user_id", &member_id.to_string()), ("attended", "true"),
        ]).await;
        assert_eq!(error_key(res).await, "error-meeting-not-started");
        let res = app.post_as(&coordinator, "/api/meetings/attendance", &[
            ("meeting_id", &past), ("user_id", &member_id.to_string()), ("attended", "true"),
        ]).await;
        assert_eq!(res.status(), 200);
        let (_, outsider) = app.employer_at(fixture.firm_b).await;
        let res = app.post_as(&coordinator, "/api/meetings/attendance", &[
            ("meeting_id", &past), ("user_id", &outsider.to_string()), ("attended", "true"),
        ]).await;
        assert_eq!(res.status(), 404, "only people of the ring's firms");
        let detail: app::rings::MeetingDetail = app.post_as(&coordinator, "/api/meetings/get", &[("meeting_id", &past)])
            .await.json().await.expect("json");
        let row = detail.participants.iter().find(|p| p.user_id == member_id).expect("the member is listed");
        assert_eq!(row.attended, Some(true));
        assert_eq!(row.firm_name, "Firma A");

        let ics = member
            .get(format!("{}/moten/{meeting}/kalender.ics", app.address))
            .send()
            .await
            .expect("ics");
        assert_eq!(ics.status(), 200);
        assert_eq!(ics.headers()["content-type"], "text/calendar; charset=utf-8");
        let body = ics.text().await.expect("text");
        assert!(body.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(body.contains("SUMMARY:Ringträff: Ring A\r\n"));
        assert!(body.contains("LOCATION:Kommunhuset\\, rum 3\r\n"));
        assert!(body.contains(&format!("UID:meeting-{meeting}@127.0.0.1\r\n")));
    }
}

db_test! {
    async fn a_ring_can_be_created_edited_and_closed_and_then_takes_no_meetings(app: TestApp) {
        let coordinator = app.client_as(Role::Coordinator).await;
        let res = app.post_as(&coordinator, "/api/rings/create", &[
            ("name", "Logistik Ekdala"), ("description", "Lager och transport"),
            ("sector_focus", "h"), ("host_coordinator_id", ""),
        ]).await;
        assert_eq!(res.status(), 200);
        let id: i32 = res.json().await.expect("id");
        let home: app::rings::RingHome = app.post_as(&coordinator, "/api/rings/get", &[("ring_id", &id.to_string())])
            .await.json().await.expect("json");
        assert_eq!(home.sector_focus.as_deref(), Some("H"));
        assert_eq!(home.host, "Testperson");
        assert_eq!(home.size_warning.as_deref(), Some("ring-size-small"));
        let (employer_email, _) = app.account(Role::Employer).await;
        let employer_id = app.user_id(&employer_email).await;
        let res = app.post_as(&coordinator, "/api/rings/update", &[
            ("ring_id", &id.to_string()), ("name", "Logistik Ekdala"), ("description", ""),
            ("sector_focus", ""), ("host_coordinator_id", &employer_id.to_string()), ("status", "active"),
        ]).await;
        assert_eq!(error_key(res).await, "host_coordinator_id:field-choice-invalid", "employers cannot host");
        let res = app.post_as(&coordinator, "/api/rings/update", &[
            ("ring_id", &id.to_string()), ("name", "Logistik Ekdala"), ("description", ""),
            ("sector_focus", ""), ("host_coordinator_id", ""), ("status", "closed"),
        ]).await;
        assert_eq!(res.status(), 200);
        let res = app.post_as(&coordinator, "/api/meetings/create", &[
            ("ring_id", &id.to_string()), ("date", "2027-02-01"), ("start_time", "08:00"),
            ("end_time", "10:00"), ("place", "Rum 3"), ("agenda", ""),
        ]).await;
        assert_eq!(error_key(res).await, "error-ring-closed");
    }
}
