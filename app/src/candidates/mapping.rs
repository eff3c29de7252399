//! The mapping of a candidate: languages, education, experience and preferred
//! occupations, obstacles and health, the four criteria and the action plan.

use super::service::{event, find, refresh};
use crate::ssr::BeginWrite;

use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

use super::{
    entity::{assessment, education, experience, health, language, plan_step, preference},
    model::{Criterion, EducationForm, ISCED_LEVELS, LANGUAGE_LEVELS, LANGUAGES},
};
use crate::{
    audit::service::{self as audit, Action},
    auth::Staff,
    error::{AppError, FieldErrors},
    field,
    firms::model::{parse_date, parse_optional_text, parse_text},
    i18n::today,
};

/// Adds a language (or changes the level of one already recorded).
pub async fn add_language(
    authed: &Staff,
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
        event(
            authed,
            Action::CandidateLanguage,
            id,
            format!("{code} {level}"),
        ),
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

/// Adds an education.
pub async fn add_education(authed: &Staff, id: i32, f: EducationForm) -> Result<(), AppError> {
    find(&authed.db, id).await?;
    let mut errors = FieldErrors::new();
    let isced = match f.isced.trim().parse::<i16>() {
        Ok(n) if ISCED_LEVELS.contains(&n) => n,
        _ if f.isced.trim().is_empty() => {
            errors.add(field!(EducationForm, isced), "field-choice-required");
            0
        }
        _ => {
            errors.add(field!(EducationForm, isced), "field-choice-invalid");
            0
        }
    };
    let field = parse_optional_text(&f.edu_field, 120)
        .map_err(|k| errors.add(field!(EducationForm, edu_field), k))
        .unwrap_or_default();
    let country = parse_optional_text(&f.edu_country, 80)
        .map_err(|k| errors.add(field!(EducationForm, edu_country), k))
        .unwrap_or_default();
    let years = parse_years(&f.edu_years, 30)
        .map_err(|k| errors.add(field!(EducationForm, edu_years), k))
        .unwrap_or_default();
    errors.into_result(())?;
    let txn = authed.db.begin_write().await?;
    education::ActiveModel {
        candidate_id: Set(id),
        isced: Set(isced),
        field: Set(field),
        country: Set(country),
        years: Set(years),
        validated: Set(f.validated.is_some()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        event(
            authed,
            Action::CandidateEducation,
            id,
            format!("isced {isced}"),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Adds work experience (`experience` = Some((years, country))) or, without it, a
/// preferred occupation. `field` is the form field the occupation was typed in.
pub async fn add_occupation(
    authed: &Staff,
    id: i32,
    field: &str,
    occupation_input: &str,
    experience: Option<(&str, &str)>,
) -> Result<(), AppError> {
    find(&authed.db, id).await?;
    let mut errors = FieldErrors::new();
    let code = crate::needs::occupations::resolve_occupation(&authed.db, occupation_input)
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
    super::ranking::touch(&txn, id).await?;
    let kind = if experience.is_some() {
        "experience"
    } else {
        "preference"
    };
    audit::record(
        &txn,
        event(
            authed,
            Action::CandidateOccupation,
            id,
            format!("{kind} {code}"),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Removes one language, education, experience or preference row of the candidate.
pub async fn remove_row(authed: &Staff, id: i32, kind: &str, row_id: i32) -> Result<(), AppError> {
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
    audit::record(
        &txn,
        event(authed, Action::CandidateRemove, id, kind.to_owned()),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Records obstacles and health; the log says that they changed, never what.
pub async fn save_health(
    authed: &Staff,
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
        event(authed, Action::CandidateHealthWrite, id, String::new()),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Assesses one criterion; when all four hold for the first time, that day is kept.
pub async fn assess(
    authed: &Staff,
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
            Action::CandidateAssess,
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
    authed: &Staff,
    id: i32,
    due_on: &str,
    description: &str,
    assignee: &str,
) -> Result<(), AppError> {
    find(&authed.db, id).await?;
    let mut errors = FieldErrors::new();
    let due = parse_date(due_on).map_err(|k| errors.add("due_on", k)).ok();
    let description = parse_text(description, 300)
        .map_err(|k| errors.add("description", k))
        .unwrap_or_default();
    let assignee = match super::team::parse_assignee(&authed.db, id, assignee, "assignee_id").await
    {
        Ok(a) => a,
        Err(AppError::Validation(e)) => {
            for (field, key) in e.0 {
                errors.add(&field, &key);
            }
            None
        }
        Err(e) => return Err(e),
    };
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
        assignee_id: Set(assignee),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        event(authed, Action::CandidatePlan, id, String::new()),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Marks a step done today, or open again.
pub async fn toggle_plan_step(authed: &Staff, id: i32, step_id: i32) -> Result<(), AppError> {
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
            Action::CandidatePlan,
            id,
            format!("step {step_id} {}", if done { "done" } else { "reopened" }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
