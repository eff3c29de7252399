//! Who may reach a need: staff, and members of its ring (another firm's draft does not
//! exist for them); who may change it: staff and the need's own firm. The needs
//! concept's rule, on the ring membership primitive of `auth`.

use crate::{
    auth::{Authed, RingAccess, require_user, ring_access},
    error::AppError,
};

/// Staff, or a member of the ring the need is in. Another firm's draft does not
/// exist for a member: 404, the same answer as an unknown id, for every function
/// and page that reaches a need through this.
pub async fn need_viewer(need_id: i32) -> Result<(Authed, RingAccess), AppError> {
    let authed = require_user().await?;
    let (ring_id, firm_id, draft) = crate::needs::service::owner_of(&authed.db, need_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let access = ring_access(&authed, ring_id).await?;
    match access {
        RingAccess::Member { firm_id: own } if draft && own != firm_id => Err(AppError::NotFound),
        _ => Ok((authed, access)),
    }
}

/// Staff, or an employer of the need's own firm while the firm is in its ring.
/// A member of the ring who may see the need but not change it is refused (403);
/// anyone who may not see it gets 404.
pub async fn need_editor(need_id: i32) -> Result<Authed, AppError> {
    let authed = require_user().await?;
    let (ring_id, firm_id, draft) = crate::needs::service::owner_of(&authed.db, need_id)
        .await?
        .ok_or(AppError::NotFound)?;
    match ring_access(&authed, ring_id).await? {
        RingAccess::Staff => Ok(authed),
        RingAccess::Member { firm_id: own } if own == firm_id => Ok(authed),
        RingAccess::Member { .. } if draft => Err(AppError::NotFound),
        RingAccess::Member { .. } => Err(AppError::Forbidden),
    }
}
