//! `/granskningslogg`: the audit log, searchable (coordinators and admins).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{audit::AuditEntry, error::AppError, i18n::use_locale, ui::ErrorMessage};

/// The newest entries matching `query`, at most 200: in actor, action, object or
/// detail as stored, in the reader's words for actions, outcomes and objects
/// ("Misslyckad inloggning", "Deltagare 61"), or about a candidate whose name matches.
#[server(endpoint = "audit/search")]
pub async fn search_audit_log(query: String) -> Result<Vec<AuditEntry>, AppError> {
    let ctx = crate::auth::require_staff().await?;
    // No name, code or detail is longer; SQLite refuses LIKE patterns over 50 000 bytes.
    let query: String = query.trim().chars().take(200).collect();
    let query = query.as_str();
    let actions: Vec<&str> = crate::audit::service::Action::ALL
        .iter()
        .map(|a| a.as_str())
        .collect();
    let words = crate::audit::in_codes(use_locale(), query, &actions);
    let candidates = crate::candidates::service::ids_named(&ctx, query).await?;
    crate::audit::service::search_with(&ctx.db, query, &words, &candidates, 200).await
}

/// Search form (a plain GET, so it works without JavaScript) and the newest entries.
#[component]
pub fn AuditLogPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let entries = Resource::new(q, search_audit_log);
    view! {
        <Title text=locale.t("audit-title") />
        <h1>{locale.t("audit-title")}</h1>
        <form method="get" action="/granskningslogg" class="search-form" role="search">
            <div class="field">
                <label for="q">{locale.t("audit-search")}</label>
                <p class="field__hint" id="q-hint">{locale.t("audit-search-hint")}</p>
                <input id="q" name="q" type="search" value=q aria-describedby="q-hint" />
            </div>
            <button type="submit" class="button">{locale.t("audit-search-submit")}</button>
        </form>
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                match entries.await {
                    Ok(list) if list.is_empty() => view! { <p>{locale.t("audit-none")}</p> }.into_any(),
                    Ok(list) => view! {
                        <div class="table-wrap" role="region" aria-labelledby="audit-caption" tabindex="0">
                            <table>
                                <caption id="audit-caption">{locale.t("audit-caption")}</caption>
                                <thead><tr>
                                    <th scope="col">{locale.t("audit-at")}</th>
                                    <th scope="col">{locale.t("audit-actor")}</th>
                                    <th scope="col">{locale.t("audit-action")}</th>
                                    <th scope="col">{locale.t("audit-object")}</th>
                                    <th scope="col">{locale.t("audit-outcome")}</th>
                                    <th scope="col">{locale.t("audit-detail")}</th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|e| {
                                        let words = e.in_words(locale);
                                        view! {
                                            <tr>
                                                <td>{locale.datetime(e.at)}</td>
                                                <td>{words.actor}</td>
                                                <td>{words.action}</td>
                                                <td>{words.object}</td>
                                                <td>{words.outcome}</td>
                                                <td>{e.detail}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
