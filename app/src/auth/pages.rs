//! Log in, forgotten password, choose a new password.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{Login, RequestPasswordReset, ResetPassword};
use crate::{
    i18n::use_locale,
    ui::{ErrorSummary, PostForm, TextField},
};

/// `/logga-in`
#[component]
pub fn LoginPage() -> impl IntoView {
    let locale = use_locale();
    let action = ServerAction::<Login>::new();
    let result = Signal::derive(move || action.value().get());
    let query = use_query_map();
    let next = query
        .read_untracked()
        .get("next")
        .unwrap_or_else(|| "/".to_owned());
    let next = super::local_next(Some(&next));
    let reset_done = query.read_untracked().get("aterstallt").is_some();
    let fields = vec![
        ("email", locale.t("login-email")),
        ("password", locale.t("login-password")),
    ];
    view! {
        <Title text=locale.t("login-title") />
        <h1>{locale.t("login-title")}</h1>
        {reset_done.then(|| view! { <p class="notice notice--success" role="status">{locale.t("reset-done")}</p> })}
        <section class="card narrow">
            <PostForm action=action attr:novalidate="novalidate">
                <input type="hidden" name="next" value=next />
                <ErrorSummary result=result fields=fields />
                <TextField name="email" kind="email" label=locale.t("login-email") autocomplete="username" required=true result=result />
                <TextField name="password" kind="password" label=locale.t("login-password") autocomplete="current-password" required=true result=result />
                <button type="submit" class="button" disabled=move || action.pending().get()>
                    {locale.t("login-submit")}
                </button>
            </PostForm>
            <p><a href="/glomt-losenord">{locale.t("login-forgot")}</a></p>
        </section>
    }
}

/// `/glomt-losenord`
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let locale = use_locale();
    let action = ServerAction::<RequestPasswordReset>::new();
    let result = Signal::derive(move || action.value().get());
    let query = use_query_map();
    let sent = move || query.read().get("skickat").is_some();
    view! {
        <Title text=locale.t("forgot-title") />
        <h1>{locale.t("forgot-title")}</h1>
        <section class="card narrow">
            <Show
                when=move || !sent()
                fallback=move || view! { <p class="notice notice--success" role="status">{locale.t("forgot-sent")}</p> }
            >
                <p>{locale.t("forgot-intro")}</p>
                <PostForm action=action attr:novalidate="novalidate">
                    <ErrorSummary result=result fields=vec![("email", locale.t("login-email"))] />
                    <TextField name="email" kind="email" label=locale.t("login-email") autocomplete="username" required=true result=result />
                    <button type="submit" class="button">{locale.t("forgot-submit")}</button>
                </PostForm>
            </Show>
        </section>
    }
}

/// `/aterstall-losenord?token=…`: the link in the reset and welcome e-mails.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let locale = use_locale();
    let action = ServerAction::<ResetPassword>::new();
    let result = Signal::derive(move || action.value().get());
    let token = use_query_map()
        .read_untracked()
        .get("token")
        .unwrap_or_default();
    let fields = vec![
        ("password", locale.t("reset-password")),
        ("password_confirm", locale.t("reset-password-confirm")),
    ];
    view! {
        <Title text=locale.t("reset-title") />
        <h1>{locale.t("reset-title")}</h1>
        <section class="card narrow">
            <p>{locale.t("reset-intro")}</p>
            <PostForm action=action attr:novalidate="novalidate">
                <input type="hidden" name="token" value=token />
                <ErrorSummary result=result fields=fields />
                <TextField
                    name="password"
                    kind="password"
                    label=locale.t("reset-password")
                    hint=locale.t("reset-password-hint")
                    autocomplete="new-password"
                    required=true
                    result=result
                />
                <TextField
                    name="password_confirm"
                    kind="password"
                    label=locale.t("reset-password-confirm")
                    autocomplete="new-password"
                    required=true
                    result=result
                />
                <button type="submit" class="button">{locale.t("reset-submit")}</button>
            </PostForm>
        </section>
    }
}
