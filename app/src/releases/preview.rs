//! The release page's preview: the profile the guard lets through, raised where the
//! coordinator asked, and each change in words.

use super::service::{
    Guarding, chosen_need, consents_of, fingerprint, guarding, live, names_for, open_needs,
    put_names,
};
use std::collections::HashMap;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{
    Guarded, Ladder, ReleasePreview,
    entity::release,
    guard::{QuasiIds, Scope, crowd_of, profile as profile_of},
    model::{Change, Field, Levels, profile_lines},
};
use crate::{
    auth::Authed,
    candidates::entity::candidate,
    consent::service as consents,
    error::AppError,
    firms::entity::firm,
    i18n::{Locale, today},
    needs::entity::need,
    rings::{entity::ring, model::RingStatus},
};

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
