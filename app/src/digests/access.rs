//! Whose digest settings a request may read or change.

use crate::{
    auth::{model::Role, require_role},
    error::AppError,
    ssr::{self, Ctx},
};

/// Whose digest settings a request may read or change: the account a signed digest
/// link was made for (`token`: the link's only credential, so the settings and the
/// one-click unsubscribe work logged out), or else the logged-in employer. A forged
/// token is refused (403), whoever is logged in; staff get no digests (403).
pub async fn digest_owner(token: Option<&str>) -> Result<(Ctx, i32), AppError> {
    match token.map(str::trim).filter(|t| !t.is_empty()) {
        Some(token) => {
            let ctx = ssr::ctx().await?;
            let user_id = crate::digests::service::verify(&ctx.config.secret, token)
                .ok_or(AppError::Forbidden)?;
            Ok((ctx, user_id))
        }
        None => {
            let authed = require_role(&[Role::Employer]).await?;
            let user_id = authed.user.id;
            Ok((authed.ctx, user_id))
        }
    }
}
