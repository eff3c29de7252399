//! Accounts, sessions and who may call what.
//!
//! Every server function starts with one of the guards below; a server function is a
//! public HTTP endpoint, so hiding a button is not access control. Sessions live in
//! the database (several server processes share them); the cookie holds a random
//! token whose SHA-256 is the session's key.

#[cfg(feature = "ssr")]
pub mod accounts;
#[cfg(feature = "ssr")]
pub mod entity;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod passwords;
#[cfg(feature = "ssr")]
pub mod service;

#[cfg(feature = "ssr")]
pub use guards::*;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use model::Role;

/// The logged-in user, as every page and server function sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    /// The account id.
    pub id: i32,
    /// The name shown in the interface.
    pub name: String,
    /// The login address.
    pub email: String,
    /// The role.
    pub role: Role,
    /// The employer's firm (employers only; firms come with the rings issue).
    pub firm_id: Option<i32>,
}

#[cfg(feature = "ssr")]
impl crate::audit::service::Actor for SessionUser {
    fn actor_id(&self) -> i32 {
        self.id
    }

    fn actor_label(&self) -> String {
        format!("{} <{}>", self.name, self.email)
    }
}

/// The current user, or `None` when logged out.
#[server(endpoint = "auth/me")]
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    let ctx = public_endpoint().await?;
    Ok(ctx.user)
}

/// Logs in with e-mail and password; the session cookie is set on success.
#[server(endpoint = "auth/login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    let ctx = public_endpoint().await?;
    let device = crate::ssr::request_cookie(service::DEVICE_COOKIE);
    let user = service::authenticate(&ctx, &email, &password, device.as_deref()).await?;
    // A new session id at every login; the one the browser had before is ended.
    if let Some(old) = &ctx.session_token {
        service::end_session(&ctx.db, old).await?;
    }
    let token = service::start_session(&ctx.db, user.id).await?;
    set_session_cookie(&ctx, &token);
    // This browser is now known for the account: an attack on the account elsewhere
    // does not lock it out (see the throttle in `service`).
    let known = device
        .as_deref()
        .and_then(|d| service::verify_device(&ctx.config.secret, d))
        .is_some_and(|(id, _)| id == user.id);
    if !known {
        let secure = if ctx.config.https { "; Secure" } else { "" };
        crate::ssr::append_set_cookie(&format!(
            "{}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{secure}",
            service::DEVICE_COOKIE,
            service::device_token(&ctx.config.secret, user.id),
            service::DEVICE_DAYS * 24 * 3600
        ));
    }
    crate::ssr::redirect_plain_form_post(&local_next(next.as_deref()));
    Ok(())
}

/// Logs out: the session ends on the server and the cookie is cleared.
#[server(endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    // public_endpoint: logging out without a session is harmless and answers the same.
    let ctx = public_endpoint().await?;
    if let Some(token) = &ctx.session_token {
        service::end_session(&ctx.db, token).await?;
        if let Some(user) = &ctx.user {
            crate::audit::service::record(
                &ctx.db,
                crate::audit::service::Event::on_user(
                    Some(user),
                    crate::audit::service::Action::Logout,
                    user.id,
                    String::new(),
                    ctx.ip.clone(),
                ),
            )
            .await?;
        }
    }
    clear_session_cookie(&ctx);
    crate::ssr::redirect_plain_form_post("/");
    Ok(())
}

/// Sends a reset link if the address has an account. The answer is the same either way.
#[server(endpoint = "auth/forgot")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    let ctx = public_endpoint().await?;
    let email = model::Email::parse(&email).map_err(|key| AppError::field("email", key))?;
    service::request_reset(&ctx, &email, crate::i18n::use_locale()).await?;
    crate::ssr::redirect_plain_form_post("/glomt-losenord?skickat=1");
    Ok(())
}

/// Sets a new password with the token from a reset link; ends every session of the account.
#[server(endpoint = "auth/reset")]
pub async fn reset_password(
    token: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    // public_endpoint: the single-use token in the link is the credential.
    let ctx = public_endpoint().await?;
    let password =
        model::NewPassword::parse(&password).map_err(|key| AppError::field("password", key))?;
    if password.expose() != password_confirm {
        return Err(AppError::field(
            "password_confirm",
            "field-password-mismatch",
        ));
    }
    service::complete_reset(&ctx, &token, &password).await?;
    crate::ssr::redirect_plain_form_post("/logga-in?aterstallt=1");
    Ok(())
}

/// Where to go after logging in: a local path, else the start page.
pub fn local_next(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/\\")
                && !path.chars().any(char::is_control) =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// The session cookie's name: with https the `__Host-` prefix pins it to this host.
pub fn session_cookie_name(https: bool) -> &'static str {
    if https {
        "__Host-broar_session"
    } else {
        "broar_session"
    }
}

#[cfg(feature = "ssr")]
pub(crate) fn set_session_cookie(ctx: &crate::ssr::Ctx, token: &str) {
    let https = ctx.config.https;
    let secure = if https { "; Secure" } else { "" };
    let cookie = format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax{secure}",
        session_cookie_name(https)
    );
    crate::ssr::append_set_cookie(&cookie);
}

#[cfg(feature = "ssr")]
fn clear_session_cookie(ctx: &crate::ssr::Ctx) {
    let https = ctx.config.https;
    let secure = if https { "; Secure" } else { "" };
    let cookie = format!(
        "{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{secure}",
        session_cookie_name(https)
    );
    crate::ssr::append_set_cookie(&cookie);
}

#[cfg(feature = "ssr")]
mod guards {
    use super::{SessionUser, model::Role};
    use crate::{
        audit::service::{Action, Event},
        error::AppError,
        ssr::{self, Ctx},
    };

    /// The context of a request by a logged-in user.
    pub struct Authed {
        /// The request's context.
        pub ctx: Ctx,
        /// The caller.
        pub user: SessionUser,
    }

    impl Authed {
        /// The audit entry of a successful action by the caller on object `id` of kind
        /// `object_type`, from the request's address: who and from where in one value.
        pub fn event<'a>(
            &'a self,
            action: Action,
            object_type: &'a str,
            id: i32,
            detail: String,
        ) -> Event<'a> {
            Event::ok(
                Some(&self.user),
                action,
                object_type,
                id,
                detail,
                self.ip.clone(),
            )
        }
    }

    impl std::ops::Deref for Authed {
        type Target = Ctx;
        fn deref(&self) -> &Ctx {
            &self.ctx
        }
    }

    /// For server functions meant for anyone, logged in or not (public pages, the
    /// login form). Says so where a reader of the fn looks first.
    pub async fn public_endpoint() -> Result<Ctx, AppError> {
        ssr::ctx().await
    }

    /// Any logged-in user.
    pub async fn require_user() -> Result<Authed, AppError> {
        let ctx = ssr::ctx().await?;
        match ctx.user.clone() {
            Some(user) => Ok(Authed { ctx, user }),
            None => Err(AppError::Unauthenticated),
        }
    }

    /// A user with one of `roles`.
    pub async fn require_role(roles: &[Role]) -> Result<Authed, AppError> {
        let authed = require_user().await?;
        if roles.contains(&authed.user.role) {
            Ok(authed)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The municipality's system owner.
    pub async fn require_admin() -> Result<Authed, AppError> {
        require_role(&[Role::Admin]).await
    }

    /// Municipal staff: a coordinator, or an admin (who can do what coordinators can).
    pub async fn require_staff() -> Result<Staff, AppError> {
        Staff::check(require_user().await?)
    }

    /// The capability of municipal staff (a coordinator or an admin): the services
    /// only staff may call (candidates, consents, firms, outreach) take it instead of
    /// [`Authed`], so the role check cannot be skipped. Only [`require_staff`] and
    /// [`Staff::check`] make one.
    pub struct Staff(Authed);

    impl Staff {
        /// `authed` as staff, or `Forbidden` for anyone else.
        pub fn check(authed: Authed) -> Result<Self, AppError> {
            if authed.user.role.is_staff() {
                Ok(Self(authed))
            } else {
                Err(AppError::Forbidden)
            }
        }
    }

    impl From<Staff> for Authed {
        fn from(staff: Staff) -> Self {
            staff.0
        }
    }

    impl std::ops::Deref for Staff {
        type Target = Authed;
        fn deref(&self) -> &Authed {
            &self.0
        }
    }

    /// How the caller reaches a ring.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum RingAccess {
        /// Municipal staff: every ring.
        Staff,
        /// An employer whose firm is in the ring now.
        Member {
            /// The caller's firm.
            firm_id: i32,
        },
    }

    /// Staff, or an employer whose firm is in ring `ring_id` now. To an employer
    /// outside it the ring does not exist (404), so guessed ids reveal nothing.
    pub async fn require_ring_access(ring_id: i32) -> Result<(Authed, RingAccess), AppError> {
        let authed = require_user().await?;
        let access = ring_access(&authed, ring_id).await?;
        Ok((authed, access))
    }

    /// Staff, or a member of the ring that `ring_of` finds for the thing asked for (a
    /// need, a thread, a release …); when it finds none, the thing does not exist (404).
    /// The concepts' `access` modules reach their things through this.
    pub async fn require_via_ring(
        ring_of: impl AsyncFnOnce(&crate::db::Db) -> Result<Option<i32>, AppError>,
    ) -> Result<(Authed, RingAccess), AppError> {
        let authed = require_user().await?;
        let ring_id = ring_of(&authed.db).await?.ok_or(AppError::NotFound)?;
        let access = ring_access(&authed, ring_id).await?;
        Ok((authed, access))
    }

    /// An employer whose firm is in ring `ring_id` now (staff are refused: they act
    /// on rings through the coordinator's functions). Returns the firm.
    pub async fn require_ring_member(ring_id: i32) -> Result<(Authed, i32), AppError> {
        let authed = require_user().await?;
        match ring_access(&authed, ring_id).await? {
            RingAccess::Member { firm_id } => Ok((authed, firm_id)),
            RingAccess::Staff => Err(AppError::Forbidden),
        }
    }

    /// How `authed` reaches ring `ring_id` (for plain routes, which build their own
    /// [`Authed`]); the `require_*` guards above, and each concept's `access` module
    /// (a need, a thread, a release, a meeting: through the ring it is in), use it.
    pub async fn ring_access(authed: &Authed, ring_id: i32) -> Result<RingAccess, AppError> {
        match authed.user.role {
            // Staff reach every ring there is; one that is not there is not found
            // (and never reaches a write that would fail on its foreign key).
            Role::Admin | Role::Coordinator => {
                if super::membership::ring_exists(&authed.db, ring_id).await? {
                    Ok(RingAccess::Staff)
                } else {
                    Err(AppError::NotFound)
                }
            }
            Role::Employer => {
                let firm_id = authed.user.firm_id.ok_or(AppError::NotFound)?;
                if super::membership::is_member(
                    &authed.db,
                    crate::ids::RingId(ring_id),
                    crate::ids::FirmId(firm_id),
                )
                .await?
                {
                    Ok(RingAccess::Member { firm_id })
                } else {
                    Err(AppError::NotFound)
                }
            }
        }
    }
}

/// Ring membership, the one access primitive every concept shares: read here with
/// plain queries, so that `auth` imports no concept (the rings concept owns the
/// tables and their changes).
#[cfg(feature = "ssr")]
pub mod membership {
    use std::collections::HashMap;

    use chrono::{DateTime, Utc};
    use sea_orm::ConnectionTrait;

    use crate::{
        error::AppError,
        ids::{FirmId, RingId},
        ssr::query_all,
    };

    /// One spell of a firm in a ring, with the ring's name.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Spell {
        /// The ring.
        pub ring_id: i32,
        /// Its name.
        pub ring_name: String,
        /// Joined when.
        pub joined_at: DateTime<Utc>,
        /// The account that made it join, if recorded.
        pub joined_by: Option<i32>,
        /// Left when, if it has.
        pub left_at: Option<DateTime<Utc>>,
        /// The account that ended it, if recorded.
        pub left_by: Option<i32>,
    }

    /// Every spell of firm `firm_id` in any ring, the newest first.
    pub async fn spells_of_firm(
        db: &impl ConnectionTrait,
        firm_id: i32,
    ) -> Result<Vec<Spell>, AppError> {
        let rows = query_all(
            db,
            "SELECT m.ring_id, r.name, m.joined_at, m.joined_by, m.left_at, m.left_by \
             FROM ring_memberships m JOIN rings r ON r.id = m.ring_id \
             WHERE m.firm_id = ? ORDER BY m.joined_at DESC, m.ring_id",
            vec![firm_id.into()],
        )
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Spell {
                    ring_id: row.try_get("", "ring_id")?,
                    ring_name: row.try_get("", "name")?,
                    joined_at: row.try_get("", "joined_at")?,
                    joined_by: row.try_get("", "joined_by")?,
                    left_at: row.try_get("", "left_at")?,
                    left_by: row.try_get("", "left_by")?,
                })
            })
            .collect::<Result<_, sea_orm::DbErr>>()
            .map_err(AppError::from)
    }

    /// The names of the rings each firm is in now, by firm.
    pub async fn current_rings_by_firm(
        db: &impl ConnectionTrait,
    ) -> Result<HashMap<i32, Vec<String>>, AppError> {
        let rows = query_all(
            db,
            "SELECT m.firm_id, r.name FROM ring_memberships m JOIN rings r ON r.id = m.ring_id \
             WHERE m.left_at IS NULL ORDER BY m.ring_id",
            vec![],
        )
        .await?;
        let mut rings: HashMap<i32, Vec<String>> = HashMap::new();
        for row in &rows {
            rings
                .entry(row.try_get("", "firm_id")?)
                .or_default()
                .push(row.try_get("", "name")?);
        }
        Ok(rings)
    }

    /// Whether ring `ring_id` exists.
    pub async fn ring_exists(db: &impl ConnectionTrait, ring_id: i32) -> Result<bool, AppError> {
        let rows = query_all(
            db,
            "SELECT id FROM rings WHERE id = ?",
            vec![ring_id.into()],
        )
        .await?;
        Ok(!rows.is_empty())
    }

    /// Whether firm `firm_id` is in ring `ring_id` now.
    pub async fn is_member(
        db: &impl ConnectionTrait,
        ring_id: RingId,
        firm_id: FirmId,
    ) -> Result<bool, AppError> {
        let rows = query_all(
            db,
            "SELECT ring_id FROM ring_memberships WHERE ring_id = ? AND firm_id = ? AND left_at IS NULL",
            vec![ring_id.into(), firm_id.into()],
        )
        .await?;
        Ok(!rows.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::local_next;

    #[test]
    fn after_login_only_local_paths_are_followed() {
        assert_eq!(local_next(Some("/admin/konton")), "/admin/konton");
        assert_eq!(local_next(Some("//evil.example")), "/");
        assert_eq!(local_next(Some("https://evil.example")), "/");
        assert_eq!(local_next(Some("/\\evil.example")), "/");
        assert_eq!(
            local_next(Some("/tillganglighet?x=1")),
            "/tillganglighet?x=1"
        );
        assert_eq!(local_next(None), "/");
    }
}
