//! Who may see a released profile (named by its pseudonym): staff, and members of the
//! ring it was released to; to anyone else it does not exist. The releases' rule, on
//! `auth`'s ring membership.

use crate::{
    auth::{Authed, RingAccess, require_via_ring},
    error::AppError,
};

/// Staff, or a member of the ring a release (named by its pseudonym) was made to.
/// To anyone else the pseudonym does not exist (404).
pub async fn release_viewer(pseudonym: &str) -> Result<(Authed, RingAccess), AppError> {
    require_via_ring(async |db| crate::releases::service::ring_of(db, pseudonym).await).await
}

/// Proof that the caller is an employer whose firm is in the ring a release was made
/// to: what marking interest in it requires. Only [`release_member`] makes one.
pub struct ReleaseMember {
    authed: Authed,
    firm_id: i32,
    pseudonym: String,
}

impl ReleaseMember {
    /// The caller and the request's context.
    pub fn authed(&self) -> &Authed {
        &self.authed
    }

    /// The caller's firm.
    pub fn firm_id(&self) -> i32 {
        self.firm_id
    }

    /// The release's pseudonym, as checked.
    pub fn pseudonym(&self) -> &str {
        &self.pseudonym
    }
}

/// The [`ReleaseMember`] of the release `pseudonym` for the caller. Staff are refused
/// (403): they act on interest from the inbox.
pub async fn release_member(pseudonym: &str) -> Result<ReleaseMember, AppError> {
    match release_viewer(pseudonym).await? {
        (authed, RingAccess::Member { firm_id }) => Ok(ReleaseMember {
            authed,
            firm_id,
            pseudonym: pseudonym.trim().to_owned(),
        }),
        (_, RingAccess::Staff) => Err(AppError::Forbidden),
    }
}
