//! Releases' rules: building the anonymised profile from a candidate's record, the
//! guard against re-identification, releasing under an active consent with a fresh
//! pseudonym, revoking (and cancelling the e-mails that mention a release), what
//! employers see, and interest → meeting → outcome.

use crate::ssr::BeginWrite;
use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveTime, Utc};
use rand::Rng;

use crate::candidates::model::age_on;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, Statement,
};

use super::{
    Guarded, Inbox, InboxRow, InterestView, Ladder, Outcome, ProfileCard, ProfileView,
    ReleasePreview, RingProfiles,
    access::ReleaseMember,
    entity::{interest, release},
    guard::{Proposal, QuasiIds, Scope, crowd_of, profile as profile_of, propose},
    model::{AnonymisedProfile, Change, Field, Levels, profile_lines},
};
use crate::{
    audit::service::{self as audit, Event},
    auth::{Authed, RingAccess, entity::user},
    candidates::{
        entity::{assessment, candidate, education, experience, language, preference},
        model::Criterion,
    },
    consent::{entity::consent, service as consents},
    error::{AppError, FieldErrors},
    firms::{
        entity::firm,
        model::{parse_date, parse_optional_text, parse_text},
    },
    i18n::{Locale, stockholm_instant, today},
    needs::{
        entity::{need, occupation},
        model::{EmploymentForm, NeedStatus},
    },
    rings::{entity::ring, model::RingStatus},
    ssr::{is_unique_violation, raced, sql},
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
async fn fill_names(
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
async fn occupation_names(
    db: &impl ConnectionTrait,
    codes: HashSet<String>,
    locale: Locale,
) -> Result<HashMap<String, String>, AppError> {
    if codes.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(occupation::Entity::find()
        .filter(occupation::Column::Code.is_in(codes))
        .all(db)
        .await?
        .into_iter()
        .map(|o| {
            let name = match locale {
                Locale::Sv => o.name_sv,
                Locale::En => o.name_en,
            };
            (o.code, name)
        })
        .collect())
}

/// A short text that identifies what a page showed: the profile's facts, the
/// levels and the need, so a release posted from a page releases what it showed.
fn fingerprint(profile: &AnonymisedProfile, levels: &Levels, need_id: Option<i32>) -> String {
    use sha2::{Digest, Sha256};
    let json = serde_json::to_string(&profile.shown_part()).unwrap_or_default();
    let digest = Sha256::digest(format!("{}|{:?}|{json}", levels.encode(), need_id));
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

async fn open_needs(db: &impl ConnectionTrait, ring_id: i32) -> Result<Vec<need::Model>, AppError> {
    Ok(need::Entity::find()
        .filter(need::Column::RingId.eq(ring_id))
        .filter(need::Column::Status.eq(NeedStatus::Open.as_str()))
        .order_by_asc(need::Column::Title)
        .all(db)
        .await?)
}

/// The guard's work for one candidate, ring and need.
struct Guarding {
    people: Vec<QuasiIds>,
    at: usize,
    scope: Scope,
    proposal: Option<Proposal>,
}

impl Guarding {
    fn target(&self) -> &QuasiIds {
        &self.people[self.at]
    }
}

async fn guarding(
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
fn chosen_need(open: &[need::Model], need_id: Option<i32>) -> Option<&need::Model> {
    need_id.and_then(|id| open.iter().find(|n| n.id == id))
}

/// The release page's data: the profile the guard lets through, raised where the
/// coordinator asked (`asked`: never below what the guard requires), and each
/// change in words.
pub async fn preview(
    authed: &Authed,
    candidate_id: i32,
    ring_id: Option<i32>,
    need_id: Option<i32>,
    asked: Option<Levels>,
    locale: Locale,
) -> Result<ReleasePreview, AppError> {
    let db = &authed.db;
    let today = today();
    let the_candidate = candidate::Entity::find_by_id(candidate_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let covered = consents::covered_rings(db, candidate_id, today).await?;
    let rings: Vec<(i32, String)> = ring::Entity::find()
        .filter(ring::Column::Id.is_in(covered.clone()))
        .filter(ring::Column::Status.eq(RingStatus::Active.as_str()))
        .order_by_asc(ring::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect();
    let ring = ring_id.and_then(|id| rings.iter().find(|(r, _)| *r == id).cloned());
    let k = authed.config.k_anonymity;
    let mut out = ReleasePreview {
        candidate_id,
        name: the_candidate.name.clone(),
        rings,
        ring: ring.clone(),
        needs: Vec::new(),
        need: None,
        profile: None,
        guard: None,
        changes: Vec::new(),
        ladders: Vec::new(),
        levels: String::new(),
        fingerprint: String::new(),
        k,
        existing: Vec::new(),
    };
    let Some((ring_id, _)) = ring else {
        return Ok(out);
    };
    let firms: HashMap<i32, String> = firm::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f.name))
        .collect();
    let open = open_needs(db, ring_id).await?;
    out.needs = open
        .iter()
        .map(|n| {
            let firm = firms.get(&n.firm_id).cloned().unwrap_or_default();
            (n.id, format!("{} – {firm}", n.title))
        })
        .collect();
    let need = chosen_need(&open, need_id);
    out.need = need.map(|n| n.id);
    let in_ring = release::Entity::find()
        .filter(release::Column::CandidateId.eq(candidate_id))
        .filter(release::Column::RingId.eq(ring_id))
        .filter(release::Column::RevokedAt.is_null())
        .all(db)
        .await?;
    let their_consents = consents_of(db, &in_ring).await?;
    out.existing = in_ring
        .into_iter()
        .filter(|r| live(r, &their_consents, today))
        .map(|r| r.pseudonym)
        .collect();
    let needs: Vec<&need::Model> = match need {
        Some(n) => vec![n],
        None => open.iter().collect(),
    };
    let g = guarding(authed, candidate_id, &needs, today).await?;
    let Some(proposal) = g.proposal.clone() else {
        out.guard = Some(Guarded::Refused {
            population: g.people.len(),
        });
        return Ok(out);
    };
    let levels = asked.map_or(proposal.levels, |a| a.max(&proposal.levels));
    let mut profile = profile_of(g.target(), &levels, &g.scope);
    out.fingerprint = fingerprint(&profile, &levels, out.need);
    let names = names_for(db, g.target(), locale).await?;
    put_names(&mut profile, &names);
    out.changes = describe_changes(&g, &proposal.levels, &levels, &names, locale);
    out.ladders = ladders(&g, &proposal.levels, &levels, &names, locale);
    out.guard = Some(Guarded::Shown {
        crowd_exact: proposal.crowd_exact,
        crowd: crowd_of(g.target(), &g.people, &levels, &g.scope),
        floor: proposal.levels,
        levels,
    });
    out.levels = levels.encode();
    out.profile = Some(profile);
    Ok(out)
}

/// Occupation names for every code a profile of `q` can show (each occupation and
/// its groups), in `locale`.
async fn names_for(
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

fn put_names(p: &mut AnonymisedProfile, names: &HashMap<String, String>) {
    for e in &mut p.experience {
        e.name = names.get(&e.ssyk).cloned().unwrap_or_default();
    }
    for (code, name) in &mut p.preferred {
        *name = names.get(code).cloned().unwrap_or_default();
    }
}

/// What field `f` of `q` says on `rung`, in words.
fn one_field(
    q: &QuasiIds,
    scope: &Scope,
    f: Field,
    rung: u8,
    names: &HashMap<String, String>,
    locale: Locale,
) -> Vec<String> {
    let mut levels = Levels::hidden();
    levels.set(f, rung);
    let mut p = profile_of(q, &levels, scope);
    put_names(&mut p, names);
    profile_lines(&p, locale)
        .into_iter()
        .flat_map(|line| line.values)
        .collect()
}

/// Each field shown less exactly than recorded, in words.
fn describe_changes(
    g: &Guarding,
    floor: &Levels,
    levels: &Levels,
    names: &HashMap<String, String>,
    locale: Locale,
) -> Vec<Change> {
    let t = g.target();
    let mut out = Vec::new();
    for f in Field::ALL {
        let rung = levels.of(f);
        if rung == 0 {
            continue;
        }
        let by_coordinator = rung > floor.of(f);
        let items: Vec<QuasiIds> = match f {
            // Occupations one by one: "Erfarenhet inom 5321 … visas som 53 …".
            Field::NeedExperience | Field::OtherExperience => t
                .experience
                .iter()
                .filter(|(c, _)| g.scope.related(c) == (f == Field::NeedExperience))
                .map(|e| QuasiIds {
                    experience: vec![e.clone()],
                    ..t.clone()
                })
                .collect(),
            Field::Preferred => t
                .preferred
                .iter()
                .map(|c| QuasiIds {
                    preferred: vec![c.clone()],
                    ..t.clone()
                })
                .collect(),
            _ => vec![t.clone()],
        };
        let whole = matches!(
            f,
            Field::NeedExperience | Field::OtherExperience | Field::Preferred
        );
        for q in items {
            let from = one_field(&q, &g.scope, f, 0, names, locale);
            let to = one_field(&q, &g.scope, f, rung, names, locale);
            if from == to {
                continue;
            }
            let from = from.join("; ");
            let what = if whole {
                locale.t_args(
                    &format!("release-field-{}-item", f.key()),
                    &[("occupation", from.clone())],
                )
            } else {
                locale.t(&format!("release-field-{}", f.key()))
            };
            out.push(Change {
                field: f,
                what,
                from,
                to: (!to.is_empty()).then(|| to.join("; ")),
                by_coordinator,
            });
        }
    }
    out
}

/// The choices the coordinator has per field: each rung from what the guard
/// requires up to "not shown", with what it would show.
fn ladders(
    g: &Guarding,
    floor: &Levels,
    levels: &Levels,
    names: &HashMap<String, String>,
    locale: Locale,
) -> Vec<Ladder> {
    let mut out = Vec::new();
    for f in Field::ALL {
        let mut rungs = Vec::new();
        let mut last: Option<Vec<String>> = None;
        for rung in floor.of(f)..f.rungs() {
            let shows = one_field(g.target(), &g.scope, f, rung, names, locale);
            // A rung that shows what the one below showed is no choice.
            if last.as_ref() == Some(&shows) {
                continue;
            }
            let label = if shows.is_empty() {
                locale.t("release-rung-hidden")
            } else {
                shows.join("; ")
            };
            last = Some(shows);
            rungs.push((rung, label));
        }
        if rungs.len() > 1 {
            // The chosen rung may be one of the skipped look-alikes: select the
            // listed rung that shows the same.
            let chosen = rungs
                .iter()
                .rev()
                .find(|(r, _)| *r <= levels.of(f))
                .map_or(levels.of(f), |(r, _)| *r);
            out.push(Ladder {
                field: f,
                name: locale.t(&format!("release-field-{}", f.key())),
                rungs,
                chosen,
            });
        }
    }
    out
}

/// The release form as posted.
#[derive(Debug, Clone, Default)]
pub struct ReleaseFields {
    pub need_id: String,
    pub headline: String,
    pub summary: String,
    /// The levels the page showed ([`Levels::encode`]); "" for what the guard requires.
    pub levels: String,
    pub fingerprint: String,
}

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
        Event::ok(
            Some(&authed.user),
            "release.create",
            "candidate",
            candidate_id,
            format!(
                "release {} ({code}) to ring {ring_id} under consent {}, levels {}",
                row.id,
                consent.id,
                levels.encode()
            ),
            authed.ip.clone(),
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
            Event::ok(
                Some(&authed.user),
                "release.revoke",
                "candidate",
                r.candidate_id,
                format!("release {} ({})", r.id, r.pseudonym),
                authed.ip.clone(),
            ),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(r.candidate_id)
}

/// Whether a release may be shown on `today`: not revoked, and its consent active.
fn live(r: &release::Model, consents: &HashMap<i32, consent::Model>, today: NaiveDate) -> bool {
    r.revoked_at.is_none()
        && consents
            .get(&r.consent_id)
            .is_some_and(|c| c.active_on(today))
}

async fn consents_of(
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

/// What the matching page shows of `candidates` toward a need in `ring_id`: each
/// one's live pseudonym in the ring, those hired through a profile pointing at
/// `need_id`, and those hired anywhere (placed).
pub struct ReleaseStates {
    /// Candidate → live pseudonym in the ring.
    pub live: HashMap<i32, String>,
    /// Hired for this need.
    pub hired_for_need: HashSet<i32>,
    /// Hired through any release.
    pub placed: HashSet<i32>,
}

/// See [`ReleaseStates`].
pub async fn release_states(
    db: &impl ConnectionTrait,
    candidates: &[i32],
    ring_id: i32,
    need_id: i32,
) -> Result<ReleaseStates, AppError> {
    let mut out = ReleaseStates {
        live: HashMap::new(),
        hired_for_need: HashSet::new(),
        placed: HashSet::new(),
    };
    if candidates.is_empty() {
        return Ok(out);
    }
    let theirs = release::Entity::find()
        .filter(release::Column::CandidateId.is_in(candidates.iter().copied()))
        .all(db)
        .await?;
    let their_consents = consents_of(db, &theirs).await?;
    let today = today();
    for r in &theirs {
        if r.ring_id == ring_id && live(r, &their_consents, today) {
            out.live.insert(r.candidate_id, r.pseudonym.clone());
        }
    }
    let by_release: HashMap<i32, &release::Model> = theirs.iter().map(|r| (r.id, r)).collect();
    let hires = interest::Entity::find()
        .filter(interest::Column::ReleaseId.is_in(by_release.keys().copied()))
        .filter(interest::Column::Outcome.eq(Outcome::Hired.as_str()))
        .all(db)
        .await?;
    for i in hires {
        if let Some(r) = by_release.get(&i.release_id) {
            out.placed.insert(r.candidate_id);
            if r.need_id == Some(need_id) {
                out.hired_for_need.insert(r.candidate_id);
            }
        }
    }
    Ok(out)
}

fn stored_profile(r: &release::Model) -> Result<AnonymisedProfile, AppError> {
    AnonymisedProfile::from_stored(&r.profile)
        .map_err(|e| AppError::unexpected(anyhow::Error::from(e)))
}

async fn cards(
    db: &impl ConnectionTrait,
    rows: Vec<release::Model>,
    locale: Locale,
) -> Result<Vec<ProfileCard>, AppError> {
    let today = today();
    let consents = consents_of(db, &rows).await?;
    let need_ids: Vec<i32> = rows.iter().filter_map(|r| r.need_id).collect();
    let needs: HashMap<i32, String> = if need_ids.is_empty() {
        HashMap::new()
    } else {
        need::Entity::find()
            .filter(need::Column::Id.is_in(need_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|n| (n.id, n.title))
            .collect()
    };
    let mut live_profiles = Vec::new();
    let mut withdrawn = Vec::new();
    for r in rows {
        if live(&r, &consents, today) {
            let profile = stored_profile(&r)?;
            live_profiles.push((r, profile));
        } else {
            withdrawn.push(r);
        }
    }
    {
        let mut refs: Vec<&mut AnonymisedProfile> =
            live_profiles.iter_mut().map(|(_, p)| p).collect();
        fill_names(db, &mut refs, locale).await?;
    }
    let need_of = |r: &release::Model| {
        r.need_id
            .and_then(|n| needs.get(&n).map(|t| (n, t.clone())))
    };
    let mut out: Vec<ProfileCard> = live_profiles
        .into_iter()
        .map(|(r, p)| ProfileCard {
            pseudonym: r.pseudonym.clone(),
            headline: p.headline,
            age: p.age,
            occupations: p
                .experience
                .iter()
                .map(|e| {
                    if e.name.is_empty() {
                        e.ssyk.clone()
                    } else {
                        e.name.clone()
                    }
                })
                .collect(),
            criteria: p.criteria,
            available: p.available,
            need: need_of(&r),
            released_at: r.released_at,
            withdrawn: false,
        })
        .collect();
    out.extend(withdrawn.into_iter().map(|r| ProfileCard {
        pseudonym: r.pseudonym.clone(),
        headline: String::new(),
        age: None,
        occupations: Vec::new(),
        criteria: None,
        available: None,
        need: None,
        released_at: r.released_at,
        withdrawn: true,
    }));
    Ok(out)
}

/// How long a withdrawn release is still listed (as "withdrawn") in its ring.
const WITHDRAWN_LISTED_DAYS: i64 = 30;

/// A ring's released profiles: live ones newest first, then recently withdrawn ones.
pub async fn ring_profiles(
    db: &DatabaseConnection,
    ring_id: i32,
    locale: Locale,
) -> Result<RingProfiles, AppError> {
    let r = ring::Entity::find_by_id(ring_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let since = Utc::now() - chrono::Duration::days(WITHDRAWN_LISTED_DAYS);
    let rows = release::Entity::find()
        .filter(release::Column::RingId.eq(ring_id))
        .filter(
            sea_orm::Condition::any()
                .add(release::Column::RevokedAt.is_null())
                .add(release::Column::RevokedAt.gt(since)),
        )
        .order_by_desc(release::Column::ReleasedAt)
        .all(db)
        .await?;
    Ok(RingProfiles {
        ring_id,
        ring_name: r.name,
        profiles: cards(db, rows, locale).await?,
    })
}

/// The live profiles released for a need.
pub async fn need_profiles(
    db: &DatabaseConnection,
    need_id: i32,
    locale: Locale,
) -> Result<Vec<ProfileCard>, AppError> {
    let rows = release::Entity::find()
        .filter(release::Column::NeedId.eq(need_id))
        .filter(release::Column::RevokedAt.is_null())
        .order_by_desc(release::Column::ReleasedAt)
        .all(db)
        .await?;
    Ok(cards(db, rows, locale)
        .await?
        .into_iter()
        .filter(|c| !c.withdrawn)
        .collect())
}

async fn interest_views(
    db: &impl ConnectionTrait,
    rows: &[interest::Model],
    names_for: &(dyn Fn(&interest::Model) -> Option<String> + Sync),
) -> Result<Vec<InterestView>, AppError> {
    let firm_ids: Vec<i32> = rows.iter().map(|i| i.firm_id).collect();
    let user_ids: Vec<i32> = rows.iter().filter_map(|i| i.user_id).collect();
    let firms: HashMap<i32, String> = if firm_ids.is_empty() {
        HashMap::new()
    } else {
        firm::Entity::find()
            .filter(firm::Column::Id.is_in(firm_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|f| (f.id, f.name))
            .collect()
    };
    let users: HashMap<i32, String> = if user_ids.is_empty() {
        HashMap::new()
    } else {
        user::Entity::find()
            .filter(user::Column::Id.is_in(user_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect()
    };
    Ok(rows
        .iter()
        .map(|i| InterestView {
            id: i.id,
            firm_name: firms.get(&i.firm_id).cloned().unwrap_or_default(),
            asked_by: i
                .user_id
                .and_then(|u| users.get(&u).cloned())
                .unwrap_or_default(),
            message: i.message.clone(),
            created_at: i.created_at,
            meeting_at: i.meeting_at,
            meeting_place: i.meeting_place.clone(),
            candidate_agreed: i.candidate_agreed,
            candidate_name: names_for(i),
            outcome: Outcome::parse(&i.outcome),
            outcome_on: i.outcome_on,
        })
        .collect())
}

/// Interests as the candidate's own export shows them (with the name).
pub async fn interests_for_export(
    db: &impl ConnectionTrait,
    rows: &[interest::Model],
    name: &str,
) -> Result<Vec<InterestView>, AppError> {
    interest_views(db, rows, &|_| Some(name.to_owned())).await
}

/// One released profile for a member of its ring (their own firm's interest) or for
/// staff (every interest).
pub async fn profile_view(
    authed: &Authed,
    access: RingAccess,
    pseudonym: &str,
    locale: Locale,
) -> Result<ProfileView, AppError> {
    let db = &authed.db;
    let r = release::Entity::find()
        .filter(release::Column::Pseudonym.eq(pseudonym.trim()))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let today = today();
    let consents = consents_of(db, std::slice::from_ref(&r)).await?;
    let is_live = live(&r, &consents, today);
    let ring_name = ring::Entity::find_by_id(r.ring_id)
        .one(db)
        .await?
        .map(|x| x.name)
        .unwrap_or_default();
    let need = match r.need_id {
        Some(id) => need::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|n| (n.id, n.title)),
        None => None,
    };
    let profile = if is_live {
        let mut p = stored_profile(&r)?;
        fill_names(db, &mut [&mut p], locale).await?;
        Some(p)
    } else {
        None
    };
    let mut q = interest::Entity::find().filter(interest::Column::ReleaseId.eq(r.id));
    if let RingAccess::Member { firm_id } = access {
        q = q.filter(interest::Column::FirmId.eq(firm_id));
    }
    let rows = q.order_by_asc(interest::Column::CreatedAt).all(db).await?;
    let staff = access == RingAccess::Staff;
    let candidate_name = if is_live && (staff || rows.iter().any(|i| i.candidate_agreed)) {
        candidate::Entity::find_by_id(r.candidate_id)
            .one(db)
            .await?
            .map(|c| c.name)
    } else {
        None
    };
    let name_for = |i: &interest::Model| {
        if staff || i.candidate_agreed {
            candidate_name.clone()
        } else {
            None
        }
    };
    let interests = if is_live || staff {
        interest_views(db, &rows, &name_for).await?
    } else {
        Vec::new()
    };
    // Who outside the municipality read a profile is part of the candidate's record
    // of access (a pseudonymised profile is still personal data).
    if let (RingAccess::Member { firm_id }, true) = (access, is_live) {
        audit::record(
            db,
            Event::ok(
                Some(&authed.user),
                "release.read",
                "release",
                r.id,
                format!("{} by firm {firm_id}", r.pseudonym),
                authed.ip.clone(),
            ),
        )
        .await?;
    }
    Ok(ProfileView {
        pseudonym: r.pseudonym,
        ring: (r.ring_id, ring_name),
        need: if is_live { need } else { None },
        profile,
        released_at: r.released_at,
        interests,
        staff,
    })
}

async fn live_release(
    db: &impl ConnectionTrait,
    release_id: i32,
) -> Result<release::Model, AppError> {
    let r = release::Entity::find_by_id(release_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let consents = consents_of(db, std::slice::from_ref(&r)).await?;
    if live(&r, &consents, today()) {
        Ok(r)
    } else {
        Err(AppError::Conflict("release-withdrawn".into()))
    }
}

/// Queues `mail` (in the event's transaction) linked to the release it mentions, so
/// revoking the release cancels it.
async fn queue_about(
    db: &impl ConnectionTrait,
    mail: &crate::mail::OutgoingEmail,
    base_url: &str,
    release_id: i32,
) -> Result<(), AppError> {
    let message_id =
        crate::mail::service::enqueue(db, mail, &crate::auth::service::host_of(base_url)).await?;
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            "INSERT INTO outbox_releases (outbox_id, release_id) \
             SELECT id, ? FROM outbox WHERE message_id = ?",
        ),
        [release_id.into(), message_id.into()],
    ))
    .await?;
    Ok(())
}

/// Records a firm's interest in a live profile and tells the coordinator who
/// released it.
pub async fn express_interest(member: &ReleaseMember, message: &str) -> Result<(), AppError> {
    let (authed, firm_id, pseudonym) = (member.authed(), member.firm_id(), member.pseudonym());
    let message = parse_text(message, 1000).map_err(|k| AppError::field("message", k))?;
    let r = release::Entity::find()
        .filter(release::Column::Pseudonym.eq(pseudonym.trim()))
        .one(&authed.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let txn = authed.db.begin_write().await?;
    let r = live_release(&txn, r.id).await?;
    let existing = interest::Entity::find()
        .filter(interest::Column::ReleaseId.eq(r.id))
        .filter(interest::Column::FirmId.eq(firm_id))
        .one(&txn)
        .await?;
    if existing.is_some() {
        return Err(AppError::Conflict("interest-already".into()));
    }
    let now = Utc::now();
    let row = interest::ActiveModel {
        release_id: Set(r.id),
        firm_id: Set(firm_id),
        user_id: Set(Some(authed.user.id)),
        message: Set(message),
        created_at: Set(now),
        meeting_at: Set(None),
        meeting_place: Set(String::new()),
        candidate_agreed: Set(false),
        outcome: Set(String::new()),
        outcome_on: Set(None),
        handled_by: Set(None),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            AppError::Conflict("interest-already".into())
        } else {
            e.into()
        }
    })?;
    let releaser = match r.released_by {
        Some(id) => user::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .filter(|u| u.disabled_at.is_none()),
        None => None,
    };
    if let Some(to) = releaser {
        let firm_name = firm::Entity::find_by_id(firm_id)
            .one(&txn)
            .await?
            .map(|f| f.name)
            .unwrap_or_default();
        let base = &authed.config.base_url;
        let mail = crate::mail::templates::interest_received(
            &to.email,
            &to.locale,
            &r.pseudonym,
            &firm_name,
            &format!("{base}/intresse#intresse-{}", row.id),
        );
        queue_about(&txn, &mail, base, r.id).await?;
    }
    audit::record(
        &txn,
        Event::ok(
            Some(&authed.user),
            "interest.create",
            "release",
            r.id,
            format!("{} by firm {firm_id}", r.pseudonym),
            authed.ip.clone(),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The coordinators' inbox: open interests first, newest first (at most 300).
pub async fn inbox(db: &DatabaseConnection) -> Result<Inbox, AppError> {
    let today = today();
    let rows = interest::Entity::find()
        .order_by_desc(interest::Column::CreatedAt)
        .limit(300)
        .all(db)
        .await?;
    let release_ids: Vec<i32> = rows.iter().map(|i| i.release_id).collect();
    let releases: HashMap<i32, release::Model> = if release_ids.is_empty() {
        HashMap::new()
    } else {
        release::Entity::find()
            .filter(release::Column::Id.is_in(release_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.id, r))
            .collect()
    };
    let release_list: Vec<release::Model> = releases.values().cloned().collect();
    let consents = consents_of(db, &release_list).await?;
    let candidate_ids: Vec<i32> = release_list.iter().map(|r| r.candidate_id).collect();
    let names: HashMap<i32, String> = if candidate_ids.is_empty() {
        HashMap::new()
    } else {
        candidate::Entity::find()
            .filter(candidate::Column::Id.is_in(candidate_ids))
            .select_only()
            .column(candidate::Column::Id)
            .column(candidate::Column::Name)
            .into_tuple::<(i32, String)>()
            .all(db)
            .await?
            .into_iter()
            .collect()
    };
    let rings: HashMap<i32, String> = ring::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect();
    let name_of = |i: &interest::Model| {
        releases
            .get(&i.release_id)
            .and_then(|r| names.get(&r.candidate_id).cloned())
    };
    let views = interest_views(db, &rows, &name_of).await?;
    let mut out: Vec<InboxRow> = rows
        .iter()
        .zip(views)
        .filter_map(|(i, view)| {
            let r = releases.get(&i.release_id)?;
            Some(InboxRow {
                interest: view,
                pseudonym: r.pseudonym.clone(),
                ring_name: rings.get(&r.ring_id).cloned().unwrap_or_default(),
                candidate: (
                    r.candidate_id,
                    names.get(&r.candidate_id).cloned().unwrap_or_default(),
                ),
                release_active: live(r, &consents, today),
            })
        })
        .collect();
    out.sort_by_key(|row| row.interest.outcome.is_some());
    Ok(Inbox { rows: out, today })
}

async fn interest_or_404(
    db: &impl ConnectionTrait,
    interest_id: i32,
) -> Result<interest::Model, AppError> {
    interest::Entity::find_by_id(interest_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Arranges (or moves) the personal meeting, and tells the employer who asked.
pub async fn arrange_meeting(
    authed: &Authed,
    interest_id: i32,
    date: &str,
    time: &str,
    place: &str,
) -> Result<(), AppError> {
    let i = interest_or_404(&authed.db, interest_id).await?;
    let mut errors = FieldErrors::new();
    let day = parse_date(date)
        .map_err(|k| errors.add("meeting_date", k))
        .ok();
    if day.is_some_and(|d| d < today()) {
        errors.add("meeting_date", "field-date-past");
    }
    let at_time = match time.trim() {
        "" => {
            errors.add("meeting_time", "field-required");
            None
        }
        s => NaiveTime::parse_from_str(s, "%H:%M")
            .map_err(|_| errors.add("meeting_time", "field-time-invalid"))
            .ok(),
    };
    let place = parse_text(place, 300)
        .map_err(|k| errors.add("meeting_place", k))
        .unwrap_or_default();
    let at = match (day, at_time) {
        (Some(d), Some(t)) => {
            let at = stockholm_instant(d, t);
            if at.is_none() {
                errors.add("meeting_time", "field-time-invalid");
            }
            at
        }
        _ => None,
    };
    let at = errors.into_result(at)?.ok_or(AppError::BadRequest)?;
    let txn = authed.db.begin_write().await?;
    let r = live_release(&txn, i.release_id).await?;
    interest::Entity::update_many()
        .col_expr(interest::Column::MeetingAt, Some(at).into())
        .col_expr(interest::Column::MeetingPlace, place.clone().into())
        .col_expr(interest::Column::HandledBy, Some(authed.user.id).into())
        .col_expr(interest::Column::UpdatedAt, Utc::now().into())
        .filter(interest::Column::Id.eq(interest_id))
        .exec(&txn)
        .await?;
    let asker = match i.user_id {
        Some(id) => user::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .filter(|u| u.disabled_at.is_none() && u.firm_id == Some(i.firm_id)),
        None => None,
    };
    if let Some(to) = asker {
        let base = &authed.config.base_url;
        let mail = crate::mail::templates::meeting_arranged(
            &to.email,
            &to.locale,
            &r.pseudonym,
            at,
            &place,
            &format!("{base}/profiler/{}", r.pseudonym),
        );
        queue_about(&txn, &mail, base, r.id).await?;
    }
    audit::record(
        &txn,
        Event::ok(
            Some(&authed.user),
            "interest.meeting",
            "candidate",
            r.candidate_id,
            format!("interest {interest_id} ({}) meeting {at}", r.pseudonym),
            authed.ip.clone(),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Records that the candidate agreed to meet the firm: the firm now sees the name.
pub async fn confirm_agreed(authed: &Authed, interest_id: i32) -> Result<(), AppError> {
    let i = interest_or_404(&authed.db, interest_id).await?;
    let txn = authed.db.begin_write().await?;
    let r = live_release(&txn, i.release_id).await?;
    if i.meeting_at.is_none() {
        return Err(AppError::Conflict("interest-meeting-first".into()));
    }
    interest::Entity::update_many()
        .col_expr(interest::Column::CandidateAgreed, true.into())
        .col_expr(interest::Column::HandledBy, Some(authed.user.id).into())
        .col_expr(interest::Column::UpdatedAt, Utc::now().into())
        .filter(interest::Column::Id.eq(interest_id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        Event::ok(
            Some(&authed.user),
            "interest.agreed",
            "candidate",
            r.candidate_id,
            format!(
                "name disclosed to firm {} for interest {interest_id} ({})",
                i.firm_id, r.pseudonym
            ),
            authed.ip.clone(),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Records the outcome of the meeting; an internship or a hire goes into the
/// candidate's timeline (through the timeline's own rules).
pub async fn record_outcome(
    authed: &Authed,
    interest_id: i32,
    outcome: &str,
    outcome_on: &str,
    employment_form: &str,
) -> Result<(), AppError> {
    let i = interest_or_404(&authed.db, interest_id).await?;
    let mut errors = FieldErrors::new();
    let kind = Outcome::parse(outcome);
    if kind.is_none() {
        errors.add("outcome", "field-choice-required");
    }
    let on = parse_date(outcome_on)
        .map_err(|k| errors.add("outcome_on", k))
        .ok();
    let form = match employment_form.trim() {
        "" => None,
        s => {
            let f = EmploymentForm::parse(s);
            if f.is_none() {
                errors.add("employment_form", "field-choice-invalid");
            }
            f
        }
    };
    if kind == Some(Outcome::Hired) && form.is_none() && errors.get("employment_form").is_none() {
        errors.add("employment_form", "field-choice-required");
    }
    errors.into_result(())?;
    let (Some(kind), Some(on)) = (kind, on) else {
        return Err(AppError::BadRequest);
    };
    if !i.outcome.is_empty() {
        return Err(AppError::Conflict("interest-outcome-recorded".into()));
    }
    let r = release::Entity::find_by_id(i.release_id)
        .one(&authed.db)
        .await?
        .ok_or(AppError::NotFound)?;
    // The need goes into the timeline only when it is the interested firm's own.
    let need_id = match r.need_id {
        Some(id) => need::Entity::find_by_id(id)
            .one(&authed.db)
            .await?
            .filter(|n| n.firm_id == i.firm_id)
            .map(|n| n.id),
        None => None,
    };
    let activity = |kind: &str, form: &str| crate::candidates::service::ActivityFields {
        kind: kind.to_owned(),
        firm_id: i.firm_id.to_string(),
        need_id: need_id.map(|n| n.to_string()).unwrap_or_default(),
        start_on: on.to_string(),
        employment_form: form.to_owned(),
        note: r.pseudonym.clone(),
        ..Default::default()
    };
    let claimed = interest::Entity::update_many()
        .col_expr(interest::Column::Outcome, kind.as_str().into())
        .col_expr(interest::Column::OutcomeOn, Some(on).into())
        .col_expr(interest::Column::HandledBy, Some(authed.user.id).into())
        .col_expr(interest::Column::UpdatedAt, Utc::now().into())
        .filter(interest::Column::Id.eq(interest_id))
        .filter(interest::Column::Outcome.eq(""))
        .exec(&authed.db)
        .await?
        .rows_affected
        == 1;
    if !claimed {
        return Err(AppError::Conflict("interest-outcome-recorded".into()));
    }
    let timeline = match kind {
        Outcome::Internship => Some(activity("internship", "")),
        Outcome::Hired => Some(activity(
            "employment",
            form.map(EmploymentForm::as_str).unwrap_or_default(),
        )),
        Outcome::NoMatch => None,
    };
    if let Some(fields) = timeline
        && let Err(e) =
            crate::candidates::service::add_activity(authed, r.candidate_id, fields).await
    {
        // The timeline refused it (e.g. a start before enrolment): the outcome is
        // not recorded either, so the coordinator can correct the date.
        interest::Entity::update_many()
            .col_expr(interest::Column::Outcome, "".into())
            .col_expr(
                interest::Column::OutcomeOn,
                Option::<NaiveDate>::None.into(),
            )
            .filter(interest::Column::Id.eq(interest_id))
            .exec(&authed.db)
            .await?;
        return Err(match e {
            AppError::Validation(errs) => {
                let key = errs
                    .get("start_on")
                    .or_else(|| errs.get("employment_form"))
                    .unwrap_or("interest-outcome-refused")
                    .to_owned();
                AppError::field("outcome_on", &key)
            }
            other => other,
        });
    }
    audit::record(
        &authed.db,
        Event::ok(
            Some(&authed.user),
            "interest.outcome",
            "candidate",
            r.candidate_id,
            format!(
                "interest {interest_id} ({}): {}",
                r.pseudonym,
                kind.as_str()
            ),
            authed.ip.clone(),
        ),
    )
    .await?;
    Ok(())
}
