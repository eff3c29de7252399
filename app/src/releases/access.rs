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

/// An employer whose firm is in the ring a release was made to; returns the firm.
/// Staff are refused (403): they act on interest from the inbox.
pub async fn release_member(pseudonym: &str) -> Result<(Authed, i32), AppError> {
    match release_viewer(pseudonym).await? {
        (authed, RingAccess::Member { firm_id }) => Ok((authed, firm_id)),
        (_, RingAccess::Staff) => Err(AppError::Forbidden),
    }
}
