//! The admin's account changes: new accounts with a welcome link (queued in the same
//! transaction), the list, disabling, roles, and the accounts the seed ensures.

use super::{
    passwords::hash_password,
    service::{WELCOME_HOURS, end_all_sessions, issue_reset},
};
use crate::ssr::BeginWrite;

use crate::db::Db;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};

use super::{
    Authed,
    entity::user,
    model::{Email, NewPassword, Role},
};
use crate::{
    audit::service::{self as audit, Action, Event},
    error::AppError,
    i18n::Locale,
    mail,
    ssr::random_token,
};

/// A new account for `email`, with no usable password: the person chooses one through
/// the link in the welcome e-mail (queued in the same transaction).
pub async fn create_account(
    authed: &Authed,
    name: &str,
    email: &Email,
    role: Role,
    firm_id: Option<i32>,
    locale: Locale,
) -> Result<i32, AppError> {
    // A random password nobody knows; the welcome link sets the real one. Hashed
    // before the transaction: argon2 takes its time, the write lock should not wait.
    let unusable = hash_password(&random_token(32)).await?;
    let txn = authed.db.begin_write().await?;
    if user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(AppError::field("email", "field-email-taken"));
    }
    let account = insert_user(&txn, name, email, role, unusable, locale, firm_id).await?;
    issue_reset(
        &txn,
        &authed.config.base_url,
        &account,
        WELCOME_HOURS,
        |link| {
            mail::templates::account_created(
                locale,
                &account.email,
                &account.name,
                role.label_key(),
                link,
                WELCOME_HOURS,
            )
        },
    )
    .await?;
    audit::record(
        &txn,
        Event::on_user(
            Some(&authed.user),
            Action::AccountCreated,
            account.id,
            format!("role {}", role.as_str()),
            authed.ip.clone(),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(account.id)
}

/// Every account, by name.
pub async fn list_accounts(db: &Db) -> Result<Vec<user::Model>, AppError> {
    Ok(user::Entity::find()
        .order_by_asc(user::Column::Name)
        .all(db)
        .await?)
}

/// Disables or enables an account; disabling ends its sessions at once. An admin
/// cannot disable themself (the installation must keep one way in).
pub async fn set_disabled(authed: &Authed, user_id: i32, disabled: bool) -> Result<(), AppError> {
    if disabled && authed.user.id == user_id {
        return Err(AppError::Conflict("error-self-disable".into()));
    }
    let txn = authed.db.begin_write().await?;
    let Some(account) = user::Entity::find_by_id(user_id).one(&txn).await? else {
        return Err(AppError::NotFound);
    };
    let mut active = account.into_active_model();
    active.disabled_at = Set(disabled.then(Utc::now));
    active.updated_at = Set(Utc::now());
    active.update(&txn).await?;
    if disabled {
        end_all_sessions(&txn, user_id).await?;
    }
    audit::record(
        &txn,
        Event::on_user(
            Some(&authed.user),
            if disabled {
                Action::AccountDisabled
            } else {
                Action::AccountEnabled
            },
            user_id,
            String::new(),
            authed.ip.clone(),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Changes an account's role; an admin cannot take away their own admin role.
pub async fn change_role(authed: &Authed, user_id: i32, role: Role) -> Result<(), AppError> {
    if authed.user.id == user_id && role != Role::Admin {
        return Err(AppError::Conflict("error-self-demote".into()));
    }
    let txn = authed.db.begin_write().await?;
    let Some(account) = user::Entity::find_by_id(user_id).one(&txn).await? else {
        return Err(AppError::NotFound);
    };
    let before = account.role.clone();
    let mut active = account.into_active_model();
    active.role = Set(role.as_str().to_owned());
    active.updated_at = Set(Utc::now());
    active.update(&txn).await?;
    audit::record(
        &txn,
        Event::on_user(
            Some(&authed.user),
            Action::AccountRoleChanged,
            user_id,
            format!("{before} -> {}", role.as_str()),
            authed.ip.clone(),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// For the command line and demo data: an account with a known password, or the
/// existing account with that address unchanged. Returns its id.
pub async fn ensure_account(
    db: &Db,
    name: &str,
    email: &Email,
    role: Role,
    password: &NewPassword,
) -> Result<(i32, bool), AppError> {
    if let Some(existing) = user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .one(db)
        .await?
    {
        return Ok((existing.id, false));
    }
    let hash = hash_password(password.expose()).await?;
    let account = insert_user(db, name, email, role, hash, Locale::Sv, None).await?;
    Ok((account.id, true))
}

/// Inserts an enabled account with `password_hash` (employers: at `firm_id`).
pub(crate) async fn insert_user(
    db: &impl ConnectionTrait,
    name: &str,
    email: &Email,
    role: Role,
    password_hash: String,
    locale: Locale,
    firm_id: Option<i32>,
) -> Result<user::Model, AppError> {
    let now = Utc::now();
    let account = user::ActiveModel {
        email: Set(email.as_str().to_owned()),
        name: Set(name.to_owned()),
        role: Set(role.as_str().to_owned()),
        firm_id: Set(firm_id),
        password_hash: Set(password_hash),
        locale: Set(locale.code().to_owned()),
        disabled_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|e| {
        // Two requests for one new address at once: both found it free, one won.
        if crate::ssr::is_unique_violation(&e) {
            AppError::field("email", "field-email-taken")
        } else {
            e.into()
        }
    })?;
    Ok(account)
}
