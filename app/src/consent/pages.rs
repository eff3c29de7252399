//! `/samtyckestexter` (the wordings; admins add versions) and `/samtyckestexter/:id`
//! (one wording as a printable form to sign). A candidate's consents, with their
//! releases, are on a page of `releases` (`releases::consent_page`).

use leptos::prelude::*;
use leptos_meta::Title;

use super::{NewConsentText, consent_text, consent_texts};
use crate::{
    auth::model::Role,
    candidates::model::{LANGUAGES, language_name},
    consent::model::ConsentForm,
    field,
    i18n::{Locale, use_locale},
    ui::id_param,
    ui::{CurrentUser, ErrorMessage, ErrorSummary, PostForm, SelectField, TextField},
};

/// A language's name in the page's language.
pub fn language_label(l: Locale, code: &str) -> String {
    language_name(code, l == Locale::En)
}

/// The consent wordings, and (for admins) the form for a new version.
#[component]
pub fn ConsentTextsPage() -> impl IntoView {
    let l = use_locale();
    let add = ServerAction::<NewConsentText>::new();
    let texts = Resource::new(|| (), |_| consent_texts());
    let user = use_context::<CurrentUser>();
    let result = Signal::derive(move || add.value().get());
    let fields = vec![
        ("language", l.t("consent-text-language")),
        ("title", l.t("consent-text-title")),
        ("body", l.t("consent-text-body")),
    ];
    let languages: Vec<(String, String)> = LANGUAGES
        .iter()
        .map(|(code, _, _)| (code.to_string(), language_label(l, code)))
        .collect();
    view! {
        <Title text=l.t("consent-texts-title") />
        <h1>{l.t("consent-texts-title")}</h1>
        <p>{l.t("consent-texts-intro")}</p>
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                let l = use_locale();
                match texts.await {
                    Ok(list) if list.is_empty() => view! { <p>{l.t("consent-texts-none")}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="plain-list">
                            {list.into_iter().map(|t| view! {
                                <li>
                                    <a href=format!("/samtyckestexter/{}", t.id)>{format!("{} – v{}", t.title, t.version)}</a>
                                    " (" {language_label(l, &t.language)} ", " {l.datetime(t.created_at)} ")"
                                    {t.current.then(|| view! { " " <span class="tag">{l.t("consent-text-current")}</span> })}
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
        <Suspense fallback=|| ()>
            {move || Suspend::new({
                let fields = fields.clone();
                let languages = languages.clone();
                async move {
                    let is_admin = match user {
                        Some(CurrentUser(u)) => matches!(u.await, Ok(Some(ref u)) if u.role == Role::Admin),
                        None => false,
                    };
                    let l = use_locale();
                    is_admin.then(|| view! {
                        <section class="card" aria-labelledby="new-text-heading">
                            <h2 id="new-text-heading">{l.t("consent-text-new")}</h2>
                            <p>{l.t("consent-text-new-hint")}</p>
                            <PostForm action=add once=true attr:novalidate="novalidate">
                                <ErrorSummary result fields />
                                <SelectField name="language" label=l.t("consent-text-language") required=true options=languages empty=l.t("form-choose") result />
                                <TextField name="title" label=l.t("consent-text-title") required=true maxlength=200 result />
                                <TextField name="body" label=l.t("consent-text-body") required=true multiline=true maxlength=20000 result />
                                <button type="submit" class="button">{l.t("consent-text-save")}</button>
                            </PostForm>
                        </section>
                    })
                }
            })}
        </Suspense>
    }
}

/// One wording as a form to print and sign.
#[component]
pub fn ConsentPrintPage() -> impl IntoView {
    let id = id_param();
    let text = Resource::new(move || id.get(), consent_text);
    view! {
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                let l = use_locale();
                match text.await {
                    Ok(t) => view! {
                        <Title text=t.title.clone() />
                        <article class="consent-form" lang=t.language.clone()>
                            <p class="no-print"><a href="/samtyckestexter">{l.t("consent-texts-back")}</a></p>
                            <p class="no-print">{l.t("consent-print-hint")}</p>
                            <h1>{t.title.clone()}</h1>
                            <p class="consent-form__version">{l.t_args("consent-print-version", &[("version", t.version.to_string()), ("language", language_label(l, &t.language))])}</p>
                            {t.body.split("\n\n").map(|p| view! { <p>{p.to_owned()}</p> }).collect_view()}
                            <dl class="consent-form__fill">
                                <dt>{l.t("consent-print-name")}</dt><dd></dd>
                                <dt>{l.t("consent-print-pnr")}</dt><dd></dd>
                                <dt>{l.t("consent-print-rings")}</dt><dd></dd>
                                <dt>{l.t("consent-print-place-date")}</dt><dd></dd>
                                <dt>{l.t("consent-print-signature")}</dt><dd></dd>
                                <dt>{l.t("consent-print-coordinator")}</dt><dd></dd>
                            </dl>
                        </article>
                    }.into_any(),
                    Err(e) => view! { <Title text=l.t(e.title_key()) /> <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The consent form's fields with their labels, for its error summary.
pub fn consent_fields(l: Locale) -> Vec<(&'static str, String)> {
    vec![
        (field!(ConsentForm, text_id), l.t("consent-text")),
        (field!(ConsentForm, purpose), l.t("consent-purpose")),
        ("rings", l.t("consent-rings")),
        (field!(ConsentForm, method), l.t("consent-method")),
        (field!(ConsentForm, witness), l.t("consent-witness")),
        (field!(ConsentForm, given_on), l.t("consent-given-on")),
        (field!(ConsentForm, months), l.t("consent-months")),
    ]
}
