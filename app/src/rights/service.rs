//! Export, erasure and retention.
//!
//! Erasure runs in one transaction: anonymous facts go to `erased_candidates` (for
//! the reports), the e-mails that mention the candidate's releases leave the outbox,
//! typed-back form values that hold the personnummer leave `form_flashes`, the audit
//! log's entries about the candidate have their subject redacted (the one change the
//! append-only log allows), and deleting the candidate row removes every other row
//! that holds the id (each such table cascades; the erasure test checks the schema).

use crate::db::Db;
use crate::ssr::BeginWrite;
use chrono::{Datelike, Months, NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Statement};

use super::{AccessEntry, CandidateExport};
use crate::candidates::model::age_on;
use crate::{
    audit::service::{self as audit, Event, Outcome as AuditOutcome},
    auth::{SessionUser, Staff},
    candidates::{
        HealthView,
        entity::{activity, candidate, health, shortlist_entry},
        model::ActivityKind,
    },
    error::AppError,
    firms::model::parse_text,
    i18n::{Locale, today},
    needs::entity::need,
    releases::entity::{interest, release},
    ssr::sql,
};

/// Everything held about a candidate; the export itself is audited.
pub async fn export(
    authed: &Staff,
    id: i32,
    locale: Locale,
    reason: &str,
) -> Result<CandidateExport, AppError> {
    let db = &authed.db;
    let reason = parse_text(reason, 200).map_err(|k| AppError::field("reason", k))?;
    if reason.chars().count() < 5 {
        return Err(AppError::field("reason", "field-reason-short"));
    }
    let mut detail = crate::candidates::detail::detail(authed, id, locale).await?;
    // The record page's form choices and suggestions are not data about the person.
    detail.rings.clear();
    detail.firms.clear();
    detail.needs.clear();
    detail.fitting.clear();
    let health = health::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|h| HealthView {
            candidate_id: id,
            name: detail.name.clone(),
            obstacles: h.obstacles,
            health: h.health,
            updated_at: Some(h.updated_at),
        });
    let mut consents = crate::releases::views::consents_of_candidate(authed, id).await?;
    let releases = release::Entity::find()
        .filter(release::Column::CandidateId.eq(id))
        .all(db)
        .await?;
    let mut interests = Vec::new();
    for r in &releases {
        let rows = interest::Entity::find()
            .filter(interest::Column::ReleaseId.eq(r.id))
            .all(db)
            .await?;
        let name = detail.name.clone();
        let views = crate::releases::views::interests_for_export(db, &rows, &name).await?;
        interests.extend(views.into_iter().map(|v| (r.pseudonym.clone(), v)));
    }
    let mut shortlists = Vec::new();
    for s in shortlist_entry::Entity::find()
        .filter(shortlist_entry::Column::CandidateId.eq(id))
        .all(db)
        .await?
    {
        let title = need::Entity::find_by_id(s.need_id)
            .one(db)
            .await?
            .map(|n| n.title)
            .unwrap_or_default();
        shortlists.push((title, s.note));
    }
    let backend = db.get_database_backend();
    // Entries about the candidate, and employers' reads of the candidate's releases
    // (ids from the database, so the list is safe to write into the query).
    let release_ids: Vec<String> = releases.iter().map(|r| format!("'{}'", r.id)).collect();
    let releases_clause = if release_ids.is_empty() {
        String::new()
    } else {
        format!(
            " OR (object_type = 'release' AND object_id IN ({}))",
            release_ids.join(", ")
        )
    };
    let access = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            sql(
                backend,
                &format!(
                    "SELECT at, actor, action FROM audit_log WHERE (object_type = 'candidate' \
                     AND object_id = ?){releases_clause} ORDER BY id DESC LIMIT 1000"
                ),
            ),
            [id.to_string().into()],
        ))
        .await?
        .into_iter()
        .map(|row| {
            Ok(AccessEntry {
                at: row.try_get("", "at")?,
                actor: row.try_get("", "actor")?,
                action: row.try_get("", "action")?,
            })
        })
        .collect::<Result<Vec<_>, sea_orm::DbErr>>()?;
    audit::record(
        db,
        authed.event(
            crate::audit::service::Action::CandidateExport,
            "candidate",
            id,
            reason,
        ),
    )
    .await?;
    let tracks = crate::tracks::views::of_candidate(authed, id).await?;
    consents.texts.clear();
    consents.rings.clear();
    Ok(CandidateExport {
        generated_at: Utc::now(),
        candidate: detail,
        health,
        consents: consents.consents,
        interests,
        shortlists,
        tracks,
        access,
    })
}

/// The reports' age band at enrolment.
fn report_band(age: i32) -> &'static str {
    match age {
        16..=24 => "16-24",
        25..=54 => "25-54",
        55..=64 => "55-64",
        _ => "other",
    }
}

/// Erases candidate `id` on `db` (in a transaction of its own). `actor` None is the
/// retention round. Returns whether there was anyone to erase.
pub async fn erase(
    db: &Db,
    id: i32,
    actor: Option<&SessionUser>,
    ip: Option<String>,
    reason: &str,
) -> Result<bool, AppError> {
    let txn = db.begin_write().await?;
    let Some(c) = candidate::Entity::find_by_id(id).one(&txn).await? else {
        return Ok(false);
    };
    let activities = activity::Entity::find()
        .filter(activity::Column::CandidateId.eq(id))
        .order_by_asc(activity::Column::StartOn)
        .all(&txn)
        .await?;
    let first = |kind: ActivityKind| activities.iter().find(|a| a.kind == kind.as_str());
    let days = |d: NaiveDate| i32::try_from((d - c.enrolled_on).num_days()).ok();
    let month = c.enrolled_on.with_day(1).unwrap_or(c.enrolled_on);
    let backend = txn.get_database_backend();
    let kept = txn
        .execute_raw(Statement::from_sql_and_values(
            backend,
            sql(
                backend,
                "INSERT INTO erased_candidates (gender, age_band, enrolled_month, job_ready_days, \
                 self_sufficient_days, exit_reason, had_internship, had_training, employment_form, \
                 reason, erased_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ),
            [
                c.gender.clone().into(),
                report_band(age_on(c.birth_date, c.enrolled_on)).into(),
                month.into(),
                c.job_ready_since.and_then(days).into(),
                first(ActivityKind::SelfSufficiency)
                    .and_then(|a| days(a.start_on))
                    .into(),
                activities
                    .iter()
                    .rev()
                    .find(|a| a.kind == ActivityKind::Exit.as_str())
                    .map(|a| a.exit_reason.clone())
                    .unwrap_or_default()
                    .into(),
                first(ActivityKind::Internship).is_some().into(),
                first(ActivityKind::Training).is_some().into(),
                first(ActivityKind::Employment)
                    .map(|a| a.employment_form.clone())
                    .unwrap_or_default()
                    .into(),
                reason.into(),
                Utc::now().into(),
            ],
        ))
        .await?;
    debug_assert_eq!(kept.rows_affected(), 1);
    // E-mails that mention the candidate's releases (by pseudonym) leave the queue.
    txn.execute_raw(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            "DELETE FROM outbox WHERE id IN (SELECT m.outbox_id FROM outbox_releases m \
             JOIN releases r ON r.id = m.release_id WHERE r.candidate_id = ?)",
        ),
        [id.into()],
    ))
    .await?;
    // Values typed back into a failed form that hold the person's number or id.
    let digits = c.personnummer.clone();
    let dashed = crate::candidates::model::format_personnummer(&digits);
    txn.execute_raw(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            "DELETE FROM form_flashes WHERE payload LIKE ? OR payload LIKE ? OR payload LIKE ? \
             OR payload LIKE ?",
        ),
        [
            format!("%{digits}%").into(),
            format!("%{dashed}%").into(),
            format!("%{}%", dashed.get(2..).unwrap_or(&dashed)).into(),
            format!("%\"candidate_id\":\"{id}\"%").into(),
        ],
    ))
    .await?;
    // The audit log keeps who did what and when; to whom goes with the person.
    txn.execute_raw(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            "UPDATE audit_log SET object_id = NULL, detail = 'erased' \
             WHERE object_type = 'candidate' AND object_id = ?",
        ),
        [id.to_string().into()],
    ))
    .await?;
    candidate::Entity::delete_by_id(id).exec(&txn).await?;
    // Every process's matching facts drop the candidate.
    crate::candidates::ranking::invalidate(&txn).await?;
    audit::record(
        &txn,
        Event {
            actor: actor.map(|a| a as _),
            action: crate::audit::service::Action::CandidateErase,
            object_type: "erasure",
            object_id: None,
            outcome: AuditOutcome::Ok,
            detail: reason.to_owned(),
            ip,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}

/// Erasure on the data subject's request, confirmed by typing the name.
pub async fn erase_on_request(authed: &Staff, id: i32, confirm_name: &str) -> Result<(), AppError> {
    let c = candidate::Entity::find_by_id(id)
        .one(&authed.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let typed: Vec<String> = confirm_name
        .split_whitespace()
        .map(str::to_lowercase)
        .collect();
    let name: Vec<String> = c.name.split_whitespace().map(str::to_lowercase).collect();
    if typed.is_empty() {
        return Err(AppError::field("confirm_name", "field-required"));
    }
    if typed != name {
        return Err(AppError::field("confirm_name", "erase-name-mismatch"));
    }
    erase(
        &authed.db,
        id,
        Some(&authed.user),
        authed.ip.clone(),
        "request",
    )
    .await?;
    Ok(())
}

/// The retention round: erases every candidate who left the programme (exit or
/// self-sufficiency) more than `months` months ago. Returns how many.
pub async fn retention_round(db: &Db, months: u32) -> Result<usize, AppError> {
    let cutoff = today()
        .checked_sub_months(Months::new(months))
        .unwrap_or(NaiveDate::MIN);
    let ended: Vec<(i32, NaiveDate)> = activity::Entity::find()
        .filter(activity::Column::Kind.is_in([
            ActivityKind::Exit.as_str(),
            ActivityKind::SelfSufficiency.as_str(),
        ]))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.candidate_id, a.start_on))
        .collect();
    let mut last: std::collections::HashMap<i32, NaiveDate> = std::collections::HashMap::new();
    for (id, day) in ended {
        let e = last.entry(id).or_insert(day);
        *e = (*e).max(day);
    }
    let mut erased = 0;
    for (id, day) in last {
        if day >= cutoff {
            continue;
        }
        let still_out = candidate::Entity::find_by_id(id)
            .one(db)
            .await?
            .is_some_and(|c| !c.active);
        if still_out && erase(db, id, None, None, "retention").await? {
            erased += 1;
        }
    }
    Ok(erased)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_at_enrolment_fall_in_the_reports_bands() {
        let birth = NaiveDate::from_ymd_opt(2000, 6, 15).expect("date");
        let at = |y, m, d| age_on(birth, NaiveDate::from_ymd_opt(y, m, d).expect("date"));
        assert_eq!(report_band(at(2025, 6, 14)), "16-24");
        assert_eq!(report_band(at(2025, 6, 15)), "25-54");
        assert_eq!(report_band(at(2055, 6, 15)), "55-64");
        assert_eq!(report_band(at(2065, 6, 15)), "other");
    }
}
