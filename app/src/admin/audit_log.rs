//! `/granskningslogg`: the audit log, searchable (coordinators and admins).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{audit::AuditEntry, error::AppError, i18n::use_locale, ui::ErrorMessage};

/// The newest entries matching `query` (in actor, action, object or detail), at most 200.
#[server(endpoint = "audit/search")]
pub async fn search_audit_log(query: String) -> Result<Vec<AuditEntry>, AppError> {
    let ctx = crate::auth::require_staff().await?;
    crate::audit::service::search(&ctx.db, query.trim(), 200).await
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
                                    {list.into_iter().map(|e| view! {
                                        <tr>
                                            <td>{locale.datetime(e.at)}</td>
                                            <td>{e.actor}</td>
                                            <td><code>{e.action}</code></td>
                                            <td>{format!("{}{}", e.object_type, e.object_id.map(|i| format!(" {i}")).unwrap_or_default())}</td>
                                            <td>{e.outcome}</td>
                                            <td>{e.detail}</td>
                                        </tr>
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
