//! Who may call what. Every server function starts with one of these guards; the
//! accounts issue adds `require_admin`, `require_coordinator`, `require_ring_member`…
//! A server function is a public HTTP endpoint: hiding a button is not access control.

pub mod model;

#[cfg(feature = "ssr")]
pub use guards::*;

#[cfg(feature = "ssr")]
mod guards {
    use crate::{
        error::AppError,
        ssr::{self, Ctx},
    };

    /// For server functions meant for anyone, logged in or not (public pages, the
    /// accessibility feedback form). Says so where a reader of the fn looks first.
    pub async fn public_endpoint() -> Result<Ctx, AppError> {
        ssr::ctx().await
    }
}
