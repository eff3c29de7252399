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

/// Proof that the caller may change one need: staff, or an employer of the need's own
/// firm while the firm is in its ring. Only [`need_editor`] makes one, and the needs
/// service's changing functions take it, so a change cannot skip the check.
pub struct NeedEditor {
    authed: Authed,
    need_id: i32,
}

impl NeedEditor {
    /// The need that may be changed.
    pub fn need_id(&self) -> i32 {
        self.need_id
    }

    /// The caller and the request's context.
    pub fn authed(&self) -> &Authed {
        &self.authed
    }
}

/// The [`NeedEditor`] of need `need_id` for the caller. A member of the ring who may
/// see the need but not change it is refused (403); anyone who may not see it gets 404.
pub async fn need_editor(need_id: i32) -> Result<NeedEditor, AppError> {
    let authed = require_user().await?;
    let (ring_id, firm_id, draft) = crate::needs::service::owner_of(&authed.db, need_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let editor = NeedEditor { authed, need_id };
    match ring_access(&editor.authed, ring_id).await? {
        RingAccess::Staff => Ok(editor),
        RingAccess::Member { firm_id: own } if own == firm_id => Ok(editor),
        RingAccess::Member { .. } if draft => Err(AppError::NotFound),
        RingAccess::Member { .. } => Err(AppError::Forbidden),
    }
}

/// Who may read a needs board: a member of ring `ring_id` or staff, or (`ring_id` 0,
/// every ring's board) staff only. Returns the ring (`None` for every ring).
pub async fn board_reader(ring_id: i32) -> Result<(Authed, Option<i32>, RingAccess), AppError> {
    if ring_id == 0 {
        let staff = crate::auth::require_staff().await?;
        Ok((staff.into(), None, RingAccess::Staff))
    } else {
        let (authed, access) = crate::auth::require_ring_access(ring_id).await?;
        Ok((authed, Some(ring_id), access))
    }
}
