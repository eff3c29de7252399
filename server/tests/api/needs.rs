//! Recruitment needs through the HTTP API: the occupation search, validation, the
//! board, drafts, status changes and history.

use app::{
    auth::model::Role,
    needs::{NeedBoard, NeedDetail, OccupationView, model::NeedStatus},
};

use crate::{
    db_test,
    helpers::{TestApp, field_errors, with_changes},
};

fn in_days(days: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(days)).to_string()
}

/// A complete, valid need form, with `changes` applied.
fn form(ring: i32, changes: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    let f: Vec<(&'static str, String)> = vec![
        ("ring_id", ring.to_string()),
        ("firm_id", String::new()),
        ("occupation", "5120 – Kockar och kallskänkor".into()),
        ("title", "Kock till lunchrestaurang".into()),
        ("description", "Lunch för 120 gäster.".into()),
        ("positions", "2".into()),
        ("required_skills", "Hygienkunskap".into()),
        ("merit_skills", "Erfarenhet av storkök".into()),
        ("swedish_level", "a2".into()),
        ("other_languages", "Arabiska".into()),
        ("driving_licence", "".into()),
        ("start_date", in_days(20)),
        ("employment_form", "introduction".into()),
        ("internship_first", "on".into()),
        ("suggested_training", "Livsmedelshygien".into()),
        ("status", "open".into()),
    ];
    with_changes(f, changes)
}

async fn post_form(
    client: &reqwest::Client,
    app: &TestApp,
    path: &str,
    f: &[(&'static str, String)],
) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post_as(client, path, &pairs).await
}

async fn search(client: &reqwest::Client, app: &TestApp, q: &str) -> Vec<String> {
    let found: Vec<OccupationView> = app
        .post_as(client, "/api/occupations/search", &[("query", q)])
        .await
        .json()
        .await
        .expect("json");
    found.into_iter().map(|o| o.code).collect()
}

db_test! {
    async fn occupations_are_found_by_code_and_by_swedish_and_english_words(app: TestApp) {
        let client = app.client_as(Role::Employer).await;
        assert_eq!(search(&client, &app, "5120").await, vec!["5120"]);
        assert!(search(&client, &app, "51").await.iter().all(|c| c.starts_with("51")));
        assert!(search(&client, &app, "kock").await.contains(&"5120".to_owned()));
        assert!(search(&client, &app, "undersköterska").await.contains(&"5321".to_owned()));
        assert!(search(&client, &app, "Lastbilsförare").await.contains(&"8332".to_owned()));
        assert!(search(&client, &app, "cooks").await.contains(&"5120".to_owned()));
        assert!(search(&client, &app, "assistant nurses").await.contains(&"5321".to_owned()));
        assert!(search(&client, &app, "städare").await.contains(&"9111".to_owned()));
        assert!(search(&client, &app, "zzzyx").await.is_empty());
        assert!(search(&client, &app, "").await.is_empty());
        assert_eq!(app.count("occupations").await, 633, "the whole of SSYK 2012 is loaded");
    }
}

db_test! {
    async fn every_field_of_a_need_is_checked_and_named(app: TestApp) {
        let fixture = app.rings().await;
        let (employer, _) = app.employer_at(fixture.firm_a).await;
        let ring = fixture.ring_a;
        let long = "x".repeat(4001);
        let res = post_form(&employer, &app, "/api/needs/post", &form(ring, &[
            ("occupation", "9999"), ("title", " "), ("description", &long), ("positions", "0"),
            ("swedish_level", "B3"), ("driving_licence", "X"), ("start_date", &in_days(-1)),
            ("employment_form", "slavery"), ("status", "published"),
        ])).await;
        assert_eq!(field_errors(res).await, vec![
            "description:field-too-long", "driving_licence:field-choice-invalid",
            "employment_form:field-choice-invalid", "occupation:field-occupation-unknown",
            "positions:field-positions-range", "start_date:field-date-past",
            "status:field-choice-invalid", "swedish_level:field-choice-invalid", "title:field-required",
        ]);
        let res = post_form(&employer, &app, "/api/needs/post", &form(ring, &[
            ("occupation", ""), ("positions", "två"), ("start_date", "2026-02-30"), ("employment_form", ""),
        ])).await;
        assert_eq!(field_errors(res).await, vec![
            "employment_form:field-choice-required", "occupation:field-required",
            "positions:field-number-invalid", "start_date:field-date-invalid",
        ]);
        let res = post_form(&employer, &app, "/api/needs/post", &form(ring, &[
            ("occupation", "kock"), ("start_date", &in_days(4 * 366)), ("positions", "101"),
        ])).await;
        assert_eq!(field_errors(res).await, vec!["positions:field-positions-range", "start_date:field-date-far"]);
        let res = post_form(&employer, &app, "/api/needs/post", &form(ring, &[("occupation", "arbetare")])).await;
        assert_eq!(field_errors(res).await, vec!["occupation:field-occupation-ambiguous"]);
        assert_eq!(app.count("needs").await, 3, "nothing was saved");
        // A unique name is enough without the code.
        let res = post_form(&employer, &app, "/api/needs/post", &form(ring, &[("occupation", "Kockar och kallskänkor")])).await;
        assert_eq!(res.status(), 200);
    }
}

db_test! {
    async fn an_employer_posts_a_need_for_the_own_firm_only_and_follows_it_to_filled(app: TestApp) {
        let fixture = app.rings().await;
        let (employer, _) = app.employer_at(fixture.firm_a).await;
        let ring = fixture.ring_a;
        let res = post_form(&employer, &app, "/api/needs/post",
            &form(ring, &[("firm_id", &fixture.firm_c.to_string())])).await;
        assert_eq!(res.status(), 403, "not for another firm in the same ring");
        let res = post_form(&employer, &app, "/api/needs/post", &form(ring, &[])).await;
        assert_eq!(res.status(), 200);
        let id: i32 = res.json().await.expect("id");
        let need: NeedDetail = app.post_as(&employer, "/api/needs/get", &[("need_id", &id.to_string())])
            .await.json().await.expect("json");
        assert_eq!(need.summary.firm_id, fixture.firm_a);
        assert_eq!(need.summary.occupation.code, "5120");
        assert_eq!(need.swedish_level.as_deref(), Some("A2"));
        assert!(need.summary.internship_first);
        assert_eq!(need.next, vec![NeedStatus::Filled, NeedStatus::Closed]);

        // Another member firm sees it on the board but cannot change it.
        let (other, _) = app.employer_at(fixture.firm_c).await;
        let res = app.post_as(&other, "/api/needs/status", &[("need_id", &id.to_string()), ("status", "closed")]).await;
        assert_eq!(res.status(), 403);
        let board: NeedBoard = app.post_as(&other, "/api/needs/board", &[
            ("ring_id", &ring.to_string()), ("occupation", ""), ("form", ""), ("status", ""), ("firm", ""), ("sort", ""),
        ]).await.json().await.expect("json");
        assert!(board.needs.iter().any(|n| n.id == id));

        let res = app.post_as(&employer, "/api/needs/status", &[("need_id", &id.to_string()), ("status", "filled")]).await;
        assert_eq!(res.status(), 200);
        let res = app.post_as(&employer, "/api/needs/status", &[("need_id", &id.to_string()), ("status", "closed")]).await;
        assert_eq!(res.status(), 409, "filled → closed is not a step");
        let res = app.post_as(&employer, "/api/needs/status", &[("need_id", &id.to_string()), ("status", "open")]).await;
        assert_eq!(res.status(), 200, "a filled need can be opened again");
        let res = post_form(&employer, &app, "/api/needs/update", &[
            ("need_id", id.to_string()), ("occupation", "5120".into()), ("title", "Kock, helg".into()),
            ("description", "Lunch för 120 gäster.".into()), ("positions", "3".into()),
            ("required_skills", "Hygienkunskap".into()), ("merit_skills", "Erfarenhet av storkök".into()),
            ("swedish_level", "A2".into()), ("other_languages", "Arabiska".into()), ("driving_licence", String::new()),
            ("start_date", in_days(20)), ("employment_form", "introduction".into()),
            ("suggested_training", "Livsmedelshygien".into()),
        ]).await;
        assert_eq!(res.status(), 200);
        let need: NeedDetail = app.post_as(&employer, "/api/needs/get", &[("need_id", &id.to_string())])
            .await.json().await.expect("json");
        assert!(!need.summary.internship_first, "an unticked box is no");
        let steps: Vec<(String, String)> = need.history.iter().map(|h| (h.action.clone(), h.detail.clone())).collect();
        assert_eq!(steps, vec![
            ("created".to_owned(), "open".to_owned()),
            ("status".to_owned(), "filled".to_owned()),
            ("status".to_owned(), "open".to_owned()),
            ("edited".to_owned(), "title, positions, internship_first".to_owned()),
        ]);
        assert!(need.history.iter().all(|h| h.actor == "Testperson"));
    }
}

db_test! {
    async fn drafts_stay_with_their_firm_and_the_board_filters_and_sorts(app: TestApp) {
        let fixture = app.rings().await;
        let (employer, _) = app.employer_at(fixture.firm_a).await;
        let ring = fixture.ring_a.to_string();
        let board = |occupation: &'static str, status: &'static str, sort: &'static str| {
            let employer = employer.clone();
            let ring = ring.clone();
            let address = app.address.clone();
            async move {
                employer
                    .post(format!("{address}/api/needs/board"))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("accept", "application/json")
                    .body(crate::helpers::encode(&[
                        ("ring_id", ring.as_str()), ("occupation", occupation), ("form", ""),
                        ("status", status), ("firm", ""), ("sort", sort),
                    ]))
                    .send()
                    .await
                    .expect("sent")
                    .json::<NeedBoard>()
                    .await
                    .expect("json")
            }
        };
        let all = board("", "", "").await;
        assert!(all.needs.iter().all(|n| n.id != fixture.other_draft), "another firm's draft is hidden");
        assert_eq!(all.needs.len(), 2);
        let late = post_form(&employer, &app, "/api/needs/post",
            &form(fixture.ring_a, &[("occupation", "9111"), ("start_date", &in_days(60)), ("status", "draft")])).await;
        let late: i32 = late.json().await.expect("id");
        let early = post_form(&employer, &app, "/api/needs/post",
            &form(fixture.ring_a, &[("occupation", "8332"), ("start_date", &in_days(5))])).await;
        let early: i32 = early.json().await.expect("id");
        let by_start = board("", "", "start").await;
        assert_eq!(by_start.needs.first().map(|n| n.id), Some(early));
        assert_eq!(by_start.needs.last().map(|n| n.id), Some(late), "the own draft is there");
        assert_eq!(board("", "", "").await.needs.first().map(|n| n.id), Some(early), "newest first");
        let service = board("5", "", "").await;
        assert!(service.needs.iter().all(|n| n.occupation.code.starts_with('5')));
        assert_eq!(service.needs.len(), 2);
        assert_eq!(board("9111", "", "").await.needs.len(), 1);
        let drafts = board("", "draft", "").await;
        assert_eq!(drafts.needs.iter().map(|n| n.id).collect::<Vec<_>>(), vec![late]);
        assert!(drafts.by_status.contains(&(NeedStatus::Open, 3)), "counts ignore the status filter");
        let res = app.post_as(&employer, "/api/needs/board", &[
            ("ring_id", &ring), ("occupation", "5x"), ("form", "x"), ("status", ""), ("firm", ""), ("sort", "oldest"),
        ]).await;
        assert_eq!(field_errors(res).await, vec!["form:field-choice-invalid", "occupation:field-ssyk-format", "sort:field-choice-invalid"]);

        // Staff see every draft, across rings.
        let coordinator = app.client_as(Role::Coordinator).await;
        let every: NeedBoard = app.post_as(&coordinator, "/api/needs/board", &[
            ("ring_id", "0"), ("occupation", ""), ("form", ""), ("status", "draft"), ("firm", ""), ("sort", ""),
        ]).await.json().await.expect("json");
        let ids: Vec<i32> = every.needs.iter().map(|n| n.id).collect();
        assert!(ids.contains(&late) && ids.contains(&fixture.other_draft));
        // A coordinator posts for a member firm, not for one outside the ring.
        let res = post_form(&coordinator, &app, "/api/needs/post",
            &form(fixture.ring_a, &[("firm_id", &fixture.firm_b.to_string())])).await;
        assert_eq!(field_errors(res).await, vec!["firm_id:field-firm-not-member"]);
        let res = post_form(&coordinator, &app, "/api/needs/post",
            &form(fixture.ring_a, &[("firm_id", &fixture.firm_c.to_string())])).await;
        assert_eq!(res.status(), 200);
    }
}

db_test! {
    async fn the_board_page_reads_the_database_a_fixed_few_times_however_many_needs(app: TestApp) {
        let fixture = app.rings().await;
        let (employer, _) = app.employer_at(fixture.firm_a).await;
        let page = format!("{}/ringar/{}/behov", app.address, fixture.ring_a);
        let statements_for_page = async || {
            let before = app.statements.load(std::sync::atomic::Ordering::SeqCst);
            let res = employer.get(&page).send().await.expect("the board");
            assert_eq!(res.status(), 200);
            let html = res.text().await.expect("html");
            let after = app.statements.load(std::sync::atomic::Ordering::SeqCst);
            (after - before, html.matches("class=\"card need-card\"").count())
        };
        // The first page of the process may read the taxonomy; it is kept after that.
        statements_for_page().await;
        let (few, shown) = statements_for_page().await;
        assert_eq!(shown, 2);
        for n in 0..30 {
            let res = post_form(&employer, &app, "/api/needs/post",
                &form(fixture.ring_a, &[("title", &format!("Behov {n}"))])).await;
            assert_eq!(res.status(), 200);
        }
        // The new needs move the menu's news and the board: the first page counts the
        // news and reads the board anew, together.
        let (anew, shown) = statements_for_page().await;
        assert_eq!(shown, 32);
        assert!(anew <= STATEMENTS_BUDGET + BOARD_ANEW + NEWS_ANEW, "counting the news and reading the board anew, the page ran {anew} statements");
        assert!(anew >= few + BOARD_ANEW, "the board was read anew ({anew} statements, {few} kept)");
        let (many, shown) = statements_for_page().await;
        assert_eq!(shown, 32);
        assert_eq!(many, few, "a kept board costs the same however many needs it shows");
        // The taxonomy is read once per process, the menu's count and the board kept
        // while nothing they depend on moves.
        assert!(many <= STATEMENTS_BUDGET, "the board page ran {many} statements");
        // A discussion moves the menu's news, not the board: the board stays kept.
        let ring = fixture.ring_a.to_string();
        let res = app.post_as(&employer, "/api/forum/create", &[
            ("ring_id", ring.as_str()), ("title", "Någon som anställt svetsare?"), ("body", "Berätta gärna."), ("need_id", ""),
        ]).await;
        assert_eq!(res.status(), 200);
        let (after_post, shown) = statements_for_page().await;
        assert_eq!(shown, 32);
        assert!(after_post > many, "the menu's news are counted anew");
        assert!(after_post <= many + NEWS_ANEW, "a thread made the board be read anew ({after_post} statements)");
    }
}

/// What the board page may cost in statements for an employer in one ring, the menu's
/// count and the board kept: the session with its account, what the count depends on,
/// the member's access, the board's stamp (22 before the taxonomy was kept per process
/// and the menu's news read less, 16 before the count was kept and the session, the
/// firm filter and the needs' firm names were read in one statement each, 6 before the
/// board was kept).
const STATEMENTS_BUDGET: usize = 4;
/// What reading the board anew adds: the member's access again, the ring, the needs,
/// the firms.
const BOARD_ANEW: usize = 4;
/// What counting the menu's news anew adds, for a firm in one ring: its rings, its
/// open needs, four reads of the ring's news, the threads read.
const NEWS_ANEW: usize = 7;

db_test! {
    async fn a_kept_board_follows_every_change_and_shows_each_firm_its_own_view(app: TestApp) {
        let fixture = app.rings().await;
        let (a, _) = app.employer_at(fixture.firm_a).await;
        let (c, _) = app.employer_at(fixture.firm_c).await;
        let board = async |client: &reqwest::Client, query: &str| -> String {
            let res = client
                .get(format!("{}/ringar/{}/behov{query}", app.address, fixture.ring_a))
                .send()
                .await
                .expect("the board");
            assert_eq!(res.status(), 200);
            res.text().await.expect("html")
        };
        let shows = |html: &str, need: i32| html.contains(&format!("href=\"/behov/{need}\""));
        // Each view twice, the second kept: another firm's draft never shows.
        for _ in 0..2 {
            let (for_a, for_c) = (board(&a, "").await, board(&c, "").await);
            assert!(shows(&for_a, fixture.need) && !shows(&for_a, fixture.other_draft), "A sees no draft of C's");
            assert!(shows(&for_c, fixture.other_draft), "C sees its own draft");
        }
        assert!(!shows(&board(&a, "").await, fixture.other_draft));
        // A change to each table the board shows shows on the next page.
        let changes: [(&str, &str, i32, &str); 3] = [
            ("UPDATE needs SET title = ? WHERE id = ?", "Svetsare till verkstaden", fixture.need, "Svetsare till verkstaden"),
            ("UPDATE firms SET name = ? WHERE id = ?", "Firma C och söner", fixture.firm_c, "Firma C och söner"),
            ("UPDATE rings SET name = ? WHERE id = ?", "Ring Alfa", fixture.ring_a, "Rekryteringsbehov – Ring Alfa"),
        ];
        for (sql, value, id, expected) in changes {
            assert!(!board(&a, "").await.contains(expected));
            app.exec(sql, vec![value.into(), id.into()]).await;
            assert!(board(&a, "").await.contains(expected), "after {sql}");
        }
        // A firm joining the ring appears among the firm filter's choices.
        let choice = ">Firma B<";
        assert!(!board(&a, "").await.contains(choice));
        app.exec(
            "INSERT INTO ring_memberships (ring_id, firm_id, joined_at) VALUES (?, ?, ?)",
            vec![fixture.ring_a.into(), fixture.firm_b.into(), chrono::Utc::now().into()],
        )
        .await;
        assert!(board(&a, "").await.contains(choice), "after a firm joined");
        // Filters and languages are boards of their own.
        assert!(board(&a, "?status=draft").await.contains("Inga behov matchar."));
        assert!(shows(&board(&a, "?status=open").await, fixture.need));
        let res = app.post_as(&a, "/lang", &[("lang", "en"), ("next", "/")]).await;
        assert!(res.status().is_success() || res.status().is_redirection());
        let english = board(&a, "").await;
        assert!(english.contains("Recruitment needs – Ring Alfa"), "the English board");
        assert!(board(&c, "").await.contains("Rekryteringsbehov – Ring Alfa"), "C still reads Swedish");
    }
}
