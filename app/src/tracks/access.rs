//! Who may reach a job track: staff, and employers of a firm with a commitment to it
//! (proposed, confirmed or declined) while the firm is in the track's ring; to anyone
//! else it does not exist (404, as for an unknown id). Who may answer for a firm:
//! only its own employers, never staff. The tracks concept's rule, on the ring
//! membership primitive of `auth`.

use super::{model::CommitmentStatus, service};
use crate::{
    auth::{Authed, RingAccess, require_user, ring_access},
    error::AppError,
};

/// How the caller reaches a track.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrackAccess {
    /// Municipal staff: everything, with names.
    Staff,
    /// An employer of a firm asked to commit to the track.
    Firm {
        /// The caller's firm.
        firm_id: i32,
        /// Where its commitment stands.
        status: CommitmentStatus,
    },
}

/// Staff, or an employer of a firm with a commitment to track `track_id` while the
/// firm is in the track's ring.
pub async fn track_viewer(track_id: i32) -> Result<(Authed, TrackAccess), AppError> {
    let authed = require_user().await?;
    let access = access_of(&authed, track_id).await?;
    Ok((authed, access))
}

async fn access_of(authed: &Authed, track_id: i32) -> Result<TrackAccess, AppError> {
    let ring_id = service::ring_of(&authed.db, track_id)
        .await?
        .ok_or(AppError::NotFound)?;
    match ring_access(authed, ring_id).await? {
        RingAccess::Staff => Ok(TrackAccess::Staff),
        RingAccess::Member { firm_id } => {
            let c = service::commitment_of(&authed.db, track_id, firm_id)
                .await?
                .ok_or(AppError::NotFound)?;
            Ok(TrackAccess::Firm {
                firm_id,
                status: CommitmentStatus::parse(&c.status).unwrap_or(CommitmentStatus::Proposed),
            })
        }
    }
}

/// Proof that the caller answers for a firm asked to commit to a track: an employer
/// of that firm while it is in the track's ring. Only [`commitment_answerer`] makes
/// one, and `service::answer` takes it, so the check cannot be skipped.
pub struct FirmCommitment {
    authed: Authed,
    track_id: i32,
    firm_id: i32,
}

impl FirmCommitment {
    /// The caller and the request's context.
    pub fn authed(&self) -> &Authed {
        &self.authed
    }

    /// The track.
    pub fn track_id(&self) -> i32 {
        self.track_id
    }

    /// The firm the caller answers for.
    pub fn firm_id(&self) -> i32 {
        self.firm_id
    }
}

/// The [`FirmCommitment`] of track `track_id` for the caller. Staff are refused (403):
/// the firm confirms for itself. Anyone who may not see the track gets 404.
pub async fn commitment_answerer(track_id: i32) -> Result<FirmCommitment, AppError> {
    let (authed, access) = track_viewer(track_id).await?;
    match access {
        TrackAccess::Staff => Err(AppError::Forbidden),
        TrackAccess::Firm { firm_id, .. } => Ok(FirmCommitment {
            authed,
            track_id,
            firm_id,
        }),
    }
}
