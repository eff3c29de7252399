//! Prometheus metrics, on their own listener (`BROAR_METRICS_BIND`) so that the
//! reverse proxy never publishes them: requests and their latency per route, the
//! outbox by state and its oldest message, digest rounds, login failures and throttles
//! (counted in `app::auth::service`), and the database pool.
//!
//! Counters and histograms are recorded as things happen; the outbox and the pool are
//! read when Prometheus scrapes.

use std::{sync::OnceLock, time::Instant};

use app::db::Db;
use axum::{
    Router,
    extract::{MatchedPath, Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
    routing::get,
};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sea_orm::DbBackend;

/// The process's recorder, installed on first use (several servers in one test
/// process share it).
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full("broar_http_request_duration_seconds".to_owned()),
                &[
                    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
                ],
            )
            .unwrap_or_else(|_| PrometheusBuilder::new());
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("a metrics recorder was installed already; these metrics stay empty");
        }
        handle
    })
}

/// Counts every request and its latency, by method, route and status. The route is the
/// pattern (`/behov/{id}`) or a server function's path, never a raw id.
pub async fn track(request: Request, next: Next) -> Response {
    let route = route_of(&request);
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("broar_http_requests_total", &labels).increment(1);
    metrics::histogram!("broar_http_request_duration_seconds", &labels)
        .record(started.elapsed().as_secs_f64());
    response
}

fn route_of(request: &Request) -> String {
    let path = request.uri().path();
    if path.starts_with("/api/")
        && path.len() < 64
        && path[5..]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '/' || c == '_')
    {
        return path.to_owned();
    }
    if path.starts_with("/pkg/") {
        return "/pkg/*".to_owned();
    }
    match request.extensions().get::<MatchedPath>() {
        Some(matched) => matched.as_str().to_owned(),
        None => "other".to_owned(),
    }
}

/// The metrics listener's routes: `GET /metrics`.
pub fn router(db: Db) -> Router {
    Router::new().route("/metrics", get(scrape)).with_state(db)
}

async fn scrape(State(db): State<Db>) -> Response {
    match crate::outbox::waiting(&db).await {
        Ok(w) => {
            for (state, n) in [
                ("in_hand", w.in_hand),
                ("retrying", w.retrying),
                ("due", w.due),
            ] {
                metrics::gauge!("broar_outbox_messages", "state" => state).set(n as f64);
            }
            metrics::gauge!("broar_outbox_messages", "state" => "failed").set(w.failed as f64);
            metrics::gauge!("broar_outbox_oldest_pending_seconds").set(w.oldest_secs as f64);
            metrics::gauge!("broar_database_up").set(1.0);
        }
        Err(err) => {
            tracing::warn!("metrics: reading the outbox failed: {err:#}");
            metrics::gauge!("broar_database_up").set(0.0);
        }
    }
    // On SQLite the readers' pool and the writer's; on PostgreSQL one pool (`Db`).
    let (size, idle) = match db.reader().get_database_backend() {
        DbBackend::Postgres => {
            let pool = db.reader().get_postgres_connection_pool();
            (pool.size(), pool.num_idle())
        }
        _ => [db.reader(), db.writer()]
            .iter()
            .map(|c| c.get_sqlite_connection_pool())
            .fold((0, 0), |(size, idle), pool| {
                (size + pool.size(), idle + pool.num_idle())
            }),
    };
    metrics::gauge!("broar_db_pool_connections").set(f64::from(size));
    metrics::gauge!("broar_db_pool_idle_connections").set(idle as f64);
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4",
        )],
        handle().render(),
    )
        .into_response()
}
