//! Who may reach a thread or a post: staff, and members of the ring it is in. (Whose
//! post it is, is the service's rule.) The forum's rule, on `auth`'s ring membership.

use crate::{
    auth::{Authed, RingAccess, require_via_ring},
    error::AppError,
};

/// Staff, or a member of the ring the thread is in.
pub async fn thread_reader(thread_id: i32) -> Result<(Authed, RingAccess), AppError> {
    require_via_ring(async |db| crate::forum::service::ring_of_thread(db, thread_id).await).await
}

/// Staff, or a member of the ring the post's thread is in. (Whose post it is, is
/// the service's rule.)
pub async fn post_reader(post_id: i32) -> Result<(Authed, RingAccess), AppError> {
    require_via_ring(async |db| crate::forum::service::ring_of_post(db, post_id).await).await
}
