//! Form parts that follow one pattern: a visible label, an optional hint, the error
//! next to the field (linked with `aria-describedby`), and an error summary at the
//! top that links to each field. Values typed before a failed post come back.

use leptos::prelude::*;

use crate::{error::AppError, i18n::use_locale, ui::error_text};

/// The latest result of an action, as the form fields need it.
pub type ActionResult<T> = Option<Result<T, AppError>>;

/// The message key for `field` in `result`, if it failed validation there.
/// The message of `field`'s error in an action's latest result, in the reader's
/// language (for a group of check boxes, which has no field component of its own).
pub fn group_error<T: Clone + Send + Sync + 'static>(
    result: Signal<ActionResult<T>>,
    field: &'static str,
) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
    move || {
        result
            .with(|r| field_error(r, field))
            .map(|key| use_locale().t(&key))
    }
}

fn field_error<T>(result: &ActionResult<T>, field: &str) -> Option<String> {
    match result {
        Some(Err(err)) => err
            .field_errors()
            .and_then(|errors| errors.get(field))
            .map(str::to_owned),
        _ => None,
    }
}

/// The "saved" notice with message `key`, shown when the page came back from a post
/// that saved (`shown`, a flag the server's redirect put in the query). A page with
/// many forms (a candidate's record, the interest inbox) has one flag value per form,
/// so the notice stands beside the form that was saved.
pub fn saved_notice(
    key: &'static str,
    shown: impl Get<Value = bool> + Send + Sync + 'static,
) -> impl IntoView {
    move || {
        shown.get().then(|| {
            view! { <p class="notice notice--success" role="status">{use_locale().t(key)}</p> }
        })
    }
}

/// The value to show in a field when the page is drawn: what the user typed before a
/// failed post without JavaScript, else the stored value, else nothing.
pub fn initial_value(name: &str, stored: Option<String>) -> String {
    #[cfg(feature = "ssr")]
    let flashed = crate::ssr::flashed_value(name);
    #[cfg(not(feature = "ssr"))]
    let flashed: Option<String> = {
        let _ = name;
        None
    };
    flashed.or(stored).unwrap_or_default()
}

/// `aria-describedby` for a field with an optional hint and an error.
fn described_by(
    hint_id: Option<String>,
    error_id: String,
    error: Memo<Option<String>>,
) -> impl Fn() -> Option<String> + Send + Sync + 'static {
    move || {
        let mut ids = Vec::new();
        if let Some(h) = &hint_id {
            ids.push(h.clone());
        }
        if error.get().is_some() {
            ids.push(error_id.clone());
        }
        if ids.is_empty() {
            None
        } else {
            Some(ids.join(" "))
        }
    }
}

/// Text for the inside of a `<textarea>`. Leptos writes a textarea's children
/// without escaping them, so typed text containing `</textarea>` could break out
/// of the element; a textarea decodes entities, so escaping shows the text as typed.
fn escape_rcdata(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A labelled text input or text area.
#[component]
pub fn TextField<T: Clone + Send + Sync + 'static>(
    /// The form field name, also the element id and the key of its error.
    name: &'static str,
    /// The visible label.
    label: String,
    /// The action whose result carries the field's error.
    result: Signal<ActionResult<T>>,
    /// A hint shown under the label.
    #[prop(optional)]
    hint: Option<String>,
    /// The input type (text, email, date…).
    #[prop(default = "text")]
    kind: &'static str,
    /// Whether the field must be filled in.
    #[prop(optional)]
    required: bool,
    /// A text area instead of a one-line input.
    #[prop(optional)]
    multiline: bool,
    /// The autocomplete token.
    #[prop(optional)]
    autocomplete: Option<&'static str>,
    /// The most characters the field takes.
    #[prop(optional)]
    maxlength: Option<usize>,
    /// The stored value, for an edit form.
    #[prop(into, default = None)]
    value: Option<String>,
    /// The id of a `<datalist>` with suggestions.
    #[prop(optional)]
    list: Option<&'static str>,
) -> impl IntoView {
    let locale = use_locale();
    let error = Memo::new(move |_| result.with(|r| field_error(r, name)));
    let hint_id = hint.as_ref().map(|_| format!("{name}-hint"));
    let error_id = format!("{name}-error");
    let described_by = described_by(hint_id.clone(), error_id.clone(), error);
    let invalid = move || error.get().map(|_| "true");
    let value = initial_value(name, value);
    let control = if multiline {
        view! {
            <textarea
                id=name
                name=name
                rows="6"
                required=required
                maxlength=maxlength
                aria-invalid=invalid
                aria-describedby=described_by
            >
                {escape_rcdata(&value)}
            </textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=name
                name=name
                type=kind
                value=value
                required=required
                maxlength=maxlength
                autocomplete=autocomplete
                list=list
                aria-invalid=invalid
                aria-describedby=described_by
            />
        }
        .into_any()
    };
    view! {
        <div class="field" class:field--error=move || error.get().is_some()>
            <label for=name>{label}</label>
            {hint.map(|h| view! { <p class="field__hint" id=hint_id.clone()>{h}</p> })}
            {move || {
                error
                    .get()
                    .map(|key| {
                        view! {
                            <p class="field__error" id=error_id.clone()>
                                {locale.t(&key)}
                            </p>
                        }
                    })
            }}
            {control}
        </div>
    }
}

/// A labelled drop-down list.
#[component]
pub fn SelectField<T: Clone + Send + Sync + 'static>(
    /// The form field name, also the element id and the key of its error.
    name: &'static str,
    /// The visible label.
    label: String,
    /// The action whose result carries the field's error.
    result: Signal<ActionResult<T>>,
    /// (value, label) of each choice.
    options: Vec<(String, String)>,
    /// A first, empty choice with this label (for an optional field, or "choose…").
    #[prop(optional)]
    empty: Option<String>,
    /// The stored value, for an edit form.
    #[prop(into, default = None)]
    value: Option<String>,
    /// A hint shown under the label.
    #[prop(optional)]
    hint: Option<String>,
    /// Whether a choice must be made.
    #[prop(optional)]
    required: bool,
) -> impl IntoView {
    let locale = use_locale();
    let error = Memo::new(move |_| result.with(|r| field_error(r, name)));
    let hint_id = hint.as_ref().map(|_| format!("{name}-hint"));
    let error_id = format!("{name}-error");
    let described_by = described_by(hint_id.clone(), error_id.clone(), error);
    let selected = initial_value(name, value);
    // HTML allows `required` on a drop-down only when its first choice is an empty
    // placeholder; without one a choice is always made, so the attribute says nothing.
    let required = required && empty.is_some();
    let first = empty.map(|label| {
        let chosen = selected.is_empty();
        view! { <option value="" selected=chosen>{label}</option> }
    });
    let choices = options
        .into_iter()
        .map(|(value, label)| {
            let chosen = value == selected;
            view! { <option value=value selected=chosen>{label}</option> }
        })
        .collect_view();
    view! {
        <div class="field" class:field--error=move || error.get().is_some()>
            <label for=name>{label}</label>
            {hint.map(|h| view! { <p class="field__hint" id=hint_id.clone()>{h}</p> })}
            {move || {
                error.get().map(|key| {
                    view! { <p class="field__error" id=error_id.clone()>{locale.t(&key)}</p> }
                })
            }}
            <select
                id=name
                name=name
                required=required
                aria-invalid=move || error.get().map(|_| "true")
                aria-describedby=described_by
            >
                {first}
                {choices}
            </select>
        </div>
    }
}

/// A labelled check box; it sends `on` when ticked and nothing when not.
#[component]
pub fn CheckboxField(
    /// The form field name, also the element id.
    name: &'static str,
    /// The visible label.
    label: String,
    /// Whether it is ticked when the page is drawn (a stored value).
    #[prop(optional)]
    checked: bool,
) -> impl IntoView {
    // After a failed post without JavaScript the flash holds every typed field: a
    // ticked box is there as "on", an unticked one is missing.
    #[cfg(feature = "ssr")]
    let checked = if crate::ssr::has_flash() {
        crate::ssr::flashed_value(name).is_some()
    } else {
        checked
    };
    view! {
        <div class="field field--checkbox">
            <input type="checkbox" id=name name=name value="on" checked=checked />
            <label for=name>{label}</label>
        </div>
    }
}

/// The summary at the top of a form: on a validation error it lists each field's
/// problem with a link to the field; on any other error it says what went wrong.
#[component]
pub fn ErrorSummary<T: Clone + Send + Sync + 'static>(
    /// The action's latest result.
    result: Signal<ActionResult<T>>,
    /// (field name, label) for every field of the form, in the order shown.
    fields: Vec<(&'static str, String)>,
) -> impl IntoView {
    let locale = use_locale();
    // A refused long form comes back with the person's place lost: `autofocus` puts
    // focus on the summary (so it is read out and in view), as the GOV.UK error summary
    // does.
    move || {
        let error = match result.get() {
            Some(Err(e)) => e,
            _ => return None,
        };
        let body = match error.field_errors() {
            Some(errors) => {
                let items = fields
                    .iter()
                    .filter_map(|(name, label)| {
                        errors.get(name).map(|key| {
                            view! {
                                <li>
                                    // rel="external": the browser, not the router,
                                    // follows the link, so focus lands in the field.
                                    <a href=format!("#{name}") rel="external">
                                        {format!("{label}: {}", locale.t(key))}
                                    </a>
                                </li>
                            }
                        })
                    })
                    .collect_view();
                view! {
                    <p>{locale.t("form-error-summary-intro")}</p>
                    <ul>{items}</ul>
                }
                .into_any()
            }
            None => view! { <p>{error_text(&error)}</p> }.into_any(),
        };
        Some(view! {
            <div class="error-summary" role="alert" tabindex="-1" autofocus=true>
                <h2>{locale.t("form-error-summary")}</h2>
                {body}
            </div>
        })
    }
}

/// The hidden CSRF token every form carries. A form posted without JavaScript by a
/// logged-in browser must return it (the server checks); it is bound to the session.
#[component]
pub fn CsrfField() -> impl IntoView {
    #[cfg(feature = "ssr")]
    let token = crate::ssr::csrf_token().unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let token = String::new();
    view! { <input type="hidden" name="csrf" value=token /> }
}

/// The hidden field naming the page a form was posted from (see [`PostForm`]).
pub const BACK_FIELD: &str = "__back";

/// The hidden field with a create form's once-token (see [`PostForm`]'s `once`). A
/// create server function takes it as its last argument, `#[server(default)] __once:
/// String`, unused in its body: a client that calls the function directly (the leptos
/// client sends a function's own arguments only) sends the token this way too, and the
/// server's `once` middleware reads it.
pub const ONCE_FIELD: &str = "__once";

/// A fresh once-token: random, so that no two forms share one. (Forms are drawn on
/// the server only; the browser bundle holds islands, never a form.)
fn once_token() -> String {
    #[cfg(feature = "ssr")]
    {
        crate::ssr::random_token(16)
    }
    #[cfg(not(feature = "ssr"))]
    {
        String::new()
    }
}

/// Every form that posts to a server function: leptos' `ActionForm`, carrying the
/// session's CSRF token ([`CsrfField`]) and the page it was posted from
/// ([`BACK_FIELD`]). Without JavaScript a refused post comes back to this page with the
/// error and what was typed — also when the browser sends no `Referer` (the server's
/// form middleware reads the field then). Use it for every post; `attr:` attributes
/// reach the `<form>`.
#[component]
pub fn PostForm<ServFn, OutputProtocol>(
/// The server function's action.
    action: ServerAction<ServFn>,
/// The form's fields.
    children: Children,
/// A create form: it carries a once-token, so posting it twice (a double click, a
/// second press before the answer, a resent page) saves one thing (the server's
/// `once` module). Each drawing of the page brings a new token.
    #[prop(optional)]
    once: bool,
) -> impl IntoView
where
    ServFn: serde::de::DeserializeOwned
        + server_fn::ServerFn<Protocol = server_fn::Http<server_fn::codec::PostUrl, OutputProtocol>>
        + Clone
        + Send
        + Sync
        + 'static,
    <<ServFn::Client as server_fn::client::Client<ServFn::Error>>::Request as server_fn::request::ClientReq<
        ServFn::Error,
    >>::FormData: From<leptos::web_sys::FormData>,
    ServFn::Output: Send + Sync + 'static,
    ServFn::Error: Send + Sync + 'static,
    <ServFn as server_fn::ServerFn>::Client: server_fn::client::Client<<ServFn as server_fn::ServerFn>::Error>,
{
    let location = leptos_router::hooks::use_location();
    let back = move || back_path(&location.pathname.get(), &location.search.get());
    view! {
        <leptos::form::ActionForm action=action>
            <CsrfField />
            <input type="hidden" name=BACK_FIELD value=back />
            {once.then(|| view! { <input type="hidden" name=ONCE_FIELD value=once_token() /> })}
            {children()}
        </leptos::form::ActionForm>
    }
}

/// The page a form was on, without the error leptos put in its address.
pub fn back_path(path: &str, search: &str) -> String {
    let kept: Vec<&str> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| {
            !pair.is_empty() && !pair.starts_with("__err=") && !pair.starts_with("__path=")
        })
        .collect();
    if kept.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", kept.join("&"))
    }
}

/// A form with hidden values and one button (remove, mark done …). The caller needs
/// `leptos::prelude::*` and `ui::PostForm` in scope.
macro_rules! button_form {
    ($action:expr, $hidden:expr, $label:expr) => {{
        let hidden: Vec<(&'static str, String)> = $hidden;
        let label: String = $label;
        view! {
            <PostForm action=$action attr:class="inline-form">
                {hidden
                    .into_iter()
                    .map(|(name, value): (&'static str, String)| view! { <input type="hidden" name=name value=value /> })
                    .collect_view()}
                <button type="submit" class="link-button">{label}</button>
            </PostForm>
        }
    }};
}
pub(crate) use button_form;

/// The text, or a dash when it is blank.
pub fn or_dash(s: &str) -> String {
    if s.trim().is_empty() {
        "–".to_owned()
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::escape_rcdata;

    #[test]
    fn text_area_content_cannot_close_the_element() {
        assert_eq!(
            escape_rcdata("a</textarea><script>x()</script>&amp;"),
            "a&lt;/textarea&gt;&lt;script&gt;x()&lt;/script&gt;&amp;amp;"
        );
    }
}
