//! Job tracks through the HTTP API: the track form's rules, a firm's commitment that
//! only the firm itself answers, enrolment only under a consent covering the track's
//! ring and only into a free seat, what a committed firm sees (released profiles,
//! never a name; nothing once consent is withdrawn), the track's lifecycle, the
//! candidate's timeline and the report's rows. The authorization matrix (authz.tsv)
//! holds who may call each function.

use app::{
    auth::model::Role,
    reports::ReportView,
    tracks::{
        CandidateTrack, TrackPage,
        model::{CommitmentStatus, ParticipantStatus, TrackStatus},
    },
};
use chrono::Duration;

use crate::{
    db_test,
    helpers::{TestApp, field_errors},
};

fn form<'a>(
    ring: &'a str,
    title: &'a str,
    starts: &'a str,
    ends: &'a str,
    seats: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("ring_id", ring),
        ("occupation", "5321"),
        ("title", title),
        ("training_name", "Vård- och omsorgsutbildning, kort"),
        ("provider", "Komvux Ekdala"),
        ("starts_on", starts),
        ("ends_on", ends),
        ("seats", seats),
        ("swedish_level", "A2"),
        ("swedish_for_trade", "Yrkessvenska två förmiddagar i veckan"),
    ]
}

async fn page(app: &TestApp, client: &reqwest::Client, id: &str) -> (u16, Option<TrackPage>) {
    let res = app
        .post_as(client, "/api/tracks/get", &[("track_id", id)])
        .await;
    let status = res.status().as_u16();
    (
        status,
        if status == 200 {
            res.json().await.ok()
        } else {
            None
        },
    )
}

async fn staff_page(app: &TestApp, client: &reqwest::Client, id: &str) -> app::tracks::StaffTrack {
    match page(app, client, id).await {
        (200, Some(TrackPage::Staff(t))) => t,
        other => panic!("the staff page: {other:?}"),
    }
}

async fn firm_page(app: &TestApp, client: &reqwest::Client, id: &str) -> app::tracks::FirmTrack {
    match page(app, client, id).await {
        (200, Some(TrackPage::Firm(t))) => t,
        other => panic!("the firm page: {other:?}"),
    }
}

async fn enrol(
    app: &TestApp,
    client: &reqwest::Client,
    track: &str,
    candidate: i32,
) -> reqwest::Response {
    app.post_as(
        client,
        "/api/tracks/enrol",
        &[
            ("track_id", track),
            ("candidate_id", &candidate.to_string()),
        ],
    )
    .await
}

async fn status(app: &TestApp, client: &reqwest::Client, track: &str, to: &str) -> u16 {
    app.post_as(
        client,
        "/api/tracks/status",
        &[("track_id", track), ("status", to)],
    )
    .await
    .status()
    .as_u16()
}

db_test! {
    async fn a_track_is_answered_by_its_firms_and_filled_under_consent(app: TestApp) {
        let staff = app.client_as(Role::Coordinator).await;
        let (firm_a, firm_b, outside) = (app.firm("Omsorg A").await, app.firm("Omsorg B").await, app.firm("Utanför").await);
        let ring = app.ring("Vård", &[firm_a, firm_b]).await;
        let other_ring = app.ring("Annan ring", &[outside]).await;
        let (employer_a, _) = app.employer_at(firm_a).await;
        let (employer_b, _) = app.employer_at(firm_b).await;
        let (outsider, _) = app.employer_at(outside).await;
        let ring_s = ring.to_string();
        let today = app::i18n::today();
        let (start, end) = ((today + Duration::days(10)).to_string(), (today + Duration::days(130)).to_string());

        // Every bad field is named at once.
        let mut bad = form("999999", " ", "2020-01-01", "2019-01-01", "0");
        bad[1] = ("occupation", "ingen sådan yrkesgrupp");
        let res = app.post_as(&staff, "/api/tracks/create", &bad).await;
        assert_eq!(field_errors(res).await, [
            "ends_on:field-end-before-start", "occupation:field-occupation-unknown", "ring_id:field-choice-invalid",
            "seats:field-number-range", "starts_on:field-date-too-early", "title:field-required",
        ]);
        let res = app.post_as(&staff, "/api/tracks/create", &form(&ring_s, "Undersköterska, våren", &start, &end, "2")).await;
        assert_eq!(res.status(), 200);
        let id = res.json::<i32>().await.expect("id").to_string();
        let t = staff_page(&app, &staff, &id).await;
        assert_eq!((t.facts.status, t.facts.seats, t.facts.occupation.code.as_str()), (TrackStatus::Planned, 2, "5321"));
        assert_eq!(t.firm_choices.iter().map(|f| f.0).collect::<Vec<_>>().len(), 2, "the ring's firms");

        // A firm is asked only while it is in the ring; its employers get an e-mail.
        for (who, code) in [(&employer_a, 404), (&employer_b, 404), (&outsider, 404)] {
            assert_eq!(page(&app, who, &id).await.0, code, "not asked yet");
        }
        let ask = |firm: i32, internships: &'static str, jobs: &'static str| {
            let (app, staff, id) = (&app, &staff, id.clone());
            async move {
                app.post_as(staff, "/api/tracks/propose", &[("track_id", &id), ("firm_id", &firm.to_string()), ("internships", internships), ("jobs", jobs)]).await
            }
        };
        assert_eq!(field_errors(ask(outside, "2", "1").await).await, ["firm_id:track-firm-not-in-ring"]);
        let res = app.post_as(&staff, "/api/tracks/propose", &[("track_id", &id), ("firm_id", ""), ("internships", "1"), ("jobs", "1")]).await;
        assert_eq!(field_errors(res).await, ["firm_id:field-choice-required"]);
        assert_eq!(field_errors(ask(firm_a, "0", "0").await).await, ["internships:track-commitment-empty"]);
        assert_eq!(field_errors(ask(firm_a, "x", "51").await).await, ["internships:field-number-invalid", "jobs:field-number-range"]);
        let mails_before = app.count("outbox").await;
        assert_eq!(ask(firm_a, "3", "2").await.status(), 200);
        assert_eq!(app.count("outbox").await, mails_before + 1, "one e-mail to firm A's employer");

        // Firm A sees the track and what it is asked; firm B and the outsider still not.
        let f = firm_page(&app, &employer_a, &id).await;
        assert_eq!((f.own.status, f.own.internships, f.own.jobs), (CommitmentStatus::Proposed, 3, 2));
        assert!(f.profiles.is_empty());
        assert_eq!(page(&app, &employer_b, &id).await.0, 404);
        assert_eq!(page(&app, &outsider, &id).await.0, 404);
        // Its home asks for the answer; firm B's does not.
        let asking = |client: reqwest::Client| {
            let app = &app;
            async move {
                let home: app::home::EmployerHome = app.post_as(&client, "/api/home/employer", &[]).await.json().await.expect("home");
                home.tracks_asking.into_iter().map(|(t, _)| t.to_string()).collect::<Vec<_>>()
            }
        };
        assert_eq!(asking(employer_a.clone()).await, std::slice::from_ref(&id));
        assert!(asking(employer_b.clone()).await.is_empty());

        // Only the firm answers for itself.
        let answer = [("track_id", id.as_str()), ("answer", "confirm"), ("internships", "2"), ("jobs", "1"), ("note", "Från vecka 3")];
        assert_eq!(app.post_as(&staff, "/api/tracks/answer", &answer).await.status(), 403);
        assert_eq!(app.post_as(&employer_b, "/api/tracks/answer", &answer).await.status(), 404);
        let res = app.post_as(&employer_a, "/api/tracks/answer", &[("track_id", id.as_str()), ("answer", "confirm"), ("internships", "0"), ("jobs", "0"), ("note", "")]).await;
        assert_eq!(field_errors(res).await, ["internships:track-commitment-empty"]);
        assert_eq!(app.post_as(&employer_a, "/api/tracks/answer", &answer).await.status(), 200);
        assert!(asking(employer_a.clone()).await.is_empty(), "answered: the home no longer asks");
        let t = staff_page(&app, &staff, &id).await;
        let c = &t.firms[0];
        assert_eq!((c.status, c.internships, c.jobs, c.note.as_str()), (CommitmentStatus::Confirmed, 2, 1, "Från vecka 3"));
        assert!(c.answered.is_some(), "who answered, and when");
        assert_eq!(t.firm_choices.len(), 1, "firm B is left to ask");

        // Enrolment: only under a consent covering the ring, once, into a free seat.
        let (released, unconsented, elsewhere, third) = (
            app.candidate("Amina Spårsson").await, app.candidate("Bilal Utansamtycke").await,
            app.candidate("Cemal Annanring").await, app.candidate("Dana Trea").await,
        );
        let (_, code) = app.released(released, ring).await;
        app.released(elsewhere, other_ring).await;
        app.released(third, ring).await;
        let res = enrol(&app, &staff, &id, unconsented).await;
        assert_eq!(res.status(), 403, "no consent at all");
        assert_eq!(enrol(&app, &staff, &id, elsewhere).await.status(), 403, "consent for another ring");
        assert_eq!(enrol(&app, &staff, &id, released).await.status(), 200);
        let res = enrol(&app, &staff, &id, released).await;
        assert_eq!((res.status().as_u16(), res.text().await.unwrap_or_default().contains("track-already-enrolled")), (409, true));
        assert_eq!(enrol(&app, &employer_a, &id, third).await.status(), 403, "an employer never enrols");
        let res = app.post_as(&staff, "/api/tracks/enrol", &[("track_id", &id), ("candidate_id", "999999")]).await;
        assert_eq!(field_errors(res).await, ["candidate_id:field-choice-invalid"]);
        assert_eq!(enrol(&app, &staff, &id, third).await.status(), 200);
        let fourth = app.candidate("Eli Fjärde").await;
        app.released(fourth, ring).await;
        let res = enrol(&app, &staff, &id, fourth).await;
        assert_eq!((res.status().as_u16(), res.text().await.unwrap_or_default().contains("track-full")), (409, true));
        let t = staff_page(&app, &staff, &id).await;
        assert_eq!(t.participants.len(), 2);
        assert!(t.participants.iter().all(|p| p.consent && p.status == ParticipantStatus::Enrolled));
        assert_eq!(t.participants[0].pseudonym.as_deref(), Some(code.as_str()));
        assert!(t.ranked.iter().all(|r| r.score.candidate_id != released && r.score.candidate_id != third), "the enrolled are not ranked again");
        // Seats cannot go below those taking part.
        let res = app.post_as(&staff, "/api/tracks/update", &[vec![("track_id", id.as_str())], form(&ring_s, "Undersköterska, våren", &start, &end, "1")].concat()).await;
        assert_eq!(field_errors(res).await, ["seats:track-seats-below-enrolled"]);
        let res = app.post_as(&staff, "/api/tracks/update", &[vec![("track_id", id.as_str())], form(&other_ring.to_string(), "Undersköterska", &start, &end, "4")].concat()).await;
        assert_eq!(field_errors(res).await, ["ring_id:track-ring-fixed"]);

        // The confirmed firm sees the participants as their released profiles, no names.
        let res = app.post_as(&employer_a, "/api/tracks/get", &[("track_id", &id)]).await;
        let body = res.text().await.unwrap_or_default();
        assert!(body.contains(&code), "the pseudonym");
        for name in ["Amina", "Spårsson", "Dana", "Trea"] {
            assert!(!body.contains(name), "{name} reached an employer");
        }
        let f = firm_page(&app, &employer_a, &id).await;
        assert_eq!((f.enrolled, f.profiles.len()), (2, 2));
        // Consent withdrawn: the profile is gone from the track at once.
        let consent: i32 = {
            let rows = app::ssr::query_all(&app.db, "SELECT consent_id FROM releases WHERE pseudonym = ?", vec![code.clone().into()]).await.expect("consent");
            rows[0].try_get("", "consent_id").expect("id")
        };
        let res = app.post_as(&staff, "/api/consent/withdraw", &[("consent_id", &consent.to_string()), ("withdrawn_on", &today.to_string()), ("how", "muntligt")]).await;
        assert_eq!(res.status(), 200);
        let f = firm_page(&app, &employer_a, &id).await;
        assert_eq!(f.profiles.iter().map(|p| p.pseudonym.clone()).filter(|p| *p == code).count(), 0);
        assert_eq!(f.profiles.len(), 1);
        let t = staff_page(&app, &staff, &id).await;
        assert!(!t.participants.iter().find(|p| p.candidate.0 == released).expect("still enrolled").consent);

        // Lifecycle: planned → running → completed; no way back, nothing changes after.
        assert_eq!(status(&app, &staff, &id, "completed").await, 409);
        assert_eq!(status(&app, &staff, &id, "paused").await, 422);
        assert_eq!(status(&app, &employer_a, &id, "running").await, 403);
        assert_eq!(status(&app, &staff, &id, "running").await, 200);
        // Dana leaves early; leaving twice is refused.
        let dana = t.participants.iter().find(|p| p.candidate.0 == third).expect("dana").id.to_string();
        let end_form = |outcome: &'static str, on: String| vec![("track_id", id.clone()), ("participant_id", dana.clone()), ("outcome", outcome.to_owned()), ("ended_on", on)];
        let tomorrow = (today + Duration::days(1)).to_string();
        let res = app.post_as(&staff, "/api/tracks/end", &pairs(&end_form("gone", tomorrow))).await;
        assert_eq!(field_errors(res).await, ["ended_on:field-date-future", "outcome:field-choice-required"]);
        assert_eq!(app.post_as(&staff, "/api/tracks/end", &pairs(&end_form("left", today.to_string()))).await.status(), 200);
        assert_eq!(app.post_as(&staff, "/api/tracks/end", &pairs(&end_form("left", today.to_string()))).await.status(), 409);
        assert_eq!(status(&app, &staff, &id, "completed").await, 200);
        let t = staff_page(&app, &staff, &id).await;
        let states: Vec<_> = t.participants.iter().map(|p| (p.candidate.0, p.status, p.ended_on)).collect();
        assert!(states.contains(&(released, ParticipantStatus::Completed, Some(today))), "{states:?}");
        assert!(states.contains(&(third, ParticipantStatus::Left, Some(today))), "{states:?}");
        assert_eq!(enrol(&app, &staff, &id, fourth).await.status(), 409, "a completed track takes nobody");
        assert_eq!(app.post_as(&employer_a, "/api/tracks/answer", &answer).await.status(), 409);
        assert_eq!(status(&app, &staff, &id, "cancelled").await, 409);

        // The candidate's timeline, and the audit log.
        let res = app.post_as(&staff, "/api/tracks/candidate", &[("candidate_id", &released.to_string())]).await;
        let tracks: Vec<CandidateTrack> = res.json().await.expect("tracks");
        assert_eq!(tracks.iter().map(|t| (t.title.as_str(), t.status)).collect::<Vec<_>>(), [("Undersköterska, våren", ParticipantStatus::Completed)]);
        for (action, n) in [("track.created", 1), ("track.commitment", 2), ("track.enrolled", 2), ("track.left", 1), ("track.status", 2)] {
            let rows = app::ssr::query_all(&app.db, "SELECT id FROM audit_log WHERE action = ? AND outcome = 'ok'", vec![action.into()]).await.expect("log");
            assert_eq!(rows.len(), n, "{action}");
        }
        // The employer's list has the track; the outsider's has none.
        let list: app::tracks::TrackList = app.post_as(&employer_a, "/api/tracks/list", &[]).await.json().await.expect("list");
        assert_eq!(list.tracks.iter().map(|t| t.own).collect::<Vec<_>>(), [Some(CommitmentStatus::Confirmed)]);
        let list: app::tracks::TrackList = app.post_as(&outsider, "/api/tracks/list", &[]).await.json().await.expect("list");
        assert!(list.tracks.is_empty());
    }
}

fn pairs<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

db_test! {
    async fn the_report_counts_those_in_a_track_and_in_a_job_after_it(app: TestApp) {
        let staff = app.client_as(Role::Coordinator).await;
        let firm = app.firm("Omsorg R").await;
        let ring = app.ring("Rapportring", &[firm]).await;
        let (hired, still_in) = (app.candidate("Hanna Anställd").await, app.candidate("Ivan Kvar").await);
        let track = app.track(ring, firm, hired).await;
        // The fixture enrols one; the other through the same table, a week later.
        let today = app::i18n::today();
        app.exec(
            "INSERT INTO track_participants (track_id, candidate_id, enrolled_on, status, ended_on, consent_id, enrolled_by, created_at) \
             VALUES (?, ?, ?, 'enrolled', NULL, NULL, NULL, ?)",
            vec![track.into(), still_in.into(), (today - Duration::days(7)).into(), chrono::Utc::now().into()],
        ).await;
        // Hanna got a job yesterday (after her first day in the track).
        let res = app.post_as(&staff, "/api/candidates/activity", &[
            ("candidate_id", &hired.to_string()), ("kind", "employment"), ("firm_id", &firm.to_string()), ("need_id", ""),
            ("title", ""), ("provider", ""), ("start_on", &(today - Duration::days(1)).to_string()), ("end_on", ""),
            ("employment_form", "introduction"), ("exit_reason", ""), ("note", ""),
        ]).await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap_or_default());
        let from = (today - Duration::days(30)).to_string();
        for scope in [String::new(), ring.to_string()] {
            let res = app.post_as(&staff, "/api/reports/report", &[("from", from.as_str()), ("to", ""), ("ring", scope.as_str())]).await;
            assert_eq!(res.status(), 200);
            let r: ReportView = res.json().await.expect("report");
            // Both are women (the fixture's gender); columns: all, women, men, other, bands.
            assert!(r.figures.in_track.0[0] >= 2 && r.figures.in_track.0[1] >= 2, "{:?}", r.figures.in_track);
            assert!(r.figures.job_after_track.0[0] >= 1, "{:?}", r.figures.job_after_track);
            if !scope.is_empty() {
                assert_eq!(r.figures.in_track.0[..4], [2, 2, 0, 0], "the ring's track");
                assert_eq!(r.figures.job_after_track.0[..4], [1, 1, 0, 0]);
            }
        }
    }
}
