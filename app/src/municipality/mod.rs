//! The municipalities an installation serves: one, or several that cooperate.

#[cfg(feature = "ssr")]
pub mod entity;
#[cfg(feature = "ssr")]
pub mod service;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// A municipality as pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MunicipalityView {
    /// Its name, e.g. "Ekdala kommun".
    pub name: String,
    /// SCB's four-digit municipality code.
    pub code: String,
}

/// The municipalities of this installation, for the public pages.
#[server(endpoint = "municipalities")]
pub async fn list_municipalities() -> Result<Vec<MunicipalityView>, AppError> {
    let ctx = crate::auth::public_endpoint().await?;
    service::list(&ctx.db).await
}

/// The names joined for a sentence ("Ekdala kommun och Storvik kommun").
pub fn joined_names(list: &[MunicipalityView], and: &str) -> String {
    match list {
        [] => String::new(),
        [one] => one.name.clone(),
        [init @ .., last] => {
            let head: Vec<&str> = init.iter().map(|m| m.name.as_str()).collect();
            format!("{} {and} {}", head.join(", "), last.name)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(name: &str) -> MunicipalityView {
        MunicipalityView {
            name: name.into(),
            code: "0000".into(),
        }
    }

    #[test]
    fn names_are_joined_as_a_sentence() {
        assert_eq!(joined_names(&[], "och"), "");
        assert_eq!(joined_names(&[m("A")], "och"), "A");
        assert_eq!(joined_names(&[m("A"), m("B"), m("C")], "and"), "A, B and C");
    }
}
