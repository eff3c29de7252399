//! The front page for a visitor: what Broar is and who runs it.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{i18n::use_locale, municipality::list_municipalities};

/// `/` for a visitor: a short introduction.
#[component]
pub fn FrontPage() -> impl IntoView {
    let locale = use_locale();
    let municipalities = Resource::new(|| (), |_| list_municipalities());
    view! {
        <Title text=locale.t("home-title") />
        <h1>{locale.t("home-title")}</h1>
        <p class="lead">{locale.t("home-intro")}</p>
        <section class="card" aria-labelledby="how-heading">
            <h2 id="how-heading">{locale.t("home-how-title")}</h2>
            <ol class="steps">
                <li>{locale.t("home-how-ring")}</li>
                <li>{locale.t("home-how-needs")}</li>
                <li>{locale.t("home-how-match")}</li>
                <li>{locale.t("home-how-consent")}</li>
            </ol>
        </section>
        <section class="card" aria-labelledby="municipalities-heading">
            <h2 id="municipalities-heading">{locale.t("home-municipalities")}</h2>
            <Suspense fallback=crate::ui::loading>
                {move || Suspend::new(async move {
                    match municipalities.await {
                        Ok(list) if list.is_empty() => {
                            view! { <p>{locale.t("home-no-municipality")}</p> }.into_any()
                        }
                        Ok(list) => {
                            view! {
                                <ul class="municipalities">
                                    {list
                                        .into_iter()
                                        .map(|m| view! { <li>{m.name}</li> })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <crate::ui::ErrorMessage error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
