//! The audited reads of a candidate: the record, and obstacles and health apart.

use super::service::{
    current_assessments, event, find, occupation_or_code, occupation_views, status_of,
};
use std::collections::HashMap;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{
    ActivityView, AssessmentView, CandidateDetail, EducationView, FittingNeed, HealthView,
    LanguageView, OccupationEntry,
    entity::{
        activity, assessment, education, experience, health, language, plan_step, pool_entry,
        preference,
    },
    model::{
        self, ActivityKind, CandidateFacts, Criterion, ExitReason, Gender, Hours, OccupationFact,
        Score, age_on, format_personnummer,
    },
    ranking::need_facts,
};
use crate::{
    audit::service::{self as audit, Action},
    auth::Staff,
    error::AppError,
    firms::{entity::firm, model::parse_text},
    i18n::{Locale, today},
    needs::{
        entity::need,
        model::{EmploymentForm, NeedStatus},
    },
    rings::{entity::ring, model::RingStatus},
};

/// How many fitting needs a candidate's page lists.
const FITTING_LIMIT: usize = 5;

fn assessment_view(a: &assessment::Model) -> Option<AssessmentView> {
    Some(AssessmentView {
        criterion: Criterion::parse(&a.criterion)?,
        met: a.met,
        assessed_on: a.assessed_on,
        assessor: a.assessor_name.clone(),
        comment: a.comment.clone(),
    })
}

/// Everything about a candidate except obstacles and health; the read is audited.
pub async fn detail(authed: &Staff, id: i32, locale: Locale) -> Result<CandidateDetail, AppError> {
    let db = &authed.db;
    let c = find(db, id).await?;
    let today = today();
    let languages = language::Entity::find()
        .filter(language::Column::CandidateId.eq(id))
        .order_by_asc(language::Column::Id)
        .all(db)
        .await?;
    let educations = education::Entity::find()
        .filter(education::Column::CandidateId.eq(id))
        .order_by_desc(education::Column::Isced)
        .all(db)
        .await?;
    let experiences = experience::Entity::find()
        .filter(experience::Column::CandidateId.eq(id))
        .order_by_desc(experience::Column::Years)
        .all(db)
        .await?;
    let preferences = preference::Entity::find()
        .filter(preference::Column::CandidateId.eq(id))
        .order_by_asc(preference::Column::Id)
        .all(db)
        .await?;
    let views = occupation_views(
        db,
        experiences
            .iter()
            .map(|e| e.occupation_code.clone())
            .chain(preferences.iter().map(|p| p.occupation_code.clone())),
        locale,
    )
    .await?;
    let current = current_assessments(db, id).await?;
    let mut history = assessment::Entity::find()
        .filter(assessment::Column::CandidateId.eq(id))
        .order_by_desc(assessment::Column::AssessedOn)
        .order_by_desc(assessment::Column::Id)
        .all(db)
        .await?;
    history.truncate(100);
    let plan = plan_step::Entity::find()
        .filter(plan_step::Column::CandidateId.eq(id))
        .order_by_asc(plan_step::Column::DueOn)
        .order_by_asc(plan_step::Column::Id)
        .all(db)
        .await?;
    let timeline = activity::Entity::find()
        .filter(activity::Column::CandidateId.eq(id))
        .order_by_asc(activity::Column::StartOn)
        .order_by_asc(activity::Column::Id)
        .all(db)
        .await?;
    let firms: Vec<(i32, String)> = firm::Entity::find()
        .order_by_asc(firm::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f.name))
        .collect();
    let firm_name =
        |id: Option<i32>| id.and_then(|id| firms.iter().find(|(f, _)| *f == id).cloned());
    let open_needs = need::Entity::find()
        .filter(need::Column::Status.eq(NeedStatus::Open.as_str()))
        .order_by_asc(need::Column::StartDate)
        .all(db)
        .await?;
    let need_titles: HashMap<i32, String> = need::Entity::find()
        .filter(
            need::Column::Id.is_in(
                timeline
                    .iter()
                    .filter_map(|a| a.need_id)
                    .collect::<Vec<_>>(),
            ),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|n| (n.id, n.title))
        .collect();
    let rings_all = ring::Entity::find()
        .order_by_asc(ring::Column::Name)
        .all(db)
        .await?;
    let ring_names: HashMap<i32, String> =
        rings_all.iter().map(|r| (r.id, r.name.clone())).collect();
    let pools = pool_entry::Entity::find()
        .filter(pool_entry::Column::CandidateId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|p| {
            ring_names
                .get(&p.ring_id)
                .map(|n| (p.ring_id, n.clone(), p.note))
        })
        .collect();
    let has_health = health::Entity::find_by_id(id).one(db).await?.is_some();
    let team = super::team::members(db, id).await?;

    // The open needs that fit best.
    let facts = CandidateFacts {
        id,
        occupations: experiences
            .iter()
            .map(|e| OccupationFact {
                code: e.occupation_code.clone(),
                years: Some(e.years),
            })
            .chain(preferences.iter().map(|p| OccupationFact {
                code: p.occupation_code.clone(),
                years: None,
            }))
            .collect(),
        swedish_rank: c.swedish_rank,
        criteria_met: c.criteria_met,
        licences: c.driving_licence.clone(),
        available_from: c.available_from,
        enrolled_on: c.enrolled_on,
    };
    let mut scored: Vec<(&need::Model, Score)> = open_needs
        .iter()
        .map(|n| (n, model::score(&need_facts(n), &facts)))
        .collect();
    scored.sort_by(|a, b| {
        b.1.total
            .cmp(&a.1.total)
            .then(a.0.start_date.cmp(&b.0.start_date))
            .then(a.0.id.cmp(&b.0.id))
    });
    scored.truncate(FITTING_LIMIT);
    let need_views = occupation_views(
        db,
        scored.iter().map(|(n, _)| n.occupation_code.clone()),
        locale,
    )
    .await?;
    let fitting = scored
        .into_iter()
        .map(|(n, score)| FittingNeed {
            need_id: n.id,
            title: n.title.clone(),
            firm_name: firm_name(Some(n.firm_id)).map(|f| f.1).unwrap_or_default(),
            ring_name: ring_names.get(&n.ring_id).cloned().unwrap_or_default(),
            occupation: occupation_or_code(&need_views, &n.occupation_code),
            start_date: n.start_date,
            score,
        })
        .collect();

    let detail = CandidateDetail {
        id,
        personnummer: format_personnummer(&c.personnummer),
        coordination_number: c
            .personnummer
            .get(6..8)
            .and_then(|d| d.parse::<u32>().ok())
            .is_some_and(|d| d > 60),
        email: c.email,
        phone: c.phone,
        gender: Gender::parse(&c.gender).unwrap_or(Gender::Other),
        birth_date: c.birth_date,
        age: age_on(c.birth_date, today),
        permit_date: c.permit_date,
        enrolled_on: c.enrolled_on,
        sfi_course: c.sfi_course,
        sfi_path: c.sfi_path,
        driving_licence: c.driving_licence,
        available_from: c.available_from,
        hours: Hours::parse(&c.hours).unwrap_or(Hours::Full),
        availability_note: c.availability_note,
        job_ready_since: c.job_ready_since,
        version: c.version,
        status: status_of(&timeline),
        languages: languages
            .into_iter()
            .map(|l| LanguageView {
                id: l.id,
                code: l.language,
                level: l.level,
            })
            .collect(),
        educations: educations
            .into_iter()
            .map(|e| EducationView {
                id: e.id,
                isced: e.isced,
                field: e.field,
                country: e.country,
                years: e.years,
                validated: e.validated,
            })
            .collect(),
        experiences: experiences
            .into_iter()
            .map(|e| OccupationEntry {
                id: e.id,
                occupation: occupation_or_code(&views, &e.occupation_code),
                years: Some(e.years),
                country: e.country,
            })
            .collect(),
        preferences: preferences
            .into_iter()
            .map(|p| OccupationEntry {
                id: p.id,
                occupation: occupation_or_code(&views, &p.occupation_code),
                years: None,
                country: String::new(),
            })
            .collect(),
        criteria: Criterion::ALL
            .iter()
            .map(|c| (*c, current.get(c).and_then(assessment_view)))
            .collect(),
        assessments: history.iter().filter_map(assessment_view).collect(),
        plan: plan
            .into_iter()
            .map(|s| super::team::step_view(s, &team))
            .collect(),
        team_meetings: super::team::meetings(db, id, &team).await?,
        team,
        timeline: timeline
            .iter()
            .filter_map(|a| {
                Some(ActivityView {
                    id: a.id,
                    kind: ActivityKind::parse(&a.kind)?,
                    firm: firm_name(a.firm_id),
                    need: a
                        .need_id
                        .and_then(|n| need_titles.get(&n).map(|t| (n, t.clone()))),
                    title: a.title.clone(),
                    provider: a.provider.clone(),
                    start_on: a.start_on,
                    end_on: a.end_on,
                    completed: a.completed,
                    employment_form: EmploymentForm::parse(&a.employment_form),
                    exit_reason: ExitReason::parse(&a.exit_reason),
                    note: a.note.clone(),
                })
            })
            .collect(),
        pools,
        rings: rings_all
            .into_iter()
            .filter(|r| r.status == RingStatus::Active.as_str())
            .map(|r| (r.id, r.name))
            .collect(),
        needs: open_needs
            .iter()
            .map(|n| {
                let firm = firm_name(Some(n.firm_id)).map(|f| f.1).unwrap_or_default();
                (n.id, format!("{} – {firm}", n.title))
            })
            .collect(),
        firms,
        fitting,
        has_health,
        today,
        name: c.name,
    };
    audit::record(db, event(authed, Action::CandidateRead, id, String::new())).await?;
    Ok(detail)
}

/// Obstacles and health, with the reason for reading them written to the audit log.
pub async fn read_health(authed: &Staff, id: i32, reason: &str) -> Result<HealthView, AppError> {
    let c = find(&authed.db, id).await?;
    let reason = parse_text(reason, 200).map_err(|k| AppError::field("reason", k))?;
    if reason.chars().count() < 5 {
        return Err(AppError::field("reason", "field-reason-short"));
    }
    let row = health::Entity::find_by_id(id).one(&authed.db).await?;
    audit::record(
        &authed.db,
        event(authed, Action::CandidateHealthRead, id, reason),
    )
    .await?;
    Ok(HealthView {
        candidate_id: id,
        name: c.name,
        obstacles: row
            .as_ref()
            .map(|r| r.obstacles.clone())
            .unwrap_or_default(),
        health: row.as_ref().map(|r| r.health.clone()).unwrap_or_default(),
        updated_at: row.map(|r| r.updated_at),
    })
}
