//! Broar's application: the page shell, the router and one module per concept.
//! Each concept keeps its DTOs and server functions in `mod.rs`, its pages in
//! `pages.rs`, and (server only) its rules in `service.rs` and tables in `entity.rs`.

#![recursion_limit = "256"]

pub mod accessibility;
pub mod admin;
pub mod analysis;
pub mod assets;
pub mod audit;
pub mod auth;
pub mod candidates;
pub mod consent;
#[cfg(feature = "ssr")]
pub mod db;
pub mod digests;
pub mod error;
pub mod firms;
pub mod forum;
pub mod home;
pub mod i18n;
pub mod ids;
pub mod mail;
pub mod matching;
pub mod municipality;
pub mod needs;
#[cfg(feature = "ssr")]
pub mod pii;
pub mod releases;
pub mod reports;
pub mod rights;
pub mod rings;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod tracks;
pub mod ui;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // Islands: the page is rendered for the server only; an `#[island]` turns
    // hydration back on for its own part (what leptos' HydrationScripts does in islands
    // mode; the loader below replaces those scripts).
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    let locale = i18n::provide_locale();
    let assets = assets::Assets::for_site(&options.site_root);
    let nonce = leptos::nonce::use_nonce();
    view! {
        <!DOCTYPE html>
        <html lang=locale.code()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="description" content=locale.t("app-description") />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="stylesheet" href=assets.css.clone() />
                // Hydrates the page's islands, if it has any. (Not leptos'
                // HydrationScripts: it links fixed names, writes the nonce into
                // `crossorigin`, which the HTML checker rejects, and preloads the
                // bundle on pages that need none.)
                <script type="module" nonce=nonce>{assets.loader()}</script>
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// A page's Content-Security-Policy: scripts only from this site, plus the inline
/// loader that carries this response's `nonce`. `server/src/html.rs` sets it from the
/// nonce in the page's head, so the policy and the page always agree.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The page title as the server writes it into `<title>`. leptos_meta 0.8 puts the
/// formatted title into the server's HTML without escaping it, so a title a user
/// typed (a firm's or a thread's name) ending in `</title><script>…` would close the
/// element and add markup to the head. In the browser the same formatter sets
/// `document.title`, which is text: escaping there would show `&lt;` in the tab.
fn title_for_server_head(title: String) -> String {
    if cfg!(feature = "ssr") {
        mail::templates::escape_html(&title)
    } else {
        title
    }
}

/// The application: meta tags, the router and the page frame.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let locale = i18n::provide_locale();
    ui::provide_current_user();
    let counts = Resource::new(
        || (),
        |_| async {
            home::load_menu_counts()
                .await
                .map(|c| (c.new_items, c.interests))
                .unwrap_or_default()
        },
    );
    provide_context(ui::MenuCounts(counts));
    let app_name = locale.t("app-name");
    view! {
        <Title formatter=move |text: String| {
            let title = if text.is_empty() { app_name.clone() } else { format!("{text} – {app_name}") };
            title_for_server_head(title)
        } />
        // Every page renders with SsrMode::Async: the server waits for the page's data
        // and sends complete HTML. Streamed <Suspense> content needs JavaScript to be
        // swapped in, and the core pages must work without it; a refusal (401/403)
        // also reaches the HTTP status, not only the text.
        <Router>
            <ui::Layout>
                <Routes fallback=ui::NotFound>
                    <Route path=path!("") view=home::HomePage ssr=SsrMode::Async />
                    <Route path=path!("att-gora") view=home::pages::WorkQueuePage ssr=SsrMode::Async />
                    <Route path=path!("tillganglighet") view=accessibility::pages::AccessibilityPage ssr=SsrMode::Async />
                    <Route path=path!("logga-in") view=auth::pages::LoginPage ssr=SsrMode::Async />
                    <Route path=path!("glomt-losenord") view=auth::pages::ForgotPasswordPage ssr=SsrMode::Async />
                    <Route path=path!("aterstall-losenord") view=auth::pages::ResetPasswordPage ssr=SsrMode::Async />
                    <Route path=path!("granskningslogg") view=admin::audit_log::AuditLogPage ssr=SsrMode::Async />
                    <Route path=path!("admin/konton") view=admin::pages::AccountsPage ssr=SsrMode::Async />
                    <Route path=path!("admin/utkorg") view=admin::pages::FailedMailPage ssr=SsrMode::Async />
                    <Route path=path!("foretag") view=firms::pages::FirmsPage ssr=SsrMode::Async />
                    <Route path=path!("foretag/:id") view=firms::pages::FirmPage ssr=SsrMode::Async />
                    <Route path=path!("ringar") view=rings::pages::RingsPage ssr=SsrMode::Async />
                    <Route path=path!("ringar/:id") view=rings::pages::RingPage ssr=SsrMode::Async />
                    <Route path=path!("ringar/:id/redigera") view=rings::pages::RingEditPage ssr=SsrMode::Async />
                    <Route path=path!("ringar/:id/lamna") view=rings::pages::LeaveRingPage ssr=SsrMode::Async />
                    <Route path=path!("moten/:id") view=rings::pages::MeetingPage ssr=SsrMode::Async />
                    <Route path=path!("inbjudan") view=rings::pages::InvitationPage ssr=SsrMode::Async />
                    <Route path=path!("ringar/:id/behov") view=needs::pages::RingNeedsPage ssr=SsrMode::Async />
                    <Route path=path!("ringar/:id/behov/nytt") view=needs::pages::NewNeedPage ssr=SsrMode::Async />
                    <Route path=path!("behov") view=needs::pages::AllNeedsPage ssr=SsrMode::Async />
                    <Route path=path!("behov/:id") view=|| view! { <needs::pages::NeedPage profiles=releases::pages::need_profiles_section /> } ssr=SsrMode::Async />
                    <Route path=path!("behov/:id/redigera") view=needs::pages::EditNeedPage ssr=SsrMode::Async />
                    <Route path=path!("ringar/:id/diskussion") view=forum::pages::ThreadsPage ssr=SsrMode::Async />
                    <Route path=path!("diskussion/:id") view=forum::pages::ThreadPage ssr=SsrMode::Async />
                    <Route path=path!("inlagg/:id/redigera") view=forum::pages::EditPostPage ssr=SsrMode::Async />
                    <Route path=path!("deltagare") view=candidates::pages::CandidatesPage ssr=SsrMode::Async />
                    <Route path=path!("deltagare/:id") view=|| view! { <candidates::pages::CandidatePage tracks=tracks::pages::candidate_tracks_section /> } ssr=SsrMode::Async />
                    <Route path=path!("deltagare/:id/redigera") view=candidates::pages::CandidateEditPage ssr=SsrMode::Async />
                    <Route path=path!("deltagare/:id/halsa") view=candidates::pages::HealthPage ssr=SsrMode::Async />
                    <Route path=path!("deltagare/:id/team") view=candidates::team_page::TeamPage ssr=SsrMode::Async />
                    <Route path=path!("ringar/:id/pool") view=candidates::pages::PoolPage ssr=SsrMode::Async />
                    <Route path=path!("behov/:id/matchning") view=matching::pages::MatchPage ssr=SsrMode::Async />
                    <Route path=path!("samtyckestexter") view=consent::pages::ConsentTextsPage ssr=SsrMode::Async />
                    <Route path=path!("samtyckestexter/:id") view=consent::pages::ConsentPrintPage ssr=SsrMode::Async />
                    <Route path=path!("deltagare/:id/samtycken") view=releases::consent_page::CandidateConsentsPage ssr=SsrMode::Async />
                    <Route path=path!("deltagare/:id/dela") view=releases::pages::ReleasePage ssr=SsrMode::Async />
                    <Route path=path!("ringar/:id/profiler") view=releases::pages::RingProfilesPage ssr=SsrMode::Async />
                    <Route path=path!("profiler/:code") view=releases::pages::ProfilePage ssr=SsrMode::Async />
                    <Route path=path!("intresse") view=releases::pages::InboxPage ssr=SsrMode::Async />
                    <Route path=path!("deltagare/:id/registerutdrag") view=rights::pages::ExportPage ssr=SsrMode::Async />
                    <Route path=path!("installningar") view=digests::pages::DigestSettingsPage ssr=SsrMode::Async />
                    <Route path=path!("avregistrera") view=digests::pages::UnsubscribePage ssr=SsrMode::Async />
                    <Route path=path!("rapporter") view=reports::pages::ReportPage ssr=SsrMode::Async />
                    <Route path=path!("analys") view=analysis::pages::AnalysisPage ssr=SsrMode::Async />
                    <Route path=path!("jobbspar") view=tracks::pages::TracksPage ssr=SsrMode::Async />
                    <Route path=path!("jobbspar/nytt") view=tracks::pages::NewTrackPage ssr=SsrMode::Async />
                    <Route path=path!("jobbspar/:id") view=tracks::pages::TrackPage ssr=SsrMode::Async />
                    <Route path=path!("jobbspar/:id/redigera") view=tracks::pages::EditTrackPage ssr=SsrMode::Async />
                    <Route path=path!("ringar/:id/statistik") view=reports::pages::RingStatsPage ssr=SsrMode::Async />
                </Routes>
            </ui::Layout>
        </Router>
    }
}
