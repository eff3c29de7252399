//! A feedback report, validated.

use crate::{auth::model::Email, error::AppError, error::FieldErrors};

/// The most characters a description may have.
pub const MESSAGE_MAX: usize = 4000;
/// The most characters the page field may have.
pub const PAGE_MAX: usize = 300;

/// A report that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFeedback {
    /// Where to answer.
    pub email: Email,
    /// The page or feature concerned (may be empty).
    pub page: String,
    /// What went wrong.
    pub message: String,
}

impl NewFeedback {
    /// Checks every field and reports all problems at once.
    pub fn parse(email: &str, page: &str, message: &str) -> Result<Self, AppError> {
        let mut errors = FieldErrors::new();
        let email = Email::parse(email)
            .map_err(|key| errors.add("email", key))
            .ok();
        let page = page.trim();
        if page.chars().count() > PAGE_MAX {
            errors.add("page", "field-too-long");
        }
        let message = message.trim();
        if message.is_empty() {
            errors.add("message", "field-required");
        } else if message.chars().count() > MESSAGE_MAX {
            errors.add("message", "field-too-long");
        }
        match (email, errors.is_empty()) {
            (Some(email), true) => Ok(Self {
                email,
                page: page.to_owned(),
                message: message.to_owned(),
            }),
            _ => Err(AppError::Validation(errors)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_broken_field_is_named_at_once() {
        let err = NewFeedback::parse("not-an-address", &"x".repeat(301), "  ").unwrap_err();
        let errors = err.field_errors().expect("a validation error");
        assert_eq!(errors.get("email"), Some("field-email-invalid"));
        assert_eq!(errors.get("page"), Some("field-too-long"));
        assert_eq!(errors.get("message"), Some("field-required"));
    }

    #[test]
    fn a_complete_report_is_accepted_trimmed() {
        let ok = NewFeedback::parse("a@b.se", "", "  Knappen syns inte  ").expect("valid");
        assert_eq!(ok.message, "Knappen syns inte");
        assert!(NewFeedback::parse("a@b.se", "", &"å".repeat(MESSAGE_MAX)).is_ok());
        assert!(NewFeedback::parse("a@b.se", "", &"å".repeat(MESSAGE_MAX + 1)).is_err());
    }
}
