//! The homes through the HTTP API: an employer's news since the last visit (and that
//! it clears as they read), the coordinator's work queue (a test per kind of row that
//! makes the situation and finds it), and the admin's counts.

use app::{
    auth::model::Role,
    home::{AdminHome, EmployerHome, MenuCounts, QueueKind, WorkQueue},
};
use chrono::{Duration, Utc};

use crate::{db_test, helpers::TestApp};

async fn home(app: &TestApp, client: &reqwest::Client) -> EmployerHome {
    let res = app.post_as(client, "/api/home/employer", &[]).await;
    assert_eq!(res.status(), 200);
    res.json().await.expect("home")
}

async fn counts(app: &TestApp, client: &reqwest::Client) -> MenuCounts {
    app.post_as(client, "/api/home/counts", &[])
        .await
        .json()
        .await
        .expect("counts")
}

async fn queue(app: &TestApp, client: &reqwest::Client) -> WorkQueue {
    let res = app.post_as(client, "/api/home/queue", &[]).await;
    assert_eq!(res.status(), 200);
    res.json().await.expect("queue")
}

/// The titles of the queue's rows of `kind`.
fn titles(queue: &WorkQueue, kind: QueueKind) -> Vec<String> {
    queue
        .rows
        .iter()
        .filter(|r| r.kind == kind)
        .map(|r| r.title.clone())
        .collect()
}

fn day(offset: i64) -> String {
    (app::i18n::today() + Duration::days(offset)).to_string()
}

db_test! {
    async fn an_employer_sees_what_others_did_since_the_last_visit_and_it_clears_as_they_read(app: TestApp) {
        let fixture = app.rings().await;
        let (member, _) = app.employer_at(fixture.firm_a).await;
        let (other, _) = app.employer_at(fixture.firm_c).await;
        let coordinator = app.client_as(Role::Coordinator).await;
        // The first visit shows the fortnight before; marking it read empties it.
        let first = home(&app, &member).await;
        assert_eq!(first.firm, "Firma A");
        assert_eq!(first.rings.iter().map(|r| r.0).collect::<Vec<_>>(), vec![fixture.ring_a]);
        assert!(first.needs.iter().any(|n| n.id == fixture.need), "the firm's own need");
        assert!(first.meetings.iter().any(|m| m.id == fixture.meeting && m.answer.is_none()), "the meeting ahead, unanswered");
        assert_eq!(app.post_as(&member, "/api/home/seen", &[]).await.status(), 200);
        let seen = home(&app, &member).await;
        assert_eq!(seen.new_count(), 0, "{:?}", seen.news);
        assert_eq!(counts(&app, &member).await.new_items, 0);

        // Another member posts a need and replies; a coordinator plans a meeting and
        // releases a profile for the firm's need.
        let ring = fixture.ring_a.to_string();
        let res = app.post_as(&other, "/api/needs/post", &[
            ("ring_id", ring.as_str()), ("firm_id", ""), ("occupation", "5120"), ("title", "Diskare till hotellet"),
            ("description", "Kvällar."), ("positions", "1"), ("required_skills", ""), ("merit_skills", ""),
            ("swedish_level", ""), ("other_languages", ""), ("driving_licence", ""), ("start_date", &day(20)),
            ("employment_form", "permanent"), ("suggested_training", ""), ("status", "open"),
        ]).await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap_or_default());
        let res = app.post_as(&other, "/api/forum/reply", &[("thread_id", &fixture.thread.to_string()), ("body", "Vi kan ta emot en praktikant i vår.")]).await;
        assert_eq!(res.status(), 200);
        let res = app.post_as(&coordinator, "/api/meetings/create", &[
            ("ring_id", ring.as_str()), ("date", &day(10)), ("start_time", "08:00"), ("end_time", "09:30"),
            ("place", "Företagarnas hus"), ("agenda", ""),
        ]).await;
        assert_eq!(res.status(), 200);
        let candidate = app.candidate("Hemma Profilsson").await;
        let (_, code) = app.released(candidate, fixture.ring_a).await;
        app.exec("UPDATE releases SET need_id = ? WHERE pseudonym = ?", vec![fixture.need.into(), code.clone().into()]).await;

        let now = home(&app, &member).await;
        let section = now.news.iter().find(|s| s.ring_id == fixture.ring_a).expect("ring A has news");
        assert_eq!(section.new_needs.iter().map(|n| n.title.as_str()).collect::<Vec<_>>(), vec!["Diskare till hotellet"]);
        assert_eq!(section.threads.iter().map(|t| (t.id, t.new, t.replies)).collect::<Vec<_>>(), vec![(fixture.thread, false, 1)]);
        assert_eq!(section.releases.iter().map(|r| r.code.as_str()).collect::<Vec<_>>(), vec![code.as_str()]);
        assert_eq!(section.meetings.iter().filter(|m| m.new).count(), 1, "{:?}", section.meetings);
        assert_eq!(now.new_count(), 4);
        assert_eq!(counts(&app, &member).await.new_items, 4, "the menu counts the same");
        // What the member did themselves is not news to them; to the other it is not
        // news either (they posted it).
        assert!(home(&app, &other).await.news.iter().all(|s| s.new_needs.is_empty()));

        // Reading the thread clears it; marking all read clears the rest.
        let page = member.get(format!("{}/diskussion/{}", app.address, fixture.thread)).send().await.expect("thread");
        assert_eq!(page.status(), 200);
        let after = home(&app, &member).await;
        assert!(after.news.iter().all(|s| s.threads.is_empty()), "read threads are not new");
        assert_eq!(after.new_count(), 3);
        // The answer to a meeting is given right on the home.
        let meeting = after.meetings.iter().find(|m| m.place == "Företagarnas hus").expect("the new meeting");
        let res = app.post_as(&member, "/api/meetings/respond", &[("meeting_id", &meeting.id.to_string()), ("answer", "yes")]).await;
        assert_eq!(res.status(), 200);
        let answered = home(&app, &member).await;
        assert_eq!(answered.meetings.iter().find(|m| m.id == meeting.id).and_then(|m| m.answer.clone()).as_deref(), Some("yes"));
        assert_eq!(app.post_as(&member, "/api/home/seen", &[]).await.status(), 200);
        assert_eq!(home(&app, &member).await.new_count(), 0);
        // The page itself, without JavaScript.
        let html = member.get(format!("{}/", app.address)).send().await.expect("home").text().await.expect("html");
        assert!(html.contains("Inget nytt sedan ditt förra besök") && html.contains("Lägg ut ett behov"), "{html}");
    }
}

/// The menu's count for `client`, and how many statements answering it ran.
async fn counted(app: &TestApp, client: &reqwest::Client) -> (usize, usize) {
    let before = app.statements.load(std::sync::atomic::Ordering::SeqCst);
    let n = counts(app, client).await.new_items;
    (
        n,
        app.statements.load(std::sync::atomic::Ordering::SeqCst) - before,
    )
}

db_test! {
    async fn the_menus_count_costs_one_statement_while_nothing_moves_and_follows_every_change(app: TestApp) {
        let fixture = app.rings().await;
        let (member, _) = app.employer_at(fixture.firm_a).await;
        let (other, _) = app.employer_at(fixture.firm_c).await;
        let coordinator = app.client_as(Role::Coordinator).await;
        assert_eq!(app.post_as(&member, "/api/home/seen", &[]).await.status(), 200);
        let (none, anew) = counted(&app, &member).await;
        assert_eq!(none, 0);
        // Asked again with nothing changed: the session, and one statement for what the
        // count depends on; not the news again.
        let (none, kept) = counted(&app, &member).await;
        assert_eq!(none, 0);
        let (_, session) = counted(&app, &coordinator).await;
        assert!(kept <= session, "a kept count ran {kept} statements; a coordinator's (session and one count) {session}");
        assert!(anew >= kept + 5, "counting anew reads the news ({anew} against {kept})");

        // Every change shows on the very next page, whoever made it and however: the
        // member's home (built anew) and the menu agree after each.
        let agree = async |expected: usize, what: &str| {
            let (menu, _) = counted(&app, &member).await;
            assert_eq!(menu, expected, "the menu after: {what}");
            assert_eq!(home(&app, &member).await.new_count(), expected, "the home after: {what}");
            assert_eq!(counted(&app, &member).await.0, expected, "the kept count after: {what}");
        };
        let res = app.post_as(&other, "/api/forum/reply", &[("thread_id", &fixture.thread.to_string()), ("body", "Vi tar gärna en praktikant.")]).await;
        assert_eq!(res.status(), 200);
        let reply: app::forum::Replied = res.json().await.expect("replied");
        agree(1, "another member replied").await;
        let res = app.post_as(&coordinator, "/api/forum/hide", &[("post_id", &reply.id.to_string()), ("reason", "Fel tråd")]).await;
        assert_eq!(res.status(), 200);
        agree(0, "a coordinator hid the reply").await;
        app.exec("UPDATE posts SET hidden_at = NULL WHERE id = ?", vec![reply.id.into()]).await;
        agree(1, "the reply shown again, straight in the database").await;
        let page = member.get(format!("{}/diskussion/{}", app.address, fixture.thread)).send().await.expect("thread");
        assert_eq!(page.status(), 200);
        agree(0, "the member read the thread").await;
        let res = app.post_as(&other, "/api/needs/post", &[
            ("ring_id", &fixture.ring_a.to_string()), ("firm_id", ""), ("occupation", "7212"), ("title", "Svetsare"),
            ("description", "Dagtid."), ("positions", "1"), ("required_skills", ""), ("merit_skills", ""),
            ("swedish_level", ""), ("other_languages", ""), ("driving_licence", ""), ("start_date", &day(30)),
            ("employment_form", "permanent"), ("suggested_training", ""), ("status", "open"),
        ]).await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap_or_default());
        agree(1, "the other firm opened a need").await;
        app.exec("UPDATE needs SET status = 'filled' WHERE title = 'Svetsare'", vec![]).await;
        agree(0, "the need filled straight in the database (its event says opened)").await;
        app.exec("UPDATE meetings SET created_at = ? WHERE id = ?", vec![Utc::now().into(), fixture.meeting.into()]).await;
        agree(1, "a meeting planned now").await;
        app.exec("UPDATE ring_memberships SET left_at = ? WHERE firm_id = ?", vec![Utc::now().into(), fixture.firm_a.into()]).await;
        agree(0, "the firm left the ring").await;
    }
}

db_test! {
    async fn a_kept_count_ends_when_a_counted_meeting_starts(app: TestApp) {
        let fixture = app.rings().await;
        let (_, member_id) = app.employer_at(fixture.firm_a).await;
        let user = app::auth::SessionUser {
            id: member_id,
            name: "Medlem".into(),
            email: "medlem@firma.test".into(),
            role: Role::Employer,
            firm_id: Some(fixture.firm_a),
        };
        let badge = app::home::badge::NewsBadge::default();
        let now = Utc::now();
        // A meeting planned a minute ago that starts in twenty seconds.
        app.exec("UPDATE meetings SET created_at = ?, starts_at = ? WHERE id = ?",
            vec![(now - Duration::minutes(1)).into(), (now + Duration::seconds(20)).into(), fixture.meeting.into()]).await;
        let count = async |at: chrono::DateTime<Utc>| app::home::service::menu_counts(&app.db, &badge, &user, at).await.expect("counts").new_items;
        let before = count(now).await;
        assert!(before >= 1, "the meeting is news");
        assert_eq!(count(now + Duration::seconds(10)).await, before, "kept while nothing moved");
        assert_eq!(count(now + Duration::seconds(30)).await, before - 1, "once it has started it is no longer ahead");
    }
}

db_test! {
    async fn a_visit_lasts_half_an_hour_and_the_next_one_shows_what_happened_since(app: TestApp) {
        let fixture = app.rings().await;
        let (member, member_id) = app.employer_at(fixture.firm_a).await;
        assert_eq!(app.post_as(&member, "/api/home/seen", &[]).await.status(), 200);
        let (other, _) = app.employer_at(fixture.firm_c).await;
        let res = app.post_as(&other, "/api/forum/reply", &[("thread_id", &fixture.thread.to_string()), ("body", "Nytt svar.")]).await;
        assert_eq!(res.status(), 200);
        // Reloading during the visit keeps the news.
        assert_eq!(home(&app, &member).await.new_count(), 1);
        assert_eq!(home(&app, &member).await.new_count(), 1);
        // Time passes: all of that happened two hours ago, and the visit that showed it
        // ended an hour ago. The next visit starts from there: nothing is new.
        let two_hours_ago = Utc::now() - Duration::hours(2);
        for table in ["posts SET created_at", "threads SET created_at", "meetings SET created_at", "need_events SET at", "releases SET released_at"] {
            app.exec(&format!("UPDATE {table} = ?"), vec![two_hours_ago.into()]).await;
        }
        let hour_ago = Utc::now() - Duration::hours(1);
        app.exec("UPDATE home_visits SET seen_at = ? WHERE user_id = ?", vec![hour_ago.into(), member_id.into()]).await;
        assert_eq!(home(&app, &member).await.new_count(), 0);
        // And what another member does now is new in it.
        let res = app.post_as(&other, "/api/forum/reply", &[("thread_id", &fixture.thread.to_string()), ("body", "Ännu ett svar.")]).await;
        assert_eq!(res.status(), 200);
        assert_eq!(home(&app, &member).await.new_count(), 1);
    }
}

db_test! {
    async fn the_queue_lists_interest_waiting_for_a_meeting_and_then_for_an_outcome(app: TestApp) {
        let fixture = app.rings().await;
        let coordinator = app.client_as(Role::Coordinator).await;
        let (member, _) = app.employer_at(fixture.firm_a).await;
        let res = app.post_as(&member, "/api/releases/interest", &[("pseudonym", &fixture.release), ("message", "Vi vill gärna träffas.")]).await;
        assert_eq!(res.status(), 200);
        let title = format!("{} – Firma A", fixture.release);
        let q = queue(&app, &coordinator).await;
        assert_eq!(titles(&q, QueueKind::InterestMeeting), vec![title.clone()]);
        assert!(titles(&q, QueueKind::InterestOutcome).is_empty());
        let row = q.rows.iter().find(|r| r.kind == QueueKind::InterestMeeting).expect("row");
        assert!(row.href.starts_with("/intresse#intresse-"), "{}", row.href);
        assert_eq!(counts(&app, &coordinator).await.interests, 1, "Intresse (1) in the menu");
        // The meeting was yesterday: now the outcome waits.
        app.exec("UPDATE interests SET meeting_at = ?", vec![(Utc::now() - Duration::days(1)).into()]).await;
        let q = queue(&app, &coordinator).await;
        assert!(titles(&q, QueueKind::InterestMeeting).is_empty());
        assert_eq!(titles(&q, QueueKind::InterestOutcome), vec![title]);
        app.exec("UPDATE interests SET outcome = 'no_match'", vec![]).await;
        let q = queue(&app, &coordinator).await;
        assert!(titles(&q, QueueKind::InterestOutcome).is_empty());
        assert_eq!(counts(&app, &coordinator).await.interests, 0);
    }
}

db_test! {
    async fn the_queue_lists_the_callers_own_firm_follow_ups_due_within_a_week(app: TestApp) {
        let fixture = app.rings().await;
        let coordinator = app.client_as(Role::Coordinator).await;
        let res = app.post_as(&coordinator, "/api/firms/outreach", &[
            ("firm_id", &fixture.firm_b.to_string()), ("contacted_on", &day(0)), ("channel", "phone"),
            ("outcome", "not_now"), ("note", ""), ("next_step", "Ring igen om praktik"), ("next_step_on", &day(3)),
        ]).await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap_or_default());
        let q = queue(&app, &coordinator).await;
        assert_eq!(titles(&q, QueueKind::FollowUp), vec!["Firma B".to_owned()]);
        let row = q.rows.iter().find(|r| r.kind == QueueKind::FollowUp).expect("row");
        assert_eq!((row.detail.as_str(), row.href.clone(), row.late), ("Ring igen om praktik", format!("/foretag/{}", fixture.firm_b), false));
        // Another coordinator's follow-ups are theirs.
        let colleague = app.client_as(Role::Coordinator).await;
        assert!(titles(&queue(&app, &colleague).await, QueueKind::FollowUp).is_empty());
    }
}

db_test! {
    async fn the_queue_lists_plan_steps_past_their_date(app: TestApp) {
        let coordinator = app.client_as(Role::Coordinator).await;
        let candidate = app.candidate("Planera Stegsson").await;
        app.exec(
            "INSERT INTO plan_steps (candidate_id, due_on, description, done_on, created_by, created_at) VALUES (?, ?, ?, NULL, NULL, ?)",
            vec![candidate.into(), (app::i18n::today() - Duration::days(3)).into(), "Boka SFI-samtal".into(), Utc::now().into()],
        ).await;
        app.exec(
            "INSERT INTO plan_steps (candidate_id, due_on, description, done_on, created_by, created_at) VALUES (?, ?, ?, NULL, NULL, ?)",
            vec![candidate.into(), (app::i18n::today() + Duration::days(3)).into(), "Inte försenat".into(), Utc::now().into()],
        ).await;
        let q = queue(&app, &coordinator).await;
        let rows: Vec<_> = q.rows.iter().filter(|r| r.kind == QueueKind::PlanStep).collect();
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert_eq!((rows[0].title.as_str(), rows[0].detail.as_str(), rows[0].late), ("Planera Stegsson", "Boka SFI-samtal", true));
        assert_eq!(rows[0].href, format!("/deltagare/{candidate}#plan"));
    }
}

db_test! {
    async fn the_queue_lists_consents_expiring_within_thirty_days(app: TestApp) {
        let fixture = app.rings().await;
        let coordinator = app.client_as(Role::Coordinator).await;
        assert!(titles(&queue(&app, &coordinator).await, QueueKind::ConsentExpiring).is_empty());
        app.exec("UPDATE consents SET expires_on = ? WHERE candidate_id = ?", vec![(app::i18n::today() + Duration::days(12)).into(), fixture.candidate.into()]).await;
        let q = queue(&app, &coordinator).await;
        assert_eq!(titles(&q, QueueKind::ConsentExpiring), vec!["Testa Kandidatsson".to_owned()]);
        assert_eq!(q.rows.iter().find(|r| r.kind == QueueKind::ConsentExpiring).map(|r| r.href.clone()), Some(format!("/deltagare/{}/samtycken", fixture.candidate)));
    }
}

db_test! {
    async fn the_queue_lists_candidates_never_or_long_ago_assessed(app: TestApp) {
        let coordinator = app.client_as(Role::Coordinator).await;
        let never = app.candidate("Aldrig Bedömdsson").await;
        let recent = app.candidate("Nyss Bedömdsson").await;
        let long_ago = app.candidate("Länge Sedansson").await;
        for (id, days) in [(recent, 10), (long_ago, 400)] {
            app.exec(
                "INSERT INTO assessments (candidate_id, criterion, met, assessed_on, assessor_id, assessor_name, comment, created_at) VALUES (?, 'a', ?, ?, NULL, 'Test', '', ?)",
                vec![id.into(), true.into(), (app::i18n::today() - Duration::days(days)).into(), Utc::now().into()],
            ).await;
        }
        let q = queue(&app, &coordinator).await;
        let listed = titles(&q, QueueKind::Assessment);
        assert!(listed.contains(&"Aldrig Bedömdsson".to_owned()) && listed.contains(&"Länge Sedansson".to_owned()), "{listed:?}");
        assert!(!listed.contains(&"Nyss Bedömdsson".to_owned()));
        // Never assessed comes first.
        assert_eq!(listed.iter().position(|t| t == "Aldrig Bedömdsson"), Some(0), "{listed:?}");
        assert!(q.rows.iter().any(|r| r.href == format!("/deltagare/{never}#jobbredo")));
    }
}

db_test! {
    async fn the_queue_lists_open_needs_without_a_shortlist(app: TestApp) {
        let fixture = app.rings().await;
        let coordinator = app.client_as(Role::Coordinator).await;
        let q = queue(&app, &coordinator).await;
        let hrefs: Vec<String> = q.rows.iter().filter(|r| r.kind == QueueKind::NeedWithoutShortlist).map(|r| r.href.clone()).collect();
        assert!(hrefs.contains(&format!("/behov/{}/matchning", fixture.need)), "{hrefs:?}");
        assert!(!hrefs.contains(&format!("/behov/{}/matchning", fixture.other_draft)), "a draft waits for nobody");
        app.exec(
            "INSERT INTO shortlist_entries (need_id, candidate_id, note, added_by, added_at) VALUES (?, ?, '', NULL, ?)",
            vec![fixture.need.into(), fixture.candidate.into(), Utc::now().into()],
        ).await;
        let q = queue(&app, &coordinator).await;
        assert!(!q.rows.iter().any(|r| r.href == format!("/behov/{}/matchning", fixture.need)), "a shortlist is work begun");
    }
}

db_test! {
    async fn the_queue_lists_releases_revoked_since_the_last_visit(app: TestApp) {
        let fixture = app.rings().await;
        let coordinator = app.client_as(Role::Coordinator).await;
        assert!(titles(&queue(&app, &coordinator).await, QueueKind::ReleaseRevoked).is_empty());
        let colleague = app.client_as(Role::Coordinator).await;
        let res = app.post_as(&colleague, "/api/releases/revoke", &[("pseudonym", &fixture.release)]).await;
        assert_eq!(res.status(), 200);
        let q = queue(&app, &coordinator).await;
        assert_eq!(titles(&q, QueueKind::ReleaseRevoked), vec!["Testa Kandidatsson".to_owned()]);
        assert!(q.rows.iter().any(|r| r.detail.starts_with(&fixture.release)));
    }
}

db_test! {
    async fn the_admin_sees_failed_mail_accounts_and_accessibility_reports(app: TestApp) {
        let admin = app.client_as(Role::Admin).await;
        let before: AdminHome = app.post_as(&admin, "/api/home/admin", &[]).await.json().await.expect("home");
        app.exec(
            "INSERT INTO outbox (message_id, to_address, subject, body_text, body_html, kind, status, attempts, next_attempt_at, created_at) \
             VALUES ('<borta@ekdala.test>', 'borta@exempel.test', 'Test', 'x', 'x', 'test', 'failed', 5, ?, ?)",
            vec![Utc::now().into(), Utc::now().into()],
        ).await;
        let res = app.post_form("/api/accessibility/feedback", &[("email", "anna@exempel.test"), ("page", "/behov"), ("message", "Knappen syns inte i mörkt läge.")]).await;
        assert_eq!(res.status(), 200);
        let after: AdminHome = app.post_as(&admin, "/api/home/admin", &[]).await.json().await.expect("home");
        assert_eq!(after.failed_mail, before.failed_mail + 1);
        assert_eq!(after.reports_month, before.reports_month + 1);
        assert_eq!(after.reports.first().map(|r| r.page.as_str()), Some("/behov"));
        assert!(after.active_accounts >= 1);
        let html = admin.get(format!("{}/", app.address)).send().await.expect("home").text().await.expect("html");
        assert!(html.contains("Administration") && html.contains("Knappen syns inte"), "{html}");
    }
}

db_test! {
    async fn an_employer_without_a_firm_is_told_so_not_refused(app: TestApp) {
        let employer = app.client_as(Role::Employer).await;
        let home = home(&app, &employer).await;
        assert!(home.firm.is_empty() && home.rings.is_empty() && home.news.is_empty());
        let html = employer.get(format!("{}/", app.address)).send().await.expect("home");
        assert_eq!(html.status(), 200);
        assert!(html.text().await.expect("html").contains("Ditt konto hör inte till något företag än"));
        assert_eq!(counts(&app, &employer).await, MenuCounts::default());
    }
}
