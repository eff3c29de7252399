//! Releases' rules: building the anonymised profile from a candidate's record, the
//! guard against re-identification, releasing under an active consent with a fresh
//! pseudonym, and revoking (and cancelling the e-mails that mention a release).
//! Beside it: `preview` (the release page), `views` (what members see) and
//! `interest` (interest → meeting → outcome).

use crate::ssr::BeginWrite;
use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, Utc};
use rand::Rng;

use crate::candidates::model::age_on;
use crate::db::Db;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, Statement,
};

use super::{
    entity::release,
    guard::{Proposal, QuasiIds, Scope, crowd_of, profile as profile_of, propose},
    model::{AnonymisedProfile, Levels},
};
use crate::{
    audit::service::{self as audit, Action},
    auth::{Authed, Staff},
    candidates::{
        entity::{assessment, candidate, education, experience, language, preference},
        model::Criterion,
    },
    consent::{entity::consent, service as consents},
    error::{AppError, FieldErrors},
    firms::model::{parse_optional_text, parse_text},
    i18n::{Locale, today},
    needs::{entity::need, model::NeedStatus},
    rings::{entity::ring, model::RingStatus},
    ssr::{raced, sql},
};

/// Pseudonym characters: no 0/O or 1/I to misread.
const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

fn new_pseudonym() -> String {
    let mut rng = rand::rng();
    let code: String = (0..4)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect();
    format!("K-{code}")
}

/// The ring a release was made to.
pub async fn ring_of(db: &impl ConnectionTrait, pseudonym: &str) -> Result<Option<i32>, AppError> {
    Ok(release::Entity::find()
        .filter(release::Column::Pseudonym.eq(pseudonym.trim()))
        .one(db)
        .await?
        .map(|r| r.ring_id))
}

/// The candidates a profile is checked against: every active candidate and the one
/// being released, as the guard sees them; and where the target is in the list.
pub async fn population(
    db: &impl ConnectionTrait,
    target: i32,
    today: NaiveDate,
) -> Result<(Vec<QuasiIds>, usize), AppError> {
    let people: Vec<(i32, NaiveDate, String, Option<NaiveDate>)> = candidate::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(candidate::Column::Active.eq(true))
                .add(candidate::Column::Id.eq(target)),
        )
        .select_only()
        .column(candidate::Column::Id)
        .column(candidate::Column::BirthDate)
        .column(candidate::Column::DrivingLicence)
        .column(candidate::Column::AvailableFrom)
        .order_by_asc(candidate::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mut by_id: HashMap<i32, QuasiIds> = people
        .into_iter()
        .map(|(id, birth, licence, available)| {
            (
                id,
                QuasiIds {
                    age: age_on(birth, today),
                    licence,
                    available: available.unwrap_or(today).max(today),
                    ..Default::default()
                },
            )
        })
        .collect();
    if !by_id.contains_key(&target) {
        return Err(AppError::NotFound);
    }
    let languages: Vec<(i32, String, String)> = language::Entity::find()
        .select_only()
        .column(language::Column::CandidateId)
        .column(language::Column::Language)
        .column(language::Column::Level)
        .into_tuple()
        .all(db)
        .await?;
    for (id, code, level) in languages {
        if let Some(q) = by_id.get_mut(&id) {
            if code == "sv" {
                q.swedish = Some(level);
            } else {
                q.languages.push((code, level));
            }
        }
    }
    // The highest education: by level, then years.
    let educations: Vec<(i32, i16, i16, String)> = education::Entity::find()
        .select_only()
        .column(education::Column::CandidateId)
        .column(education::Column::Isced)
        .column(education::Column::Years)
        .column(education::Column::Field)
        .order_by_asc(education::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mut highest: HashMap<i32, (i16, i16)> = HashMap::new();
    for (id, isced, years, field) in educations {
        if let Some(q) = by_id.get_mut(&id) {
            let best = highest.entry(id).or_insert((i16::MIN, i16::MIN));
            if (isced, years) > *best {
                *best = (isced, years);
                q.education = Some((isced, field));
            }
        }
    }
    let experiences: Vec<(i32, String, i16)> = experience::Entity::find()
        .select_only()
        .column(experience::Column::CandidateId)
        .column(experience::Column::OccupationCode)
        .column(experience::Column::Years)
        .into_tuple()
        .all(db)
        .await?;
    for (id, code, years) in experiences {
        if let Some(q) = by_id.get_mut(&id) {
            q.experience.push((code, years));
        }
    }
    let preferences: Vec<(i32, String)> = preference::Entity::find()
        .select_only()
        .column(preference::Column::CandidateId)
        .column(preference::Column::OccupationCode)
        .into_tuple()
        .all(db)
        .await?;
    for (id, code) in preferences {
        if let Some(q) = by_id.get_mut(&id) {
            q.preferred.push(code);
        }
    }
    // A criterion holds when its latest assessment says so.
    let assessments: Vec<(i32, String, bool)> = assessment::Entity::find()
        .select_only()
        .column(assessment::Column::CandidateId)
        .column(assessment::Column::Criterion)
        .column(assessment::Column::Met)
        .order_by_asc(assessment::Column::AssessedOn)
        .order_by_asc(assessment::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mut latest: HashMap<(i32, String), bool> = HashMap::new();
    for (id, criterion, met) in assessments {
        latest.insert((id, criterion), met);
    }
    for ((id, criterion), met) in latest {
        if let (true, Some(q), Some(c)) = (met, by_id.get_mut(&id), Criterion::parse(&criterion)) {
            q.criteria.push(c);
        }
    }
    let mut ids: Vec<i32> = by_id.keys().copied().collect();
    ids.sort_unstable();
    let at = ids.iter().position(|id| *id == target).unwrap_or_default();
    let people = ids
        .into_iter()
        .filter_map(|id| by_id.remove(&id))
        .map(QuasiIds::normalised)
        .collect();
    Ok((people, at))
}

/// What a release toward `need` (or, without one, toward the ring's open needs)
/// asks for.
pub fn scope_of(needs: &[&need::Model], today: NaiveDate) -> Scope {
    Scope {
        need_codes: needs.iter().map(|n| n.occupation_code.clone()).collect(),
        swedish_asked: needs.iter().any(|n| !n.swedish_level.trim().is_empty()),
        licence_asked: needs.iter().any(|n| !n.driving_licence.trim().is_empty()),
        today,
    }
}

/// Occupation names for the codes a profile shows, in `locale`.
pub(super) async fn fill_names(
    db: &impl ConnectionTrait,
    profiles: &mut [&mut AnonymisedProfile],
    locale: Locale,
) -> Result<(), AppError> {
    let codes: HashSet<String> = profiles
        .iter()
        .flat_map(|p| {
            p.experience
                .iter()
                .map(|e| e.ssyk.clone())
                .chain(p.preferred.iter().map(|(c, _)| c.clone()))
        })
        .collect();
    let names = occupation_names(db, codes, locale).await?;
    for p in profiles.iter_mut() {
        put_names(p, &names);
    }
    Ok(())
}

/// SSYK code → the occupation's name in `locale`.
pub(super) async fn occupation_names(
    db: &impl ConnectionTrait,
    codes: HashSet<String>,
    locale: Locale,
) -> Result<HashMap<String, String>, AppError> {
    Ok(crate::needs::occupations::taxonomy(db)
        .await?
        .views(codes.iter().map(String::as_str), locale)
        .into_iter()
        .map(|(code, view)| (code, view.name))
        .collect())
}

/// A short text that identifies what a page showed: the profile's facts, the
/// levels and the need, so a release posted from a page releases what it showed.
pub(super) fn fingerprint(
    profile: &AnonymisedProfile,
    levels: &Levels,
    need_id: Option<i32>,
) -> String {
    use sha2::{Digest, Sha256};
    let json = serde_json::to_string(&profile.shown_part()).unwrap_or_default();
    let digest = Sha256::digest(format!("{}|{:?}|{json}", levels.encode(), need_id));
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

pub(super) async fn open_needs(
    db: &impl ConnectionTrait,
    ring_id: i32,
) -> Result<Vec<need::Model>, AppError> {
    Ok(need::Entity::find()
        .filter(need::Column::RingId.eq(ring_id))
        .filter(need::Column::Status.eq(NeedStatus::Open.as_str()))
        .order_by_asc(need::Column::Title)
        .all(db)
        .await?)
}

/// The guard's work for one candidate, ring and need.
pub(super) struct Guarding {
    pub(super) people: Vec<QuasiIds>,
    pub(super) at: usize,
    pub(super) scope: Scope,
    pub(super) proposal: Option<Proposal>,
}

impl Guarding {
    pub(super) fn target(&self) -> &QuasiIds {
        &self.people[self.at]
    }
}

pub(super) async fn guarding(
    authed: &Authed,
    candidate_id: i32,
    needs: &[&need::Model],
    today: NaiveDate,
) -> Result<Guarding, AppError> {
    let (people, at) = population(&authed.db, candidate_id, today).await?;
    let scope = scope_of(needs, today);
    let proposal = propose(&people[at], &people, authed.config.k_anonymity, &scope);
    Ok(Guarding {
        people,
        at,
        scope,
        proposal,
    })
}

/// The need a release points at: one of the ring's open needs, or none.
pub(super) fn chosen_need(open: &[need::Model], need_id: Option<i32>) -> Option<&need::Model> {
    need_id.and_then(|id| open.iter().find(|n| n.id == id))
}

/// Occupation names for every code a profile of `q` can show (each occupation and
/// its groups), in `locale`.
pub(super) async fn names_for(
    db: &impl ConnectionTrait,
    q: &QuasiIds,
    locale: Locale,
) -> Result<HashMap<String, String>, AppError> {
    let codes: HashSet<String> = q
        .experience
        .iter()
        .map(|(c, _)| c)
        .chain(q.preferred.iter())
        .flat_map(|c| (1..=c.len()).filter_map(|n| c.get(..n)).map(str::to_owned))
        .collect();
    occupation_names(db, codes, locale).await
}

pub(super) fn put_names(p: &mut AnonymisedProfile, names: &HashMap<String, String>) {
    for e in &mut p.experience {
        e.name = names.get(&e.ssyk).cloned().unwrap_or_default();
    }
    for (code, name) in &mut p.preferred {
        *name = names.get(code).cloned().unwrap_or_default();
    }
}

/// Whether a release may be shown on `today`: not revoked, and its consent active.
pub(super) fn live(
    r: &release::Model,
    consents: &HashMap<i32, consent::Model>,
    today: NaiveDate,
) -> bool {
    r.revoked_at.is_none()
        && consents
            .get(&r.consent_id)
            .is_some_and(|c| c.active_on(today))
}

pub(super) async fn consents_of(
    db: &impl ConnectionTrait,
    releases: &[release::Model],
) -> Result<HashMap<i32, consent::Model>, AppError> {
    let ids: Vec<i32> = releases.iter().map(|r| r.consent_id).collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(consent::Entity::find()
        .filter(consent::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect())
}

pub use super::model::ReleaseFields;

fn scanned(
    errors: &mut FieldErrors,
    field: &str,
    text: Result<String, &'static str>,
    name: &str,
) -> String {
    match text {
        Ok(t) => {
            if let Some(finding) = crate::pii::scan(&t, name).first() {
                errors.add(field, finding.message_key());
            }
            t
        }
        Err(k) => {
            errors.add(field, k);
            String::new()
        }
    }
}

/// Releases the candidate's profile to `ring_id`; returns the pseudonym.
pub async fn release(
    authed: &Authed,
    candidate_id: i32,
    ring_id: i32,
    form: ReleaseFields,
) -> Result<String, AppError> {
    let db = &authed.db;
    let today = today();
    let the_candidate = candidate::Entity::find_by_id(candidate_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let the_ring = ring::Entity::find_by_id(ring_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::new();
    let open = open_needs(db, ring_id).await?;
    let need = match form.need_id.trim() {
        "" => None,
        s => match chosen_need(&open, s.parse::<i32>().ok()) {
            Some(n) => Some(n),
            None => {
                errors.add("need_id", "release-need-invalid");
                None
            }
        },
    };
    let name = the_candidate.name.clone();
    let headline = scanned(
        &mut errors,
        "headline",
        parse_text(&form.headline, 100),
        &name,
    );
    let summary = scanned(
        &mut errors,
        "summary",
        parse_optional_text(&form.summary, 800),
        &name,
    );
    let asked = match form.levels.trim() {
        "" => None,
        s => match Levels::decode(s) {
            Some(l) => Some(l),
            None => {
                errors.add("levels", "release-levels-invalid");
                None
            }
        },
    };
    errors.into_result(())?;
    if RingStatus::parse(&the_ring.status) != Some(RingStatus::Active) {
        return Err(AppError::Conflict("release-ring-closed".into()));
    }
    let Some(consent) = consents::covering(db, candidate_id, ring_id, today).await? else {
        return Err(AppError::ConsentRequired);
    };
    // One live profile per person and ring: two would show the ring one person twice.
    let live_in_ring = release::Entity::find()
        .filter(release::Column::CandidateId.eq(candidate_id))
        .filter(release::Column::RingId.eq(ring_id))
        .filter(release::Column::RevokedAt.is_null())
        .all(db)
        .await?;
    let consents_in_ring = consents_of(db, &live_in_ring).await?;
    if live_in_ring
        .iter()
        .any(|r| live(r, &consents_in_ring, today))
    {
        return Err(AppError::Conflict("release-already-in-ring".into()));
    }
    let needs: Vec<&need::Model> = match need {
        Some(n) => vec![n],
        None => open.iter().collect(),
    };
    let g = guarding(authed, candidate_id, &needs, today).await?;
    let Some(proposal) = g.proposal.as_ref() else {
        return Err(AppError::Conflict("release-refused".into()));
    };
    // Less than the guard requires now (the municipality changed since the page
    // was shown) is never released; neither is anything but what the page showed.
    let levels = asked.unwrap_or(proposal.levels);
    if !levels.at_least(&proposal.levels)
        || crowd_of(g.target(), &g.people, &levels, &g.scope) < authed.config.k_anonymity
    {
        return Err(AppError::Conflict("release-profile-changed".into()));
    }
    let mut profile = profile_of(g.target(), &levels, &g.scope);
    let need_id = need.map(|n| n.id);
    if form.fingerprint.trim() != fingerprint(&profile, &levels, need_id) {
        return Err(AppError::Conflict("release-profile-changed".into()));
    }
    profile.headline = headline.clone();
    profile.summary = summary;
    let txn = db.begin_write().await?;
    let mut code = new_pseudonym();
    for _ in 0..8 {
        let taken = release::Entity::find()
            .filter(release::Column::Pseudonym.eq(code.clone()))
            .one(&txn)
            .await?
            .is_some();
        if !taken {
            break;
        }
        code = new_pseudonym();
    }
    profile.pseudonym = code.clone();
    let json = serde_json::to_string(&profile)
        .map_err(|e| AppError::unexpected(anyhow::Error::from(e)))?;
    let generalised = levels != Levels::EXACT;
    let row = release::ActiveModel {
        consent_id: Set(consent.id),
        candidate_id: Set(candidate_id),
        ring_id: Set(ring_id),
        need_id: Set(need_id),
        pseudonym: Set(code.clone()),
        profile: Set(json),
        headline: Set(headline),
        generalised: Set(generalised),
        levels: Set(levels.encode()),
        released_by: Set(Some(authed.user.id)),
        released_at: Set(Utc::now()),
        revoked_at: Set(None),
        revoked_reason: Set(String::new()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(raced)?;
    audit::record(
        &txn,
        authed.event(
            Action::ReleaseCreate,
            "candidate",
            candidate_id,
            format!(
                "release {} ({code}) to ring {ring_id} under consent {}, levels {}",
                row.id,
                consent.id,
                levels.encode()
            ),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(code)
}

/// Cancels the pending e-mails that mention any release matching `where_sql` (a
/// condition on `r`, the releases table, with one `?` bound to `value`).
async fn cancel_mail(
    db: &impl ConnectionTrait,
    where_sql: &str,
    value: sea_orm::Value,
) -> Result<(), AppError> {
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            &format!(
                "UPDATE outbox SET status = 'cancelled' WHERE status = 'pending' AND id IN \
                 (SELECT m.outbox_id FROM outbox_releases m JOIN releases r ON r.id = m.release_id \
                  WHERE {where_sql})"
            ),
        ),
        [value],
    ))
    .await?;
    Ok(())
}

/// Records that the candidate withdrew consent `consent_id` and revokes every live
/// release under it, in one transaction (the consent's own rules are
/// `consent::service::withdraw`'s). Returns the candidate's id.
pub async fn withdraw_consent(
    authed: &Staff,
    consent_id: i32,
    withdrawn_on: &str,
    how: &str,
) -> Result<i32, AppError> {
    consents::withdraw(authed, consent_id, withdrawn_on, how, async |txn| {
        revoke_under(txn, consent_id, "withdrawn").await
    })
    .await
}

/// The worker's daily consent round: revokes the releases of consents that expired,
/// then reminds coordinators of consents about to expire (`consent::service::remind`).
/// Returns (revoked, reminded).
pub async fn expire_and_remind(db: &Db, base_url: &str) -> Result<(u64, usize), AppError> {
    let revoked = revoke_expired(db).await?;
    let reminded = consents::remind(db, base_url).await?;
    Ok((revoked, reminded))
}

/// The worker's daily round: revokes the releases of consents that expired (each
/// consent in its own transaction). Returns how many were revoked.
pub async fn revoke_expired(db: &Db) -> Result<u64, AppError> {
    // Only consents that still have live releases: the work stays as small as what
    // is left to do, however many consents expired over the years.
    let backend = db.get_database_backend();
    let expired: Vec<i32> = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            sql(
                backend,
                "SELECT DISTINCT r.consent_id AS id FROM releases r \
                 JOIN consents c ON c.id = r.consent_id \
                 WHERE r.revoked_at IS NULL AND c.expires_on <= ?",
            ),
            [today().into()],
        ))
        .await?
        .into_iter()
        .map(|row| row.try_get::<i32>("", "id"))
        .collect::<Result<_, _>>()?;
    let mut revoked = 0;
    for consent_id in expired {
        let txn = db.begin_write().await?;
        revoked += revoke_under(&txn, consent_id, "expired").await?;
        txn.commit().await?;
    }
    Ok(revoked)
}

/// Revokes every live release under `consent_id` (pass the withdrawal's transaction)
/// and cancels the e-mails that mention them; returns how many were revoked.
pub async fn revoke_under(
    db: &impl ConnectionTrait,
    consent_id: i32,
    reason: &str,
) -> Result<u64, AppError> {
    let revoked = release::Entity::update_many()
        .col_expr(release::Column::RevokedAt, Some(Utc::now()).into())
        .col_expr(release::Column::RevokedReason, reason.into())
        .filter(release::Column::ConsentId.eq(consent_id))
        .filter(release::Column::RevokedAt.is_null())
        .exec(db)
        .await?
        .rows_affected;
    cancel_mail(db, "r.consent_id = ?", consent_id.into()).await?;
    Ok(revoked)
}

/// Ends one release; returns the candidate's id.
pub async fn revoke_one(authed: &Authed, pseudonym: &str) -> Result<i32, AppError> {
    let r = release::Entity::find()
        .filter(release::Column::Pseudonym.eq(pseudonym.trim()))
        .one(&authed.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let txn = authed.db.begin_write().await?;
    let changed = release::Entity::update_many()
        .col_expr(release::Column::RevokedAt, Some(Utc::now()).into())
        .col_expr(release::Column::RevokedReason, "ended".into())
        .filter(release::Column::Id.eq(r.id))
        .filter(release::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?
        .rows_affected;
    cancel_mail(&txn, "r.id = ?", r.id.into()).await?;
    if changed == 1 {
        audit::record(
            &txn,
            authed.event(
                Action::ReleaseRevoke,
                "candidate",
                r.candidate_id,
                format!("release {} ({})", r.id, r.pseudonym),
            ),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(r.candidate_id)
}
