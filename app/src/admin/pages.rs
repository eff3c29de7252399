//! `/admin/konton` (accounts) and `/admin/utkorg` (undelivered e-mail).

use leptos::prelude::*;
use leptos_meta::Title;

use super::{
    AccountView, ChangeAccountRole, CreateAccount, SetAccountDisabled, account_firms,
    list_accounts, list_failed_mail,
};
use crate::{
    auth::model::Role,
    i18n::use_locale,
    ui::{
        ErrorMessage, ErrorSummary, PostForm, SelectField, TextField, error_text, query_flag,
        saved_notice,
    },
};

/// The admin's account list with the form to create a coordinator.
#[component]
pub fn AccountsPage() -> impl IntoView {
    let locale = use_locale();
    let create = ServerAction::<CreateAccount>::new();
    let disable = ServerAction::<SetAccountDisabled>::new();
    let role = ServerAction::<ChangeAccountRole>::new();
    let accounts = Resource::new(|| (), |_| list_accounts());
    let result = Signal::derive(move || create.value().get());
    let row_error = move || {
        [disable.value().get(), role.value().get()]
            .into_iter()
            .flatten()
            .find_map(|r| r.err())
            .map(|e| view! { <p class="notice notice--error" role="alert">{error_text(&e)}</p> })
    };
    let fields = vec![
        ("name", locale.t("account-name")),
        ("email", locale.t("login-email")),
        ("role", locale.t("account-role")),
        ("firm_id", locale.t("account-firm")),
    ];
    let firms = Resource::new(|| (), |_| account_firms());
    view! {
        <Title text=locale.t("accounts-title") />
        <h1>{locale.t("accounts-title")}</h1>
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                match accounts.await {
                    Ok(list) => view! { {row_error} <AccountTable list disable role /> }.into_any(),
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
        <section class="card" aria-labelledby="create-heading">
            <h2 id="create-heading">{locale.t("accounts-create")}</h2>
            <p>{locale.t("accounts-create-intro")}</p>
            {saved_notice("accounts-created", query_flag("skapat"))}
            <PostForm action=create once=true attr:novalidate="novalidate">
                <ErrorSummary result=result fields=fields />
                <TextField name="name" label=locale.t("account-name") autocomplete="off" required=true result=result />
                <TextField name="email" kind="email" label=locale.t("login-email") autocomplete="off" required=true result=result />
                <div class="field">
                    <label for="role">{locale.t("account-role")}</label>
                    <select id="role" name="role">
                        {Role::ALL
                            .into_iter()
                            .map(|r| view! { <option value=r.as_str() selected=r == Role::Coordinator>{locale.t(r.label_key())}</option> })
                            .collect_view()}
                    </select>
                </div>
                <Suspense fallback=crate::ui::loading>
                    {move || Suspend::new(async move {
                        let options = firms
                            .await
                            .unwrap_or_default()
                            .into_iter()
                            .map(|(id, name)| (id.to_string(), name))
                            .collect::<Vec<_>>();
                        let l = use_locale();
                        view! {
                            <SelectField name="firm_id" label=l.t("account-firm") hint=l.t("account-firm-hint") options empty=l.t("account-firm-none") result />
                        }
                    })}
                </Suspense>
                <button type="submit" class="button">{locale.t("accounts-create-submit")}</button>
            </PostForm>
        </section>
    }
}

#[component]
fn AccountTable(
    list: Vec<AccountView>,
    disable: ServerAction<SetAccountDisabled>,
    role: ServerAction<ChangeAccountRole>,
) -> impl IntoView {
    let locale = use_locale();
    view! {
        <div class="table-wrap" role="region" aria-labelledby="accounts-caption" tabindex="0">
            <table>
                <caption id="accounts-caption">{locale.t("accounts-caption")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{locale.t("account-name")}</th>
                        <th scope="col">{locale.t("login-email")}</th>
                        <th scope="col">{locale.t("account-role")}</th>
                        <th scope="col">{locale.t("account-status")}</th>
                    </tr>
                </thead>
                <tbody>
                    {list
                        .into_iter()
                        .map(|a| {
                            let select_id = format!("role-{}", a.id);
                            let role_label = locale.t_args("account-role-of", &[("name", a.name.clone())]);
                            let toggle_label = if a.disabled {
                                locale.t_args("account-enable", &[("name", a.name.clone())])
                            } else {
                                locale.t_args("account-disable", &[("name", a.name.clone())])
                            };
                            view! {
                                <tr>
                                    <th scope="row">{a.name.clone()}</th>
                                    <td>{a.email.clone()}</td>
                                    <td>
                                        <PostForm action=role attr:class="inline-form">
                                            <input type="hidden" name="user_id" value=a.id />
                                            <label for=select_id.clone() class="visually-hidden">{role_label}</label>
                                            <select id=select_id name="role">
                                                {Role::ALL
                                                    .into_iter()
                                                    .map(|r| view! { <option value=r.as_str() selected=r == a.role>{locale.t(r.label_key())}</option> })
                                                    .collect_view()}
                                            </select>
                                            // The visible word starts the accessible name (WCAG 2.5.3).
                                            <button type="submit" class="button button--small">
                                                {locale.t("account-role-save")}
                                                <span class="visually-hidden">{locale.t_args("account-role-save-of", &[("name", a.name.clone())])}</span>
                                            </button>
                                        </PostForm>
                                    </td>
                                    <td>
                                        <span>{if a.disabled { locale.t("account-disabled") } else { locale.t("account-active") }}</span>
                                        <PostForm action=disable attr:class="inline-form">
                                            <input type="hidden" name="user_id" value=a.id />
                                            <input type="hidden" name="disabled" value=if a.disabled { "false" } else { "true" } />
                                            <button type="submit" class="button button--small button--secondary">
                                                {toggle_label}
                                            </button>
                                        </PostForm>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// E-mails the outbox gave up on.
#[component]
pub fn FailedMailPage() -> impl IntoView {
    let locale = use_locale();
    let mails = Resource::new(|| (), |_| list_failed_mail());
    view! {
        <Title text=locale.t("outbox-title") />
        <h1>{locale.t("outbox-title")}</h1>
        <p>{locale.t("outbox-intro")}</p>
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                match mails.await {
                    Ok(list) if list.is_empty() => view! { <p>{locale.t("outbox-none")}</p> }.into_any(),
                    Ok(list) => view! {
                        <div class="table-wrap" role="region" aria-labelledby="outbox-caption" tabindex="0">
                            <table>
                                <caption id="outbox-caption">{locale.t("outbox-title")}</caption>
                                <thead><tr>
                                    <th scope="col">{locale.t("outbox-queued")}</th>
                                    <th scope="col">{locale.t("outbox-to")}</th>
                                    <th scope="col">{locale.t("outbox-subject")}</th>
                                    <th scope="col">{locale.t("outbox-attempts")}</th>
                                    <th scope="col">{locale.t("outbox-error")}</th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|m| view! {
                                        <tr>
                                            <td>{locale.datetime(m.created_at)}</td>
                                            <td>{m.to}</td>
                                            <td>{m.subject}</td>
                                            <td>{m.attempts}</td>
                                            <td>{m.last_error}</td>
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
