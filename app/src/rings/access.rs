//! Who may reach a ring's meeting: staff, and members of the ring.

use crate::{
    auth::{Authed, RingAccess, require_via_ring},
    error::AppError,
};

/// Staff, or a member of the ring that meeting `meeting_id` belongs to.
pub async fn meeting_viewer(meeting_id: i32) -> Result<(Authed, RingAccess), AppError> {
    require_via_ring(async |db| crate::rings::service::ring_of_meeting(db, meeting_id).await).await
}
