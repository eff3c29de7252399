//! `/deltagare/:id/samtycken`: a candidate's consents, the releases made under each,
//! the form for a new consent, withdrawal and revoking one release.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{
    RevokeRelease,
    consents::{CandidateConsents, ConsentView, WithdrawConsent, list_consents},
};
use crate::{
    consent::{
        RecordConsent,
        model::{ConsentForm, ConsentMethod, ConsentStatus, DEFAULT_EXPIRY_MONTHS},
        pages::{consent_fields, language_label},
    },
    field,
    i18n::use_locale,
    ui::{ErrorMessage, ErrorSummary, PostForm, SelectField, TextField},
    ui::{id_param, query_flag, saved_notice},
};

/// A candidate's consents and releases, a new consent, withdrawal.
#[component]
pub fn CandidateConsentsPage() -> impl IntoView {
    let id = id_param();
    let record = ServerAction::<RecordConsent>::new();
    let withdraw = ServerAction::<WithdrawConsent>::new();
    let revoke = ServerAction::<RevokeRelease>::new();
    let data = Resource::new(move || id.get(), list_consents);
    view! {
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(c) => view! { <ConsentsView c record withdraw revoke /> }.into_any(),
                    Err(e) => view! { <Title text=use_locale().t(e.title_key()) /> <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ConsentsView(
    c: CandidateConsents,
    record: ServerAction<RecordConsent>,
    withdraw: ServerAction<WithdrawConsent>,
    revoke: ServerAction<RevokeRelease>,
) -> impl IntoView {
    let l = use_locale();
    let cid = c.candidate_id;
    let title = l.t_args("consents-title", &[("name", c.name.clone())]);
    let saved = query_flag("sparat");
    let withdrawn_flag = query_flag("aterkallat");
    let query = use_query_map();
    let shared = query.read_untracked().get("delad");
    let result = Signal::derive(move || record.value().get());
    let withdraw_result = Signal::derive(move || withdraw.value().get());
    let any_active = c.consents.iter().any(|k| k.status == ConsentStatus::Active);
    let today = c.today;
    let list = if c.consents.is_empty() {
        view! { <p>{l.t("consents-none")}</p> }.into_any()
    } else {
        c.consents
            .into_iter()
            .map(|k| view! { <ConsentCard k withdraw revoke today /> })
            .collect_view()
            .into_any()
    };
    let methods: Vec<(String, String)> = ConsentMethod::ALL
        .iter()
        .map(|m| (m.as_str().to_owned(), l.t(m.label_key())))
        .collect();
    let no_texts = c.texts.is_empty();
    let texts: Vec<(String, String)> = c
        .texts
        .iter()
        .map(|(id, label)| (id.to_string(), label.clone()))
        .collect();
    let ring_error = crate::ui::group_error(result, "rings");
    view! {
        <Title text=title.clone() />
        <h1>{title}</h1>
        <p><a href=format!("/deltagare/{cid}")>{l.t("consents-back")}</a></p>
        {saved_notice("consent-saved", saved)}
        {saved_notice("consent-withdrawn-notice", withdrawn_flag)}
        {shared.map(|code| view! { <p class="notice notice--success" role="status">{l.t_args("release-done", &[("code", code)])}</p> })}
        <ErrorMessageFor result=withdraw_result />
        {any_active.then(|| view! {
            <p><a class="button" href=format!("/deltagare/{cid}/dela")>{l.t("release-start")}</a></p>
        })}
        <h2>{l.t("consents-list")}</h2>
        {list}
        <section class="card" aria-labelledby="new-consent-heading">
            <h2 id="new-consent-heading">{l.t("consent-new")}</h2>
            <p><a href="/samtyckestexter">{l.t("consent-print-forms")}</a></p>
            {if no_texts {
                view! { <p>{l.t("consent-no-texts")} " " <a href="/samtyckestexter">{l.t("consent-texts-title")}</a></p> }.into_any()
            } else {
                view! {
                    <PostForm action=record once=true attr:novalidate="novalidate">
                        <input type="hidden" name="candidate_id" value=cid.to_string() />
                        <ErrorSummary result fields=consent_fields(l) />
                        <SelectField name=field!(ConsentForm, text_id) label=l.t("consent-text") required=true options=texts empty=l.t("form-choose") result />
                        <TextField name=field!(ConsentForm, purpose) label=l.t("consent-purpose") hint=l.t("consent-purpose-hint") required=true multiline=true maxlength=500 result value=Some(l.t("consent-purpose-default")) />
                        <fieldset class="field" id="rings" aria-describedby=move || ring_error().map(|_| "rings-error")>
                            <legend>{l.t("consent-rings")}</legend>
                            {move || ring_error().map(|m| view! { <p class="field__error" id="rings-error">{m}</p> })}
                            {c.rings.iter().map(|(rid, name)| {
                                let input_id = format!("ring-{rid}");
                                // After a failed post without JavaScript: as they were ticked.
                                #[cfg(feature = "ssr")]
                                let checked = crate::ssr::flashed_values("rings[]").contains(&rid.to_string());
                                #[cfg(not(feature = "ssr"))]
                                let checked = false;
                                view! {
                                    <div class="field field--checkbox">
                                        <input type="checkbox" id=input_id.clone() name="rings[]" value=rid.to_string() checked=checked />
                                        <label for=input_id>{name.clone()}</label>
                                    </div>
                                }
                            }).collect_view()}
                        </fieldset>
                        <SelectField name=field!(ConsentForm, method) label=l.t("consent-method") required=true options=methods empty=l.t("form-choose") result />
                        <TextField name=field!(ConsentForm, witness) label=l.t("consent-witness") hint=l.t("consent-witness-hint") maxlength=120 result />
                        <TextField name=field!(ConsentForm, given_on) kind="date" label=l.t("consent-given-on") required=true result value=Some(today.to_string()) />
                        <TextField name=field!(ConsentForm, months) kind="number" label=l.t("consent-months") hint=l.t("consent-months-hint") result value=Some(DEFAULT_EXPIRY_MONTHS.to_string()) />
                        <button type="submit" class="button">{l.t("consent-save")}</button>
                    </PostForm>
                }.into_any()
            }}
        </section>
    }
}

/// An error of an action that is not about one field (a withdrawal, say).
#[component]
fn ErrorMessageFor<T: Clone + Send + Sync + 'static>(
    result: Signal<crate::ui::ActionResult<T>>,
) -> impl IntoView {
    move || match result.get() {
        Some(Err(e)) => Some(view! {
            <div class="error-summary" role="alert"><p>{
                match e.field_errors() {
                    Some(f) => ["withdrawn_on", "how"]
                        .iter()
                        .filter_map(|k| f.get(k).map(|m| use_locale().t(m)))
                        .collect::<Vec<_>>()
                        .join(" "),
                    None => crate::ui::error_text(&e),
                }
            }</p></div>
        }),
        _ => None,
    }
}

#[component]
fn ConsentCard(
    k: ConsentView,
    withdraw: ServerAction<WithdrawConsent>,
    revoke: ServerAction<RevokeRelease>,
    today: chrono::NaiveDate,
) -> impl IntoView {
    let l = use_locale();
    let heading_id = format!("consent-{}", k.id);
    let status_class = match k.status {
        ConsentStatus::Active => "tag",
        _ => "tag tag--warning",
    };
    let withdraw_date_id = format!("withdrawn_on-{}", k.id);
    let withdraw_how_id = format!("how-{}", k.id);
    let rings = k
        .rings
        .iter()
        .map(|(_, n)| n.clone())
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <article class="card" aria-labelledby=heading_id.clone()>
            <h3 id=heading_id.clone()>
                {l.t_args("consent-heading", &[("date", l.date(k.given_on))])}
                " " <span class=status_class>{l.t(k.status.label_key())}</span>
            </h3>
            <dl class="facts">
                <dt>{l.t("consent-rings")}</dt><dd>{rings}</dd>
                <dt>{l.t("consent-purpose")}</dt><dd>{k.purpose.clone()}</dd>
                <dt>{l.t("consent-text")}</dt><dd><a href=format!("/samtyckestexter/{}", k.text.0)>{format!("{} – v{} ({})", k.text.3, k.text.2, language_label(l, &k.text.1))}</a></dd>
                <dt>{l.t("consent-method")}</dt><dd>{l.t(k.method.label_key())}{(!k.witness.is_empty()).then(|| format!(" – {}: {}", l.t("consent-witness"), k.witness))}</dd>
                <dt>{l.t("consent-expires-on")}</dt><dd>{l.date(k.expires_on)}</dd>
                <dt>{l.t("consent-recorded")}</dt><dd>{format!("{}, {}", k.recorded.0, l.datetime(k.recorded.1))}</dd>
                {k.withdrawn.clone().map(|(on, how, by)| view! {
                    <dt>{l.t("consent-withdrawn")}</dt><dd>{format!("{} – {how} ({by})", l.date(on))}</dd>
                })}
            </dl>
            <h4>{l.t("consent-releases")}</h4>
            {if k.releases.is_empty() {
                view! { <p>{l.t("consent-releases-none")}</p> }.into_any()
            } else {
                view! {
                    <ul class="plain-list">
                        {k.releases.iter().map(|r| {
                            let code = r.pseudonym.clone();
                            view! {
                                <li>
                                    <a href=format!("/profiler/{code}")>{code.clone()}</a>
                                    {format!(" – {}", r.ring_name)}
                                    {r.need_title.clone().map(|t| format!(" ({t})"))}
                                    {format!(", {}", l.datetime(r.released_at))}
                                    {match &r.revoked {
                                        Some((at, why)) => view! { " " <span class="tag tag--warning">{l.t_args("release-revoked", &[("date", l.datetime(*at)), ("why", l.t(&format!("release-revoked-{why}")))])}</span> }.into_any(),
                                        None => view! {
                                            " "
                                            <PostForm action=revoke attr:class="inline-form">
                                                <input type="hidden" name="pseudonym" value=code.clone() />
                                                <button type="submit" class="link-button">{l.t_args("release-revoke", &[("code", code.clone())])}</button>
                                            </PostForm>
                                        }.into_any(),
                                    }}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {(k.withdrawn.is_none()).then(|| view! {
                <details>
                    <summary>{l.t("consent-withdraw")}</summary>
                    <PostForm action=withdraw attr:novalidate="novalidate">
                        <input type="hidden" name="consent_id" value=k.id.to_string() />
                        <div class="field">
                            <label for=withdraw_date_id.clone()>{l.t("consent-withdrawn-on")}</label>
                            <input id=withdraw_date_id type="date" name="withdrawn_on" required value=today.to_string() />
                        </div>
                        <div class="field">
                            <label for=withdraw_how_id.clone()>{l.t("consent-withdrawn-how")}</label>
                            <input id=withdraw_how_id type="text" name="how" required maxlength="200" />
                        </div>
                        <button type="submit" class="button button--danger">{l.t("consent-withdraw-submit")}</button>
                    </PostForm>
                </details>
            })}
        </article>
    }
}
