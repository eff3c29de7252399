//! Invitations to a ring: sent by e-mail in the change's transaction, resent,
//! revoked, previewed from the link and accepted (with a new account where needed).

use super::service::{INVITATION_DAYS, active_ring, join_in};
use crate::ssr::BeginWrite;

use crate::db::Db;
use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set,
};

use super::{
    InvitationPreview,
    entity::{invitation, ring},
    model::InvitationStatus,
};
use crate::{
    audit::service::{self as audit, Action, Event},
    auth::{
        Authed,
        entity::user,
        model::{Email, NewPassword, Role},
    },
    error::{AppError, FieldErrors},
    firms::{entity::firm, model::parse_text},
    i18n::Locale,
    ids::{FirmId, RingId},
    mail::templates::Invitation,
    ssr::{Ctx, random_token, sha256_hex},
};

/// An invitation form, checked.
#[derive(Debug, Clone)]
pub struct InvitationInput {
    firm_id: i32,
    name: String,
    email: Email,
}

impl InvitationInput {
    /// Checks the invitation form.
    pub fn parse(firm_id: &str, name: &str, email: &str) -> Result<Self, AppError> {
        let mut errors = FieldErrors::new();
        let firm_id = firm_id
            .trim()
            .parse::<i32>()
            .map_err(|_| {
                errors.add(
                    "firm_id",
                    if firm_id.trim().is_empty() {
                        "field-required"
                    } else {
                        "field-choice-invalid"
                    },
                )
            })
            .ok();
        let name = parse_text(name, 120)
            .map_err(|k| errors.add("name", k))
            .unwrap_or_default();
        let email = Email::parse(email).map_err(|k| errors.add("email", k)).ok();
        match (firm_id, email) {
            (Some(firm_id), Some(email)) if errors.is_empty() => Ok(Self {
                firm_id,
                name,
                email,
            }),
            _ => Err(AppError::Validation(errors)),
        }
    }
}

/// Queues the invitation e-mail with a fresh link on `db`; returns the token's hash.
async fn send_invitation(
    db: &impl ConnectionTrait,
    base_url: &str,
    locale: Locale,
    invitation: Invitation<'_>,
) -> Result<String, AppError> {
    let token = random_token(32);
    let link = format!("{base_url}/inbjudan?token={token}");
    let mail = crate::mail::templates::ring_invitation(locale, invitation, &link, INVITATION_DAYS);
    crate::mail::service::enqueue(db, &mail, &crate::auth::service::host_of(base_url)).await?;
    Ok(sha256_hex(&token))
}

/// Invites a person at a firm into a ring; the e-mail goes through the outbox.
pub async fn invite(
    authed: &Authed,
    ring_id: i32,
    input: InvitationInput,
    locale: Locale,
) -> Result<i32, AppError> {
    let txn = authed.db.begin_write().await?;
    let r = active_ring(&txn, ring_id).await?;
    let Some(f) = firm::Entity::find_by_id(input.firm_id).one(&txn).await? else {
        return Err(AppError::field("firm_id", "field-choice-invalid"));
    };
    if let Some(existing) = user::Entity::find()
        .filter(user::Column::Email.eq(input.email.as_str()))
        .one(&txn)
        .await?
    {
        if existing.role != Role::Employer.as_str() {
            return Err(AppError::field("email", "field-email-staff"));
        }
        if existing.firm_id.is_some_and(|id| id != f.id) {
            return Err(AppError::field("email", "field-email-other-firm"));
        }
    }
    let now = Utc::now();
    let pending = invitation::Entity::find()
        .filter(invitation::Column::RingId.eq(ring_id))
        .filter(invitation::Column::Email.eq(input.email.as_str()))
        .filter(invitation::Column::AcceptedAt.is_null())
        .filter(invitation::Column::RevokedAt.is_null())
        .filter(invitation::Column::ExpiresAt.gt(now))
        .one(&txn)
        .await?;
    if pending.is_some() {
        return Err(AppError::field("email", "field-invitation-pending"));
    }
    let token_hash = send_invitation(
        &txn,
        &authed.config.base_url,
        locale,
        Invitation {
            to: input.email.as_str(),
            name: &input.name,
            inviter: &authed.user.name,
            ring_name: &r.name,
            firm_name: &f.name,
        },
    )
    .await?;
    let row = invitation::ActiveModel {
        ring_id: Set(ring_id),
        firm_id: Set(f.id),
        email: Set(input.email.as_str().to_owned()),
        name: Set(input.name),
        locale: Set(locale.code().to_owned()),
        token_hash: Set(token_hash),
        expires_at: Set(now + Duration::days(INVITATION_DAYS)),
        invited_by: Set(authed.user.id),
        send_count: Set(1),
        last_sent_at: Set(now),
        accepted_at: Set(None),
        accepted_user_id: Set(None),
        revoked_at: Set(None),
        revoked_by: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        authed.event(
            Action::InvitationSent,
            "invitation",
            row.id,
            format!("ring {ring_id}, firm {}, {}", f.id, input.email.masked()),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(row.id)
}

/// Sends an unanswered invitation again with a new link and a new expiry; the old
/// link stops working. Returns the ring.
pub async fn resend(authed: &Authed, invitation_id: i32) -> Result<i32, AppError> {
    let txn = authed.db.begin_write().await?;
    let Some(inv) = invitation::Entity::find_by_id(invitation_id)
        .one(&txn)
        .await?
    else {
        return Err(AppError::NotFound);
    };
    if inv.accepted_at.is_some() || inv.revoked_at.is_some() {
        return Err(AppError::Conflict("error-invitation-closed".into()));
    }
    let r = active_ring(&txn, inv.ring_id).await?;
    let firm_name = firm::Entity::find_by_id(inv.firm_id)
        .one(&txn)
        .await?
        .map(|f| f.name)
        .unwrap_or_default();
    let locale = Locale::parse(&inv.locale).unwrap_or_default();
    let token_hash = send_invitation(
        &txn,
        &authed.config.base_url,
        locale,
        Invitation {
            to: &inv.email,
            name: &inv.name,
            inviter: &authed.user.name,
            ring_name: &r.name,
            firm_name: &firm_name,
        },
    )
    .await?;
    let now = Utc::now();
    let ring_id = inv.ring_id;
    let count = inv.send_count + 1;
    let mut active = inv.into_active_model();
    active.token_hash = Set(token_hash);
    active.expires_at = Set(now + Duration::days(INVITATION_DAYS));
    active.last_sent_at = Set(now);
    active.send_count = Set(count);
    active.update(&txn).await?;
    audit::record(
        &txn,
        authed.event(
            Action::InvitationResent,
            "invitation",
            invitation_id,
            String::new(),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(ring_id)
}

/// Withdraws an unanswered invitation (again: nothing changes). Returns the ring.
pub async fn revoke(authed: &Authed, invitation_id: i32) -> Result<i32, AppError> {
    let txn = authed.db.begin_write().await?;
    let Some(inv) = invitation::Entity::find_by_id(invitation_id)
        .one(&txn)
        .await?
    else {
        return Err(AppError::NotFound);
    };
    if inv.accepted_at.is_some() {
        return Err(AppError::Conflict("error-invitation-closed".into()));
    }
    let ring_id = inv.ring_id;
    if inv.revoked_at.is_none() {
        let mut active = inv.into_active_model();
        active.revoked_at = Set(Some(Utc::now()));
        active.revoked_by = Set(Some(authed.user.id));
        active.update(&txn).await?;
        audit::record(
            &txn,
            authed.event(
                Action::InvitationRevoked,
                "invitation",
                invitation_id,
                String::new(),
            ),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(ring_id)
}

async fn by_token(
    db: &impl ConnectionTrait,
    token: &str,
) -> Result<Option<invitation::Model>, AppError> {
    let token = token.trim();
    if token.is_empty() || token.len() > 200 {
        return Ok(None);
    }
    Ok(invitation::Entity::find()
        .filter(invitation::Column::TokenHash.eq(sha256_hex(token)))
        .one(db)
        .await?)
}

/// What an invitation link leads to; an unknown or forged link says nothing more.
pub async fn preview(db: &Db, token: &str) -> Result<InvitationPreview, AppError> {
    let Some(inv) = by_token(db, token).await? else {
        return Ok(InvitationPreview::Invalid(None));
    };
    let status = InvitationStatus::at(inv.accepted_at, inv.revoked_at, inv.expires_at, Utc::now());
    if status != InvitationStatus::Pending {
        return Ok(InvitationPreview::Invalid(Some(status)));
    }
    let ring_name = ring::Entity::find_by_id(inv.ring_id)
        .one(db)
        .await?
        .map(|r| r.name)
        .unwrap_or_default();
    let firm_name = firm::Entity::find_by_id(inv.firm_id)
        .one(db)
        .await?
        .map(|f| f.name)
        .unwrap_or_default();
    let has_account = user::Entity::find()
        .filter(user::Column::Email.eq(&inv.email))
        .one(db)
        .await?
        .is_some();
    Ok(InvitationPreview::Valid {
        ring_name,
        firm_name,
        name: inv.name,
        email: inv.email,
        has_account,
    })
}

fn invalid_invitation(status: Option<InvitationStatus>) -> AppError {
    AppError::Conflict(
        match status {
            Some(InvitationStatus::Accepted) => "error-invitation-used",
            Some(InvitationStatus::Expired) => "error-invitation-expired",
            Some(InvitationStatus::Revoked) => "error-invitation-revoked",
            _ => "error-invitation-unknown",
        }
        .into(),
    )
}

/// Who accepts an invitation.
enum Joiner {
    /// An employer account that exists (its password was checked).
    Existing(i32),
    /// A new account, with the name and the hashed password chosen.
    New { name: String, hash: String },
}

/// Accepts an invitation (see `accept_invitation`). Returns the ring.
pub async fn accept(
    ctx: &Ctx,
    token: &str,
    name: &str,
    password: &str,
    password_confirm: &str,
) -> Result<i32, AppError> {
    let Some(inv) = by_token(&ctx.db, token).await? else {
        return Err(invalid_invitation(None));
    };
    let status = InvitationStatus::at(inv.accepted_at, inv.revoked_at, inv.expires_at, Utc::now());
    if status != InvitationStatus::Pending {
        return Err(invalid_invitation(Some(status)));
    }
    let existing = user::Entity::find()
        .filter(user::Column::Email.eq(&inv.email))
        .one(&ctx.db)
        .await?;
    // Either an existing employer proves who they are, or a new account is made.
    let joiner = match &existing {
        Some(u) => {
            if u.role != Role::Employer.as_str() {
                return Err(AppError::Conflict("error-invitation-staff".into()));
            }
            if u.firm_id.is_some_and(|id| id != inv.firm_id) {
                return Err(AppError::Conflict("error-invitation-other-firm".into()));
            }
            let user = crate::auth::service::authenticate(ctx, &inv.email, password, None).await?;
            Joiner::Existing(user.id)
        }
        None => {
            let mut errors = FieldErrors::new();
            let name = parse_text(name, 120)
                .map_err(|k| errors.add("name", k))
                .unwrap_or_default();
            let password = NewPassword::parse(password)
                .map_err(|k| errors.add("password", k))
                .ok();
            if password
                .as_ref()
                .is_some_and(|p| p.expose() != password_confirm)
            {
                errors.add("password_confirm", "field-password-mismatch");
            }
            let (Some(password), true) = (password, errors.is_empty()) else {
                return Err(AppError::Validation(errors));
            };
            let hash = crate::auth::passwords::hash_password(password.expose()).await?;
            Joiner::New { name, hash }
        }
    };
    let txn = ctx.db.begin_write().await?;
    let now = Utc::now();
    // Single use: only one request can move the invitation from pending to accepted.
    let claimed = invitation::Entity::update_many()
        .col_expr(
            invitation::Column::AcceptedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(invitation::Column::Id.eq(inv.id))
        .filter(invitation::Column::TokenHash.eq(inv.token_hash.clone()))
        .filter(invitation::Column::AcceptedAt.is_null())
        .filter(invitation::Column::RevokedAt.is_null())
        .filter(invitation::Column::ExpiresAt.gt(now))
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(invalid_invitation(Some(InvitationStatus::Accepted)));
    }
    let email = Email::parse(&inv.email).map_err(|_| invalid_invitation(None))?;
    let user_id = match joiner {
        Joiner::New { name, hash } => {
            let locale = Locale::parse(&inv.locale).unwrap_or_default();
            crate::auth::accounts::insert_user(
                &txn,
                &name,
                &email,
                Role::Employer,
                hash,
                locale,
                Some(inv.firm_id),
            )
            .await?
            .id
        }
        Joiner::Existing(user_id) => {
            user::Entity::update_many()
                .col_expr(
                    user::Column::FirmId,
                    sea_orm::sea_query::Expr::value(inv.firm_id),
                )
                .filter(user::Column::Id.eq(user_id))
                .filter(user::Column::FirmId.is_null())
                .exec(&txn)
                .await?;
            user_id
        }
    };
    invitation::Entity::update_many()
        .col_expr(
            invitation::Column::AcceptedUserId,
            sea_orm::sea_query::Expr::value(user_id),
        )
        .filter(invitation::Column::Id.eq(inv.id))
        .exec(&txn)
        .await?;
    join_in(
        &txn,
        Some(user_id),
        RingId(inv.ring_id),
        FirmId(inv.firm_id),
    )
    .await?;
    audit::record(
        &txn,
        Event::ok(
            None,
            Action::InvitationAccepted,
            "invitation",
            inv.id,
            format!("user {user_id}, ring {}, firm {}", inv.ring_id, inv.firm_id),
            ctx.ip.clone(),
        ),
    )
    .await?;
    txn.commit().await?;
    if let Some(old) = &ctx.session_token {
        crate::auth::service::end_session(&ctx.db, old).await?;
    }
    let session = crate::auth::service::start_session(&ctx.db, user_id).await?;
    crate::auth::set_session_cookie(ctx, &session);
    Ok(inv.ring_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invitation_form_names_each_bad_field() {
        let err = InvitationInput::parse("", " ", "inte-en-adress").expect_err("bad");
        let f = err.field_errors().expect("fields");
        assert_eq!(f.get("firm_id"), Some("field-required"));
        assert_eq!(f.get("name"), Some("field-required"));
        assert_eq!(f.get("email"), Some("field-email-invalid"));
        let err = InvitationInput::parse("x", "Ann", "ann@firma.test").expect_err("bad");
        assert_eq!(
            err.field_errors().and_then(|f| f.get("firm_id")),
            Some("field-choice-invalid")
        );
    }
}
