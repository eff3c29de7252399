//! The `broar` command line, run as a real process.

use std::process::Command;

use app::auth::model::Role;

fn broar(db_url: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_broar"));
    cmd.env("DATABASE_URL", db_url)
        .env("RUST_LOG", "warn")
        .env_remove("BROAR_ADMIN_PASSWORD");
    cmd
}

#[tokio::test]
async fn create_admin_takes_the_password_from_the_environment_and_refuses_weak_ones() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}/cli.sqlite?mode=rwc", dir.path().display());

    let weak = broar(&url)
        .args(["create-admin", "--email", "chef@ekdala.test"])
        .env("BROAR_ADMIN_PASSWORD", "password1")
        .output()
        .expect("runs");
    assert!(!weak.status.success());
    assert!(
        String::from_utf8_lossy(&weak.stderr).contains("too common"),
        "{:?}",
        weak
    );

    let ok = broar(&url)
        .args([
            "create-admin",
            "--email",
            "Chef@Ekdala.test",
            "--name",
            "Kim Chef",
        ])
        .env("BROAR_ADMIN_PASSWORD", "en lång och egen mening")
        .output()
        .expect("runs");
    assert!(ok.status.success(), "{ok:?}");
    assert!(String::from_utf8_lossy(&ok.stdout).contains("Created administrator chef@ekdala.test"));

    let again = broar(&url)
        .args(["create-admin", "--email", "chef@ekdala.test"])
        .env("BROAR_ADMIN_PASSWORD", "en lång och egen mening")
        .output()
        .expect("runs");
    assert!(
        !again.status.success(),
        "an existing account is not overwritten"
    );

    let db = server::db::connect(&url).await.expect("connect");
    let accounts = app::auth::accounts::list_accounts(&db).await.expect("list");
    assert_eq!(accounts.len(), 1);
    assert_eq!(
        (accounts[0].name.as_str(), Role::parse(&accounts[0].role)),
        ("Kim Chef", Some(Role::Admin))
    );
}

#[test]
fn help_lists_every_command_and_setting() {
    let out = broar("sqlite::memory:")
        .arg("--help")
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    for word in [
        "serve",
        "migrate",
        "seed-demo",
        "create-admin",
        "DATABASE_URL",
        "SMTP_URL",
        "BROAR_BASE_URL",
        "BROAR_SECRET",
    ] {
        assert!(text.contains(word), "--help mentions {word}:\n{text}");
    }
}

#[test]
fn an_unreachable_database_is_reported_in_plain_words() {
    let out = broar("postgres://nobody@127.0.0.1:1/none")
        .arg("migrate")
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("could not open the database"), "{err}");
    assert!(!err.contains("panicked"));
}

/// Runs `broar serve` until it answers `/healthz`, then stops it with SIGTERM; returns
/// the port it listened on.
async fn serve_once(url: &str, envs: &[(&str, &str)]) -> u16 {
    let port = crate::smtp::free_port();
    let mut child = broar(url)
        .arg("serve")
        .env_remove("BROAR_BASE_URL")
        .env("BROAR_BIND", format!("127.0.0.1:{port}"))
        .envs(envs.iter().copied())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("serve starts");
    let client = crate::helpers::new_client();
    let started = std::time::Instant::now();
    loop {
        let up = client
            .get(format!("http://127.0.0.1:{port}/healthz"))
            .send()
            .await;
        if up.is_ok_and(|r| r.status().is_success()) {
            break;
        }
        assert!(
            started.elapsed().as_secs() < 60,
            "the server answered /healthz"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    assert!(child.wait().expect("ends").success());
    port
}

#[tokio::test]
async fn the_command_line_takes_the_servers_address_from_the_database() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}/shared.sqlite?mode=rwc", dir.path().display());
    let links = |extra: &[&str]| {
        let out = broar(&url)
            .args(["send-digests", "--dry-run"])
            .args(extra)
            .env_remove("BROAR_BASE_URL")
            .output()
            .expect("runs");
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .find(|l| l.starts_with("Links in e-mails point at"))
            .unwrap_or_default()
            .to_owned()
    };
    // Nothing stored yet: the default from the bind address.
    assert_eq!(
        links(&[]),
        "Links in e-mails point at http://127.0.0.1:3000."
    );
    // A server given no address: the command line follows its bind address.
    let port = serve_once(&url, &[]).await;
    assert_eq!(
        links(&[]),
        format!("Links in e-mails point at http://127.0.0.1:{port}.")
    );
    // The service is started once with its public address and digest hour …
    serve_once(
        &url,
        &[
            ("BROAR_BASE_URL", "https://broar.ekdala.test/"),
            ("BROAR_DIGEST_HOUR", "9"),
        ],
    )
    .await;
    // … and the command line, started without them, uses the server's.
    assert_eq!(
        links(&[]),
        "Links in e-mails point at https://broar.ekdala.test."
    );
    // A value given to one run is that run's only.
    assert_eq!(
        links(&["--base-url", "http://elsewhere.test"]),
        "Links in e-mails point at http://elsewhere.test."
    );
    assert_eq!(
        links(&[]),
        "Links in e-mails point at https://broar.ekdala.test."
    );
    let conn = server::db::connect(&url).await.expect("connect");
    let stored = server::db::shared_settings(&conn).await.expect("settings");
    assert_eq!(stored.get("digest_hour").map(String::as_str), Some("9"));
}
