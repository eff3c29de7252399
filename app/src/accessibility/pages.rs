//! The accessibility statement page with the feedback form.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{SendAccessibilityFeedback, model};
use crate::{
    i18n::use_locale,
    municipality::{joined_names, list_municipalities},
    ui::{ErrorSummary, PostForm, TextField},
};

/// The date this statement was last reviewed.
const REVIEWED: &str = "2026-11-22";

/// `/tillganglighet`: the statement and the form to report a problem.
#[component]
pub fn AccessibilityPage() -> impl IntoView {
    let locale = use_locale();
    let municipalities = Resource::new(|| (), |_| list_municipalities());
    let and = if locale.code() == "sv" { "och" } else { "and" };
    let reviewed = chrono::NaiveDate::parse_from_str(REVIEWED, "%Y-%m-%d")
        .map(|d| locale.date(d))
        .unwrap_or_else(|_| REVIEWED.to_owned());
    view! {
        <Title text=locale.t("a11y-title") />
        <article class="prose">
            <h1>{locale.t("a11y-title")}</h1>
            <Suspense fallback=crate::ui::loading>
                {move || Suspend::new(async move {
                    let names = municipalities
                        .await
                        .map(|list| joined_names(&list, and))
                        .unwrap_or_default();
                    let names = if names.is_empty() { locale.t("app-name") } else { names };
                    view! { <p>{locale.t_args("a11y-intro", &[("municipality", names)])}</p> }
                })}
            </Suspense>
            <h2>{locale.t("a11y-status-title")}</h2>
            <p>{locale.t("a11y-status")}</p>
            <h2>{locale.t("a11y-known-title")}</h2>
            <p>{locale.t("a11y-known")}</p>
            <h2>{locale.t("a11y-how-title")}</h2>
            <p>{locale.t_args("a11y-how", &[("date", reviewed)])}</p>
            <h2>{locale.t("a11y-enforcement-title")}</h2>
            <p>{locale.t("a11y-enforcement")}</p>
        </article>
        <FeedbackForm />
    }
}

/// A reference is shown back only when it has the form the server gives it.
fn valid_reference(s: &str) -> bool {
    s.strip_prefix("TR-")
        .is_some_and(|n| n.len() >= 5 && n.len() <= 10 && n.chars().all(|c| c.is_ascii_digit()))
}

#[component]
fn FeedbackForm() -> impl IntoView {
    let locale = use_locale();
    let action = ServerAction::<SendAccessibilityFeedback>::new();
    let query = use_query_map();
    // The server redirects here with the reference in the query.
    let sent = move || query.read().get("skickat").filter(|r| valid_reference(r));
    view! {
        <section class="card" aria-labelledby="feedback-heading" id="feedback">
            <h2 id="feedback-heading">{locale.t("feedback-title")}</h2>
            <Show
                when=move || sent().is_none()
                fallback=move || {
                    view! {
                        <p class="notice notice--success" role="status">
                            {locale.t_args("feedback-sent", &[("reference", sent().unwrap_or_default())])}
                        </p>
                    }
                }
            >
                <FeedbackFields action=action />
            </Show>
        </section>
    }
}

/// The form itself; drawn again after a successful report is acknowledged.
#[component]
fn FeedbackFields(action: ServerAction<SendAccessibilityFeedback>) -> impl IntoView {
    let locale = use_locale();
    let result = Signal::derive(move || action.value().get());
    let fields = vec![
        ("email", locale.t("feedback-email")),
        ("page", locale.t("feedback-page")),
        ("message", locale.t("feedback-message")),
    ];
    view! {
        <p>{locale.t("feedback-intro")}</p>
        <PostForm action=action once=true attr:novalidate="novalidate">
            <ErrorSummary result=result fields=fields />
            <TextField
                name="email"
                kind="email"
                label=locale.t("feedback-email")
                hint=locale.t("feedback-email-hint")
                autocomplete="email"
                required=true
                result=result
            />
            <TextField
                name="page"
                label=locale.t("feedback-page")
                hint=locale.t("feedback-page-hint")
                maxlength=model::PAGE_MAX
                result=result
            />
            <TextField
                name="message"
                label=locale.t("feedback-message")
                hint=locale.t("feedback-message-hint")
                multiline=true
                required=true
                maxlength=model::MESSAGE_MAX
                result=result
            />
            <button type="submit" class="button" disabled=move || action.pending().get()>
                {move || {
                    if action.pending().get() {
                        locale.t("form-sending")
                    } else {
                        locale.t("feedback-submit")
                    }
                }}
            </button>
        </PostForm>
    }
}

#[cfg(test)]
mod tests {
    use super::valid_reference;

    #[test]
    fn only_well_formed_references_are_echoed() {
        assert!(valid_reference("TR-00012"));
        assert!(!valid_reference("TR-12"));
        assert!(!valid_reference("TR-00012<script>"));
        assert!(!valid_reference("Ring 112 nu"));
    }
}
