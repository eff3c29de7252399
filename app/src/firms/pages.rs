//! `/foretag` (the registry, follow-ups due, a new firm) and `/foretag/:id` (one firm:
//! details, ring memberships, people, the outreach log).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{
    CreateFirm, FirmDetail, FirmsOverview, LogOutreach, UpdateFirm, get_firm, list_firms,
    model::{
        Channel, ContactOutcome, FirmForm, OutreachForm, SNI_SECTIONS, SizeClass, sni_label_key,
    },
};
use crate::{
    field,
    i18n::use_locale,
    ui::{
        ActionResult, ErrorMessage, ErrorSummary, PostForm, SelectField, TextField, id_param,
        query_flag, saved_notice,
    },
};

fn firm_fields() -> Vec<(&'static str, String)> {
    let l = use_locale();
    vec![
        ("name", l.t("firm-name")),
        ("org_number", l.t("firm-org-number")),
        ("employees", l.t("firm-employees")),
        ("sni_section", l.t("firm-sni")),
        ("address", l.t("firm-address")),
        ("municipality_id", l.t("firm-municipality")),
        ("contact_name", l.t("firm-contact-name")),
        ("contact_email", l.t("firm-contact-email")),
        ("contact_phone", l.t("firm-contact-phone")),
    ]
}

/// The fields of the firm form, empty or with a firm's stored values.
#[component]
fn FirmFields<T: Clone + Send + Sync + 'static>(
    result: Signal<ActionResult<T>>,
    municipalities: Vec<(i32, String)>,
    #[prop(optional)] firm: Option<FirmDetail>,
) -> impl IntoView {
    let l = use_locale();
    let v = |f: fn(&FirmDetail) -> String| firm.as_ref().map(f);
    let sni_options = SNI_SECTIONS
        .iter()
        .map(|s| (s.to_string(), format!("{s} – {}", l.t(&sni_label_key(s)))))
        .collect();
    let municipality_options = municipalities
        .into_iter()
        .map(|(id, name)| (id.to_string(), name))
        .collect();
    view! {
        <TextField name=field!(FirmForm, name) label=l.t("firm-name") required=true maxlength=160 autocomplete="organization" result value=v(|f| f.name.clone()) />
        <TextField name=field!(FirmForm, org_number) label=l.t("firm-org-number") hint=l.t("firm-org-number-hint") required=true maxlength=20 result value=v(|f| f.org_number.clone()) />
        <TextField name=field!(FirmForm, employees) kind="number" label=l.t("firm-employees") hint=l.t("firm-employees-hint") required=true result value=v(|f| f.employees.to_string()) />
        <SelectField name=field!(FirmForm, sni_section) label=l.t("firm-sni") required=true options=sni_options empty=l.t("form-choose") result value=v(|f| f.sni_section.clone()) />
        <TextField name=field!(FirmForm, address) label=l.t("firm-address") maxlength=300 autocomplete="address-line1" result value=v(|f| f.address.clone()) />
        <SelectField name=field!(FirmForm, municipality_id) label=l.t("firm-municipality") options=municipality_options empty=l.t("form-none") result value=v(|f| f.municipality_id.map(|i| i.to_string()).unwrap_or_default()) />
        <TextField name=field!(FirmForm, contact_name) label=l.t("firm-contact-name") maxlength=120 autocomplete="off" result value=v(|f| f.contact_name.clone()) />
        <TextField name=field!(FirmForm, contact_email) kind="email" label=l.t("firm-contact-email") maxlength=254 autocomplete="off" result value=v(|f| f.contact_email.clone()) />
        <TextField name=field!(FirmForm, contact_phone) kind="tel" label=l.t("firm-contact-phone") maxlength=30 autocomplete="off" result value=v(|f| f.contact_phone.clone()) />
    }
}

/// The registry: follow-ups due, a search, every firm, and the form for a new one.
#[component]
pub fn FirmsPage() -> impl IntoView {
    let l = use_locale();
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let create = ServerAction::<CreateFirm>::new();
    // Not refetched after a post: a failure must leave the form as typed, and a
    // success moves on to the new firm's page.
    let overview = Resource::new(q, list_firms);
    let result = Signal::derive(move || create.value().get());
    view! {
        <Title text=l.t("firms-title") />
        <h1>{l.t("firms-title")}</h1>
        <p>{l.t("firms-intro")}</p>
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) => view! { <FirmsOverviewView overview=o create result /> }.into_any(),
                    Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn FirmsOverviewView(
    overview: FirmsOverview,
    create: ServerAction<CreateFirm>,
    result: Signal<ActionResult<i32>>,
) -> impl IntoView {
    let l = use_locale();
    let query = use_query_map();
    let q = query.read_untracked().get("q").unwrap_or_default();
    let FirmsOverview {
        firms,
        follow_ups,
        municipalities,
    } = overview;
    let follow_up_list = if follow_ups.is_empty() {
        view! { <p>{l.t("followups-none")}</p> }.into_any()
    } else {
        view! {
            <ul class="plain-list">
                {follow_ups.into_iter().map(|f| view! {
                    <li>
                        <strong>{l.date(f.due_on)}</strong>
                        {f.overdue.then(|| view! { " " <span class="tag tag--warning">{l.t("followups-overdue")}</span> })}
                        " – " <a href=format!("/foretag/{}#kontakter", f.firm_id)>{f.firm_name}</a>
                        ": " {f.next_step}
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let table = if firms.is_empty() {
        view! { <p>{l.t("firms-none")}</p> }.into_any()
    } else {
        view! {
            <div class="table-wrap" role="region" aria-labelledby="firms-caption" tabindex="0">
                <table>
                    <caption id="firms-caption">{l.t("firms-caption")}</caption>
                    <thead><tr>
                        <th scope="col">{l.t("firm-name")}</th>
                        <th scope="col">{l.t("firm-org-number")}</th>
                        <th scope="col">{l.t("firm-size")}</th>
                        <th scope="col">{l.t("firm-sni")}</th>
                        <th scope="col">{l.t("firm-rings")}</th>
                        <th scope="col">{l.t("firm-last-contact")}</th>
                    </tr></thead>
                    <tbody>
                        {firms.into_iter().map(|f| view! {
                            <tr>
                                <th scope="row"><a href=format!("/foretag/{}", f.id)>{f.name}</a></th>
                                <td>{f.org_number}</td>
                                <td>{l.t(f.size.label_key())}</td>
                                <td>{format!("{} – {}", f.sni_section, l.t(&sni_label_key(&f.sni_section)))}</td>
                                <td>{if f.rings.is_empty() { l.t("firm-prospect") } else { f.rings.join(", ") }}</td>
                                <td>{f.last_contact.map(|d| l.date(d)).unwrap_or_else(|| "–".to_owned())}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section class="card" aria-labelledby="followups-heading">
            <h2 id="followups-heading">{l.t("followups-title")}</h2>
            {follow_up_list}
        </section>
        <section aria-labelledby="registry-heading">
            <h2 id="registry-heading">{l.t("firms-registry")}</h2>
            <form method="get" action="/foretag" class="search-form" role="search">
                <div class="field">
                    <label for="q">{l.t("firms-search")}</label>
                    <input id="q" name="q" type="search" value=q />
                </div>
                <button type="submit" class="button">{l.t("firms-search-submit")}</button>
            </form>
            {table}
        </section>
        <section class="card" aria-labelledby="new-firm-heading">
            <h2 id="new-firm-heading">{l.t("firms-new")}</h2>
            <PostForm action=create once=true attr:novalidate="novalidate">
                <ErrorSummary result fields=firm_fields() />
                <FirmFields result municipalities />
                <button type="submit" class="button">{l.t("firms-new-submit")}</button>
            </PostForm>
        </section>
    }
}

/// One firm: details, memberships, people, contacts; forms to log a contact and edit.
#[component]
pub fn FirmPage() -> impl IntoView {
    let l = use_locale();
    let id = id_param();
    let update = ServerAction::<UpdateFirm>::new();
    let outreach = ServerAction::<LogOutreach>::new();
    let firm = Resource::new(move || id.get(), get_firm);
    let saved = query_flag("sparat");
    let logged = query_flag("loggat");
    view! {
        <Suspense fallback=crate::ui::loading>
            {move || Suspend::new(async move {
                match firm.await {
                    Ok(f) => view! { <FirmView firm=f update outreach saved logged /> }.into_any(),
                    Err(e) => view! { <Title text=use_locale().t(e.title_key()) /> <ErrorMessage error=e /> }.into_any(),
                }
            })}
        </Suspense>
        <p><a href="/foretag">{l.t("firms-back")}</a></p>
    }
}

#[component]
fn FirmView(
    firm: FirmDetail,
    update: ServerAction<UpdateFirm>,
    outreach: ServerAction<LogOutreach>,
    saved: Memo<bool>,
    logged: Memo<bool>,
) -> impl IntoView {
    let l = use_locale();
    let update_result = Signal::derive(move || update.value().get());
    let outreach_result = Signal::derive(move || outreach.value().get());
    let municipality = firm
        .municipality_id
        .and_then(|id| firm.municipalities.iter().find(|(m, _)| *m == id))
        .map(|(_, n)| n.clone())
        .unwrap_or_else(|| "–".to_owned());
    let large = firm.size == SizeClass::Large;
    let contact = [
        firm.contact_name.clone(),
        firm.contact_email.clone(),
        firm.contact_phone.clone(),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(", ");
    let memberships = if firm.memberships.is_empty() {
        view! { <p>{l.t("firm-no-rings")}</p> }.into_any()
    } else {
        view! {
            <ul class="plain-list">
                {firm.memberships.clone().into_iter().map(move |m| {
                    let when = match m.left_at {
                        Some(left) => l.t_args("membership-spell-ended", &[("from", l.datetime(m.joined_at)), ("to", l.datetime(left))]),
                        None => l.t_args("membership-spell-current", &[("from", l.datetime(m.joined_at))]),
                    };
                    view! { <li><a href=format!("/ringar/{}", m.ring_id)>{m.ring_name.clone()}</a> ": " {when}</li> }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let people = if firm.people.is_empty() {
        view! { <p>{l.t("firm-no-people")}</p> }.into_any()
    } else {
        view! {
            <ul class="plain-list">
                {firm.people.clone().into_iter().map(|(n, e)| view! { <li>{n} " (" {e} ")"</li> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let contacts = if firm.outreach.is_empty() {
        view! { <p>{l.t("outreach-none")}</p> }.into_any()
    } else {
        view! {
            <div class="table-wrap" role="region" aria-labelledby="outreach-caption" tabindex="0">
                <table>
                    <caption id="outreach-caption">{l.t("outreach-caption")}</caption>
                    <thead><tr>
                        <th scope="col">{l.t("outreach-date")}</th>
                        <th scope="col">{l.t("outreach-channel")}</th>
                        <th scope="col">{l.t("outreach-who")}</th>
                        <th scope="col">{l.t("outreach-outcome")}</th>
                        <th scope="col">{l.t("outreach-note")}</th>
                        <th scope="col">{l.t("outreach-next-step")}</th>
                    </tr></thead>
                    <tbody>
                        {firm.outreach.clone().into_iter().map(move |o| {
                            let next = match o.next_step_on {
                                Some(d) if o.followed_up => format!("{} ({}, {})", o.next_step, l.date(d), l.t("outreach-followed-up")),
                                Some(d) => format!("{} ({})", o.next_step, l.date(d)),
                                None => o.next_step.clone(),
                            };
                            view! {
                                <tr>
                                    <td>{l.date(o.contacted_on)}</td>
                                    <td>{l.t(o.channel.label_key())}</td>
                                    <td>{o.coordinator.clone()}</td>
                                    <td>{l.t(o.outcome.label_key())}</td>
                                    <td class="pre-line">{o.note.clone()}</td>
                                    <td>{next}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let channel_options = Channel::ALL
        .iter()
        .map(|c| (c.as_str().to_owned(), l.t(c.label_key())))
        .collect();
    let outcome_options = ContactOutcome::ALL
        .iter()
        .map(|c| (c.as_str().to_owned(), l.t(c.label_key())))
        .collect();
    let outreach_fields = vec![
        ("contacted_on", l.t("outreach-date")),
        ("channel", l.t("outreach-channel")),
        ("outcome", l.t("outreach-outcome")),
        ("note", l.t("outreach-note")),
        ("next_step", l.t("outreach-next-step")),
        ("next_step_on", l.t("outreach-next-step-on")),
    ];
    let today = firm.today.to_string();
    let firm_id = firm.id;
    let municipalities = firm.municipalities.clone();
    view! {
        <Title text=firm.name.clone() />
        <h1>{firm.name.clone()}</h1>
        {saved_notice("saved", saved)}
        {large.then(|| view! { <p class="notice notice--warning">{l.t("firm-large-warning")}</p> })}
        <dl class="facts">
            <dt>{l.t("firm-org-number")}</dt><dd>{firm.org_number.clone()}</dd>
            <dt>{l.t("firm-size")}</dt><dd>{format!("{} ({} {})", l.t(firm.size.short_key()), firm.employees, l.t("firm-employees-unit"))}</dd>
            <dt>{l.t("firm-sni")}</dt><dd>{format!("{} – {}", firm.sni_section, l.t(&sni_label_key(&firm.sni_section)))}</dd>
            <dt>{l.t("firm-address")}</dt><dd>{if firm.address.is_empty() { "–".to_owned() } else { firm.address.clone() }}</dd>
            <dt>{l.t("firm-municipality")}</dt><dd>{municipality}</dd>
            <dt>{l.t("firm-contact")}</dt><dd>{if contact.is_empty() { "–".to_owned() } else { contact }}</dd>
        </dl>
        <section aria-labelledby="rings-heading">
            <h2 id="rings-heading">{l.t("firm-rings")}</h2>
            {memberships}
        </section>
        <section aria-labelledby="people-heading">
            <h2 id="people-heading">{l.t("firm-people")}</h2>
            {people}
        </section>
        <section id="kontakter" aria-labelledby="outreach-heading">
            <h2 id="outreach-heading">{l.t("outreach-title")}</h2>
            {contacts}
            <div class="card">
                <h3>{l.t("outreach-new")}</h3>
                {saved_notice("outreach-logged", logged)}
                <PostForm action=outreach once=true attr:novalidate="novalidate">
                    <input type="hidden" name="firm_id" value=firm_id />
                    <ErrorSummary result=outreach_result fields=outreach_fields />
                    <TextField name=field!(OutreachForm, contacted_on) kind="date" label=l.t("outreach-date") required=true result=outreach_result value=today />
                    <SelectField name=field!(OutreachForm, channel) label=l.t("outreach-channel") required=true options=channel_options result=outreach_result />
                    <SelectField name=field!(OutreachForm, outcome) label=l.t("outreach-outcome") required=true options=outcome_options result=outreach_result />
                    <TextField name=field!(OutreachForm, note) label=l.t("outreach-note") multiline=true maxlength=4000 result=outreach_result />
                    <TextField name=field!(OutreachForm, next_step) label=l.t("outreach-next-step") maxlength=300 result=outreach_result />
                    <TextField name=field!(OutreachForm, next_step_on) kind="date" label=l.t("outreach-next-step-on") hint=l.t("outreach-next-step-on-hint") result=outreach_result />
                    <button type="submit" class="button">{l.t("outreach-submit")}</button>
                </PostForm>
            </div>
        </section>
        <section class="card" aria-labelledby="edit-heading">
            <h2 id="edit-heading">{l.t("firm-edit")}</h2>
            <PostForm action=update attr:novalidate="novalidate">
                <input type="hidden" name="firm_id" value=firm_id />
                <ErrorSummary result=update_result fields=firm_fields() />
                <FirmFields result=update_result municipalities firm />
                <button type="submit" class="button">{l.t("save")}</button>
            </PostForm>
        </section>
    }
}
