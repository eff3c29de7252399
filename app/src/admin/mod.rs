//! The admin's pages: accounts (create coordinators, disable, enable, change roles)
//! and e-mails that could not be delivered; and the audit log's search, which
//! coordinators use too.

pub mod audit_log;
pub mod pages;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{auth::model::Role, error::AppError};

/// An account as the admin's list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    /// The id.
    pub id: i32,
    /// The name.
    pub name: String,
    /// The login address.
    pub email: String,
    /// The role.
    pub role: Role,
    /// Whether the account is disabled.
    pub disabled: bool,
}

pub use crate::mail::FailedMail;

/// Every account.
#[server(endpoint = "admin/accounts")]
pub async fn list_accounts() -> Result<Vec<AccountView>, AppError> {
    let ctx = crate::auth::require_admin().await?;
    let rows = crate::auth::accounts::list_accounts(&ctx.db).await?;
    Ok(rows
        .into_iter()
        .filter_map(|u| {
            Some(AccountView {
                id: u.id,
                role: Role::parse(&u.role)?,
                name: u.name,
                email: u.email,
                disabled: u.disabled_at.is_some(),
            })
        })
        .collect())
}

/// Creates an account (a coordinator by default); the person gets an e-mail with a
/// link to choose a password. An employer account belongs to a firm, chosen here:
/// without one the person would log in to an empty portal.
#[server(endpoint = "admin/accounts/create")]
pub async fn create_account(
    name: String,
    email: String,
    role: String,
    #[server(default)] firm_id: String,
    #[server(default)] __once: String,
) -> Result<i32, AppError> {
    let ctx = crate::auth::require_admin().await?;
    let mut errors = crate::error::FieldErrors::new();
    let name = name.trim().to_owned();
    if name.is_empty() {
        errors.add("name", "field-required");
    } else if name.chars().count() > 120 {
        errors.add("name", "field-too-long");
    }
    let email = crate::auth::model::Email::parse(&email)
        .map_err(|k| errors.add("email", k))
        .ok();
    let role = Role::parse(&role).or_else(|| {
        errors.add("role", "field-choice-required");
        None
    });
    let firm = match (role, firm_id.trim()) {
        (Some(Role::Employer), "") => {
            errors.add("firm_id", "account-firm-required");
            None
        }
        (Some(Role::Employer), id) => match id.parse::<i32>() {
            Ok(id) if crate::firms::service::exists(&ctx.db, id).await? => Some(id),
            _ => {
                errors.add("firm_id", "field-choice-invalid");
                None
            }
        },
        // Staff belong to the municipality, not to a firm.
        _ => None,
    };
    let (Some(email), Some(role)) = (email, role) else {
        return Err(AppError::Validation(errors));
    };
    errors.into_result(())?;
    let locale = crate::i18n::use_locale();
    let id = crate::auth::accounts::create_account(&ctx, &name, &email, role, firm, locale).await?;
    crate::ssr::redirect_plain_form_post("/admin/konton?skapat=1");
    Ok(id)
}

/// The firms an employer account can belong to: (id, name), by name.
#[server(endpoint = "admin/accounts/firms")]
pub async fn account_firms() -> Result<Vec<(i32, String)>, AppError> {
    let ctx = crate::auth::require_admin().await?;
    crate::firms::service::names(&ctx.db).await
}

/// Disables (ending its sessions) or enables an account.
#[server(endpoint = "admin/accounts/disabled")]
pub async fn set_account_disabled(user_id: i32, disabled: bool) -> Result<(), AppError> {
    let ctx = crate::auth::require_admin().await?;
    crate::auth::accounts::set_disabled(&ctx, user_id, disabled).await?;
    crate::ssr::redirect_plain_form_post("/admin/konton");
    Ok(())
}

/// Changes an account's role.
#[server(endpoint = "admin/accounts/role")]
pub async fn change_account_role(user_id: i32, role: String) -> Result<(), AppError> {
    let ctx = crate::auth::require_admin().await?;
    let role =
        Role::parse(&role).ok_or_else(|| AppError::field("role", "field-choice-required"))?;
    crate::auth::accounts::change_role(&ctx, user_id, role).await?;
    crate::ssr::redirect_plain_form_post("/admin/konton");
    Ok(())
}

/// E-mails the outbox marked failed, newest first.
#[server(endpoint = "admin/failed-mail")]
pub async fn list_failed_mail() -> Result<Vec<FailedMail>, AppError> {
    let ctx = crate::auth::require_admin().await?;
    crate::mail::service::failed(&ctx.db).await
}
