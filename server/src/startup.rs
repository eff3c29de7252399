//! Builds the web application: pages, server functions, static files, health check
//! and language switch, wrapped in the middleware every response goes through.

use std::{net::SocketAddr, sync::Arc};

use app::{
    App,
    db::Db,
    error::AppError,
    i18n::{LANG_COOKIE, Locale},
    shell,
    ssr::{AppConfig, AppState},
};
use axum::{
    Form, Router,
    extract::{Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::{self, Next},
    response::{Html, IntoResponse, Redirect, Response},
    routing::{get, post},
};
use futures::FutureExt;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use serde::Deserialize;
use tower_http::{
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::TraceLayer,
};

use crate::{forms, security, settings::Settings};

/// What the axum handlers share.
#[derive(Clone)]
pub struct ServerState {
    /// Leptos' options (site root, output name).
    pub leptos: LeptosOptions,
    /// The application state server functions see.
    pub app: AppState,
    /// Whether the portal is served over https (cookies get `Secure`).
    pub https: bool,
    /// The reverse proxies whose forwarded client addresses are believed.
    pub trusted_proxies: Arc<[ipnet::IpNet]>,
}

impl axum::extract::FromRef<ServerState> for LeptosOptions {
    fn from_ref(state: &ServerState) -> Self {
        state.leptos.clone()
    }
}

/// The app's routes, generated once per process. Generating them sets a process-wide
/// flag in leptos that leaves any resource first polled meanwhile pending for ever
/// (leptos issue #4773), so it must never run while pages are served: with several
/// servers in one process (the integration tests) a second generation stalled pages.
pub fn routes() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The whole web application for `settings` on `db`, ranking with `matching`.
pub fn router(
    settings: &Settings,
    db: Db,
    secret: Vec<u8>,
    matching: app::candidates::ranking::MatchingIndex,
) -> Router {
    let leptos = LeptosOptions::builder()
        .output_name("broar")
        .site_root(settings.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(settings.bind)
        .build();
    let base_url = settings.base_url();
    // The bundle's hashed names, read once, before any page needs them.
    app::assets::Assets::for_site(&settings.site_root);
    let app_state = AppState {
        db,
        config: Arc::new(AppConfig {
            https: base_url.starts_with("https://"),
            base_url,
            secret: app::ssr::Secret::new(secret),
            k_anonymity: usize::from(settings.k_anonymity()),
        }),
        matching,
        news: Default::default(),
        boards: Default::default(),
    };
    let state = ServerState {
        leptos: leptos.clone(),
        https: app_state.config.https,
        trusted_proxies: settings.trusted_proxies.clone().into(),
        app: app_state.clone(),
    };
    let context = {
        let app_state = app_state.clone();
        move || {
            provide_context(app_state.clone());
            provide_context(app::ssr::SessionOnce::default());
        }
    };
    let routes = routes();
    Router::new()
        .route("/healthz", get(healthz))
        .route("/lang", post(set_language))
        .route("/moten/{id}/kalender.ics", get(meeting_calendar))
        .route("/deltagare/{id}/registerutdrag.json", get(candidate_export))
        .route("/rapporter/export.csv", get(report_csv))
        .route("/analys/export.csv", get(analysis_csv))
        .route("/ringar/{id}/statistik.csv", get(ring_stats_csv))
        // The page at the same address asks first (GET); this is the POST a mail
        // program sends for one-click unsubscribe (RFC 8058).
        .route("/avregistrera", post(one_click_unsubscribe))
        // The browser bundle and stylesheet: brotli or gzip copies where the browser
        // accepts them (scripts/build-site.sh makes them), and a 304 without a body when the
        // browser's copy is current (leptos' fallback passes no If-Modified-Since on).
        .nest_service(
            "/pkg",
            tower_http::services::ServeDir::new(format!("{}/pkg", leptos.site_root))
                .precompressed_br()
                .precompressed_gzip(),
        )
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let leptos = leptos.clone();
            move || shell(leptos.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            ServerState,
            _,
        >(context, shell))
        // Innermost first: each layer wraps the ones above it.
        // Pages as valid HTML (leptos' markers and trailing scripts, see html.rs).
        .layer(middleware::from_fn(crate::html::middleware))
        // Inside the forms layer: a refused NUL goes back to a no-JavaScript form
        // with what was typed.
        .layer(middleware::from_fn(security::no_nul))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            forms::middleware,
        ))
        .layer(middleware::from_fn(security::same_origin))
        .layer(RequestBodyLimitLayer::new(settings.body_limit_kb * 1024))
        .layer(middleware::from_fn_with_state(
            settings.body_limit_kb * 1024,
            security::body_limit,
        ))
        .layer(middleware::from_fn(catch_panic))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::headers,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::client_ip::middleware,
        ))
        .layer(middleware::from_fn(crate::metrics::track))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request| {
                let id = request
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!(
                    "request",
                    method = %request.method(),
                    path = %request.uri().path(),
                    request_id = %id
                )
            }),
        )
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

/// Serves `router` on `listener` until Ctrl-C or SIGTERM.
pub async fn serve(listener: tokio::net::TcpListener, router: Router) -> anyhow::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = terminate => {} }
}

/// Readiness: 200 when the database answers, 503 when it does not; the body (JSON)
/// also says whether the outbox is moving — `stuck` when a message has been due and
/// unclaimed for five minutes (no worker is running). A stuck outbox does not make
/// the server unready: it still serves pages; alert on it (OPERATIONS.md).
async fn healthz(State(state): State<ServerState>) -> Response {
    if let Err(err) = state.app.db.ping().await {
        tracing::warn!("health check: database unreachable: {err}");
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(serde_json::json!({ "status": "unavailable", "database": "unreachable" })),
        )
            .into_response();
    }
    let outbox = match crate::outbox::waiting(&state.app.db).await {
        Ok(w) => serde_json::json!({
            "moving": w.due_secs < 300,
            "due": w.due,
            "in_hand": w.in_hand,
            "retrying": w.retrying,
            "failed": w.failed,
            "oldest_due_seconds": w.due_secs,
        }),
        Err(err) => serde_json::json!({ "error": err.to_string() }),
    };
    let moving = outbox["moving"].as_bool().unwrap_or(false);
    (
        StatusCode::OK,
        axum::Json(serde_json::json!({
            "status": if moving { "ok" } else { "degraded" },
            "database": "ok",
            "outbox": outbox,
        })),
    )
        .into_response()
}

/// The logged-in user of a plain route's request, or the answer for one without a
/// session (401).
async fn session_user(
    state: &ServerState,
    headers: &axum::http::HeaderMap,
) -> Result<app::auth::SessionUser, Response> {
    let token = app::ssr::cookie(headers, app::auth::session_cookie_name(state.https));
    let user = match token {
        Some(token) => app::auth::service::load_session(&state.app.db, &token)
            .await
            .map_err(IntoResponse::into_response)?,
        None => None,
    };
    user.ok_or_else(|| AppError::Unauthenticated.into_response())
}

/// Everything held about a candidate as a JSON file (Art. 15), for staff: the same
/// service, access rule and audit entry as the readable page.
async fn candidate_export(
    State(state): State<ServerState>,
    axum::extract::Path(id): axum::extract::Path<String>,
    axum::extract::Query(query): axum::extract::Query<std::collections::HashMap<String, String>>,
    client: Option<axum::Extension<app::ssr::ClientIp>>,
    headers: axum::http::HeaderMap,
) -> Response {
    let user = match session_user(&state, &headers).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let authed =
        match app::auth::Staff::check(authed(&state, user, client.map(|c| c.0.0.to_string()))) {
            Ok(staff) => staff,
            Err(e) => return e.into_response(),
        };
    let Ok(candidate_id) = id.parse::<i32>() else {
        return AppError::NotFound.into_response();
    };
    let locale = app::i18n::locale_from_cookie_header(&headers).unwrap_or_default();
    let reason = query.get("skal").map(String::as_str).unwrap_or_default();
    let export = match app::rights::service::export(&authed, candidate_id, locale, reason).await {
        Ok(export) => export,
        Err(err) => return err.into_response(),
    };
    match serde_json::to_string_pretty(&export) {
        Ok(body) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json; charset=utf-8"),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    HeaderValue::from_str(&format!(
                        "attachment; filename=\"registerutdrag-{candidate_id}.json\""
                    ))
                    .unwrap_or(HeaderValue::from_static("attachment")),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            body,
        )
            .into_response(),
        Err(err) => AppError::unexpected(anyhow::Error::from(err)).into_response(),
    }
}

/// The context a plain route gives a service that takes an [`app::auth::Authed`]
/// (`ip` for the audit log, where the service records one).
fn authed(
    state: &ServerState,
    user: app::auth::SessionUser,
    ip: Option<String>,
) -> app::auth::Authed {
    app::auth::Authed {
        ctx: app::ssr::Ctx {
            db: state.app.db.clone(),
            config: state.app.config.clone(),
            matching: state.app.matching.clone(),
            news: state.app.news.clone(),
            user: Some(user.clone()),
            session_token: None,
            ip,
        },
        user,
    }
}

/// A CSV file as a download.
fn csv_response(body: Vec<u8>, filename: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&format!("attachment; filename=\"{filename}\""))
                    .unwrap_or(HeaderValue::from_static("attachment")),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response()
}

/// The language of a staff-only file's caller, or the answer to send instead (401 for a
/// visitor, 403 for anyone but staff).
async fn staff_locale(
    state: &ServerState,
    headers: &axum::http::HeaderMap,
) -> Result<app::i18n::Locale, Response> {
    let user = session_user(state, headers).await?;
    if !user.role.is_staff() {
        return Err(AppError::Forbidden.into_response());
    }
    Ok(app::i18n::locale_from_cookie_header(headers).unwrap_or_default())
}

/// `table` as a CSV download named `filename`, its first column headed as on the page.
fn table_csv(
    table: &app::reports::tables::Table,
    locale: app::i18n::Locale,
    filename: &str,
) -> Response {
    let heading = locale.t(app::reports::tables::first_column_key(table.id));
    match app::reports::service::csv(table, &heading, locale) {
        Ok(body) => csv_response(body, filename),
        Err(err) => err.into_response(),
    }
}

/// One table of the follow-up report as CSV (`tabell` = figures, firms, exits, jobs
/// or trend; `from`, `to`, `ring` as on the page). Staff only.
async fn report_csv(
    State(state): State<ServerState>,
    axum::extract::Query(query): axum::extract::Query<std::collections::HashMap<String, String>>,
    headers: axum::http::HeaderMap,
) -> Response {
    let locale = match staff_locale(&state, &headers).await {
        Ok(locale) => locale,
        Err(response) => return response,
    };
    let arg = |k: &str| query.get(k).map(String::as_str).unwrap_or_default();
    let q = match app::reports::service::ReportQuery::parse(
        arg("from"),
        arg("to"),
        arg("ring"),
        app::i18n::today(),
    ) {
        Ok(q) => q,
        Err(err) => return err.into_response(),
    };
    let view = match app::reports::service::report(&state.app.db, &q).await {
        Ok(view) => view,
        Err(err) => return err.into_response(),
    };
    let Some(table) = app::reports::tables::tables(&view, locale)
        .into_iter()
        .find(|t| t.id == arg("tabell"))
    else {
        return AppError::NotFound.into_response();
    };
    let ring = q.ring.map(|id| format!("-ring{id}")).unwrap_or_default();
    let filename = format!(
        "uppfoljning-{}-{}-{}{ring}.csv",
        table.id, q.period.from, q.period.to
    );
    table_csv(&table, locale, &filename)
}

/// One table of the competence-needs analysis as CSV (`tabell` = demand, ready or
/// not-ready; `from`, `to`, `ring`, `municipality`, `level` as on the page). Staff only.
async fn analysis_csv(
    State(state): State<ServerState>,
    axum::extract::Query(query): axum::extract::Query<std::collections::HashMap<String, String>>,
    headers: axum::http::HeaderMap,
) -> Response {
    let locale = match staff_locale(&state, &headers).await {
        Ok(locale) => locale,
        Err(response) => return response,
    };
    let arg = |k: &str| query.get(k).map(String::as_str).unwrap_or_default();
    let q = match app::analysis::service::AnalysisQuery::parse(
        arg("from"),
        arg("to"),
        arg("ring"),
        arg("municipality"),
        arg("level"),
        app::i18n::today(),
    ) {
        Ok(q) => q,
        Err(err) => return err.into_response(),
    };
    let view = match app::analysis::service::analysis(&state.app.db, &q, locale).await {
        Ok(view) => view,
        Err(err) => return err.into_response(),
    };
    let Some(table) = app::analysis::tables::tables(&view, locale)
        .into_iter()
        .find(|t| t.id == arg("tabell"))
    else {
        return AppError::NotFound.into_response();
    };
    let filename = format!(
        "kompetensbehov-{}-{}-{}.csv",
        table.id, q.period.from, q.period.to
    );
    table_csv(&table, locale, &filename)
}

/// A ring's statistics as CSV (`ar` = the year), for staff and the ring's members:
/// the same suppressed figures as the page.
async fn ring_stats_csv(
    State(state): State<ServerState>,
    axum::extract::Path(id): axum::extract::Path<String>,
    axum::extract::Query(query): axum::extract::Query<std::collections::HashMap<String, String>>,
    headers: axum::http::HeaderMap,
) -> Response {
    let user = match session_user(&state, &headers).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let Ok(ring_id) = id.parse::<i32>() else {
        return AppError::NotFound.into_response();
    };
    let authed = authed(&state, user, None);
    if let Err(err) = app::auth::ring_access(&authed, ring_id).await {
        return err.into_response();
    }
    let locale = app::i18n::locale_from_cookie_header(&headers).unwrap_or_default();
    let year = query.get("ar").map(String::as_str).unwrap_or_default();
    let view =
        match app::reports::service::ring_stats(&state.app.db, ring_id, year, app::i18n::today())
            .await
        {
            Ok(view) => view,
            Err(err) => return err.into_response(),
        };
    let table = app::reports::tables::ring_table(&view, locale);
    table_csv(
        &table,
        locale,
        &format!("ringstatistik-{ring_id}-{}.csv", view.year),
    )
}

/// A ring meeting as an iCalendar file, for staff and the ring's members. To anyone
/// else the meeting does not exist.
async fn meeting_calendar(
    State(state): State<ServerState>,
    axum::extract::Path(id): axum::extract::Path<String>,
    headers: axum::http::HeaderMap,
) -> Response {
    let db = &state.app.db;
    let user = match session_user(&state, &headers).await {
        Ok(user) => user,
        Err(response) => return response,
    };
    let Ok(meeting_id) = id.parse::<i32>() else {
        return AppError::NotFound.into_response();
    };
    let locale = app::i18n::locale_from_cookie_header(&headers).unwrap_or_default();
    let file = app::rings::meetings::calendar_file(
        db,
        &user,
        meeting_id,
        &state.app.config.base_url,
        locale,
    )
    .await;
    match file {
        Ok(ics) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/calendar; charset=utf-8"),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    HeaderValue::from_str(&format!(
                        "attachment; filename=\"ringtraff-{meeting_id}.ics\""
                    ))
                    .unwrap_or(HeaderValue::from_static("attachment")),
                ),
            ],
            ics,
        )
            .into_response(),
        Err(err) => err.into_response(),
    }
}

/// One-click unsubscribe (RFC 8058): a POST to the `List-Unsubscribe` address, the
/// signed token in its query the only credential (no session, no form token). Mail
/// programs post `List-Unsubscribe=One-Click` and get a short text; a browser that
/// posts here (it asks for HTML) is sent to the page, which then says it is done. The
/// page's own button posts to the `digests/unsubscribe` server fn instead.
async fn one_click_unsubscribe(
    State(state): State<ServerState>,
    axum::extract::Query(query): axum::extract::Query<std::collections::HashMap<String, String>>,
    headers: axum::http::HeaderMap,
) -> Response {
    let token = query.get("t").map(String::as_str).unwrap_or_default();
    let Some(user_id) = app::digests::service::verify(&state.app.config.secret, token) else {
        return AppError::Forbidden.into_response();
    };
    if let Err(err) = app::digests::prefs::unsubscribe(&state.app.db, user_id).await {
        return err.into_response();
    }
    let browser = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if browser {
        let location = format!(
            "/avregistrera?t={}&klart=1",
            app::digests::token_query(token)
        );
        return Redirect::to(&location).into_response();
    }
    let locale = app::i18n::Locale::Sv;
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        )],
        format!(
            "{}\n{}\n",
            locale.t("unsubscribe-done-short"),
            app::i18n::Locale::En.t("unsubscribe-done-short")
        ),
    )
        .into_response()
}

#[derive(Deserialize)]
struct LanguageForm {
    lang: String,
    #[serde(default)]
    next: String,
}

/// Remembers the chosen language in a cookie and returns to the page it came from.
async fn set_language(
    State(state): State<ServerState>,
    headers: axum::http::HeaderMap,
    Form(form): Form<LanguageForm>,
) -> Response {
    let Some(locale) = Locale::parse(&form.lang) else {
        return AppError::field("lang", "field-required").into_response();
    };
    let secure = if state.https { "; Secure" } else { "" };
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax{secure}",
        locale.code()
    );
    // A logged-in person's choice is also the language of their e-mails.
    if let Some(token) = app::ssr::cookie(&headers, app::auth::session_cookie_name(state.https))
        && let Err(err) = app::auth::service::set_locale(&state.app.db, &token, locale).await
    {
        tracing::warn!("could not store the language choice: {err}");
    }
    let mut response = Redirect::to(&app::auth::local_next(Some(&form.next))).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// A panic anywhere below becomes a logged 500 with the request id, never a dropped
/// connection or a trace in the browser.
async fn catch_panic(request: Request, next: Next) -> Response {
    let request_id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_owned();
    match std::panic::AssertUnwindSafe(next.run(request))
        .catch_unwind()
        .await
    {
        Ok(response) => response,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            tracing::error!(request_id = %request_id, "panic while handling a request: {what}");
            internal_error_page(&request_id)
        }
    }
}

/// The generic page for a 500: Swedish and English, with the request id.
fn internal_error_page(request_id: &str) -> Response {
    let id = app::mail::templates::escape_html(request_id);
    let body = format!(
        "<!DOCTYPE html><html lang=\"sv\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} – Broar</title><link rel=\"stylesheet\" href=\"{css}\"></head>\
         <body><main id=\"main\" class=\"site-main\"><h1>{title}</h1>\
         <p>{sv}</p><p lang=\"en\">{en}</p><p><a href=\"/\">Broar</a></p></main></body></html>",
        title = Locale::Sv.t("error-title"),
        css = app::assets::Assets::current().css,
        sv = Locale::Sv.t_args("error-unexpected", &[("id", id.clone())]),
        en = Locale::En.t_args("error-unexpected", &[("id", id)]),
    );
    let mut response = (StatusCode::INTERNAL_SERVER_ERROR, Html(body)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
