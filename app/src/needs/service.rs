//! Needs: validation of the need form, the board's queries, and changes, each with
//! a history entry and an audit-log entry in one transaction.

use super::occupations::{resolve_occupation, search, taxonomy, view};
use crate::ssr::{BeginWrite, query_all};
use std::collections::HashMap;

use crate::db::Db;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};

use super::{
    BoardStamp, NeedBoard, NeedDetail, NeedEventView, NeedFormChoices, NeedSummary,
    access::NeedEditor,
    entity::{event, need},
    model::{BoardFilters, EmploymentForm, NeedForm, NeedStatus, SsykCode},
};
use crate::{
    audit::service::{self as audit, Action, Event},
    auth::{Authed, RingAccess, SessionUser},
    error::{AppError, FieldErrors},
    field,
    firms::entity::firm,
    i18n::Locale,
    ids::{FirmId, RingId},
    rings::entity::{membership, ring},
};

/// The board's filters, checked.
#[derive(Debug, Clone, Default)]
pub struct BoardFilter {
    occupation: Option<String>,
    form: Option<EmploymentForm>,
    status: Option<NeedStatus>,
    firm: Option<i32>,
    by_start: bool,
}

impl BoardFilter {
    /// Reads the filters from the board's query string; empty means "any".
    pub fn parse(filters: &BoardFilters) -> Result<Self, AppError> {
        let BoardFilters {
            occupation,
            form,
            status,
            firm,
            sort,
        } = filters;
        let mut errors = FieldErrors::new();
        let occupation = match occupation.trim() {
            "" => None,
            s => SsykCode::parse_group(s)
                .map(|c| c.as_str().to_owned())
                .map_err(|k| errors.add("occupation", k))
                .ok(),
        };
        let form = match form.trim() {
            "" => None,
            s => EmploymentForm::parse(s).or_else(|| {
                errors.add("form", "field-choice-invalid");
                None
            }),
        };
        let status = match status.trim() {
            "" => None,
            s => NeedStatus::parse(s).or_else(|| {
                errors.add("status", "field-choice-invalid");
                None
            }),
        };
        let firm = match firm.trim() {
            "" => None,
            s => s
                .parse()
                .map_err(|_| errors.add("firm", "field-choice-invalid"))
                .ok(),
        };
        let by_start = match sort.trim() {
            "" | "newest" => false,
            "start" => true,
            _ => {
                errors.add("sort", "field-choice-invalid");
                false
            }
        };
        errors.into_result(Self {
            occupation,
            form,
            status,
            firm,
            by_start,
        })
    }

    /// The filters as applied, each as its choice in the filter form has it (empty:
    /// any; `sort` is `start` or `newest`).
    pub fn applied(&self) -> BoardFilters {
        BoardFilters {
            occupation: self.occupation.clone().unwrap_or_default(),
            form: self.form.map(|f| f.as_str().to_owned()).unwrap_or_default(),
            status: self
                .status
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default(),
            firm: self.firm.map(|f| f.to_string()).unwrap_or_default(),
            sort: if self.by_start { "start" } else { "newest" }.to_owned(),
        }
    }
}

/// The stamp of ring `ring_id`'s board (`None`: every ring) as `access` sees it with
/// `filter` in `locale`: everything the board shows is read from needs, firms, rings
/// and memberships (and the taxonomy, fixed for a process), and triggers move the
/// counter `board_state` with every change to those and nothing else (migration
/// `board_state`). Read before the board, the counter never names a board older than
/// the one read after it, so a board kept under a stamp is never older than the stamp
/// says.
pub async fn board_stamp(
    db: &impl ConnectionTrait,
    ring_id: Option<i32>,
    access: &RingAccess,
    filter: &BoardFilter,
    locale: Locale,
) -> Result<BoardStamp, AppError> {
    let rows = query_all(db, "SELECT version FROM board_state WHERE id = 1", vec![]).await?;
    let version = rows
        .first()
        .ok_or_else(|| AppError::unexpected(anyhow::anyhow!("board_state has no row")))?
        .try_get("", "version")?;
    // Members see every need but other firms' drafts (`visible`): one view per firm.
    let viewer = match access {
        RingAccess::Staff => "staff".to_owned(),
        RingAccess::Member { firm_id } => format!("firm {firm_id}"),
    };
    let BoardFilters {
        occupation,
        form,
        status,
        firm,
        sort,
    } = filter.applied();
    Ok(BoardStamp {
        key: format!(
            "ring {} | {viewer} | {} | {occupation} | {form} | {status} | {firm} | {sort}",
            ring_id.unwrap_or(0),
            locale.code(),
        ),
        version,
    })
}

/// Whether `access` may see `n` (members see everything but other firms' drafts).
fn visible(access: &RingAccess, n: &need::Model) -> bool {
    match access {
        RingAccess::Staff => true,
        RingAccess::Member { firm_id } => {
            n.status != NeedStatus::Draft.as_str() || n.firm_id == *firm_id
        }
    }
}

/// Whether `access` may edit `n`: staff, or the need's own firm.
fn editable(access: &RingAccess, n: &need::Model) -> bool {
    match access {
        RingAccess::Staff => true,
        RingAccess::Member { firm_id } => n.firm_id == *firm_id,
    }
}

/// The ring, firm and status of a need, for the guards.
pub async fn owner_of(
    db: &impl ConnectionTrait,
    need_id: i32,
) -> Result<Option<(i32, i32, bool)>, AppError> {
    Ok(need::Entity::find_by_id(need_id)
        .one(db)
        .await?
        .map(|n| (n.ring_id, n.firm_id, n.status == NeedStatus::Draft.as_str())))
}

/// Adds to `known` (`id → name`) the rows of `table` (firms, rings: a name in the
/// code, never input) whose ids are among `ids` and not in it yet.
async fn names(
    db: &impl ConnectionTrait,
    table: &'static str,
    ids: impl IntoIterator<Item = i32>,
    known: &mut HashMap<i32, String>,
) -> Result<(), AppError> {
    let mut ids: Vec<i32> = ids
        .into_iter()
        .filter(|id| !known.contains_key(id))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(());
    }
    let marks = vec!["?"; ids.len()].join(", ");
    for r in query_all(
        db,
        &format!("SELECT id, name FROM {table} WHERE id IN ({marks})"),
        ids.into_iter().map(Into::into).collect(),
    )
    .await?
    {
        known.insert(r.try_get("", "id")?, r.try_get("", "name")?);
    }
    Ok(())
}

/// `rows` as summaries. `known` holds ring and firm names the caller has read
/// already: only the others are read.
async fn summaries(
    db: &impl ConnectionTrait,
    rows: Vec<need::Model>,
    locale: Locale,
    known: Names,
) -> Result<Vec<NeedSummary>, AppError> {
    let Names {
        mut rings,
        mut firms,
    } = known;
    names(db, "rings", rows.iter().map(|n| n.ring_id), &mut rings).await?;
    names(db, "firms", rows.iter().map(|n| n.firm_id), &mut firms).await?;
    let occupations = taxonomy(db)
        .await?
        .views(rows.iter().map(|n| n.occupation_code.as_str()), locale);
    Ok(rows
        .into_iter()
        .filter_map(|n| {
            Some(NeedSummary {
                id: n.id,
                ring_id: n.ring_id,
                ring_name: rings.get(&n.ring_id).cloned().unwrap_or_default(),
                firm_id: n.firm_id,
                firm_name: firms.get(&n.firm_id).cloned().unwrap_or_default(),
                occupation: occupations.get(&n.occupation_code).cloned()?,
                title: n.title,
                positions: n.positions,
                start_date: n.start_date,
                employment_form: EmploymentForm::parse(&n.employment_form)?,
                status: NeedStatus::parse(&n.status)?,
                internship_first: n.internship_first,
                created_at: n.created_at,
            })
        })
        .collect())
}

/// Ring and firm names, by id.
#[derive(Debug, Default)]
struct Names {
    rings: HashMap<i32, String>,
    firms: HashMap<i32, String>,
}

/// A needs board for `access`: one ring, or (staff) every ring.
pub async fn board(
    db: &Db,
    ring_id: Option<i32>,
    access: &RingAccess,
    filter: &BoardFilter,
    locale: Locale,
) -> Result<NeedBoard, AppError> {
    let ring = match ring_id {
        Some(id) => match ring::Entity::find_by_id(id).one(db).await? {
            Some(r) => Some((r.id, r.name, r.status == "active")),
            None => return Err(AppError::NotFound),
        },
        None => None,
    };
    let mut query = need::Entity::find();
    if let Some(id) = ring_id {
        query = query.filter(need::Column::RingId.eq(id));
    }
    if let Some(code) = &filter.occupation {
        query = query.filter(need::Column::OccupationCode.starts_with(code.as_str()));
    }
    if let Some(form) = filter.form {
        query = query.filter(need::Column::EmploymentForm.eq(form.as_str()));
    }
    if let Some(firm) = filter.firm {
        query = query.filter(need::Column::FirmId.eq(firm));
    }
    query = if filter.by_start {
        query
            .order_by_asc(need::Column::StartDate)
            .order_by_desc(need::Column::Id)
    } else {
        query
            .order_by_desc(need::Column::CreatedAt)
            .order_by_desc(need::Column::Id)
    };
    let rows: Vec<need::Model> = query
        .all(db)
        .await?
        .into_iter()
        .filter(|n| visible(access, n))
        .collect();
    let by_status = NeedStatus::ALL
        .iter()
        .map(|s| (*s, rows.iter().filter(|n| n.status == s.as_str()).count()))
        .collect();
    let rows: Vec<need::Model> = rows
        .into_iter()
        .filter(|n| filter.status.is_none_or(|s| n.status == s.as_str()))
        .collect();
    // The firm filter's choices, the ring's members now or (every ring) every firm
    // with a need, read with the names of the firms the needs are from.
    let (text, values) = match ring_id {
        Some(id) => (
            "SELECT f.id, f.name, CASE WHEN f.id IN (SELECT m.firm_id FROM ring_memberships m \
             WHERE m.ring_id = ? AND m.left_at IS NULL) THEN 1 ELSE 0 END AS choice \
             FROM firms f WHERE f.id IN (SELECT m.firm_id FROM ring_memberships m \
             WHERE m.ring_id = ? AND m.left_at IS NULL) \
             OR f.id IN (SELECT n.firm_id FROM needs n WHERE n.ring_id = ?) ORDER BY f.name, f.id",
            vec![id.into(), id.into(), id.into()],
        ),
        None => (
            "SELECT f.id, f.name, 1 AS choice FROM firms f \
             WHERE f.id IN (SELECT n.firm_id FROM needs n) ORDER BY f.name, f.id",
            vec![],
        ),
    };
    let mut firms = Vec::new();
    let mut known = Names::default();
    for r in query_all(db, text, values).await? {
        let (id, name): (i32, String) = (r.try_get("", "id")?, r.try_get("", "name")?);
        if r.try_get::<i32>("", "choice")? == 1 {
            firms.push((id, name.clone()));
        }
        known.firms.insert(id, name);
    }
    if let Some((id, name, _)) = &ring {
        known.rings.insert(*id, name.clone());
    }
    let needs = summaries(db, rows, locale, known).await?;
    let groups = taxonomy(db)
        .await?
        .down_to(2)
        .map(|o| view(o, locale))
        .collect();
    Ok(NeedBoard {
        positions: needs.iter().map(|n| n.positions).sum(),
        needs,
        by_status,
        firms,
        groups,
        can_post: ring.as_ref().is_some_and(|r| r.2),
        ring: ring.map(|(id, name, _)| (id, name)),
        chosen: filter.applied(),
    })
}

/// One need for `access`; another firm's draft does not exist for a member.
pub async fn detail(
    db: &Db,
    access: &RingAccess,
    need_id: i32,
    locale: Locale,
) -> Result<NeedDetail, AppError> {
    let Some(n) = need::Entity::find_by_id(need_id).one(db).await? else {
        return Err(AppError::NotFound);
    };
    if !visible(access, &n) {
        return Err(AppError::NotFound);
    }
    let can_edit = editable(access, &n);
    let history = event::Entity::find()
        .filter(event::Column::NeedId.eq(need_id))
        .order_by_asc(event::Column::At)
        .order_by_asc(event::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|e| NeedEventView {
            at: e.at,
            actor: e.actor_name,
            action: e.action,
            detail: e.detail,
        })
        .collect();
    let status = NeedStatus::parse(&n.status).unwrap_or(NeedStatus::Open);
    let extra = (
        n.description.clone(),
        n.required_skills.clone(),
        n.merit_skills.clone(),
        Some(n.swedish_level.clone()).filter(|s| !s.is_empty()),
        n.other_languages.clone(),
        Some(n.driving_licence.clone()).filter(|s| !s.is_empty()),
        n.suggested_training.clone(),
    );
    let summary = summaries(db, vec![n], locale, Names::default())
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    Ok(NeedDetail {
        summary,
        description: extra.0,
        required_skills: extra.1,
        merit_skills: extra.2,
        swedish_level: extra.3,
        other_languages: extra.4,
        driving_licence: extra.5,
        suggested_training: extra.6,
        history,
        can_edit,
        staff: matches!(access, RingAccess::Staff),
        next: if can_edit {
            status.next().to_vec()
        } else {
            Vec::new()
        },
        today: crate::i18n::today(),
    })
}

/// The choices of the new-need form.
pub async fn form_options(
    db: &Db,
    access: &RingAccess,
    ring_id: i32,
    yrke: &str,
    locale: Locale,
) -> Result<NeedFormChoices, AppError> {
    let Some(r) = ring::Entity::find_by_id(ring_id).one(db).await? else {
        return Err(AppError::NotFound);
    };
    let firm_ids: Vec<i32> = match access {
        RingAccess::Member { firm_id } => vec![*firm_id],
        RingAccess::Staff => membership::Entity::find()
            .filter(membership::Column::RingId.eq(ring_id))
            .filter(membership::Column::LeftAt.is_null())
            .all(db)
            .await?
            .into_iter()
            .map(|m| m.firm_id)
            .collect(),
    };
    let firms = firm::Entity::find()
        .filter(firm::Column::Id.is_in(firm_ids))
        .order_by_asc(firm::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f.name))
        .collect();
    Ok(NeedFormChoices {
        ring_id,
        ring_name: r.name,
        firms,
        today: crate::i18n::today(),
        matches: search(db, yrke, locale, 20).await?,
    })
}

async fn history(
    db: &impl ConnectionTrait,
    need_id: i32,
    actor: &SessionUser,
    action: &str,
    detail: String,
) -> Result<(), AppError> {
    event::ActiveModel {
        need_id: Set(need_id),
        at: Set(Utc::now()),
        actor_id: Set(Some(actor.id)),
        actor_name: Set(actor.name.clone()),
        action: Set(action.to_owned()),
        detail: Set(detail),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Posts a need: for the member's own firm, or (staff) for a firm in the ring now.
pub async fn post(
    authed: &Authed,
    access: &RingAccess,
    ring_id: i32,
    firm_field: &str,
    form: &NeedForm,
    status: &str,
) -> Result<i32, AppError> {
    let txn = authed.db.begin_write().await?;
    let Some(r) = ring::Entity::find_by_id(ring_id).one(&txn).await? else {
        return Err(AppError::NotFound);
    };
    if r.status != "active" {
        return Err(AppError::Conflict("error-ring-closed".into()));
    }
    let occupation = resolve_occupation(&txn, &form.occupation).await;
    let mut input = form.parse(occupation, crate::i18n::today(), None);
    let firm_id = match access {
        RingAccess::Member { firm_id } => {
            // The form's firm field is not needed; if sent, it must be the own firm.
            if !firm_field.trim().is_empty() && firm_field.trim() != firm_id.to_string() {
                return Err(AppError::Forbidden);
            }
            Some(*firm_id)
        }
        RingAccess::Staff => {
            let chosen = firm_field.trim().parse::<i32>().ok();
            let member = match chosen {
                Some(f) => {
                    crate::auth::membership::is_member(&txn, RingId(ring_id), FirmId(f)).await?
                }
                None => false,
            };
            if member {
                chosen
            } else {
                let key = if firm_field.trim().is_empty() {
                    "field-choice-required"
                } else {
                    "field-firm-not-member"
                };
                input = Err(match input {
                    Err(AppError::Validation(mut errors)) => {
                        errors.add("firm_id", key);
                        AppError::Validation(errors)
                    }
                    _ => AppError::field("firm_id", key),
                });
                None
            }
        }
    };
    let status = match status.trim() {
        "draft" => NeedStatus::Draft,
        "" | "open" => NeedStatus::Open,
        _ => {
            return Err(match input {
                Err(AppError::Validation(mut errors)) => {
                    errors.add("status", "field-choice-invalid");
                    AppError::Validation(errors)
                }
                _ => AppError::field("status", "field-choice-invalid"),
            });
        }
    };
    let (input, Some(firm_id)) = (input?, firm_id) else {
        return Err(AppError::field("firm_id", "field-choice-required"));
    };
    let now = Utc::now();
    let row = need::ActiveModel {
        ring_id: Set(ring_id),
        firm_id: Set(firm_id),
        occupation_code: Set(input.occupation),
        title: Set(input.title),
        description: Set(input.description),
        positions: Set(input.positions),
        required_skills: Set(input.required_skills),
        merit_skills: Set(input.merit_skills),
        swedish_level: Set(input.swedish_level),
        other_languages: Set(input.other_languages),
        driving_licence: Set(input.driving_licence),
        start_date: Set(input.start_date),
        employment_form: Set(input.employment_form.as_str().to_owned()),
        internship_first: Set(input.internship_first),
        suggested_training: Set(input.suggested_training),
        status: Set(status.as_str().to_owned()),
        created_by: Set(authed.user.id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    history(
        &txn,
        row.id,
        &authed.user,
        "created",
        status.as_str().to_owned(),
    )
    .await?;
    audit::record(
        &txn,
        authed.event(
            Action::NeedPosted,
            "need",
            row.id,
            format!("ring {ring_id}, firm {firm_id}"),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(row.id)
}

/// Edits a need (the [`NeedEditor`] is the proof the caller may); the history names
/// the fields that changed.
pub async fn update(editor: &NeedEditor, form: &NeedForm) -> Result<(), AppError> {
    let (ctx, actor, need_id) = (
        &editor.authed().ctx,
        &editor.authed().user,
        editor.need_id(),
    );
    let txn = ctx.db.begin_write().await?;
    let Some(n) = need::Entity::find_by_id(need_id).one(&txn).await? else {
        return Err(AppError::NotFound);
    };
    let occupation = resolve_occupation(&txn, &form.occupation).await;
    let input = form.parse(occupation, crate::i18n::today(), Some(n.start_date))?;
    let mut changed = Vec::new();
    let mut note = |field: &str, differs: bool| {
        if differs {
            changed.push(field.to_owned());
        }
    };
    note(
        field!(NeedForm, occupation),
        n.occupation_code != input.occupation,
    );
    note(field!(NeedForm, title), n.title != input.title);
    note(
        field!(NeedForm, description),
        n.description != input.description,
    );
    note(field!(NeedForm, positions), n.positions != input.positions);
    note(
        field!(NeedForm, required_skills),
        n.required_skills != input.required_skills,
    );
    note(
        field!(NeedForm, merit_skills),
        n.merit_skills != input.merit_skills,
    );
    note(
        field!(NeedForm, swedish_level),
        n.swedish_level != input.swedish_level,
    );
    note(
        field!(NeedForm, other_languages),
        n.other_languages != input.other_languages,
    );
    note(
        field!(NeedForm, driving_licence),
        n.driving_licence != input.driving_licence,
    );
    note(
        field!(NeedForm, start_date),
        n.start_date != input.start_date,
    );
    note(
        field!(NeedForm, employment_form),
        n.employment_form != input.employment_form.as_str(),
    );
    note(
        field!(NeedForm, internship_first),
        n.internship_first != input.internship_first,
    );
    note(
        field!(NeedForm, suggested_training),
        n.suggested_training != input.suggested_training,
    );
    if changed.is_empty() {
        return Ok(());
    }
    let mut active = n.into_active_model();
    active.occupation_code = Set(input.occupation);
    active.title = Set(input.title);
    active.description = Set(input.description);
    active.positions = Set(input.positions);
    active.required_skills = Set(input.required_skills);
    active.merit_skills = Set(input.merit_skills);
    active.swedish_level = Set(input.swedish_level);
    active.other_languages = Set(input.other_languages);
    active.driving_licence = Set(input.driving_licence);
    active.start_date = Set(input.start_date);
    active.employment_form = Set(input.employment_form.as_str().to_owned());
    active.internship_first = Set(input.internship_first);
    active.suggested_training = Set(input.suggested_training);
    active.updated_at = Set(Utc::now());
    active.update(&txn).await?;
    let detail = changed.join(", ");
    history(&txn, need_id, actor, "edited", detail.clone()).await?;
    audit::record(
        &txn,
        Event::ok(
            Some(actor),
            Action::NeedEdited,
            "need",
            need_id,
            detail,
            ctx.ip.clone(),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Moves a need to `status` if its current status allows it.
pub async fn set_status(editor: &NeedEditor, status: NeedStatus) -> Result<(), AppError> {
    let (ctx, actor, need_id) = (
        &editor.authed().ctx,
        &editor.authed().user,
        editor.need_id(),
    );
    let txn = ctx.db.begin_write().await?;
    let Some(n) = need::Entity::find_by_id(need_id).one(&txn).await? else {
        return Err(AppError::NotFound);
    };
    let current = NeedStatus::parse(&n.status).unwrap_or(NeedStatus::Open);
    if !current.next().contains(&status) {
        return Err(AppError::Conflict("error-need-status".into()));
    }
    // Only from the status read: two people changing it at once cannot both win.
    let moved = need::Entity::update_many()
        .col_expr(
            need::Column::Status,
            sea_orm::sea_query::Expr::value(status.as_str()),
        )
        .col_expr(
            need::Column::UpdatedAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .filter(need::Column::Id.eq(need_id))
        .filter(need::Column::Status.eq(current.as_str()))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(AppError::Conflict("error-need-status".into()));
    }
    let detail = format!("{} -> {}", current.as_str(), status.as_str());
    history(&txn, need_id, actor, "status", status.as_str().to_owned()).await?;
    audit::record(
        &txn,
        Event::ok(
            Some(actor),
            Action::NeedStatus,
            "need",
            need_id,
            detail,
            ctx.ip.clone(),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
