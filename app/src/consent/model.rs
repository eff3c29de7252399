//! The rules of a consent that both sides share: how it was given, when it is active,
//! and the default expiry.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::candidates::model::choices;

/// The consent form as posted (`consent/record`, flattened); the rings in its scope,
/// a list of checkboxes, come beside it as `rings[]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentForm {
    /// The wording's id.
    pub text_id: String,
    /// What the consent is for.
    pub purpose: String,
    /// How it was given.
    pub method: String,
    /// Who witnessed an oral consent.
    pub witness: String,
    /// The day it was given, `YYYY-MM-DD`.
    pub given_on: String,
    /// How many months it lasts.
    pub months: String,
}

/// Months a consent lasts unless the coordinator says otherwise.
pub const DEFAULT_EXPIRY_MONTHS: u32 = 12;
/// The longest a consent may be recorded for.
pub const MAX_EXPIRY_MONTHS: u32 = 24;
/// Days before expiry the recording coordinator is reminded.
pub const REMIND_DAYS_BEFORE: i64 = 30;

choices! {
    /// How a consent was given.
    ConsentMethod, "consent-method-" {
        /// On the printed form, signed.
        Signed = "signed",
        /// Digitally (e.g. an e-service with e-identification).
        Digital = "digital",
        /// Orally, with a witness.
        Oral = "oral",
    }
}

/// Where a consent stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConsentStatus {
    /// Given, not expired, not withdrawn.
    Active,
    /// Past its expiry.
    Expired,
    /// Withdrawn by the candidate.
    Withdrawn,
}

impl ConsentStatus {
    /// The status of a consent with these dates on `today`.
    pub fn on(expires_on: NaiveDate, withdrawn_on: Option<NaiveDate>, today: NaiveDate) -> Self {
        if withdrawn_on.is_some() {
            Self::Withdrawn
        } else if today >= expires_on {
            Self::Expired
        } else {
            Self::Active
        }
    }

    /// The i18n key of its name.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Active => "consent-status-active",
            Self::Expired => "consent-status-expired",
            Self::Withdrawn => "consent-status-withdrawn",
        }
    }
}

/// The day a consent given on `given_on` for `months` expires (the first day it no
/// longer holds). The end of a short month is kept: 31 January + 1 month is 28/29 February.
pub fn expiry(given_on: NaiveDate, months: u32) -> NaiveDate {
    given_on
        .checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("a test date")
    }

    #[test]
    fn a_consent_is_active_from_given_until_the_day_it_expires() {
        let expires = expiry(d("2026-01-31"), 12);
        assert_eq!(expires, d("2027-01-31"));
        assert_eq!(
            ConsentStatus::on(expires, None, d("2027-01-30")),
            ConsentStatus::Active
        );
        assert_eq!(
            ConsentStatus::on(expires, None, d("2027-01-31")),
            ConsentStatus::Expired
        );
        assert_eq!(
            ConsentStatus::on(expires, Some(d("2026-03-01")), d("2026-03-02")),
            ConsentStatus::Withdrawn
        );
        assert_eq!(expiry(d("2026-01-31"), 1), d("2026-02-28"));
    }
}
