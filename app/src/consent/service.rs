//! Consent's rules: versioned wordings, recording a consent with its scope, the one
//! question every release asks ("is there an active consent covering this ring?"),
//! withdrawal, and the worker's reminders before a consent expires.

use crate::ssr::BeginWrite;
use std::collections::HashSet;

use crate::db::Db;
use chrono::{Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::{
    ConsentTextView,
    entity::{consent, consent_ring, consent_text},
    model::{
        ConsentForm, ConsentMethod, DEFAULT_EXPIRY_MONTHS, MAX_EXPIRY_MONTHS, REMIND_DAYS_BEFORE,
        expiry,
    },
};
use crate::{
    audit::service::{self as audit, Action},
    auth::{Authed, Staff, entity::user},
    candidates::{entity::candidate, model::LANGUAGES},
    error::{AppError, FieldErrors},
    field,
    firms::model::{parse_date, parse_optional_text, parse_text},
    i18n::today,
    rings::{entity::ring, model::RingStatus},
    ssr::raced,
};

fn text_view(t: consent_text::Model, current: bool) -> ConsentTextView {
    ConsentTextView {
        id: t.id,
        language: t.language,
        version: t.version,
        title: t.title,
        body: t.body,
        created_at: t.created_at,
        current,
    }
}

/// Every wording: by language, newest version first.
pub async fn texts(db: &Db) -> Result<Vec<ConsentTextView>, AppError> {
    let rows = consent_text::Entity::find()
        .order_by_asc(consent_text::Column::Language)
        .order_by_desc(consent_text::Column::Version)
        .all(db)
        .await?;
    let mut seen = HashSet::new();
    Ok(rows
        .into_iter()
        .map(|t| {
            let current = seen.insert(t.language.clone());
            text_view(t, current)
        })
        .collect())
}

/// One wording.
pub async fn text(db: &Db, id: i32) -> Result<ConsentTextView, AppError> {
    let t = consent_text::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let newest = consent_text::Entity::find()
        .filter(consent_text::Column::Language.eq(t.language.clone()))
        .order_by_desc(consent_text::Column::Version)
        .one(db)
        .await?
        .map(|n| n.id);
    let current = newest == Some(t.id);
    Ok(text_view(t, current))
}

/// Adds the next version of the wording in `language`; returns its id.
pub async fn add_text(
    authed: &Authed,
    language: &str,
    title: &str,
    body: &str,
) -> Result<i32, AppError> {
    let mut errors = FieldErrors::new();
    let language = language.trim();
    if !LANGUAGES.iter().any(|(code, _, _)| *code == language) {
        errors.add("language", "field-choice-required");
    }
    let title = parse_text(title, 200)
        .map_err(|k| errors.add("title", k))
        .unwrap_or_default();
    let body = parse_text(body, 20_000)
        .map_err(|k| errors.add("body", k))
        .unwrap_or_default();
    errors.into_result(())?;
    let txn = authed.db.begin_write().await?;
    let version = consent_text::Entity::find()
        .filter(consent_text::Column::Language.eq(language))
        .order_by_desc(consent_text::Column::Version)
        .one(&txn)
        .await?
        .map_or(1, |t| t.version + 1);
    let row = consent_text::ActiveModel {
        language: Set(language.to_owned()),
        version: Set(version),
        title: Set(title),
        body: Set(body),
        created_by: Set(Some(authed.user.id)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    // Two admins saving a version of the same language at once: one wins.
    .map_err(raced)?;
    audit::record(
        &txn,
        authed.event(
            Action::ConsentTextCreate,
            "consent_text",
            row.id,
            format!("{language} v{version}"),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(row.id)
}

struct ConsentInput {
    text_id: i32,
    purpose: String,
    method: ConsentMethod,
    witness: String,
    given_on: NaiveDate,
    expires_on: NaiveDate,
    rings: Vec<i32>,
}

async fn parse_consent(
    db: &impl ConnectionTrait,
    f: &ConsentForm,
    chosen: &[String],
    today: NaiveDate,
) -> Result<ConsentInput, AppError> {
    let mut errors = FieldErrors::new();
    let text_id = match f.text_id.trim().parse::<i32>() {
        Ok(id)
            if consent_text::Entity::find_by_id(id)
                .one(db)
                .await?
                .is_some() =>
        {
            Some(id)
        }
        _ => {
            errors.add(field!(ConsentForm, text_id), "field-choice-required");
            None
        }
    };
    let purpose = parse_text(&f.purpose, 500)
        .map_err(|k| errors.add(field!(ConsentForm, purpose), k))
        .unwrap_or_default();
    let method = ConsentMethod::parse(&f.method);
    if method.is_none() {
        errors.add(field!(ConsentForm, method), "field-choice-required");
    }
    let witness = parse_optional_text(&f.witness, 120)
        .map_err(|k| errors.add(field!(ConsentForm, witness), k))
        .unwrap_or_default();
    if method == Some(ConsentMethod::Oral) && witness.is_empty() {
        errors.add(field!(ConsentForm, witness), "consent-witness-required");
    }
    let given_on = parse_date(&f.given_on)
        .map_err(|k| errors.add(field!(ConsentForm, given_on), k))
        .ok();
    if given_on.is_some_and(|d| d > today) {
        errors.add(field!(ConsentForm, given_on), "field-date-future");
    }
    let months = match f.months.trim() {
        "" => Some(DEFAULT_EXPIRY_MONTHS),
        s => match s.parse::<u32>() {
            Ok(m @ 1..=MAX_EXPIRY_MONTHS) => Some(m),
            _ => {
                errors.add(field!(ConsentForm, months), "consent-months-invalid");
                None
            }
        },
    };
    let expires_on = given_on.zip(months).map(|(g, m)| expiry(g, m));
    if expires_on.is_some_and(|e| e <= today) {
        errors.add(field!(ConsentForm, given_on), "consent-already-expired");
    }
    let mut rings = Vec::new();
    for r in chosen {
        match r.trim().parse::<i32>() {
            Ok(id) => match ring::Entity::find_by_id(id).one(db).await? {
                Some(r) if RingStatus::parse(&r.status) == Some(RingStatus::Active) => {
                    if !rings.contains(&id) {
                        rings.push(id);
                    }
                }
                _ => errors.add("rings", "consent-ring-invalid"),
            },
            Err(_) => errors.add("rings", "consent-ring-invalid"),
        }
    }
    if rings.is_empty() && errors.get("rings").is_none() {
        errors.add("rings", "consent-rings-required");
    }
    match (text_id, method, given_on, expires_on) {
        (Some(text_id), Some(method), Some(given_on), Some(expires_on)) if errors.is_empty() => {
            Ok(ConsentInput {
                text_id,
                purpose,
                method,
                witness,
                given_on,
                expires_on,
                rings,
            })
        }
        _ => Err(AppError::Validation(errors)),
    }
}

async fn candidate_or_404(
    db: &impl ConnectionTrait,
    candidate_id: i32,
) -> Result<candidate::Model, AppError> {
    candidate::Entity::find_by_id(candidate_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Records a consent; returns its id.
pub async fn record(
    authed: &Staff,
    candidate_id: i32,
    f: &ConsentForm,
    rings: &[String],
) -> Result<i32, AppError> {
    candidate_or_404(&authed.db, candidate_id).await?;
    let input = parse_consent(&authed.db, f, rings, today()).await?;
    let txn = authed.db.begin_write().await?;
    let row = consent::ActiveModel {
        candidate_id: Set(candidate_id),
        purpose: Set(input.purpose),
        text_id: Set(input.text_id),
        method: Set(input.method.as_str().to_owned()),
        witness: Set(input.witness),
        given_on: Set(input.given_on),
        expires_on: Set(input.expires_on),
        recorded_by: Set(Some(authed.user.id)),
        recorded_at: Set(Utc::now()),
        withdrawn_on: Set(None),
        withdrawn_how: Set(String::new()),
        withdrawn_by: Set(None),
        reminded_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for ring_id in &input.rings {
        consent_ring::ActiveModel {
            consent_id: Set(row.id),
            ring_id: Set(*ring_id),
        }
        .insert(&txn)
        .await?;
    }
    audit::record(
        &txn,
        authed.event(
            Action::ConsentRecord,
            "candidate",
            candidate_id,
            format!(
                "consent {} rings {:?} until {}",
                row.id, input.rings, input.expires_on
            ),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(row.id)
}

/// Records a withdrawal; `revoke_releases` runs in the same transaction once the
/// consent is marked withdrawn (the releases concept passes its revocation, so this
/// concept needs none of its types) and says how many releases it revoked. Returns
/// the candidate's id. Withdrawing twice changes nothing.
pub async fn withdraw(
    authed: &Staff,
    consent_id: i32,
    withdrawn_on: &str,
    how: &str,
    revoke_releases: impl AsyncFnOnce(&DatabaseTransaction) -> Result<u64, AppError>,
) -> Result<i32, AppError> {
    let c = consent::Entity::find_by_id(consent_id)
        .one(&authed.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::new();
    let on = parse_date(withdrawn_on)
        .map_err(|k| errors.add("withdrawn_on", k))
        .ok();
    if on.is_some_and(|d| d > today()) {
        errors.add("withdrawn_on", "field-date-future");
    }
    if on.is_some_and(|d| d < c.given_on) {
        errors.add("withdrawn_on", "consent-withdrawn-before-given");
    }
    let how = parse_text(how, 200)
        .map_err(|k| errors.add("how", k))
        .unwrap_or_default();
    let on = errors.into_result(on)?.ok_or(AppError::BadRequest)?;
    if c.withdrawn_on.is_some() {
        return Ok(c.candidate_id);
    }
    let txn = authed.db.begin_write().await?;
    let changed = consent::Entity::update_many()
        .col_expr(consent::Column::WithdrawnOn, Some(on).into())
        .col_expr(consent::Column::WithdrawnHow, how.clone().into())
        .col_expr(consent::Column::WithdrawnBy, Some(authed.user.id).into())
        .filter(consent::Column::Id.eq(consent_id))
        .filter(consent::Column::WithdrawnOn.is_null())
        .exec(&txn)
        .await?
        .rows_affected;
    if changed == 1 {
        let revoked = revoke_releases(&txn).await?;
        audit::record(
            &txn,
            authed.event(
                Action::ConsentWithdraw,
                "candidate",
                c.candidate_id,
                format!("consent {consent_id} on {on}; {revoked} releases revoked"),
            ),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(c.candidate_id)
}

/// The active consent of `candidate_id` whose scope covers `ring_id` on `day`, the
/// one that lasts longest if several do.
pub async fn covering(
    db: &impl ConnectionTrait,
    candidate_id: i32,
    ring_id: i32,
    day: NaiveDate,
) -> Result<Option<consent::Model>, AppError> {
    let in_scope: Vec<i32> = consent_ring::Entity::find()
        .filter(consent_ring::Column::RingId.eq(ring_id))
        .select_only()
        .column(consent_ring::Column::ConsentId)
        .into_tuple()
        .all(db)
        .await?;
    if in_scope.is_empty() {
        return Ok(None);
    }
    Ok(consent::Entity::find()
        .filter(consent::Column::CandidateId.eq(candidate_id))
        .filter(consent::Column::Id.is_in(in_scope))
        .filter(consent::Column::WithdrawnOn.is_null())
        .filter(consent::Column::GivenOn.lte(day))
        .filter(consent::Column::ExpiresOn.gt(day))
        .order_by_desc(consent::Column::ExpiresOn)
        .one(db)
        .await?)
}

/// The rings an active consent of `candidate_id` covers on `day`.
pub async fn covered_rings(
    db: &impl ConnectionTrait,
    candidate_id: i32,
    day: NaiveDate,
) -> Result<Vec<i32>, AppError> {
    let active: Vec<i32> = consent::Entity::find()
        .filter(consent::Column::CandidateId.eq(candidate_id))
        .filter(consent::Column::WithdrawnOn.is_null())
        .filter(consent::Column::GivenOn.lte(day))
        .filter(consent::Column::ExpiresOn.gt(day))
        .select_only()
        .column(consent::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    if active.is_empty() {
        return Ok(Vec::new());
    }
    let mut rings: Vec<i32> = consent_ring::Entity::find()
        .filter(consent_ring::Column::ConsentId.is_in(active))
        .select_only()
        .column(consent_ring::Column::RingId)
        .into_tuple()
        .all(db)
        .await?;
    rings.sort_unstable();
    rings.dedup();
    Ok(rings)
}

/// Of `candidates`, those an active consent on `day` covers `ring_id` for.
pub async fn covering_ring(
    db: &impl ConnectionTrait,
    candidates: &[i32],
    ring_id: i32,
    day: NaiveDate,
) -> Result<HashSet<i32>, AppError> {
    if candidates.is_empty() {
        return Ok(HashSet::new());
    }
    let active: Vec<(i32, i32)> = consent::Entity::find()
        .filter(consent::Column::CandidateId.is_in(candidates.iter().copied()))
        .filter(consent::Column::WithdrawnOn.is_null())
        .filter(consent::Column::GivenOn.lte(day))
        .filter(consent::Column::ExpiresOn.gt(day))
        .select_only()
        .column(consent::Column::Id)
        .column(consent::Column::CandidateId)
        .into_tuple()
        .all(db)
        .await?;
    if active.is_empty() {
        return Ok(HashSet::new());
    }
    let in_ring: HashSet<i32> = consent_ring::Entity::find()
        .filter(consent_ring::Column::ConsentId.is_in(active.iter().map(|(c, _)| *c)))
        .filter(consent_ring::Column::RingId.eq(ring_id))
        .select_only()
        .column(consent_ring::Column::ConsentId)
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(active
        .into_iter()
        .filter(|(c, _)| in_ring.contains(c))
        .map(|(_, who)| who)
        .collect())
}

/// The worker's daily reminders: tells the recording coordinator of a consent that
/// expires within [`REMIND_DAYS_BEFORE`] days (once: the reminder is claimed with a
/// conditional update in the same transaction as its e-mail). Returns how many went.
/// (Releases under expired consents are revoked by `releases::service::revoke_expired`.)
pub async fn remind(db: &Db, base_url: &str) -> Result<usize, AppError> {
    let host = crate::auth::service::host_of(base_url);
    let today = today();
    let due = consent::Entity::find()
        .filter(consent::Column::RemindedAt.is_null())
        .filter(consent::Column::WithdrawnOn.is_null())
        .filter(consent::Column::ExpiresOn.gt(today))
        .filter(consent::Column::ExpiresOn.lte(today + Duration::days(REMIND_DAYS_BEFORE)))
        .all(db)
        .await?;
    let mut reminded = 0;
    for c in due {
        let txn = db.begin_write().await?;
        let claimed = consent::Entity::update_many()
            .col_expr(consent::Column::RemindedAt, Some(Utc::now()).into())
            .filter(consent::Column::Id.eq(c.id))
            .filter(consent::Column::RemindedAt.is_null())
            .exec(&txn)
            .await?
            .rows_affected
            == 1;
        let coordinator = match c.recorded_by {
            Some(id) => user::Entity::find_by_id(id)
                .one(&txn)
                .await?
                .filter(|u| u.disabled_at.is_none()),
            None => None,
        };
        if claimed && let Some(to) = coordinator {
            let mail = crate::mail::templates::consent_expiring(
                &to.email,
                &to.locale,
                c.expires_on,
                &format!("{base_url}/deltagare/{}/samtycken", c.candidate_id),
            );
            crate::mail::service::enqueue(&txn, &mail, &host).await?;
            reminded += 1;
        }
        txn.commit().await?;
    }
    Ok(reminded)
}
