//! The frame around every page.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::{
    auth::{Logout, SessionUser, model::Role},
    i18n::{Locale, use_locale},
    ui::{CsrfField, PostForm},
};

/// The logged-in user for the whole page, loaded once per page load.
#[derive(Clone, Copy)]
pub struct CurrentUser(pub Resource<Result<Option<SessionUser>, crate::error::AppError>>);

/// The menu's counts for the logged-in person: new things on an employer's home, and
/// interests waiting for staff. The router provides it (`home::load_menu_counts`).
#[derive(Clone, Copy)]
pub struct MenuCounts(pub Resource<(usize, usize)>);

/// Loads the current user and puts it in context for the layout and pages.
pub fn provide_current_user() {
    let resource = Resource::new(|| (), |_| crate::auth::current_user());
    provide_context(CurrentUser(resource));
}

/// Skip link, header with navigation and language switch, the main landmark, footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let locale = use_locale();
    // Read here, in the router's context: the navigation below renders inside a
    // suspended future where the router's context is not reachable.
    let location = use_location();
    let path = Memo::new(move |_| location.pathname.get());
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
                <Transition fallback=move || view! { <NavLinks user=None path counts=(0, 0) /> }>
                    {move || Suspend::new(async move {
                        let user = match use_context::<CurrentUser>() {
                            Some(CurrentUser(r)) => r.await.ok().flatten(),
                            None => None,
                        };
                        let counts = match use_context::<MenuCounts>() {
                            Some(MenuCounts(r)) if user.is_some() => r.await,
                            _ => (0, 0),
                        };
                        view! { <NavLinks user path counts /> }
                    })}
                </Transition>
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

/// The navigation for the user's role, with the user's name and a logout button.
#[component]
fn NavLinks(
    user: Option<SessionUser>,
    path: Memo<String>,
    counts: (usize, usize),
) -> impl IntoView {
    let locale = use_locale();
    let role = user.as_ref().map(|u| u.role);
    let staff = role.is_some_and(Role::is_staff);
    let admin = role == Some(Role::Admin);
    let employer = role == Some(Role::Employer);
    let logout = ServerAction::<Logout>::new();
    view! {
        <ul>
            <NavLink path href="/" label=locale.t("nav-home") count=if employer { counts.0 } else { 0 } count_label=locale.t("nav-new") />
            {user.is_some().then(|| view! { <NavLink path href="/ringar" label=locale.t("nav-rings") /> })}
            {user.is_some().then(|| view! { <NavLink path href="/jobbspar" label=locale.t("nav-tracks") /> })}
            {staff.then(|| view! {
                <NavLink path href="/behov" label=locale.t("nav-needs") />
                <NavLink path href="/deltagare" label=locale.t("nav-candidates") />
                <NavLink path href="/intresse" label=locale.t("nav-interest") count=counts.1 count_label=locale.t("nav-waiting") />
                <NavLink path href="/foretag" label=locale.t("nav-firms") />
                <NavLink path href="/rapporter" label=locale.t("nav-reports") />
                <NavLink path href="/granskningslogg" label=locale.t("nav-audit") />
            })}
            {admin.then(|| view! {
                <NavLink path href="/admin/konton" label=locale.t("nav-accounts") />
                <NavLink path href="/admin/utkorg" label=locale.t("nav-outbox") />
                <NavLink path href="/samtyckestexter" label=locale.t("nav-consent-texts") />
            })}
            {employer.then(|| view! { <NavLink path href="/installningar" label=locale.t("nav-settings") /> })}
            <NavLink path href="/tillganglighet" label=locale.t("nav-accessibility") />
            {match user {
                None => view! { <NavLink path href="/logga-in" label=locale.t("nav-login") /> }.into_any(),
                Some(user) => view! {
                    <li class="site-nav__user">
                        <span class="site-nav__name">{user.name}</span>
                        <PostForm action=logout attr:class="inline-form">
                            <button type="submit" class="link-button">{locale.t("nav-logout")}</button>
                        </PostForm>
                    </li>
                }.into_any(),
            }}
        </ul>
    }
}

/// A navigation entry that says which page is current.
#[component]
fn NavLink(
    path: Memo<String>,
    href: &'static str,
    label: String,
    /// A count shown beside the label when above zero ("Intresse (3)").
    #[prop(optional, into)]
    count: Option<usize>,
    /// What the count counts, for screen readers ("nya", "väntar").
    #[prop(optional)]
    count_label: String,
) -> impl IntoView {
    let current = move || {
        // The section's pages count as the section (a ring's page is under "Ringar").
        let here = path.get();
        if here == href {
            Some("page")
        } else if href != "/" && here.starts_with(&format!("{href}/")) {
            Some("true")
        } else {
            None
        }
    };
    view! {
        <li>
            <a href=href aria-current=current>
                {label}
                {count.filter(|n| *n > 0).map(|n| view! {
                    " " <span class="count">{format!("({n})")}</span>
                    <span class="visually-hidden">{format!(" {count_label}")}</span>
                })}
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
                            <CsrfField />
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
