//! The walking skeleton: health, language, errors, the no-JavaScript form path,
//! secrets and demo data.

use crate::db_test;

db_test! {
    async fn the_health_check_answers_200_when_the_database_answers_and_503_when_not(app: TestApp) {
        let ok = app.get("/healthz").await;
        assert_eq!(ok.status(), 200);
        let body: serde_json::Value = ok.json().await.expect("json");
        assert_eq!((body["status"].as_str(), body["outbox"]["moving"].as_bool()), (Some("ok"), Some(true)), "{body}");
        // A message due ten minutes ago that no worker took: the outbox is not moving.
        let ago = chrono::Utc::now() - chrono::Duration::minutes(10);
        app.exec("INSERT INTO outbox (message_id, to_address, subject, body_text, body_html, kind, status, attempts, next_attempt_at, created_at) \
                  VALUES ('<stuck@ekdala.test>', 'a@ekdala.test', 'Hej', 'Hej', '<p>Hej</p>', 'test', 'pending', 0, ?, ?)",
            vec![ago.into(), ago.into()]).await;
        let stuck = app.get("/healthz").await;
        assert_eq!(stuck.status(), 200, "pages are still served");
        let body: serde_json::Value = stuck.json().await.expect("json");
        assert_eq!(body["status"].as_str(), Some("degraded"), "{body}");
        assert_eq!(body["outbox"]["moving"].as_bool(), Some(false), "{body}");
        assert!(body["outbox"]["oldest_due_seconds"].as_i64().is_some_and(|s| s >= 590), "{body}");
        app.db.clone().close().await.expect("close the pool");
        let down = app.get("/healthz").await;
        assert_eq!(down.status(), 503);
    }
}

db_test! {
    async fn pages_are_swedish_by_default_and_english_after_the_switch(app: TestApp) {
        let sv = app.get("/").await;
        assert_eq!(sv.status(), 200);
        let html = sv.text().await.expect("body");
        assert!(html.contains(r#"<html lang="sv""#), "html lang is sv");
        assert!(html.contains("Välkommen till Broar"));

        let switched = app.post_plain_form("/lang", "/", &[("lang", "en"), ("next", "/tillganglighet")]).await;
        assert_eq!(switched.status(), 303);
        assert_eq!(switched.headers()["location"], "/tillganglighet");

        let en = app.get("/tillganglighet").await.text().await.expect("body");
        assert!(en.contains(r#"<html lang="en""#), "html lang is en");
        assert!(en.contains("Accessibility statement"));
        assert!(!en.contains("Tillgänglighetsredogörelse</h1>"));
    }
}

db_test! {
    async fn the_language_switch_never_redirects_off_site_and_refuses_unknown_languages(app: TestApp) {
        let off_site = app.post_plain_form("/lang", "/", &[("lang", "en"), ("next", "//evil.example/x")]).await;
        assert_eq!(off_site.headers()["location"], "/");
        let unknown = app.post_plain_form("/lang", "/", &[("lang", "xx"), ("next", "/")]).await;
        assert_eq!(unknown.status(), 422);
    }
}

db_test! {
    async fn an_unknown_address_answers_404_with_a_page_in_swedish(app: TestApp) {
        let res = app.get("/finns-inte").await;
        assert_eq!(res.status(), 404);
        assert!(res.text().await.expect("body").contains("Sidan finns inte"));
    }
}

db_test! {
    async fn invalid_feedback_is_refused_with_422_naming_each_field_and_nothing_is_stored(app: TestApp) {
        let res = app
            .post_form("/api/accessibility/feedback", &[("email", "inte-en-adress"), ("page", ""), ("message", " ")])
            .await;
        assert_eq!(res.status(), 422);
        let err: app::error::AppError = res.json().await.expect("a JSON error");
        let fields = err.field_errors().expect("validation error");
        assert_eq!(fields.get("email"), Some("field-email-invalid"));
        assert_eq!(fields.get("message"), Some("field-required"));
        assert_eq!(app.count("accessibility_reports").await, 0);
    }
}

db_test! {
    async fn malformed_server_function_arguments_are_a_400_not_a_500(app: TestApp) {
        let res = app.post_form("/api/accessibility/feedback", &[("unexpected", "x")]).await;
        assert_eq!(res.status(), 400);
        let body = res.text().await.expect("body");
        assert!(!body.to_lowercase().contains("missing"), "no internal detail: {body}");
    }
}

db_test! {
    async fn without_javascript_a_failed_form_comes_back_with_the_error_and_what_was_typed(app: TestApp) {
        let typed = "Fokus syns inte på <knappen> & länken</textarea><script>alert(1)</script>";
        let res = app
            .post_plain_form(
                "/api/accessibility/feedback",
                "/tillganglighet",
                &[("email", "anna@"), ("page", "Start"), ("message", typed)],
            )
            .await;
        assert!(res.status().is_redirection(), "status {}", res.status());
        let location = res.headers()["location"].to_str().expect("ascii").to_owned();
        assert!(location.contains("/tillganglighet?"), "back to the form: {location}");
        assert!(!location.contains("Fokus"), "typed text is not put in the URL");

        let page = app.get(location.trim_start_matches(&app.address)).await.text().await.expect("body");
        assert!(page.contains("Ange en e-postadress i formatet namn@exempel.se."), "field error shown");
        assert!(page.contains(r##"href="#email""##), "summary links to the field: {page}");
        assert!(
            page.contains("Fokus syns inte på &lt;knappen&gt; &amp; länken&lt;/textarea&gt;&lt;script&gt;"),
            "typed text shown, escaped"
        );
        assert!(!page.contains("<script>alert(1)"), "no script injected");
        assert!(page.contains(r#"value="anna@""#), "typed e-mail shown");
        assert!(page.contains(r#"value="Start""#), "typed page shown");

        let again = app.get("/tillganglighet").await.text().await.expect("body");
        assert!(!again.contains("Fokus syns inte"), "the typed values are shown once");
        assert_eq!(app.count("accessibility_reports").await, 0);
    }
}

db_test! {
    async fn without_javascript_a_valid_report_is_stored_and_acknowledged_with_its_reference(app: TestApp) {
        let res = app
            .post_plain_form(
                "/api/accessibility/feedback",
                "/tillganglighet",
                &[("email", "ali@foretag.se"), ("page", ""), ("message", "Kontrasten är för låg")],
            )
            .await;
        assert!(res.status().is_redirection());
        let location = res.headers()["location"].to_str().expect("ascii").to_owned();
        assert!(location.ends_with("/tillganglighet?skickat=TR-00001#feedback"), "{location}");
        let page = app.get("/tillganglighet?skickat=TR-00001").await.text().await.expect("body");
        assert!(page.contains("ärendenummer TR-00001"));
        assert_eq!(app.count("accessibility_reports").await, 1);
    }
}

db_test! {
    async fn an_unexpected_failure_is_a_500_with_a_request_id_and_no_internal_detail(app: TestApp) {
        app.db.clone().close().await.expect("close the pool");
        let res = app.post_form("/api/municipalities", &[]).await;
        assert_eq!(res.status(), 500);
        let request_id = res.headers()["x-request-id"].to_str().expect("ascii").to_owned();
        let err: app::error::AppError = res.json().await.expect("a JSON error");
        assert_eq!(err, app::error::AppError::Unexpected { request_id });
    }
}

db_test! {
    async fn the_signing_secret_is_generated_once_and_kept(app: TestApp) {
        let first = server::db::secret(&app.db, None).await.expect("secret");
        let second = server::db::secret(&app.db, None).await.expect("secret");
        assert_eq!(first, second);
        assert_eq!(first.len(), 64, "32 random bytes in hex");
        let configured = "x".repeat(40);
        assert_eq!(server::db::secret(&app.db, Some(&configured)).await.expect("secret"), configured.as_bytes());
        assert!(server::db::secret(&app.db, Some("short")).await.is_err());
    }
}

db_test! {
    async fn demo_data_can_be_seeded_twice_and_appears_on_the_home_page(app: TestApp) {
        server::seed::run(&app.db).await.expect("seed");
        server::seed::run(&app.db).await.expect("seed again");
        assert_eq!(app.count("municipalities").await, 2);
        let html = app.get("/").await.text().await.expect("body");
        assert!(html.contains("Ekdala kommun") && html.contains("Storvik kommun"));
    }
}

db_test! {
    async fn migrating_an_up_to_date_database_changes_nothing(app: TestApp) {
        assert_eq!(server::db::migrate(&app.db).await.expect("migrate"), 0);
        let backend = sea_orm::ConnectionTrait::get_database_backend(&app.db);
        assert!(matches!(
            (app.backend, backend),
            (crate::helpers::Backend::Sqlite, sea_orm::DbBackend::Sqlite)
                | (crate::helpers::Backend::Postgres, sea_orm::DbBackend::Postgres)
        ));
    }
}
