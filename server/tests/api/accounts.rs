//! Accounts and sessions: login, rotation, logout, disabled accounts, timeouts,
//! cookie flags, throttling, enumeration, password reset, admin changes, audit log.

use app::auth::model::Role;
use chrono::{Duration, Utc};
use sea_orm::{ConnectionTrait, Statement};

use crate::{
    db_test,
    helpers::{Backend, SpawnOptions, TestApp, new_client, try_spawn_app_with},
};

/// The token of the link in the newest e-mail of `kind` in the outbox.
async fn token_from_outbox(app: &TestApp, kind: &str) -> String {
    let backend = app.db.get_database_backend();
    let body: String = app
        .db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            app::ssr::sql(
                backend,
                "SELECT body_text FROM outbox WHERE kind = ? ORDER BY id DESC LIMIT 1",
            ),
            [kind.into()],
        ))
        .await
        .expect("query")
        .expect("an e-mail of that kind")
        .try_get("", "body_text")
        .expect("body");
    body.split("token=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("a link with a token")
        .to_owned()
}

db_test! {
    async fn login_sets_an_http_only_lax_cookie_and_the_server_knows_the_user(app: TestApp) {
        let (email, password) = app.account(Role::Coordinator).await;
        let res = app.login(&email, &password).await;
        assert_eq!(res.status(), 200);
        let cookie = TestApp::session_cookie(&res).expect("a session cookie");
        assert!(cookie.starts_with("broar_session="), "{cookie}");
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"));
        assert!(!cookie.contains("Secure"), "plain http has no Secure cookie");
        let me = app.me(&app.client).await.expect("logged in");
        assert_eq!((me.email.as_str(), me.role), (email.as_str(), Role::Coordinator));
    }
}

db_test! {
    async fn each_login_gets_a_new_session_id_and_ends_the_previous_one(app: TestApp) {
        let (email, password) = app.account(Role::Employer).await;
        let first = TestApp::session_cookie(&app.login(&email, &password).await).expect("cookie");
        let second = TestApp::session_cookie(&app.login(&email, &password).await).expect("cookie");
        assert_ne!(first, second);
        let old = new_client();
        let token = first.split(';').next().expect("pair").to_owned();
        let res = old
            .post(format!("{}/api/auth/me", app.address))
            .header("cookie", token)
            .send()
            .await
            .expect("sent");
        let me: Option<app::auth::SessionUser> = res.json().await.expect("json");
        assert_eq!(me, None, "the earlier session no longer works");
        assert_eq!(app.count("sessions").await, 1);
    }
}

db_test! {
    async fn logout_ends_the_session_on_the_server_not_only_in_the_browser(app: TestApp) {
        let (email, password) = app.account(Role::Employer).await;
        let cookie = TestApp::session_cookie(&app.login(&email, &password).await).expect("cookie");
        let pair = cookie.split(';').next().expect("pair").to_owned();
        let res = app.post_form("/api/auth/logout", &[]).await;
        assert_eq!(res.status(), 200);
        assert!(res.headers()["set-cookie"].to_str().expect("ascii").contains("Max-Age=0"));
        let replay = new_client()
            .post(format!("{}/api/auth/me", app.address))
            .header("cookie", pair)
            .send()
            .await
            .expect("sent");
        let me: Option<app::auth::SessionUser> = replay.json().await.expect("json");
        assert_eq!(me, None);
        assert_eq!(app.count("sessions").await, 0);
    }
}

db_test! {
    async fn disabling_an_account_ends_its_sessions_and_refuses_its_logins(app: TestApp) {
        let (email, password) = app.account(Role::Employer).await;
        let employer = new_client();
        let login = employer
            .post(format!("{}/api/auth/login", app.address))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(crate::helpers::encode(&[("email", &email), ("password", &password)]))
            .send()
            .await
            .expect("sent");
        assert_eq!(login.status(), 200);
        let me = app.me(&employer).await.expect("logged in");

        let admin = app.client_as(Role::Admin).await;
        let res = admin
            .post(format!("{}/api/admin/accounts/disabled", app.address))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("user_id={}&disabled=true", me.id))
            .send()
            .await
            .expect("sent");
        assert_eq!(res.status(), 200);
        assert_eq!(app.me(&employer).await, None, "the open session ended");
        assert_eq!(app.login(&email, &password).await.status(), 409, "and no new login");

        let log = app::audit::service::search(&app.db, "account.disabled", 10).await.expect("search");
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].object_id.as_deref(), Some(me.id.to_string().as_str()));
    }
}

db_test! {
    async fn sessions_end_after_the_idle_and_the_absolute_timeout(app: TestApp) {
        let (email, password) = app.account(Role::Coordinator).await;
        assert_eq!(app.login(&email, &password).await.status(), 200);
        app.exec("UPDATE sessions SET last_seen_at = ?", vec![(Utc::now() - Duration::minutes(119)).into()]).await;
        assert!(app.me(&app.client).await.is_some(), "still within the idle timeout");
        app.exec("UPDATE sessions SET last_seen_at = ?", vec![(Utc::now() - Duration::minutes(121)).into()]).await;
        assert!(app.me(&app.client).await.is_none(), "idle too long");

        assert_eq!(app.login(&email, &password).await.status(), 200);
        app.exec("UPDATE sessions SET created_at = ?", vec![(Utc::now() - Duration::hours(13)).into()]).await;
        assert!(app.me(&app.client).await.is_none(), "older than the absolute timeout, however active");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_an_https_address_the_cookie_is_secure_and_host_prefixed_and_hsts_is_sent() {
    let app = try_spawn_app_with(
        Backend::Sqlite,
        SpawnOptions {
            https: true,
            ..SpawnOptions::default()
        },
    )
    .await
    .expect("sqlite");
    let (email, password) = app.account(Role::Employer).await;
    let res = app.login(&email, &password).await;
    let cookie = TestApp::session_cookie(&res).expect("cookie");
    assert!(cookie.starts_with("__Host-broar_session="), "{cookie}");
    assert!(cookie.contains("; Secure") && cookie.contains("Path=/") && !cookie.contains("Domain"));
    assert!(
        res.headers()["strict-transport-security"]
            .to_str()
            .expect("ascii")
            .contains("max-age=")
    );
}

db_test! {
    async fn unknown_addresses_and_wrong_passwords_get_the_same_answer(app: TestApp) {
        let (email, _) = app.account(Role::Employer).await;
        let wrong = app.login(&email, "fel lösenord helt enkelt").await;
        let (wrong_status, wrong_body) = (wrong.status(), wrong.text().await.expect("body"));
        let unknown = app.login("ingen@ekdala.test", "fel lösenord helt enkelt").await;
        let (unknown_status, unknown_body) = (unknown.status(), unknown.text().await.expect("body"));
        assert_eq!(wrong_status, 409);
        assert_eq!((wrong_status, wrong_body), (unknown_status, unknown_body));
    }
}

db_test! {
    async fn logins_are_throttled_per_account_even_with_the_right_password(app: TestApp) {
        let (email, password) = app.account(Role::Coordinator).await;
        for _ in 0..5 {
            assert_eq!(app.login(&email, "fel lösenord helt enkelt").await.status(), 409);
        }
        assert_eq!(app.login(&email, &password).await.status(), 429);
        let (other, other_password) = app.account(Role::Coordinator).await;
        assert_eq!(app.login(&other, &other_password).await.status(), 200, "other accounts are unaffected");
        app.exec("UPDATE login_attempts SET at = ?", vec![(Utc::now() - Duration::minutes(16)).into()]).await;
        assert_eq!(app.login(&email, &password).await.status(), 200, "the window passes");
    }
}

db_test! {
    async fn failures_and_resets_from_one_address_do_not_lock_out_another_person(app: TestApp) {
        // 20 failed logins and 10 reset requests from this address (127.0.0.1), the
        // way a NAT or a proxy's many people share one: another person's right
        // password still logs in. (Before: the 30 counted against the address → 429.)
        for i in 0..20 {
            let email = format!("gissning{i}@ekdala.test");
            let status = new_client()
                .post(format!("{}/api/auth/login", app.address))
                .form(&[("email", email.as_str()), ("password", "fel lösenord helt enkelt")])
                .send().await.expect("login").status();
            assert_eq!(status, 409, "a guess");
        }
        for i in 0..10 {
            let res = new_client()
                .post(format!("{}/api/auth/forgot", app.address))
                .form(&[("email", format!("vem{i}@ekdala.test"))])
                .send().await.expect("forgot");
            assert_eq!(res.status(), 200);
        }
        let (email, password) = app.account(Role::Employer).await;
        assert_eq!(app.login(&email, &password).await.status(), 200, "another person logs in");
    }
}

db_test! {
    async fn an_account_under_attack_still_opens_in_a_browser_it_was_used_in(app: TestApp) {
        let (email, password) = app.account(Role::Coordinator).await;
        let own = new_client();
        let login = |client: &reqwest::Client, password: &str| {
            client.post(format!("{}/api/auth/login", app.address))
                .form(&[("email", email.as_str()), ("password", password)])
                .send()
        };
        assert_eq!(login(&own, &password).await.expect("login").status(), 200);
        // Ten failures from elsewhere (as a proxy's other clients would count).
        for _ in 0..10 {
            app.exec("INSERT INTO login_attempts (subject, at) VALUES (?, ?)",
                vec![format!("account:{email}").into(), Utc::now().into()]).await;
        }
        assert_eq!(login(&new_client(), &password).await.expect("login").status(), 429, "a new browser waits");
        assert_eq!(login(&own, &password).await.expect("login").status(), 200, "the known browser gets in");
        // A stolen device cookie is no licence to guess: five failures under it and it
        // counts as unknown again.
        for _ in 0..5 {
            assert_eq!(login(&own, "fel lösenord helt enkelt").await.expect("login").status(), 409);
        }
        assert_eq!(login(&own, &password).await.expect("login").status(), 429);
    }
}

/// Logs in from `client` as if through a proxy that reports `forwarded_for`.
async fn login_via(app: &TestApp, forwarded_for: &str, email: &str, password: &str) -> u16 {
    new_client()
        .post(format!("{}/api/auth/login", app.address))
        .header("x-forwarded-for", forwarded_for)
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .expect("login")
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_trusted_proxy_each_client_address_counts_apart() {
    let app = try_spawn_app_with(
        Backend::Sqlite,
        SpawnOptions {
            trusted_proxies: "127.0.0.1",
            ..SpawnOptions::default()
        },
    )
    .await
    .expect("SQLite is always available");
    let (email, password) = app.account(Role::Employer).await;
    // The ceiling per address: 100 failures from 203.0.113.5 (99 counted already).
    for _ in 0..99 {
        app.exec(
            "INSERT INTO login_attempts (subject, at) VALUES ('ip:203.0.113.5', ?)",
            vec![Utc::now().into()],
        )
        .await;
    }
    assert_eq!(
        login_via(
            &app,
            "203.0.113.5",
            "ingen@ekdala.test",
            "fel lösenord helt enkelt"
        )
        .await,
        409
    );
    assert_eq!(
        login_via(&app, "203.0.113.5", &email, &password).await,
        429,
        "the address is at its ceiling"
    );
    assert_eq!(
        login_via(&app, "203.0.113.6", &email, &password).await,
        200,
        "another client of the proxy"
    );
    // A forged hop to the left of what the proxy appended changes nothing.
    assert_eq!(
        login_via(&app, "203.0.113.6, 203.0.113.5", &email, &password).await,
        429
    );
    let audited: i64 = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM audit_log WHERE ip = '203.0.113.6'",
        ))
        .await
        .expect("row")
        .expect("a row")
        .try_get("", "n")
        .expect("n");
    assert!(
        audited >= 1,
        "the audit log names the client, not the proxy"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_trusted_proxies_a_forwarded_header_is_ignored() {
    let app = crate::helpers::try_spawn_app(Backend::Sqlite)
        .await
        .expect("SQLite");
    let (email, password) = app.account(Role::Employer).await;
    for _ in 0..100 {
        app.exec(
            "INSERT INTO login_attempts (subject, at) VALUES ('ip:127.0.0.1', ?)",
            vec![Utc::now().into()],
        )
        .await;
    }
    assert_eq!(
        login_via(&app, "203.0.113.77", &email, &password).await,
        429,
        "the peer counts, not the header"
    );
}

db_test! {
    async fn a_password_reset_link_works_once_and_ends_every_session(app: TestApp) {
        let (email, password) = app.account(Role::Employer).await;
        assert_eq!(app.login(&email, &password).await.status(), 200);
        let res = new_client()
            .post(format!("{}/api/auth/forgot", app.address))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(crate::helpers::encode(&[("email", &email)]))
            .send()
            .await
            .expect("sent");
        assert_eq!(res.status(), 200);
        let unknown = new_client()
            .post(format!("{}/api/auth/forgot", app.address))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("email=ingen%40ekdala.test")
            .send()
            .await
            .expect("sent");
        assert_eq!(unknown.status(), 200, "the same answer for an unknown address");
        assert_eq!(app.count("outbox").await, 1, "one e-mail, to the account only");

        let backend = app.db.get_database_backend();
        let to: String = app
            .db
            .query_one_raw(Statement::from_string(backend, "SELECT to_address FROM outbox"))
            .await
            .expect("query")
            .expect("row")
            .try_get("", "to_address")
            .expect("to");
        assert_eq!(to, email);
        let token = token_from_outbox(&app, "password_reset").await;

        let new_password = "en helt ny mening 2026";
        let reset = |token: String| {
            let app = &app;
            async move {
                new_client()
                    .post(format!("{}/api/auth/reset", app.address))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(crate::helpers::encode(&[
                        ("token", &token),
                        ("password", new_password),
                        ("password_confirm", new_password),
                    ]))
                    .send()
                    .await
                    .expect("sent")
            }
        };
        assert_eq!(reset(token.clone()).await.status(), 200);
        assert_eq!(app.me(&app.client).await, None, "the old session ended");
        assert_eq!(reset(token).await.status(), 409, "single use");
        assert_eq!(reset("0".repeat(64)).await.status(), 409, "a forged token");
        assert_eq!(app.login(&email, &password).await.status(), 409, "the old password is gone");
        assert_eq!(app.login(&email, new_password).await.status(), 200);
    }
}

db_test! {
    async fn an_expired_reset_link_is_refused_and_weak_passwords_are_named(app: TestApp) {
        let (email, _) = app.account(Role::Employer).await;
        app::auth::service::request_reset(
            &app::ssr::Ctx {
                db: app.db.clone(),
                config: std::sync::Arc::new(app::ssr::AppConfig {
                    base_url: app.address.clone(),
                    https: false,
                    secret: app::ssr::Secret::new(vec![7; 32]),
                    k_anonymity: 3,
                }),
                matching: Default::default(),
                news: Default::default(),
                user: None,
                session_token: None,
                ip: None,
            },
            &app::auth::model::Email::parse(&email).expect("valid"),
            app::i18n::Locale::Sv,
        )
        .await
        .expect("reset requested");
        app.exec("UPDATE password_resets SET expires_at = ?", vec![(Utc::now() - Duration::minutes(1)).into()]).await;
        let token = token_from_outbox(&app, "password_reset").await;
        let token = token.as_str();
        let res = app
            .post_form("/api/auth/reset", &[("token", token), ("password", "lösenord123"), ("password_confirm", "lösenord123")])
            .await;
        assert_eq!(res.status(), 422);
        let err: app::error::AppError = res.json().await.expect("json");
        assert_eq!(err.field_errors().and_then(|f| f.get("password")), Some("field-password-common"));
        let res = app
            .post_form("/api/auth/reset", &[("token", token), ("password", "en lång mening"), ("password_confirm", "en lång mening")])
            .await;
        assert_eq!(res.status(), 409, "expired");
    }
}

db_test! {
    async fn an_admin_creates_a_coordinator_who_chooses_a_password_and_logs_in(app: TestApp) {
        let admin = app.client_as(Role::Admin).await;
        let res = admin
            .post(format!("{}/api/admin/accounts/create", app.address))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("name=Nora+Sandberg&email=nora%40ekdala.test&role=coordinator")
            .send()
            .await
            .expect("sent");
        assert_eq!(res.status(), 200);
        let again = admin
            .post(format!("{}/api/admin/accounts/create", app.address))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("name=Nora&email=NORA%40ekdala.test&role=coordinator")
            .send()
            .await
            .expect("sent");
        assert_eq!(again.status(), 422, "the same address twice");
        let token = token_from_outbox(&app, "account_created").await;
        let token = token.as_str();
        let res = app
            .post_form("/api/auth/reset", &[("token", token), ("password", "Noras egen mening 7"), ("password_confirm", "Noras egen mening 7")])
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(app.login("nora@ekdala.test", "Noras egen mening 7").await.status(), 200);
        let me = app.me(&app.client).await.expect("logged in");
        assert_eq!(me.role, Role::Coordinator);
        let log = app::audit::service::search(&app.db, "account.created", 10).await.expect("search");
        assert_eq!(log.len(), 1);
    }
}

db_test! {
    async fn an_employer_account_is_created_with_its_firm_and_never_without_one(app: TestApp) {
        let admin = app.client_as(Role::Admin).await;
        let firm = app.firm("Kontofirman AB").await;
        let form = |firm: &str| {
            vec![("name", "Elin Berg".to_owned()), ("email", "elin@kontofirman.test".to_owned()), ("role", "employer".to_owned()), ("firm_id", firm.to_owned())]
        };
        for (firm_id, message) in [("", "firm_id:account-firm-required"), ("999999", "firm_id:field-choice-invalid"), ("x", "firm_id:field-choice-invalid")] {
            let pairs = form(firm_id);
            let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let res = app.post_as(&admin, "/api/admin/accounts/create", &pairs).await;
            assert_eq!(res.status(), 422, "firm {firm_id:?}");
            assert_eq!(crate::helpers::field_errors(res).await, vec![message.to_owned()]);
        }
        assert_eq!(app.count("users WHERE email = 'elin@kontofirman.test'").await, 0);
        // A role that is no choice names the role, in the words of a drop-down.
        let res = app.post_as(&admin, "/api/admin/accounts/create", &[("name", "X"), ("email", "x@kontofirman.test"), ("role", "")]).await;
        assert_eq!(crate::helpers::field_errors(res).await, vec!["role:field-choice-required".to_owned()]);
        let pairs = form(&firm.to_string());
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(app.post_as(&admin, "/api/admin/accounts/create", &pairs).await.status(), 200);
        let token = token_from_outbox(&app, "account_created").await;
        let res = app
            .post_form("/api/auth/reset", &[("token", token.as_str()), ("password", "Elins egen mening 7"), ("password_confirm", "Elins egen mening 7")])
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(app.login("elin@kontofirman.test", "Elins egen mening 7").await.status(), 200);
        let me = app.me(&app.client).await.expect("logged in");
        assert_eq!((me.role, me.firm_id), (Role::Employer, Some(firm)));
        // A coordinator belongs to no firm, whatever the form sent.
        let res = app
            .post_as(&admin, "/api/admin/accounts/create", &[("name", "Kim"), ("email", "kim@ekdala.test"), ("role", "coordinator"), ("firm_id", &firm.to_string())])
            .await;
        assert_eq!(res.status(), 200);
        let backend = app.db.get_database_backend();
        let row = app
            .db
            .query_one_raw(Statement::from_string(backend, "SELECT firm_id FROM users WHERE email = 'kim@ekdala.test'"))
            .await
            .expect("query")
            .expect("row");
        assert_eq!(row.try_get::<Option<i32>>("", "firm_id").expect("firm_id"), None);
    }
}

db_test! {
    async fn the_audit_log_refuses_updates_and_deletes_in_the_database(app: TestApp) {
        let (email, _) = app.account(Role::Employer).await;
        let _ = app.login(&email, "fel lösenord helt enkelt").await;
        let backend = app.db.get_database_backend();
        let update = app.db.execute_raw(Statement::from_string(backend, "UPDATE audit_log SET outcome = 'ok'")).await;
        assert!(update.is_err(), "update refused");
        let delete = app.db.execute_raw(Statement::from_string(backend, "DELETE FROM audit_log")).await;
        assert!(delete.is_err(), "delete refused");
        let log = app::audit::service::search(&app.db, "login.failure", 10).await.expect("search");
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].outcome, "refused");
    }
}

db_test! {
    async fn an_admin_cannot_lock_themself_out(app: TestApp) {
        let (email, password) = app.account(Role::Admin).await;
        assert_eq!(app.login(&email, &password).await.status(), 200);
        let me = app.me(&app.client).await.expect("me");
        let res = app.post_form("/api/admin/accounts/disabled", &[("user_id", &me.id.to_string()), ("disabled", "true")]).await;
        assert_eq!(res.status(), 409);
        let res = app.post_form("/api/admin/accounts/role", &[("user_id", &me.id.to_string()), ("role", "employer")]).await;
        assert_eq!(res.status(), 409);
    }
}

db_test! {
    async fn a_hash_made_with_weaker_parameters_is_upgraded_at_login(app: TestApp) {
        use argon2::{Algorithm, Argon2, Params, PasswordHasher, Version, password_hash::SaltString};
        let (email, password) = app.account(Role::Employer).await;
        let weak = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(8 * 1024, 1, 1, None).expect("params"))
            .hash_password(password.as_bytes(), &SaltString::generate(&mut argon2::password_hash::rand_core::OsRng))
            .expect("hash")
            .to_string();
        app.exec("UPDATE users SET password_hash = ? WHERE email = ?", vec![weak.clone().into(), email.clone().into()]).await;
        assert_eq!(app.login(&email, &password).await.status(), 200);
        let backend = app.db.get_database_backend();
        let stored: String = app
            .db
            .query_one_raw(Statement::from_sql_and_values(
                backend,
                app::ssr::sql(backend, "SELECT password_hash FROM users WHERE email = ?"),
                [email.into()],
            ))
            .await
            .expect("query")
            .expect("row")
            .try_get("", "password_hash")
            .expect("hash");
        assert_ne!(stored, weak);
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{stored}");
    }
}

db_test! {
    async fn a_logged_in_persons_language_choice_becomes_the_language_of_their_mail(app: TestApp) {
        let (email, password) = app.account(Role::Coordinator).await;
        assert_eq!(app.login(&email, &password).await.status(), 200);
        let res = app.post_form("/lang", &[("lang", "en"), ("next", "/")]).await;
        assert_eq!(res.status(), 303);
        let _ = app.post_form("/api/auth/logout", &[]).await;
        let res = app.post_form("/api/auth/forgot", &[("email", &email)]).await;
        assert_eq!(res.status(), 200);
        let backend = app.db.get_database_backend();
        let subject: String = app
            .db
            .query_one_raw(Statement::from_string(backend, "SELECT subject FROM outbox"))
            .await
            .expect("query")
            .expect("row")
            .try_get("", "subject")
            .expect("subject");
        assert_eq!(subject, "Choose a new password for Broar");
    }
}

db_test! {
    async fn sixteen_requests_at_once_for_one_new_address_create_one_account_and_name_the_field(app: TestApp) {
        let admin = app.client_as(Role::Admin).await;
        let email = format!("samtidig-{}@ekdala.test", crate::helpers::random_hex(4));
        let form = [("name", "Samtidig Person"), ("email", email.as_str()), ("role", "coordinator")];
        let answers = futures::future::join_all(
            (0..16).map(|_| app.post_as(&admin, "/api/admin/accounts/create", &form)),
        )
        .await;
        let mut created = 0;
        for res in answers {
            match res.status().as_u16() {
                200 => created += 1,
                422 => assert_eq!(crate::helpers::field_errors(res).await, vec!["email:field-email-taken".to_owned()]),
                other => panic!("answered {other}: {}", res.text().await.unwrap_or_default()),
            }
        }
        assert_eq!(created, 1, "one account");
        assert_eq!(app.count(&format!("users WHERE email = '{email}'")).await, 1);
    }
}

db_test! {
    async fn a_very_long_typed_address_is_an_ordinary_failed_login(app: TestApp) {
        // The typed address keys the throttle's counts; a long one must not make an
        // index entry PostgreSQL refuses (a 500).
        // Random, so that the database cannot compress it below its index limit.
        let long = format!("{}@ekdala.test", crate::helpers::random_hex(4000));
        for _ in 0..2 {
            assert_eq!(app.login(&long, "fel lösenord helt enkelt").await.status(), 409);
        }
    }
}
