//! Running Broar as an IT department does: the metrics listener scraped after a login,
//! a page and a digest round, and the JSON log with request ids — on a real `broar
//! serve` process.

use std::{
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use crate::{helpers::new_client, smtp::free_port};

/// The value of the sample `name{labels}` (labels in the exporter's order), if any.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| {
            l.strip_prefix(series)
                .and_then(|rest| rest.strip_prefix(' '))
        })
        .and_then(|v| v.trim().parse().ok())
}

#[tokio::test]
async fn metrics_count_a_login_a_page_and_a_digest_round_on_a_listener_of_their_own() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}/ops.sqlite?mode=rwc", dir.path().display());
    let log = dir.path().join("broar.log");
    let broar = || {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_broar"));
        cmd.env("DATABASE_URL", &url)
            .env("BROAR_MAIL_DIR", dir.path().join("mail"))
            .env_remove("SMTP_URL");
        cmd
    };
    let created = broar()
        .args(["create-admin", "--email", "drift@ekdala.test"])
        .env("BROAR_ADMIN_PASSWORD", "en lång mening om drift")
        .env("RUST_LOG", "warn")
        .output()
        .expect("create-admin");
    assert!(created.status.success(), "{created:?}");
    let (port, metrics_port) = (free_port(), free_port());
    let mut server = broar()
        .arg("serve")
        .env("BROAR_BIND", format!("127.0.0.1:{port}"))
        .env("BROAR_METRICS_BIND", format!("127.0.0.1:{metrics_port}"))
        .env("BROAR_DIGEST_INTERVAL_SECS", "1")
        .env("BROAR_LOG_FORMAT", "json")
        .env("RUST_LOG", "info,tower_http=debug")
        .stdout(std::fs::File::create(&log).expect("log file"))
        .stderr(Stdio::null())
        .spawn()
        .expect("serve");
    let base = format!("http://127.0.0.1:{port}");
    let client = new_client();
    let started = Instant::now();
    while !client
        .get(format!("{base}/healthz"))
        .send()
        .await
        .is_ok_and(|r| r.status().is_success())
    {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the server started"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let login = |password: &'static str| {
        client
            .post(format!("{base}/api/auth/login"))
            .header("accept", "application/json")
            .form(&[("email", "drift@ekdala.test"), ("password", password)])
            .send()
    };
    assert_eq!(
        login("fel lösenord helt enkelt")
            .await
            .expect("login")
            .status(),
        409
    );
    assert_eq!(
        login("en lång mening om drift")
            .await
            .expect("login")
            .status(),
        200
    );
    assert_eq!(
        client
            .get(format!("{base}/logga-in"))
            .send()
            .await
            .expect("page")
            .status(),
        200
    );
    assert_eq!(
        client
            .get(format!("{base}/metrics"))
            .send()
            .await
            .expect("portal")
            .status(),
        404,
        "the portal itself does not publish the metrics"
    );

    let scrape = || async {
        new_client()
            .get(format!("http://127.0.0.1:{metrics_port}/metrics"))
            .send()
            .await
            .expect("scrape")
            .text()
            .await
            .expect("text")
    };
    let mut text = scrape().await;
    while sample(&text, "broar_digest_rounds_total{outcome=\"ok\"}").is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "a digest round ran:\n{text}"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
        text = scrape().await;
    }
    let _ = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status();
    assert!(server.wait().expect("ends").success());

    let requests = |method: &str, route: &str, status: u16| {
        sample(
            &text,
            &format!(
                "broar_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}}"
            ),
        )
    };
    assert_eq!(
        requests("POST", "/api/auth/login", 409),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        requests("POST", "/api/auth/login", 200),
        Some(1.0),
        "{text}"
    );
    assert_eq!(requests("GET", "/logga-in", 200), Some(1.0), "{text}");
    assert!(text.contains("broar_http_request_duration_seconds_bucket{method=\"GET\",route=\"/logga-in\",status=\"200\",le=\"0.5\"}"), "{text}");
    assert_eq!(
        sample(&text, "broar_login_failures_total"),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        sample(&text, "broar_login_throttled_total"),
        None,
        "nobody was throttled"
    );
    assert!(sample(&text, "broar_digest_rounds_total{outcome=\"ok\"}").is_some_and(|n| n >= 1.0));
    // The admin has no ring: nothing to send, the queue is empty.
    assert_eq!(
        sample(&text, "broar_outbox_messages{state=\"due\"}"),
        Some(0.0),
        "{text}"
    );
    assert_eq!(
        sample(&text, "broar_outbox_oldest_pending_seconds"),
        Some(0.0),
        "{text}"
    );
    assert!(
        sample(&text, "broar_db_pool_connections").is_some_and(|n| n >= 1.0),
        "{text}"
    );

    // The log is JSON, one object a line, and a request's lines carry its id.
    let lines = std::fs::read_to_string(&log).expect("log");
    let objects: Vec<serde_json::Value> = lines
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).expect("every log line is JSON"))
        .collect();
    let ids: Vec<&str> = objects
        .iter()
        .filter_map(|o| o["span"]["request_id"].as_str())
        .collect();
    assert!(
        ids.iter().any(|id| id.len() == 36),
        "a request's log lines carry its id: {lines}"
    );
}
