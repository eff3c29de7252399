//! The frame around every page.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::i18n::{Locale, use_locale};

/// Skip link, header with navigation and language switch, the main landmark, footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let locale = use_locale();
    view! {
        // rel="external" keeps the router from handling in-page links itself: the
        // browser's own fragment navigation moves keyboard focus to the target.
        <a class="skip-link" href="#main" rel="external">
            {locale.t("nav-skip")}
        </a>
        <header class="site-header">
            <div class="site-header__inner">
                <a class="brand" href="/">
                    <span class="brand__name">{locale.t("app-name")}</span>
                    <span class="brand__tagline">{locale.t("app-tagline")}</span>
                </a>
                <LanguageSwitch />
            </div>
            <nav class="site-nav" aria-label=locale.t("nav-label")>
                <ul>
                    <NavLink href="/" label=locale.t("nav-home") />
                    <NavLink href="/tillganglighet" label=locale.t("nav-accessibility") />
                </ul>
            </nav>
        </header>
        <main id="main" tabindex="-1" class="site-main">
            {children()}
        </main>
        <footer class="site-footer">
            <p>
                <a href="/tillganglighet">{locale.t("footer-accessibility")}</a>
            </p>
        </footer>
    }
}

/// A navigation entry that says which page is current.
#[component]
fn NavLink(href: &'static str, label: String) -> impl IntoView {
    let location = use_location();
    let current = move || {
        let path = location.pathname.get();
        if path == href { Some("page") } else { None }
    };
    view! {
        <li>
            <a href=href aria-current=current>
                {label}
            </a>
        </li>
    }
}

/// A form per other language: posting it sets the language cookie and returns to
/// the same page. Works without JavaScript.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let locale = use_locale();
    let location = use_location();
    let next = move || {
        let search = location.search.get();
        let path = location.pathname.get();
        if search.is_empty() {
            path
        } else {
            format!("{path}?{search}")
        }
    };
    let others: Vec<Locale> = Locale::ALL.into_iter().filter(|l| *l != locale).collect();
    view! {
        <div class="lang-switch">
            {others
                .into_iter()
                .map(|other| {
                    let label = locale
                        .t_args("lang-switch-to", &[("language", other.native_name().to_owned())]);
                    view! {
                        <form method="post" action="/lang">
                            <input type="hidden" name="lang" value=other.code() />
                            <input type="hidden" name="next" value=next />
                            <button type="submit" class="link-button" aria-label=label>
                                <span lang=other.code()>{other.native_name()}</span>
                            </button>
                        </form>
                    }
                })
                .collect_view()}
        </div>
    }
}
