//! The digest settings page (`/installningar`, also reached logged out through the
//! signed link in every digest) and the unsubscribe page (`/avregistrera`: the GET
//! asks, the POST — from the button here or from the mail program, RFC 8058 — acts).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{
    DigestPreferencesView, SaveDigestPreferences, UnsubscribeDigest, digest_preferences,
    model::{self, Frequency},
};
use crate::{
    i18n::{Locale, use_locale},
    ui::query_flag,
    ui::{ErrorMessage, ErrorSummary, PostForm, SelectField, saved_notice},
};

fn token_param() -> Memo<Option<String>> {
    let query = use_query_map();
    Memo::new(move |_| query.read().get("t").filter(|t| !t.is_empty()))
}

/// `/installningar`: how often, which weekday, which language, which rings.
#[component]
pub fn DigestSettingsPage() -> impl IntoView {
    let l = use_locale();
    let token = token_param();
    let prefs = Resource::new(move || token.get(), digest_preferences);
    let save = ServerAction::<SaveDigestPreferences>::new();
    view! {
        <Title text=l.t("digest-settings-title") />
        <h1>{l.t("digest-settings-title")}</h1>
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                match prefs.await {
                    Ok(p) => view! { <SettingsForm p save token=token.get_untracked() /> }.into_any(),
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SettingsForm(
    p: DigestPreferencesView,
    save: ServerAction<SaveDigestPreferences>,
    token: Option<String>,
) -> impl IntoView {
    let l = use_locale();
    let saved = query_flag("sparat");
    let result = Signal::derive(move || save.value().get());
    let frequencies: Vec<(String, String)> = Frequency::ALL
        .iter()
        .map(|f| (f.as_str().to_owned(), l.t(f.label_key())))
        .collect();
    let weekdays: Vec<(String, String)> = (1..=7u8)
        .map(|d| (d.to_string(), l.t(model::weekday_key(d))))
        .collect();
    let locales: Vec<(String, String)> = Locale::ALL
        .iter()
        .map(|x| (x.code().to_owned(), x.native_name().to_owned()))
        .collect();
    let ring_error = crate::ui::group_error(result, "rings");
    let fields = vec![
        ("frequency", l.t("digest-frequency")),
        ("weekday", l.t("digest-weekday")),
        ("locale", l.t("digest-language")),
        ("rings", l.t("digest-rings")),
    ];
    let unsubscribe = token
        .as_ref()
        .map(|t| format!("/avregistrera?t={}", super::token_query(t)));
    view! {
        {saved_notice("digest-settings-saved", saved)}
        <p>{l.t_args("digest-settings-intro", &[("email", p.email.clone())])}</p>
        <PostForm action=save attr:novalidate="novalidate">
            {token.map(|t| view! { <input type="hidden" name="t" value=t /> })}
            <ErrorSummary result fields />
            <SelectField name="frequency" label=l.t("digest-frequency") required=true options=frequencies result value=Some(p.frequency.as_str().to_owned()) />
            <SelectField name="weekday" label=l.t("digest-weekday") hint=l.t("digest-weekday-hint") options=weekdays result value=Some(p.weekday.to_string()) />
            <SelectField name="locale" label=l.t("digest-language") required=true options=locales result value=Some(p.locale.clone()) />
            <fieldset class="field" id="rings" aria-describedby=move || ring_error().map(|_| "rings-error")>
                <legend>{l.t("digest-rings")}</legend>
                {move || ring_error().map(|m| view! { <p class="field__error" id="rings-error">{m}</p> })}
                {if p.rings.is_empty() {
                    view! { <p>{l.t("digest-rings-empty")}</p> }.into_any()
                } else {
                    // After a failed post without JavaScript: the boxes as they were ticked.
                    #[cfg(feature = "ssr")]
                    let ticked = crate::ssr::has_flash().then(|| crate::ssr::flashed_values("rings[]"));
                    #[cfg(not(feature = "ssr"))]
                    let ticked: Option<Vec<String>> = None;
                    p.rings.iter().map(|r| {
                        let input_id = format!("ring-{}", r.id);
                        let checked = ticked.as_ref().map_or(r.included, |t| t.contains(&r.id.to_string()));
                        view! {
                            <div class="field field--checkbox">
                                <input type="checkbox" id=input_id.clone() name="rings[]" value=r.id.to_string() checked=checked />
                                <label for=input_id>{r.name.clone()}</label>
                            </div>
                        }
                    }).collect_view().into_any()
                }}
            </fieldset>
            <button type="submit" class="button">{l.t("digest-settings-save")}</button>
        </PostForm>
        {unsubscribe.map(|href| view! { <p><a href=href>{use_locale().t("digest-unsubscribe")}</a></p> })}
    }
}

/// `/avregistrera?t=…`: asks before turning digests off (a GET never changes
/// anything: mail scanners follow links).
#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let l = use_locale();
    let token = token_param();
    let done = query_flag("klart");
    let unsubscribe = ServerAction::<UnsubscribeDigest>::new();
    // Without a token there is nothing to look up: the page says the link is broken.
    let prefs = Resource::new(
        move || token.get(),
        |t| async move {
            match t {
                Some(t) => digest_preferences(Some(t)).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <Title text=l.t("unsubscribe-title") />
        <h1>{l.t("unsubscribe-title")}</h1>
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                let l = use_locale();
                match (prefs.await, token.get_untracked()) {
                    (Err(e), _) => view! { <ErrorMessage error=e /> }.into_any(),
                    (Ok(None), _) | (Ok(Some(_)), None) => {
                        view! { <p>{l.t("unsubscribe-no-token")}</p> }.into_any()
                    }
                    (Ok(Some(p)), Some(t)) => {
                        let settings = format!("/installningar?t={}", super::token_query(&t));
                        let finished = move || done.get();
                        let failed = move || match unsubscribe.value().get() {
                            Some(Err(e)) => Some(view! { <ErrorMessage error=e /> }),
                            _ => None,
                        };
                        let email = p.email.clone();
                        let ask = move || {
                            let l = use_locale();
                            let t = t.clone();
                            view! {
                                {failed}
                                <p>{l.t_args("unsubscribe-ask", &[("email", email.clone())])}</p>
                                <PostForm action=unsubscribe>
                                    <input type="hidden" name="t" value=t />
                                    <button type="submit" class="button">{l.t("unsubscribe-confirm")}</button>
                                </PostForm>
                            }
                        };
                        view! {
                            <Show when=finished fallback=ask>
                                <p class="notice notice--success" role="status">
                                    {use_locale().t_args("unsubscribe-done", &[("email", p.email.clone())])}
                                </p>
                            </Show>
                            <p><a href=settings.clone()>{l.t("unsubscribe-settings")}</a></p>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
