//! Shared components: the page frame (skip link, header, navigation, language
//! switch, footer), form fields with labels, hints and errors, and error views.

mod forms;
mod layout;

pub(crate) use forms::button_form;
pub use forms::*;
pub use layout::*;

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{error::AppError, i18n::use_locale};

/// The sentence shown for an error, in the reader's language. An unexpected error
/// shows its request id so support can find the cause in the log.
pub fn error_text(error: &AppError) -> String {
    let locale = use_locale();
    match error {
        AppError::Unexpected { request_id } => {
            locale.t_args("error-unexpected", &[("id", request_id.clone())])
        }
        other => locale.t(other.message_key()),
    }
}

/// The number in the route's `:id`, or 0 (which matches nothing).
pub fn id_param() -> Memo<i32> {
    let params = use_params_map();
    Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse().ok())
            .unwrap_or(0)
    })
}

/// Whether the query string has `key` (a notice after a form posted without JavaScript).
pub fn query_flag(key: &'static str) -> Memo<bool> {
    let query = use_query_map();
    Memo::new(move |_| query.read().get(key).is_some())
}

/// Whether the query string has `key` with the value `value` (which form a post
/// without JavaScript saved: `?sparat=sprak`).
pub fn query_is(key: &'static str, value: &'static str) -> Memo<bool> {
    let query = use_query_map();
    Memo::new(move |_| query.read().get(key).as_deref() == Some(value))
}

/// What a page shows while its data is on the way (a `Suspense` fallback): a busy
/// marker for assistive technology, and an ellipsis.
pub fn loading() -> impl IntoView {
    view! { <p aria-busy="true">"…"</p> }
}

/// A page-level error message (a failed load, a refused request).
#[component]
pub fn ErrorMessage(error: AppError) -> impl IntoView {
    let locale = use_locale();
    #[cfg(feature = "ssr")]
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        options.set_status(error.status());
    }
    view! {
        <div class="notice notice--error" role="alert">
            <h2>{locale.t(error.title_key())}</h2>
            <p>{error_text(&error)}</p>
        </div>
    }
}

/// The page for an address that leads nowhere; answers 404.
#[component]
pub fn NotFound() -> impl IntoView {
    let locale = use_locale();
    #[cfg(feature = "ssr")]
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        options.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <leptos_meta::Title text=locale.t("notfound-title") />
        <h1>{locale.t("notfound-title")}</h1>
        <p>{locale.t("notfound-text")}</p>
        <p>
            <a href="/">{locale.t("notfound-home")}</a>
        </p>
    }
}

#[cfg(test)]
mod css_tests {
    use std::collections::BTreeSet;

    fn sources(dir: &std::path::Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("src is readable").flatten() {
            let path = entry.path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(std::fs::read_to_string(&path).expect("a source file"));
            }
        }
    }

    /// The classes written literally in markup: `class="a b"`, `attr:class="a"`
    /// (comments left out).
    fn classes_in(source: &str) -> BTreeSet<String> {
        let code: String = source
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let source = code.as_str();
        let mut found = BTreeSet::new();
        for (at, _) in source.match_indices("class=\"") {
            let before = &source[..at];
            // `class="…"` in a view, not a word ending in "class" (`subclass=`).
            if before.ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let rest = &source[at + 7..];
            let value = &rest[..rest.find('"').unwrap_or(0)];
            found.extend(value.split_whitespace().map(str::to_owned));
        }
        found
    }

    fn css_classes(css: &str) -> BTreeSet<String> {
        let mut found = BTreeSet::new();
        for (at, _) in css.match_indices('.') {
            let name: String = css[at + 1..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            if name.starts_with(|c: char| c.is_alphabetic()) {
                found.insert(name);
            }
        }
        found
    }

    #[test]
    fn every_class_in_the_markup_has_a_rule() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        sources(&root.join("src"), &mut files);
        let used: BTreeSet<String> = files.iter().flat_map(|s| classes_in(s)).collect();
        let css = std::fs::read_to_string(root.join("../style/main.css")).expect("the stylesheet");
        let defined = css_classes(&css);
        let missing: Vec<&String> = used.difference(&defined).collect();
        assert!(used.len() > 50, "the markup's classes were found: {used:?}");
        assert!(
            missing.is_empty(),
            "classes without a rule in style/main.css: {missing:?}"
        );
    }

    #[test]
    fn classes_are_read_from_views_and_rules() {
        assert_eq!(
            classes_in(r#"<p class="tag tag--new">x</p> subclass="no""#),
            ["tag", "tag--new"].map(String::from).into()
        );
        assert_eq!(
            css_classes(".a, .b-c:hover { x: 1.5rem }"),
            ["a", "b-c"].map(String::from).into()
        );
    }
}
