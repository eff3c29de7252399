//! Validated values about firms and contacts with them, parsed once at the edge.

use serde::{Deserialize, Serialize};

/// A Swedish organisation number: ten digits whose last is a Luhn check digit.
/// Typed as `NNNNNN-NNNN` or `NNNNNNNNNN` (spaces ignored); stored as ten digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OrgNumber(String);

impl OrgNumber {
    /// Reads an organisation number; `Err` holds the i18n key of the problem.
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.is_empty() {
            return Err("field-required");
        }
        // One dash, and only where the written form has it.
        let digits = match compact.split_once('-') {
            Some((head, tail)) if head.len() == 6 && tail.len() == 4 => format!("{head}{tail}"),
            Some(_) => return Err("field-orgnr-format"),
            None => compact,
        };
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err("field-orgnr-format");
        }
        if digits.len() != 10 {
            return Err("field-orgnr-length");
        }
        if !luhn_valid(&digits) {
            return Err("field-orgnr-check");
        }
        Ok(Self(digits))
    }

    /// Ten digits, as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// As people write it: `NNNNNN-NNNN`.
    pub fn display(&self) -> String {
        format_org_number(&self.0)
    }
}

/// `NNNNNN-NNNN` for ten stored digits (anything else is shown as it is).
pub fn format_org_number(digits: &str) -> String {
    if digits.len() == 10 && digits.is_ascii() {
        format!("{}-{}", &digits[..6], &digits[6..])
    } else {
        digits.to_owned()
    }
}

/// The Luhn (modulus 10) check over all digits, the last being the check digit.
pub fn luhn_valid(digits: &str) -> bool {
    let mut sum = 0;
    for (i, c) in digits.chars().rev().enumerate() {
        let Some(d) = c.to_digit(10) else {
            return false;
        };
        let d = if i % 2 == 1 { d * 2 } else { d };
        sum += if d > 9 { d - 9 } else { d };
    }
    sum % 10 == 0
}

/// The Luhn check digit that completes `digits` (organisation numbers,
/// personnummer): the one digit `d` for which `luhn_valid(digits + d)` holds.
pub fn luhn_check_digit(digits: &str) -> u32 {
    (0..10)
        .find(|d| luhn_valid(&format!("{digits}{d}")))
        .unwrap_or(0)
}

/// Size class by number of employees (the EU's SME definition by headcount).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SizeClass {
    /// Fewer than 10.
    Micro,
    /// Fewer than 50.
    Small,
    /// Fewer than 250.
    Medium,
    /// 250 or more: allowed, but the model is made for smaller firms.
    Large,
}

impl SizeClass {
    /// The class of a firm with `employees`.
    pub fn of(employees: i32) -> Self {
        match employees {
            ..10 => Self::Micro,
            10..50 => Self::Small,
            50..250 => Self::Medium,
            _ => Self::Large,
        }
    }

    /// Its i18n key.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Micro => "size-micro",
            Self::Small => "size-small",
            Self::Medium => "size-medium",
            Self::Large => "size-large",
        }
    }
}

/// Reads an employee count: a whole number from 0 to 1,000,000.
pub fn parse_employees(input: &str) -> Result<i32, &'static str> {
    let s = input.trim();
    if s.is_empty() {
        return Err("field-required");
    }
    match s.parse::<i32>() {
        Ok(n) if (0..=1_000_000).contains(&n) => Ok(n),
        Ok(_) => Err("field-number-range"),
        Err(_) => Err("field-number-invalid"),
    }
}

/// The sections of the Swedish Standard Industrial Classification (SNI 2007).
pub const SNI_SECTIONS: [&str; 21] = [
    "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S",
    "T", "U",
];

/// Reads an SNI 2007 section letter.
pub fn parse_sni(input: &str) -> Result<String, &'static str> {
    let s = input.trim().to_uppercase();
    if s.is_empty() {
        return Err("field-required");
    }
    if SNI_SECTIONS.contains(&s.as_str()) {
        Ok(s)
    } else {
        Err("field-choice-invalid")
    }
}

/// The i18n key of an SNI section's name.
pub fn sni_label_key(section: &str) -> String {
    format!("sni-{section}")
}

/// How a firm was contacted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Channel {
    /// A visit at the firm.
    Visit,
    /// A telephone call.
    Phone,
    /// An e-mail.
    Email,
    /// An event (a business breakfast, a fair).
    Event,
}

impl Channel {
    /// Every channel, in the order forms list them.
    pub const ALL: [Self; 4] = [Self::Visit, Self::Phone, Self::Email, Self::Event];

    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Visit => "visit",
            Self::Phone => "phone",
            Self::Email => "email",
            Self::Event => "event",
        }
    }

    /// From the stored form.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Its i18n key.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Visit => "channel-visit",
            Self::Phone => "channel-phone",
            Self::Email => "channel-email",
            Self::Event => "channel-event",
        }
    }
}

/// What a contact came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ContactOutcome {
    /// Nobody answered.
    NoAnswer,
    /// Not now; maybe later.
    NotNow,
    /// Interested in the model.
    Interested,
    /// The firm has recruitment needs (a reported goal counts these).
    HasNeeds,
    /// The firm joined a ring.
    JoinedRing,
    /// The firm said no.
    Declined,
}

impl ContactOutcome {
    /// Every outcome, in the order forms list them.
    pub const ALL: [Self; 6] = [
        Self::NoAnswer,
        Self::NotNow,
        Self::Interested,
        Self::HasNeeds,
        Self::JoinedRing,
        Self::Declined,
    ];

    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NoAnswer => "no_answer",
            Self::NotNow => "not_now",
            Self::Interested => "interested",
            Self::HasNeeds => "has_needs",
            Self::JoinedRing => "joined_ring",
            Self::Declined => "declined",
        }
    }

    /// From the stored form.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Its i18n key.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::NoAnswer => "outcome-no-answer",
            Self::NotNow => "outcome-not-now",
            Self::Interested => "outcome-interested",
            Self::HasNeeds => "outcome-has-needs",
            Self::JoinedRing => "outcome-joined-ring",
            Self::Declined => "outcome-declined",
        }
    }
}

/// Reads a date typed as `YYYY-MM-DD` (what `<input type="date">` sends).
pub fn parse_date(input: &str) -> Result<chrono::NaiveDate, &'static str> {
    let s = input.trim();
    if s.is_empty() {
        return Err("field-required");
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| "field-date-invalid")
}

/// Reads a required one-line text of at most `max` characters, trimmed.
pub fn parse_text(input: &str, max: usize) -> Result<String, &'static str> {
    let s = input.trim();
    if s.is_empty() {
        Err("field-required")
    } else {
        parse_optional_text(s, max)
    }
}

/// Reads an optional text of at most `max` characters, trimmed; control characters
/// other than line breaks and tabs are refused rather than silently dropped.
pub fn parse_optional_text(input: &str, max: usize) -> Result<String, &'static str> {
    let s = input.trim();
    if s.chars().count() > max {
        return Err("field-too-long");
    }
    if s.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err("field-control-chars");
    }
    Ok(s.to_owned())
}

/// A telephone number: digits, spaces, `+`, `-`, parentheses; 6 to 20 digits.
pub fn parse_phone(input: &str) -> Result<String, &'static str> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(String::new());
    }
    let digits = s.chars().filter(char::is_ascii_digit).count();
    let allowed = s.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c));
    if !allowed || !(6..=20).contains(&digits) || s.chars().count() > 30 {
        return Err("field-phone-invalid");
    }
    Ok(s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_org_number_is_accepted_with_or_without_the_dash() {
        let with_dash = OrgNumber::parse("556036-0793").expect("valid");
        assert_eq!(with_dash.as_str(), "5560360793");
        assert_eq!(with_dash.display(), "556036-0793");
        assert_eq!(OrgNumber::parse("5560360793"), Ok(with_dash.clone()));
        assert_eq!(OrgNumber::parse("  556036-0793 "), Ok(with_dash.clone()));
        assert_eq!(OrgNumber::parse("556036 0793"), Ok(with_dash));
        assert!(OrgNumber::parse("212000-0142").is_ok(), "a public body");
    }

    #[test]
    fn a_bad_check_digit_is_refused() {
        assert_eq!(OrgNumber::parse("556036-0794"), Err("field-orgnr-check"));
        assert_eq!(OrgNumber::parse("5560360790"), Err("field-orgnr-check"));
    }

    #[test]
    fn a_wrong_length_is_refused() {
        assert_eq!(OrgNumber::parse("55603607"), Err("field-orgnr-length"));
        assert_eq!(OrgNumber::parse("55603607931"), Err("field-orgnr-length"));
        assert_eq!(OrgNumber::parse("55603-60793"), Err("field-orgnr-format"));
        assert_eq!(OrgNumber::parse("556036-07930"), Err("field-orgnr-format"));
    }

    #[test]
    fn letters_and_other_signs_are_refused() {
        assert_eq!(OrgNumber::parse("55603A-0793"), Err("field-orgnr-format"));
        assert_eq!(OrgNumber::parse("556036+0793"), Err("field-orgnr-format"));
        assert_eq!(OrgNumber::parse("556036--793"), Err("field-orgnr-format"));
        assert_eq!(
            OrgNumber::parse("５５６０３６０７９３"),
            Err("field-orgnr-format")
        );
    }

    #[test]
    fn spaces_only_is_a_missing_value() {
        assert_eq!(OrgNumber::parse("   "), Err("field-required"));
    }

    #[test]
    fn size_classes_follow_the_headcount_limits() {
        assert_eq!(SizeClass::of(0), SizeClass::Micro);
        assert_eq!(SizeClass::of(9), SizeClass::Micro);
        assert_eq!(SizeClass::of(10), SizeClass::Small);
        assert_eq!(SizeClass::of(49), SizeClass::Small);
        assert_eq!(SizeClass::of(50), SizeClass::Medium);
        assert_eq!(SizeClass::of(249), SizeClass::Medium);
        assert_eq!(SizeClass::of(250), SizeClass::Large);
    }

    #[test]
    fn employee_counts_must_be_whole_numbers_in_range() {
        assert_eq!(parse_employees(" 12 "), Ok(12));
        assert_eq!(parse_employees("-1"), Err("field-number-range"));
        assert_eq!(parse_employees("12.5"), Err("field-number-invalid"));
        assert_eq!(parse_employees("tolv"), Err("field-number-invalid"));
        assert_eq!(parse_employees(""), Err("field-required"));
    }

    #[test]
    fn sni_sections_are_letters_a_to_u() {
        assert_eq!(parse_sni("q"), Ok("Q".to_owned()));
        assert_eq!(parse_sni("V"), Err("field-choice-invalid"));
        assert_eq!(parse_sni("AB"), Err("field-choice-invalid"));
    }

    #[test]
    fn text_fields_are_trimmed_and_bounded() {
        assert_eq!(parse_text("  Ekholms Bygg ", 10), Err("field-too-long"));
        assert_eq!(parse_text("  Ekholm ", 10), Ok("Ekholm".to_owned()));
        assert_eq!(parse_text("   ", 10), Err("field-required"));
        assert_eq!(
            parse_optional_text("a\u{0}b", 10),
            Err("field-control-chars")
        );
        assert_eq!(parse_optional_text("a\nb", 10), Ok("a\nb".to_owned()));
    }

    #[test]
    fn dates_are_read_in_iso_form() {
        assert!(parse_date("2026-02-28").is_ok());
        assert_eq!(parse_date("2026-02-30"), Err("field-date-invalid"));
        assert_eq!(parse_date("28/2/2026"), Err("field-date-invalid"));
    }
}
