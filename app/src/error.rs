//! The one error type of every server function and route.
//!
//! Policy: a user's mistake is a [`AppError::Validation`] that names each field and
//! the user's input stays in the form; a missing right is `Forbidden` or
//! `Unauthenticated`; anything the user cannot fix is `Unexpected`, whose cause is
//! logged on the server with a request id and never sent to the browser.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use server_fn::{
    ServerFnError,
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};

/// The name of field `$field` of the form struct `$form`, checked by the compiler:
/// the page's input, the server function's argument and the error that names the
/// field all come from the struct, so renaming or misspelling one is a compile error.
#[macro_export]
macro_rules! field {
    ($form:ty, $field:ident) => {{
        let _ = |form: &$form| {
            let _ = &form.$field;
        };
        stringify!($field)
    }};
}

/// Messages per form field, keyed by the field's `name`. Each message is an i18n key
/// (see `locales/*/main.ftl`), so it is shown in the reader's language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub BTreeMap<String, String>);

impl FieldErrors {
    /// No errors yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records `message` (an i18n key) for `field`; the first message of a field wins.
    pub fn add(&mut self, field: &str, message: &str) {
        self.0
            .entry(field.to_owned())
            .or_insert_with(|| message.to_owned());
    }

    /// The message key for `field`, if it has one.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    /// True when no field has an error.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when nothing was recorded, else the errors as an [`AppError`].
    pub fn into_result<T>(self, value: T) -> Result<T, AppError> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(AppError::Validation(self))
        }
    }
}

/// Everything that can go wrong in a request, as the browser is allowed to see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The thing asked for does not exist, or the caller may not know that it does.
    #[error("not found")]
    NotFound,
    /// Logged in, but not allowed.
    #[error("forbidden")]
    Forbidden,
    /// Must log in first.
    #[error("unauthenticated")]
    Unauthenticated,
    /// The input broke a rule; one message per field.
    #[error("validation failed: {0:?}")]
    Validation(FieldErrors),
    /// The request clashes with the current state; the string is an i18n key.
    #[error("conflict: {0}")]
    Conflict(String),
    /// Candidate data would leave the coordinators' scope without an active consent.
    #[error("an active consent is required")]
    ConsentRequired,
    /// The request could not be read (wrong types, missing arguments).
    #[error("bad request")]
    BadRequest,
    /// Too many attempts; try again later.
    #[error("too many requests")]
    TooManyRequests,
    /// The request's body is larger than the server accepts.
    #[error("request too large")]
    TooLarge,
    /// Our fault. The cause is in the server log under this request id.
    #[error("unexpected error (request id {request_id})")]
    Unexpected { request_id: String },
    /// The browser could not reach the server or read its answer.
    #[error("transport: {0}")]
    Transport(String),
}

impl AppError {
    /// A validation error for one field.
    pub fn field(field: &str, message: &str) -> Self {
        let mut errors = FieldErrors::new();
        errors.add(field, message);
        Self::Validation(errors)
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode as S;
        match self {
            Self::NotFound => S::NOT_FOUND,
            Self::Forbidden | Self::ConsentRequired => S::FORBIDDEN,
            Self::Unauthenticated => S::UNAUTHORIZED,
            Self::Validation(_) => S::UNPROCESSABLE_ENTITY,
            Self::Conflict(_) => S::CONFLICT,
            Self::BadRequest => S::BAD_REQUEST,
            Self::TooManyRequests => S::TOO_MANY_REQUESTS,
            Self::TooLarge => S::PAYLOAD_TOO_LARGE,
            Self::Unexpected { .. } | Self::Transport(_) => S::INTERNAL_SERVER_ERROR,
        }
    }

    /// The field errors, when this is a validation error.
    pub fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            Self::Validation(errors) => Some(errors),
            _ => None,
        }
    }

    /// The i18n key of the heading above the error: what happened, in a few words
    /// ("Ingen behörighet"), not only that something went wrong.
    pub fn title_key(&self) -> &'static str {
        match self {
            Self::NotFound => "error-title-not-found",
            Self::Forbidden | Self::ConsentRequired => "error-title-forbidden",
            Self::Unauthenticated => "error-title-unauthenticated",
            _ => "error-title",
        }
    }

    /// The i18n key of the sentence shown to the user for this error.
    pub fn message_key(&self) -> &str {
        match self {
            Self::NotFound => "error-not-found",
            Self::Forbidden => "error-forbidden",
            Self::Unauthenticated => "error-unauthenticated",
            Self::Validation(_) => "error-validation",
            Self::Conflict(key) => key,
            Self::ConsentRequired => "error-consent-required",
            Self::BadRequest => "error-bad-request",
            Self::TooManyRequests => "error-too-many",
            Self::TooLarge => "error-too-large",
            Self::Unexpected { .. } => "error-unexpected",
            Self::Transport(_) => "error-transport",
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => Self::BadRequest,
            // On the server a body that cannot be decoded at all (not UTF-8, say) is
            // the request's fault; in the browser it is a broken answer.
            ServerFnErrorErr::Deserialization(_) if cfg!(feature = "ssr") => Self::BadRequest,
            other => Self::Transport(other.to_string()),
        }
    }
}

impl From<ServerFnError> for AppError {
    fn from(value: ServerFnError) -> Self {
        Self::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::AppError;

    impl AppError {
        /// Logs `cause` with its whole chain under the current request id and returns
        /// the generic error the user sees.
        pub fn unexpected(cause: impl Into<anyhow::Error>) -> Self {
            let cause = cause.into();
            let request_id = crate::ssr::request_id().unwrap_or_else(|| "-".to_owned());
            tracing::error!(request_id = %request_id, "unexpected error: {cause:#}");
            Self::Unexpected { request_id }
        }
    }

    /// For plain axum routes: the status and a short text. Server functions encode
    /// the error as JSON instead (see the server's `forms` middleware).
    impl axum::response::IntoResponse for AppError {
        fn into_response(self) -> axum::response::Response {
            let status = self.status();
            let body = status.canonical_reason().unwrap_or("error");
            (status, body).into_response()
        }
    }

    impl From<sea_orm::DbErr> for AppError {
        fn from(value: sea_orm::DbErr) -> Self {
            Self::unexpected(value)
        }
    }

    impl From<sea_orm::TransactionError<AppError>> for AppError {
        fn from(value: sea_orm::TransactionError<AppError>) -> Self {
            match value {
                sea_orm::TransactionError::Connection(e) => e.into(),
                sea_orm::TransactionError::Transaction(e) => e,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_errors_keep_the_first_message_per_field() {
        let mut errors = FieldErrors::new();
        errors.add("email", "field-required");
        errors.add("email", "field-email-invalid");
        assert_eq!(errors.get("email"), Some("field-required"));
        assert_eq!(
            errors.into_result(()).unwrap_err().status(),
            http::StatusCode::UNPROCESSABLE_ENTITY
        );
    }

    #[test]
    fn malformed_arguments_are_a_bad_request_not_a_500() {
        let err = AppError::from_server_fn_error(ServerFnErrorErr::Args("x".into()));
        assert_eq!(err.status(), http::StatusCode::BAD_REQUEST);
    }

    #[test]
    fn errors_survive_the_trip_through_json() {
        let err = AppError::field("message", "field-too-long");
        let back = AppError::de(err.ser());
        assert_eq!(back, err);
    }
}
