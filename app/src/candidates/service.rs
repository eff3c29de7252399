//! The candidate pool's rules: validation of every form, the optimistic version
//! check, the audited reads (the record, and obstacles and health), the derived
//! columns matching reads at scale, and matching itself.

use crate::ssr::BeginWrite;
use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
    sea_query::{Expr, ExprTrait},
};

use super::{
    ActivityView, AssessmentView, CandidateDetail, CandidateList, CandidateRow, CandidateStatus,
    EducationView, FittingNeed, HealthView, LanguageView, MatchFilters, MatchView, OccupationEntry,
    PlanStepView, PoolRow, PoolView, RankedCandidate, ShortlistRow,
    entity::{
        activity, assessment, candidate, education, experience, health, language, plan_step,
        pool_entry, preference, shortlist_entry,
    },
    matching::{Ranking, active_count, need_facts, rank_for_need},
    model::{
        self, ActivityKind, CandidateFacts, Criterion, ExitReason, Gender, Hours, ISCED_LEVELS,
        LANGUAGE_LEVELS, LANGUAGES, OccupationFact, Personnummer, SFI_COURSES, Score, age_on,
        format_personnummer,
    },
};
use crate::{
    audit::service::{self as audit, Event},
    auth::{Authed, model::Email},
    error::{AppError, FieldErrors},
    firms::{
        entity::firm,
        model::{parse_date, parse_optional_text, parse_phone, parse_text},
    },
    i18n::{Locale, today},
    needs::{
        OccupationView,
        entity::{need, occupation},
        model::{EmploymentForm, LICENCES, NeedStatus},
    },
    rings::{entity::ring, model::RingStatus},
    ssr::{is_unique_violation, raced},
};

/// How many candidates the matching page lists.
pub const MATCH_LIMIT: usize = 50;
/// How many it ranks before dropping the hired and applying its filters.
pub const MATCH_RANKED: usize = MATCH_LIMIT * 4;
/// How many fitting needs a candidate's page lists.
const FITTING_LIMIT: usize = 5;

fn event<'a>(authed: &'a Authed, action: &'a str, id: i32, detail: String) -> Event<'a> {
    Event::ok(
        Some(&authed.user),
        action,
        "candidate",
        id,
        detail,
        authed.ip.clone(),
    )
}

/// The candidate form as posted.
#[derive(Debug, Clone, Default)]
pub struct CandidateFields {
    pub name: String,
    pub personnummer: String,
    pub email: String,
    pub phone: String,
    pub gender: String,
    pub permit_date: String,
    pub enrolled_on: String,
    pub sfi_course: String,
    pub sfi_path: String,
    pub driving_licence: String,
    pub available_from: String,
    pub hours: String,
    pub availability_note: String,
}

/// The candidate form, checked.
#[derive(Debug, Clone)]
struct CandidateInput {
    name: String,
    personnummer: Personnummer,
    email: String,
    phone: String,
    gender: Gender,
    permit_date: Option<NaiveDate>,
    enrolled_on: NaiveDate,
    sfi_course: String,
    sfi_path: Option<i16>,
    driving_licence: String,
    available_from: Option<NaiveDate>,
    hours: Hours,
    availability_note: String,
}

fn optional_date(input: &str) -> Result<Option<NaiveDate>, &'static str> {
    if input.trim().is_empty() {
        Ok(None)
    } else {
        parse_date(input).map(Some)
    }
}

/// Licence classes typed as "B, CE" or "b ce": known classes, upper case, comma-joined.
fn parse_licences(input: &str) -> Result<String, &'static str> {
    let mut held: Vec<String> = Vec::new();
    for class in input
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
    {
        let class = class.to_uppercase();
        if !LICENCES.contains(&class.as_str()) {
            return Err("field-licence-invalid");
        }
        if !held.contains(&class) {
            held.push(class);
        }
    }
    Ok(held.join(","))
}

impl CandidateInput {
    fn parse(f: &CandidateFields, today: NaiveDate) -> Result<Self, AppError> {
        let mut errors = FieldErrors::new();
        let mut text = |field: &str, r: Result<String, &'static str>| {
            r.map_err(|k| errors.add(field, k)).unwrap_or_default()
        };
        let name = text("name", parse_text(&f.name, 120));
        let phone = text("phone", parse_phone(&f.phone));
        let email = if f.email.trim().is_empty() {
            String::new()
        } else {
            text(
                "email",
                Email::parse(&f.email).map(|e| e.as_str().to_owned()),
            )
        };
        let driving_licence = text("driving_licence", parse_licences(&f.driving_licence));
        let availability_note = text(
            "availability_note",
            parse_optional_text(&f.availability_note, 300),
        );
        let personnummer = Personnummer::parse(&f.personnummer, today)
            .map_err(|k| errors.add("personnummer", k))
            .ok();
        let gender = Gender::parse(&f.gender);
        if gender.is_none() {
            errors.add("gender", "field-choice-required");
        }
        let hours = Hours::parse(&f.hours);
        if hours.is_none() {
            errors.add("hours", "field-choice-required");
        }
        let permit_date = optional_date(&f.permit_date)
            .map_err(|k| errors.add("permit_date", k))
            .ok()
            .flatten();
        if permit_date.is_some_and(|d| d > today) {
            errors.add("permit_date", "field-date-future");
        }
        let enrolled_on = parse_date(&f.enrolled_on)
            .map_err(|k| errors.add("enrolled_on", k))
            .ok();
        if enrolled_on.is_some_and(|d| d > today + Duration::days(366)) {
            errors.add("enrolled_on", "field-date-too-late");
        }
        if let (Some(p), Some(e)) = (&personnummer, enrolled_on)
            && e < p.birth_date()
        {
            errors.add("enrolled_on", "field-enrolled-before-birth");
        }
        let sfi_course = f.sfi_course.trim().to_uppercase();
        if !sfi_course.is_empty() && !SFI_COURSES.contains(&sfi_course.as_str()) {
            errors.add("sfi_course", "field-choice-invalid");
        }
        let sfi_path = match f.sfi_path.trim() {
            "" => None,
            s => match s.parse::<i16>() {
                Ok(p @ 1..=3) => Some(p),
                _ => {
                    errors.add("sfi_path", "field-choice-invalid");
                    None
                }
            },
        };
        let available_from = optional_date(&f.available_from)
            .map_err(|k| errors.add("available_from", k))
            .ok()
            .flatten();
        match (personnummer, gender, hours, enrolled_on) {
            (Some(personnummer), Some(gender), Some(hours), Some(enrolled_on))
                if errors.is_empty() =>
            {
                Ok(Self {
                    name,
                    personnummer,
                    email,
                    phone,
                    gender,
                    permit_date,
                    enrolled_on,
                    sfi_course,
                    sfi_path,
                    driving_licence,
                    available_from,
                    hours,
                    availability_note,
                })
            }
            _ => Err(AppError::Validation(errors)),
        }
    }
}

fn taken(e: sea_orm::DbErr) -> AppError {
    if is_unique_violation(&e) {
        AppError::field("personnummer", "field-pnr-taken")
    } else {
        e.into()
    }
}

/// Records a new candidate; returns the id.
pub async fn create(authed: &Authed, f: CandidateFields) -> Result<i32, AppError> {
    let today = today();
    let input = CandidateInput::parse(&f, today)?;
    let exists = candidate::Entity::find()
        .filter(candidate::Column::Personnummer.eq(input.personnummer.as_str()))
        .one(&authed.db)
        .await?;
    if exists.is_some() {
        return Err(AppError::field("personnummer", "field-pnr-taken"));
    }
    let now = Utc::now();
    let txn = authed.db.begin_write().await?;
    let row = candidate::ActiveModel {
        name: Set(input.name),
        personnummer: Set(input.personnummer.as_str().to_owned()),
        email: Set(input.email),
        phone: Set(input.phone),
        gender: Set(input.gender.as_str().to_owned()),
        birth_date: Set(input.personnummer.birth_date()),
        permit_date: Set(input.permit_date),
        enrolled_on: Set(input.enrolled_on),
        swedish_rank: Set(model::candidate_swedish_rank(None, &input.sfi_course)),
        sfi_course: Set(input.sfi_course),
        sfi_path: Set(input.sfi_path),
        driving_licence: Set(input.driving_licence),
        available_from: Set(input.available_from),
        hours: Set(input.hours.as_str().to_owned()),
        availability_note: Set(input.availability_note),
        job_ready_since: Set(None),
        criteria_met: Set(0),
        active: Set(true),
        version: Set(1),
        created_by: Set(Some(authed.user.id)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(taken)?;
    audit::record(
        &txn,
        event(authed, "candidate.create", row.id, String::new()),
    )
    .await?;
    txn.commit().await?;
    Ok(row.id)
}

async fn find(db: &impl ConnectionTrait, id: i32) -> Result<candidate::Model, AppError> {
    candidate::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The candidate's current version.
pub async fn version(db: &DatabaseConnection, id: i32) -> Result<i32, AppError> {
    Ok(find(db, id).await?.version)
}

/// The names of the fields whose stored values `input` changes (for the audit log).
fn changed_fields(old: &candidate::Model, new: &CandidateInput) -> Vec<&'static str> {
    let mut changed = Vec::new();
    let mut check = |name, differs: bool| {
        if differs {
            changed.push(name);
        }
    };
    check("name", old.name != new.name);
    check(
        "personnummer",
        old.personnummer != new.personnummer.as_str(),
    );
    check("email", old.email != new.email);
    check("phone", old.phone != new.phone);
    check("gender", old.gender != new.gender.as_str());
    check("permit_date", old.permit_date != new.permit_date);
    check("enrolled_on", old.enrolled_on != new.enrolled_on);
    check("sfi_course", old.sfi_course != new.sfi_course);
    check("sfi_path", old.sfi_path != new.sfi_path);
    check(
        "driving_licence",
        old.driving_licence != new.driving_licence,
    );
    check("available_from", old.available_from != new.available_from);
    check("hours", old.hours != new.hours.as_str());
    check(
        "availability_note",
        old.availability_note != new.availability_note,
    );
    changed
}

/// Changes the record if its version is still `version`; otherwise the caller gets
/// "changed by someone else" and nothing is written.
pub async fn update(
    authed: &Authed,
    id: i32,
    version: &str,
    f: CandidateFields,
) -> Result<(), AppError> {
    let old = find(&authed.db, id).await?;
    let version: i32 = version.trim().parse().map_err(|_| AppError::BadRequest)?;
    let input = CandidateInput::parse(&f, today())?;
    let changed = changed_fields(&old, &input);
    let txn = authed.db.begin_write().await?;
    let result = candidate::Entity::update_many()
        .col_expr(candidate::Column::Name, Expr::value(input.name))
        .col_expr(
            candidate::Column::Personnummer,
            Expr::value(input.personnummer.as_str()),
        )
        .col_expr(candidate::Column::Email, Expr::value(input.email))
        .col_expr(candidate::Column::Phone, Expr::value(input.phone))
        .col_expr(
            candidate::Column::Gender,
            Expr::value(input.gender.as_str()),
        )
        .col_expr(
            candidate::Column::BirthDate,
            Expr::value(input.personnummer.birth_date()),
        )
        .col_expr(
            candidate::Column::PermitDate,
            Expr::value(input.permit_date),
        )
        .col_expr(
            candidate::Column::EnrolledOn,
            Expr::value(input.enrolled_on),
        )
        .col_expr(candidate::Column::SfiCourse, Expr::value(input.sfi_course))
        .col_expr(candidate::Column::SfiPath, Expr::value(input.sfi_path))
        .col_expr(
            candidate::Column::DrivingLicence,
            Expr::value(input.driving_licence),
        )
        .col_expr(
            candidate::Column::AvailableFrom,
            Expr::value(input.available_from),
        )
        .col_expr(candidate::Column::Hours, Expr::value(input.hours.as_str()))
        .col_expr(
            candidate::Column::AvailabilityNote,
            Expr::value(input.availability_note),
        )
        .col_expr(candidate::Column::Version, Expr::value(version + 1))
        .col_expr(candidate::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(candidate::Column::Id.eq(id))
        .filter(candidate::Column::Version.eq(version))
        .exec(&txn)
        .await
        .map_err(taken)?;
    if result.rows_affected == 0 {
        return Err(AppError::Conflict("candidate-changed-elsewhere".into()));
    }
    // The SFI course may have changed: the derived columns follow.
    refresh(&txn, id).await?;
    audit::record(
        &txn,
        event(authed, "candidate.update", id, changed.join(",")),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Recomputes what is derived from a candidate's rows: Swedish on one scale, the
/// criteria that hold now, the day they first all held, and whether the candidate
/// is still in the programme. Called in the transaction of every change to them.
pub async fn refresh(db: &impl ConnectionTrait, id: i32) -> Result<(), AppError> {
    let row = find(db, id).await?;
    let swedish = language::Entity::find()
        .filter(language::Column::CandidateId.eq(id))
        .filter(language::Column::Language.eq("sv"))
        .one(db)
        .await?;
    let current = current_assessments(db, id).await?;
    let met = current.values().filter(|a| a.met).count() as i16;
    let job_ready_since = match row.job_ready_since {
        Some(day) => Some(day),
        None if met == 4 => current.values().map(|a| a.assessed_on).max(),
        None => None,
    };
    let ended = activity::Entity::find()
        .filter(activity::Column::CandidateId.eq(id))
        .filter(activity::Column::Kind.is_in([
            ActivityKind::SelfSufficiency.as_str(),
            ActivityKind::Exit.as_str(),
        ]))
        .one(db)
        .await?
        .is_some();
    let mut active = row.into_active_model();
    active.swedish_rank = Set(model::candidate_swedish_rank(
        swedish.as_ref().map(|s| s.level.as_str()),
        active.sfi_course.as_ref(),
    ));
    active.criteria_met = Set(met);
    active.job_ready_since = Set(job_ready_since);
    active.active = Set(!ended);
    active.updated_at = Set(Utc::now());
    active.update(db).await?;
    Ok(())
}

/// The latest assessment of each criterion (by date, then entry).
async fn current_assessments(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<HashMap<Criterion, assessment::Model>, AppError> {
    let rows = assessment::Entity::find()
        .filter(assessment::Column::CandidateId.eq(id))
        .order_by_asc(assessment::Column::AssessedOn)
        .order_by_asc(assessment::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|a| Criterion::parse(&a.criterion).map(|c| (c, a)))
        .collect())
}

fn status_of(timeline: &[activity::Model]) -> CandidateStatus {
    let last_end = timeline
        .iter()
        .filter_map(|a| ActivityKind::parse(&a.kind).filter(|k| k.ends_programme()))
        .next_back();
    match last_end {
        Some(ActivityKind::SelfSufficiency) => CandidateStatus::SelfSufficient,
        Some(_) => CandidateStatus::Exited,
        None => CandidateStatus::Active,
    }
}

/// The list, with search and status filter.
pub async fn list(authed: &Authed, q: &str, status: &str) -> Result<CandidateList, AppError> {
    let db = &authed.db;
    let mut query = candidate::Entity::find().order_by_desc(candidate::Column::EnrolledOn);
    match status {
        "ended" => query = query.filter(candidate::Column::Active.eq(false)),
        "all" => {}
        _ => query = query.filter(candidate::Column::Active.eq(true)),
    }
    // No name or number is longer; SQLite refuses LIKE patterns over 50 000 bytes.
    let q: String = q.trim().chars().take(255).collect();
    if !q.is_empty() {
        let digits: String = q.chars().filter(char::is_ascii_digit).collect();
        // Typed text is matched literally: LIKE's wildcards are escaped.
        let literal: String = q
            .to_lowercase()
            .chars()
            .flat_map(|c| match c {
                '%' | '_' | '\\' => vec!['\\', c],
                c => vec![c],
            })
            .collect();
        let mut cond = sea_orm::Condition::any().add(
            Expr::expr(sea_orm::sea_query::Func::lower(Expr::col(
                candidate::Column::Name,
            )))
            .like(sea_orm::sea_query::LikeExpr::new(format!("%{literal}%")).escape('\\')),
        );
        if digits.len() >= 4 {
            cond = cond.add(candidate::Column::Personnummer.contains(&digits));
        }
        query = query.filter(cond);
    }
    let rows = query.all(db).await?;
    let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    let mut timelines: HashMap<i32, Vec<activity::Model>> = HashMap::new();
    let mut steps: HashMap<i32, (NaiveDate, String)> = HashMap::new();
    let mut pools: HashMap<i32, Vec<String>> = HashMap::new();
    let rings: HashMap<i32, String> = ring::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect();
    for chunk in ids.chunks(500) {
        for a in activity::Entity::find()
            .filter(activity::Column::CandidateId.is_in(chunk.to_vec()))
            .order_by_asc(activity::Column::StartOn)
            .order_by_asc(activity::Column::Id)
            .all(db)
            .await?
        {
            timelines.entry(a.candidate_id).or_default().push(a);
        }
        for s in plan_step::Entity::find()
            .filter(plan_step::Column::CandidateId.is_in(chunk.to_vec()))
            .filter(plan_step::Column::DoneOn.is_null())
            .order_by_desc(plan_step::Column::DueOn)
            .all(db)
            .await?
        {
            steps.insert(s.candidate_id, (s.due_on, s.description));
        }
        for p in pool_entry::Entity::find()
            .filter(pool_entry::Column::CandidateId.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            if let Some(name) = rings.get(&p.ring_id) {
                pools.entry(p.candidate_id).or_default().push(name.clone());
            }
        }
    }
    let candidates = rows
        .into_iter()
        .map(|c| {
            let timeline = timelines.remove(&c.id).unwrap_or_default();
            CandidateRow {
                id: c.id,
                name: c.name,
                enrolled_on: c.enrolled_on,
                criteria_met: c.criteria_met,
                job_ready_since: c.job_ready_since,
                status: status_of(&timeline),
                latest: timeline
                    .last()
                    .and_then(|a| ActivityKind::parse(&a.kind).map(|k| (k, a.start_on))),
                next_step: steps.remove(&c.id),
                pools: pools.remove(&c.id).unwrap_or_default(),
            }
        })
        .collect();
    Ok(CandidateList {
        candidates,
        today: today(),
    })
}

async fn occupation_views(
    db: &impl ConnectionTrait,
    codes: impl IntoIterator<Item = String>,
    locale: Locale,
) -> Result<HashMap<String, OccupationView>, AppError> {
    let codes: Vec<String> = codes
        .into_iter()
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    if codes.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(occupation::Entity::find()
        .filter(occupation::Column::Code.is_in(codes))
        .all(db)
        .await?
        .into_iter()
        .map(|o| {
            let view = OccupationView {
                code: o.code.clone(),
                name: match locale {
                    Locale::Sv => o.name_sv,
                    Locale::En => o.name_en,
                },
                level: o.level,
            };
            (o.code, view)
        })
        .collect())
}

fn occupation_or_code(views: &HashMap<String, OccupationView>, code: &str) -> OccupationView {
    views.get(code).cloned().unwrap_or_else(|| OccupationView {
        code: code.to_owned(),
        name: String::new(),
        level: 4,
    })
}

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
pub async fn detail(authed: &Authed, id: i32, locale: Locale) -> Result<CandidateDetail, AppError> {
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
            .map(|s| PlanStepView {
                id: s.id,
                due_on: s.due_on,
                description: s.description,
                done_on: s.done_on,
            })
            .collect(),
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
    audit::record(db, event(authed, "candidate.read", id, String::new())).await?;
    Ok(detail)
}

/// Adds a language (or changes the level of one already recorded).
pub async fn add_language(
    authed: &Authed,
    id: i32,
    code: &str,
    level: &str,
) -> Result<(), AppError> {
    find(&authed.db, id).await?;
    let mut errors = FieldErrors::new();
    let code = code.trim();
    if code.is_empty() {
        errors.add("language", "field-choice-required");
    } else if !LANGUAGES.iter().any(|(c, _, _)| *c == code) {
        errors.add("language", "field-choice-invalid");
    }
    let level = level.trim().to_uppercase();
    if level.is_empty() {
        errors.add("level", "field-choice-required");
    } else if !LANGUAGE_LEVELS.contains(&level.as_str()) {
        errors.add("level", "field-choice-invalid");
    }
    errors.into_result(())?;
    let txn = authed.db.begin_write().await?;
    let existing = language::Entity::find()
        .filter(language::Column::CandidateId.eq(id))
        .filter(language::Column::Language.eq(code))
        .one(&txn)
        .await?;
    match existing {
        Some(row) => {
            let mut row = row.into_active_model();
            row.level = Set(level.clone());
            row.update(&txn).await?;
        }
        None => {
            language::ActiveModel {
                candidate_id: Set(id),
                language: Set(code.to_owned()),
                level: Set(level.clone()),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    refresh(&txn, id).await?;
    audit::record(
        &txn,
        event(authed, "candidate.language", id, format!("{code} {level}")),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

fn parse_years(input: &str, max: i16) -> Result<i16, &'static str> {
    let s = input.trim();
    if s.is_empty() {
        return Err("field-required");
    }
    match s.parse::<i16>() {
        Ok(n) if (0..=max).contains(&n) => Ok(n),
        Ok(_) => Err("field-years-range"),
        Err(_) => Err("field-number-invalid"),
    }
}

/// The education form as posted.
#[derive(Debug, Clone, Default)]
pub struct EducationFields {
    pub isced: String,
    pub field: String,
    pub country: String,
    pub years: String,
    pub validated: bool,
}

/// Adds an education.
pub async fn add_education(authed: &Authed, id: i32, f: EducationFields) -> Result<(), AppError> {
    find(&authed.db, id).await?;
    let mut errors = FieldErrors::new();
    let isced = match f.isced.trim().parse::<i16>() {
        Ok(n) if ISCED_LEVELS.contains(&n) => n,
        _ if f.isced.trim().is_empty() => {
            errors.add("isced", "field-choice-required");
            0
        }
        _ => {
            errors.add("isced", "field-choice-invalid");
            0
        }
    };
    let field = parse_optional_text(&f.field, 120)
        .map_err(|k| errors.add("edu_field", k))
        .unwrap_or_default();
    let country = parse_optional_text(&f.country, 80)
        .map_err(|k| errors.add("edu_country", k))
        .unwrap_or_default();
    let years = parse_years(&f.years, 30)
        .map_err(|k| errors.add("edu_years", k))
        .unwrap_or_default();
    errors.into_result(())?;
    let txn = authed.db.begin_write().await?;
    education::ActiveModel {
        candidate_id: Set(id),
        isced: Set(isced),
        field: Set(field),
        country: Set(country),
        years: Set(years),
        validated: Set(f.validated),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        event(authed, "candidate.education", id, format!("isced {isced}")),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Adds work experience (`experience` = Some((years, country))) or, without it, a
/// preferred occupation. `field` is the form field the occupation was typed in.
pub async fn add_occupation(
    authed: &Authed,
    id: i32,
    field: &str,
    occupation_input: &str,
    experience: Option<(&str, &str)>,
) -> Result<(), AppError> {
    find(&authed.db, id).await?;
    let mut errors = FieldErrors::new();
    let code = crate::needs::service::resolve_occupation(&authed.db, occupation_input)
        .await
        .map_err(|k| errors.add(field, k))
        .ok();
    let (years, country) = match experience {
        None => (0, String::new()),
        Some((years, country)) => (
            parse_years(years, 50)
                .map_err(|k| errors.add("years", k))
                .unwrap_or_default(),
            parse_optional_text(country, 80)
                .map_err(|k| errors.add("country", k))
                .unwrap_or_default(),
        ),
    };
    let code = match code {
        Some(code) if errors.is_empty() => code,
        _ => return Err(AppError::Validation(errors)),
    };
    let txn = authed.db.begin_write().await?;
    if experience.is_none() {
        let exists = preference::Entity::find()
            .filter(preference::Column::CandidateId.eq(id))
            .filter(preference::Column::OccupationCode.eq(&code))
            .one(&txn)
            .await?
            .is_some();
        if !exists {
            preference::ActiveModel {
                candidate_id: Set(id),
                occupation_code: Set(code.clone()),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    } else {
        experience::ActiveModel {
            candidate_id: Set(id),
            occupation_code: Set(code.clone()),
            years: Set(years),
            country: Set(country),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    let kind = if experience.is_some() {
        "experience"
    } else {
        "preference"
    };
    audit::record(
        &txn,
        event(authed, "candidate.occupation", id, format!("{kind} {code}")),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Removes one language, education, experience or preference row of the candidate.
pub async fn remove_row(authed: &Authed, id: i32, kind: &str, row_id: i32) -> Result<(), AppError> {
    find(&authed.db, id).await?;
    let txn = authed.db.begin_write().await?;
    let deleted = match kind {
        "language" => {
            language::Entity::delete_many()
                .filter(language::Column::Id.eq(row_id))
                .filter(language::Column::CandidateId.eq(id))
                .exec(&txn)
                .await?
        }
        "education" => {
            education::Entity::delete_many()
                .filter(education::Column::Id.eq(row_id))
                .filter(education::Column::CandidateId.eq(id))
                .exec(&txn)
                .await?
        }
        "experience" => {
            experience::Entity::delete_many()
                .filter(experience::Column::Id.eq(row_id))
                .filter(experience::Column::CandidateId.eq(id))
                .exec(&txn)
                .await?
        }
        "preference" => {
            preference::Entity::delete_many()
                .filter(preference::Column::Id.eq(row_id))
                .filter(preference::Column::CandidateId.eq(id))
                .exec(&txn)
                .await?
        }
        _ => return Err(AppError::BadRequest),
    };
    if deleted.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    refresh(&txn, id).await?;
    audit::record(&txn, event(authed, "candidate.remove", id, kind.to_owned())).await?;
    txn.commit().await?;
    Ok(())
}

/// Obstacles and health, with the reason for reading them written to the audit log.
pub async fn read_health(authed: &Authed, id: i32, reason: &str) -> Result<HealthView, AppError> {
    let c = find(&authed.db, id).await?;
    let reason = parse_text(reason, 200).map_err(|k| AppError::field("reason", k))?;
    if reason.chars().count() < 5 {
        return Err(AppError::field("reason", "field-reason-short"));
    }
    let row = health::Entity::find_by_id(id).one(&authed.db).await?;
    audit::record(
        &authed.db,
        event(authed, "candidate.health.read", id, reason),
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

/// Records obstacles and health; the log says that they changed, never what.
pub async fn save_health(
    authed: &Authed,
    id: i32,
    obstacles: &str,
    health_text: &str,
) -> Result<(), AppError> {
    find(&authed.db, id).await?;
    let mut errors = FieldErrors::new();
    let obstacles = parse_optional_text(obstacles, 4000)
        .map_err(|k| errors.add("obstacles", k))
        .unwrap_or_default();
    let health_text = parse_optional_text(health_text, 4000)
        .map_err(|k| errors.add("health", k))
        .unwrap_or_default();
    errors.into_result(())?;
    let txn = authed.db.begin_write().await?;
    let row = health::ActiveModel {
        candidate_id: Set(id),
        obstacles: Set(obstacles),
        health: Set(health_text),
        updated_by: Set(Some(authed.user.id)),
        updated_at: Set(Utc::now()),
    };
    if health::Entity::find_by_id(id).one(&txn).await?.is_some() {
        row.update(&txn).await?;
    } else {
        row.insert(&txn).await?;
    }
    audit::record(
        &txn,
        event(authed, "candidate.health.write", id, String::new()),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Assesses one criterion; when all four hold for the first time, that day is kept.
pub async fn assess(
    authed: &Authed,
    id: i32,
    criterion: &str,
    met: &str,
    assessed_on: &str,
    comment: &str,
) -> Result<(), AppError> {
    let c = find(&authed.db, id).await?;
    let today = today();
    let mut errors = FieldErrors::new();
    let criterion = Criterion::parse(criterion);
    if criterion.is_none() {
        errors.add("criterion", "field-choice-required");
    }
    let met = match met {
        "yes" => Some(true),
        "no" => Some(false),
        _ => {
            errors.add("met", "field-choice-required");
            None
        }
    };
    let day = parse_date(assessed_on)
        .map_err(|k| errors.add("assessed_on", k))
        .ok();
    if day.is_some_and(|d| d > today) {
        errors.add("assessed_on", "field-date-future");
    }
    if day.is_some_and(|d| d < c.enrolled_on - Duration::days(365)) {
        errors.add("assessed_on", "field-date-too-early");
    }
    let comment = parse_optional_text(comment, 1000)
        .map_err(|k| errors.add("comment", k))
        .unwrap_or_default();
    let (Some(criterion), Some(met), Some(day)) = (criterion, met, day) else {
        return Err(AppError::Validation(errors));
    };
    errors.into_result(())?;
    let txn = authed.db.begin_write().await?;
    assessment::ActiveModel {
        candidate_id: Set(id),
        criterion: Set(criterion.as_str().to_owned()),
        met: Set(met),
        assessed_on: Set(day),
        assessor_id: Set(Some(authed.user.id)),
        assessor_name: Set(authed.user.name.clone()),
        comment: Set(comment),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    refresh(&txn, id).await?;
    audit::record(
        &txn,
        event(
            authed,
            "candidate.assess",
            id,
            format!(
                "{} {}",
                criterion.as_str(),
                if met { "met" } else { "not met" }
            ),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Adds a step to the action plan.
pub async fn add_plan_step(
    authed: &Authed,
    id: i32,
    due_on: &str,
    description: &str,
) -> Result<(), AppError> {
    find(&authed.db, id).await?;
    let mut errors = FieldErrors::new();
    let due = parse_date(due_on).map_err(|k| errors.add("due_on", k)).ok();
    let description = parse_text(description, 300)
        .map_err(|k| errors.add("description", k))
        .unwrap_or_default();
    let Some(due) = due else {
        return Err(AppError::Validation(errors));
    };
    errors.into_result(())?;
    let txn = authed.db.begin_write().await?;
    plan_step::ActiveModel {
        candidate_id: Set(id),
        due_on: Set(due),
        description: Set(description),
        done_on: Set(None),
        created_by: Set(Some(authed.user.id)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(&txn, event(authed, "candidate.plan", id, String::new())).await?;
    txn.commit().await?;
    Ok(())
}

/// Marks a step done today, or open again.
pub async fn toggle_plan_step(authed: &Authed, id: i32, step_id: i32) -> Result<(), AppError> {
    let step = plan_step::Entity::find_by_id(step_id)
        .filter(plan_step::Column::CandidateId.eq(id))
        .one(&authed.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let done = step.done_on.is_none();
    let txn = authed.db.begin_write().await?;
    let mut step = step.into_active_model();
    step.done_on = Set(done.then(today));
    step.update(&txn).await?;
    audit::record(
        &txn,
        event(
            authed,
            "candidate.plan",
            id,
            format!("step {step_id} {}", if done { "done" } else { "reopened" }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The timeline form as posted.
#[derive(Debug, Clone, Default)]
pub struct ActivityFields {
    pub kind: String,
    pub firm_id: String,
    pub need_id: String,
    pub title: String,
    pub provider: String,
    pub start_on: String,
    pub end_on: String,
    pub completed: bool,
    pub employment_form: String,
    pub exit_reason: String,
    pub note: String,
}

fn optional_id(input: &str) -> Result<Option<i32>, &'static str> {
    match input.trim() {
        "" => Ok(None),
        s => s.parse().map(Some).map_err(|_| "field-choice-invalid"),
    }
}

/// Adds an entry to the timeline; each kind asks for its own fields.
pub async fn add_activity(authed: &Authed, id: i32, f: ActivityFields) -> Result<(), AppError> {
    let c = find(&authed.db, id).await?;
    let db = &authed.db;
    let today = today();
    let mut errors = FieldErrors::new();
    let kind = ActivityKind::parse(&f.kind);
    if kind.is_none() {
        errors.add("kind", "field-choice-required");
    }
    let start = parse_date(&f.start_on)
        .map_err(|k| errors.add("start_on", k))
        .ok();
    let end = optional_date(&f.end_on)
        .map_err(|k| errors.add("end_on", k))
        .ok()
        .flatten();
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        errors.add("end_on", "field-end-before-start");
    }
    if start.is_some_and(|s| s < c.birth_date) {
        errors.add("start_on", "field-date-too-early");
    }
    if start.is_some_and(|s| s > today + Duration::days(366)) {
        errors.add("start_on", "field-date-too-late");
    }
    let note = parse_optional_text(&f.note, 1000)
        .map_err(|k| errors.add("note", k))
        .unwrap_or_default();
    let mut firm_id = optional_id(&f.firm_id)
        .map_err(|k| errors.add("firm_id", k))
        .ok()
        .flatten();
    let mut need_id = optional_id(&f.need_id)
        .map_err(|k| errors.add("need_id", k))
        .ok()
        .flatten();
    let mut title = String::new();
    let mut provider = String::new();
    let mut completed = None;
    let mut employment_form = String::new();
    let mut exit_reason = String::new();
    let mut end_on = end;
    match kind {
        Some(ActivityKind::Internship) if firm_id.is_none() && need_id.is_none() => {
            errors.add("firm_id", "field-choice-required");
        }
        Some(ActivityKind::Internship) => {}
        Some(ActivityKind::Employment) => {
            if firm_id.is_none() && need_id.is_none() {
                errors.add("firm_id", "field-choice-required");
            }
            match EmploymentForm::parse(&f.employment_form) {
                Some(form) => employment_form = form.as_str().to_owned(),
                None => errors.add("employment_form", "field-choice-required"),
            }
        }
        Some(ActivityKind::Training) => {
            title = parse_text(&f.title, 160)
                .map_err(|k| errors.add("title", k))
                .unwrap_or_default();
            provider = parse_optional_text(&f.provider, 160)
                .map_err(|k| errors.add("provider", k))
                .unwrap_or_default();
            completed = Some(f.completed);
            if f.completed && end.is_none_or(|e| e > today) {
                errors.add("end_on", "field-completed-needs-end");
            }
        }
        Some(ActivityKind::Studies) => {
            title = parse_optional_text(&f.title, 160)
                .map_err(|k| errors.add("title", k))
                .unwrap_or_default();
        }
        Some(ActivityKind::SelfSufficiency | ActivityKind::Exit) => {
            if start.is_some_and(|s| s > today) {
                errors.add("start_on", "field-date-future");
            }
            if kind == Some(ActivityKind::Exit) {
                match ExitReason::parse(&f.exit_reason) {
                    Some(reason) => exit_reason = reason.as_str().to_owned(),
                    None => errors.add("exit_reason", "field-choice-required"),
                }
            }
            if !c.active {
                errors.add("kind", "field-candidate-already-ended");
            }
            end_on = None;
        }
        None => {}
    }
    if !matches!(
        kind,
        Some(ActivityKind::Internship | ActivityKind::Employment)
    ) {
        firm_id = None;
        need_id = None;
    }
    // A need decides the firm; a firm given with it must be the need's.
    if let Some(n) = need_id {
        match need::Entity::find_by_id(n).one(db).await? {
            Some(need) if firm_id.is_none_or(|f| f == need.firm_id) => {
                firm_id = Some(need.firm_id);
            }
            Some(_) => errors.add("need_id", "field-need-other-firm"),
            None => errors.add("need_id", "field-choice-invalid"),
        }
    } else if let Some(f) = firm_id
        && firm::Entity::find_by_id(f).one(db).await?.is_none()
    {
        errors.add("firm_id", "field-choice-invalid");
    }
    let (Some(kind), Some(start)) = (kind, start) else {
        return Err(AppError::Validation(errors));
    };
    errors.into_result(())?;
    let txn = db.begin_write().await?;
    activity::ActiveModel {
        candidate_id: Set(id),
        kind: Set(kind.as_str().to_owned()),
        firm_id: Set(firm_id),
        need_id: Set(need_id),
        title: Set(title),
        provider: Set(provider),
        start_on: Set(start),
        end_on: Set(end_on),
        completed: Set(completed),
        employment_form: Set(employment_form),
        exit_reason: Set(exit_reason),
        note: Set(note),
        created_by: Set(Some(authed.user.id)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    refresh(&txn, id).await?;
    audit::record(
        &txn,
        event(authed, "candidate.activity", id, kind.as_str().to_owned()),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Puts a candidate in an active ring's pool (again: replaces the note).
pub async fn add_to_pool(
    authed: &Authed,
    id: i32,
    ring_id: &str,
    note: &str,
) -> Result<(), AppError> {
    find(&authed.db, id).await?;
    let mut errors = FieldErrors::new();
    let ring_id = match optional_id(ring_id) {
        Ok(Some(r)) => Some(r),
        Ok(None) => {
            errors.add("ring_id", "field-choice-required");
            None
        }
        Err(k) => {
            errors.add("ring_id", k);
            None
        }
    };
    let note = parse_optional_text(note, 500)
        .map_err(|k| errors.add("pool_note", k))
        .unwrap_or_default();
    if let Some(r) = ring_id {
        match ring::Entity::find_by_id(r).one(&authed.db).await? {
            Some(ring) if ring.status == RingStatus::Active.as_str() => {}
            Some(_) => errors.add("ring_id", "field-ring-closed"),
            None => errors.add("ring_id", "field-choice-invalid"),
        }
    }
    let Some(ring_id) = ring_id else {
        return Err(AppError::Validation(errors));
    };
    errors.into_result(())?;
    let txn = authed.db.begin_write().await?;
    let existing = pool_entry::Entity::find()
        .filter(pool_entry::Column::RingId.eq(ring_id))
        .filter(pool_entry::Column::CandidateId.eq(id))
        .one(&txn)
        .await?;
    match existing {
        Some(row) => {
            let mut row = row.into_active_model();
            row.note = Set(note);
            row.update(&txn).await?;
        }
        None => {
            pool_entry::ActiveModel {
                ring_id: Set(ring_id),
                candidate_id: Set(id),
                note: Set(note),
                added_by: Set(Some(authed.user.id)),
                added_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(&txn)
            .await
            .map_err(raced)?;
        }
    }
    audit::record(
        &txn,
        event(authed, "candidate.pool.add", id, format!("ring {ring_id}")),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Takes a candidate out of a ring's pool (idempotent).
pub async fn remove_from_pool(authed: &Authed, id: i32, ring_id: i32) -> Result<(), AppError> {
    find(&authed.db, id).await?;
    let txn = authed.db.begin_write().await?;
    pool_entry::Entity::delete_many()
        .filter(pool_entry::Column::RingId.eq(ring_id))
        .filter(pool_entry::Column::CandidateId.eq(id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        event(
            authed,
            "candidate.pool.remove",
            id,
            format!("ring {ring_id}"),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A ring's pool, by name.
pub async fn pool(db: &DatabaseConnection, ring_id: i32) -> Result<PoolView, AppError> {
    let ring = ring::Entity::find_by_id(ring_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let entries = pool_entry::Entity::find()
        .filter(pool_entry::Column::RingId.eq(ring_id))
        .all(db)
        .await?;
    let candidates: HashMap<i32, candidate::Model> = candidate::Entity::find()
        .filter(
            candidate::Column::Id.is_in(entries.iter().map(|e| e.candidate_id).collect::<Vec<_>>()),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let mut entries: Vec<PoolRow> = entries
        .into_iter()
        .filter_map(|e| {
            let c = candidates.get(&e.candidate_id)?;
            Some(PoolRow {
                candidate_id: c.id,
                name: c.name.clone(),
                criteria_met: c.criteria_met,
                note: e.note,
                added_at: e.added_at,
            })
        })
        .collect();
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(PoolView {
        ring_id,
        ring_name: ring.name,
        entries,
    })
}

/// The matching page: the need, the ranking explained, the shortlist.
pub async fn match_view(
    authed: &Authed,
    need_id: i32,
    filters: MatchFilters,
    locale: Locale,
) -> Result<MatchView, AppError> {
    let db = &authed.db;
    let n = need::Entity::find_by_id(need_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let facts = need_facts(&n);
    // Filters and the hired are applied to a longer ranking, then cut to the limit.
    let Ranking { scores, .. } = rank_for_need(db, &facts, MATCH_RANKED).await?;
    let ranked_ids: Vec<i32> = scores.iter().map(|s| s.candidate_id).collect();
    let states =
        crate::releases::service::release_states(db, &ranked_ids, n.ring_id, need_id).await?;
    let consenting =
        crate::consent::service::covering_ring(db, &ranked_ids, n.ring_id, today()).await?;
    let ready: HashSet<i32> = candidate::Entity::find()
        .filter(candidate::Column::Id.is_in(ranked_ids))
        .filter(candidate::Column::JobReadySince.is_not_null())
        .select_only()
        .column(candidate::Column::Id)
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let scores: Vec<_> = scores
        .into_iter()
        .filter(|s| !states.hired_for_need.contains(&s.candidate_id))
        .filter(|s| !filters.job_ready || ready.contains(&s.candidate_id))
        .filter(|s| !filters.consent || consenting.contains(&s.candidate_id))
        .filter(|s| !filters.not_placed || !states.placed.contains(&s.candidate_id))
        .take(MATCH_LIMIT)
        .collect();
    let considered = active_count(db).await?;
    let shortlist = shortlist_entry::Entity::find()
        .filter(shortlist_entry::Column::NeedId.eq(need_id))
        .order_by_asc(shortlist_entry::Column::AddedAt)
        .all(db)
        .await?;
    let pool: HashSet<i32> = pool_entry::Entity::find()
        .filter(pool_entry::Column::RingId.eq(n.ring_id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.candidate_id)
        .collect();
    let ids: Vec<i32> = scores
        .iter()
        .map(|s| s.candidate_id)
        .chain(shortlist.iter().map(|s| s.candidate_id))
        .collect();
    let names: HashMap<i32, String> = candidate::Entity::find()
        .filter(candidate::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let shortlisted: HashSet<i32> = shortlist.iter().map(|s| s.candidate_id).collect();
    let views = occupation_views(db, [n.occupation_code.clone()], locale).await?;
    let firm_name = firm::Entity::find_by_id(n.firm_id)
        .one(db)
        .await?
        .map(|f| f.name)
        .unwrap_or_default();
    let ring_name = ring::Entity::find_by_id(n.ring_id)
        .one(db)
        .await?
        .map(|r| r.name)
        .unwrap_or_default();
    audit::record(
        db,
        Event::ok(
            Some(&authed.user),
            "candidate.match",
            "need",
            need_id,
            format!("{} ranked", scores.len()),
            authed.ip.clone(),
        ),
    )
    .await?;
    Ok(MatchView {
        need_id,
        title: n.title.clone(),
        firm_name,
        ring: (n.ring_id, ring_name),
        occupation: occupation_or_code(&views, &n.occupation_code),
        swedish_level: n.swedish_level.clone(),
        driving_licence: n.driving_licence.clone(),
        start_date: n.start_date,
        suggested_training: n.suggested_training.clone(),
        considered,
        filters,
        ranked: scores
            .into_iter()
            .map(|score| RankedCandidate {
                name: names.get(&score.candidate_id).cloned().unwrap_or_default(),
                in_pool: pool.contains(&score.candidate_id),
                shortlisted: shortlisted.contains(&score.candidate_id),
                job_ready: ready.contains(&score.candidate_id),
                consent: consenting.contains(&score.candidate_id),
                released: states.live.get(&score.candidate_id).cloned(),
                placed: states.placed.contains(&score.candidate_id),
                score,
            })
            .collect(),
        shortlist: shortlist
            .into_iter()
            .map(|s| ShortlistRow {
                candidate_id: s.candidate_id,
                name: names.get(&s.candidate_id).cloned().unwrap_or_default(),
                note: s.note,
                added_at: s.added_at,
            })
            .collect(),
    })
}

/// Puts a candidate on a need's shortlist (again: replaces the note).
pub async fn add_to_shortlist(
    authed: &Authed,
    need_id: i32,
    id: i32,
    note: &str,
) -> Result<(), AppError> {
    need::Entity::find_by_id(need_id)
        .one(&authed.db)
        .await?
        .ok_or(AppError::NotFound)?;
    find(&authed.db, id).await?;
    let note = parse_optional_text(note, 500).map_err(|k| AppError::field("note", k))?;
    let txn = authed.db.begin_write().await?;
    let existing = shortlist_entry::Entity::find()
        .filter(shortlist_entry::Column::NeedId.eq(need_id))
        .filter(shortlist_entry::Column::CandidateId.eq(id))
        .one(&txn)
        .await?;
    match existing {
        Some(row) => {
            let mut row = row.into_active_model();
            row.note = Set(note);
            row.update(&txn).await?;
        }
        None => {
            shortlist_entry::ActiveModel {
                need_id: Set(need_id),
                candidate_id: Set(id),
                note: Set(note),
                added_by: Set(Some(authed.user.id)),
                added_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(&txn)
            .await
            .map_err(raced)?;
        }
    }
    audit::record(
        &txn,
        event(
            authed,
            "candidate.shortlist.add",
            id,
            format!("need {need_id}"),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Takes a candidate off a need's shortlist (idempotent).
pub async fn remove_from_shortlist(authed: &Authed, need_id: i32, id: i32) -> Result<(), AppError> {
    need::Entity::find_by_id(need_id)
        .one(&authed.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let txn = authed.db.begin_write().await?;
    shortlist_entry::Entity::delete_many()
        .filter(shortlist_entry::Column::NeedId.eq(need_id))
        .filter(shortlist_entry::Column::CandidateId.eq(id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        event(
            authed,
            "candidate.shortlist.remove",
            id,
            format!("need {need_id}"),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
