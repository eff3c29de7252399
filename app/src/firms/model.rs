//! Validated values about firms and contacts with them, parsed once at the edge.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{
    auth::model::Email,
    error::{AppError, FieldErrors},
    field,
};

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

    /// Its i18n key without the range, for beside the exact count
    /// ("Litet företag (18 anställda)").
    pub fn short_key(self) -> &'static str {
        match self {
            Self::Micro => "size-micro-short",
            Self::Small => "size-small-short",
            Self::Medium => "size-medium-short",
            Self::Large => "size-large-short",
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
        return Err("field-choice-required");
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

/// The firm form as posted (`firms/create`, `firms/update`, flattened): every field as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirmForm {
    /// The firm's name.
    pub name: String,
    /// The organisation number as typed.
    pub org_number: String,
    /// How many employees.
    pub employees: String,
    /// The SNI section (industry).
    pub sni_section: String,
    /// The postal address.
    pub address: String,
    /// A municipality's id, or empty.
    pub municipality_id: String,
    /// The contact person.
    pub contact_name: String,
    /// Their e-mail, or empty.
    pub contact_email: String,
    /// Their phone, or empty.
    pub contact_phone: String,
}

/// The contact form as posted (`firms/outreach`, flattened).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutreachForm {
    /// The day of the contact, `YYYY-MM-DD`.
    pub contacted_on: String,
    /// How: a channel.
    pub channel: String,
    /// What came of it.
    pub outcome: String,
    /// A note.
    pub note: String,
    /// The next step, or empty.
    pub next_step: String,
    /// When the next step is due, or empty.
    pub next_step_on: String,
}

/// A firm's details, checked.
#[derive(Debug, Clone)]
pub struct FirmInput {
    pub name: String,
    pub org_number: OrgNumber,
    pub employees: i32,
    pub sni_section: String,
    pub address: String,
    pub municipality_id: Option<i32>,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
}

impl FirmForm {
    /// Checks every field of the firm form; all problems are reported at once.
    pub fn parse(&self) -> Result<FirmInput, AppError> {
        let FirmForm {
            name,
            org_number,
            employees,
            sni_section,
            address,
            municipality_id,
            contact_name,
            contact_email,
            contact_phone,
        } = self;
        let mut errors = FieldErrors::new();
        let mut take = |field: &str, r: Result<String, &'static str>| {
            r.map_err(|k| errors.add(field, k)).unwrap_or_default()
        };
        let name = take(field!(FirmForm, name), parse_text(name, 160));
        let address = take(field!(FirmForm, address), parse_optional_text(address, 300));
        let sni = take(field!(FirmForm, sni_section), parse_sni(sni_section));
        let contact_name = take(
            field!(FirmForm, contact_name),
            parse_optional_text(contact_name, 120),
        );
        let contact_phone = take(field!(FirmForm, contact_phone), parse_phone(contact_phone));
        let contact_email = if contact_email.trim().is_empty() {
            String::new()
        } else {
            take(
                field!(FirmForm, contact_email),
                Email::parse(contact_email).map(|e| e.as_str().to_owned()),
            )
        };
        let org = OrgNumber::parse(org_number)
            .map_err(|k| errors.add(field!(FirmForm, org_number), k))
            .ok();
        let employees = parse_employees(employees)
            .map_err(|k| errors.add(field!(FirmForm, employees), k))
            .unwrap_or(0);
        let municipality_id = match municipality_id.trim() {
            "" => None,
            s => match s.parse::<i32>() {
                Ok(id) => Some(id),
                Err(_) => {
                    errors.add(field!(FirmForm, municipality_id), "field-choice-invalid");
                    None
                }
            },
        };
        match org {
            Some(org_number) if errors.is_empty() => Ok(FirmInput {
                name,
                org_number,
                employees,
                sni_section: sni,
                address,
                municipality_id,
                contact_name,
                contact_email,
                contact_phone,
            }),
            _ => Err(AppError::Validation(errors)),
        }
    }
}

/// A contact, checked.
#[derive(Debug, Clone)]
pub struct OutreachInput {
    pub contacted_on: NaiveDate,
    pub channel: Channel,
    pub outcome: ContactOutcome,
    pub note: String,
    pub next_step: String,
    pub next_step_on: Option<NaiveDate>,
}

impl OutreachForm {
    /// Checks the contact form: the day is not in the future, a next step with a
    /// date has a text, and the date of the next step is not before the contact.
    pub fn parse(&self, today: NaiveDate) -> Result<OutreachInput, AppError> {
        let OutreachForm {
            contacted_on,
            channel,
            outcome,
            note,
            next_step,
            next_step_on,
        } = self;
        let mut errors = FieldErrors::new();
        let contacted_on = match parse_date(contacted_on) {
            Ok(d) if d > today => {
                errors.add(field!(OutreachForm, contacted_on), "field-date-future");
                None
            }
            Ok(d) => Some(d),
            Err(k) => {
                errors.add(field!(OutreachForm, contacted_on), k);
                None
            }
        };
        let channel = Channel::parse(channel.trim()).or_else(|| {
            errors.add(field!(OutreachForm, channel), "field-choice-invalid");
            None
        });
        let outcome = ContactOutcome::parse(outcome.trim()).or_else(|| {
            errors.add(field!(OutreachForm, outcome), "field-choice-invalid");
            None
        });
        let note = parse_optional_text(note, 4000)
            .map_err(|k| errors.add(field!(OutreachForm, note), k))
            .unwrap_or_default();
        let next_step = parse_optional_text(next_step, 300)
            .map_err(|k| errors.add(field!(OutreachForm, next_step), k))
            .unwrap_or_default();
        let next_step_on = if next_step_on.trim().is_empty() {
            None
        } else {
            match parse_date(next_step_on) {
                Ok(d) if contacted_on.is_some_and(|c| d < c) => {
                    errors.add(
                        field!(OutreachForm, next_step_on),
                        "field-date-before-contact",
                    );
                    None
                }
                Ok(d) => Some(d),
                Err(k) => {
                    errors.add(field!(OutreachForm, next_step_on), k);
                    None
                }
            }
        };
        if next_step_on.is_some() && next_step.is_empty() {
            errors.add(field!(OutreachForm, next_step), "field-next-step-missing");
        }
        match (contacted_on, channel, outcome) {
            (Some(contacted_on), Some(channel), Some(outcome)) if errors.is_empty() => {
                Ok(OutreachInput {
                    contacted_on,
                    channel,
                    outcome,
                    note,
                    next_step,
                    next_step_on,
                })
            }
            _ => Err(AppError::Validation(errors)),
        }
    }
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
        // A drop-down left at "Välj" asks for a choice, not for typing.
        assert_eq!(parse_sni(" "), Err("field-choice-required"));
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

    fn firm(org: &str, employees: &str, email: &str) -> Result<FirmInput, AppError> {
        FirmForm {
            name: "Ekholms Bygg AB".into(),
            org_number: org.into(),
            employees: employees.into(),
            sni_section: "F".into(),
            address: "Storgatan 1, Ekdala".into(),
            municipality_id: String::new(),
            contact_name: "Per Ekholm".into(),
            contact_email: email.into(),
            contact_phone: "013-12 34 56".into(),
        }
        .parse()
    }

    fn contact(
        contacted_on: &str,
        channel: &str,
        outcome: &str,
        next_step: &str,
        next_step_on: &str,
    ) -> Result<OutreachInput, AppError> {
        OutreachForm {
            contacted_on: contacted_on.into(),
            channel: channel.into(),
            outcome: outcome.into(),
            note: String::new(),
            next_step: next_step.into(),
            next_step_on: next_step_on.into(),
        }
        .parse(NaiveDate::from_ymd_opt(2026, 12, 4).expect("a date"))
    }

    #[test]
    fn a_firm_form_reports_every_bad_field_at_once() {
        let err = FirmForm {
            name: String::new(),
            org_number: "123".into(),
            employees: "many".into(),
            sni_section: "Z".into(),
            address: String::new(),
            municipality_id: "x".into(),
            contact_name: String::new(),
            contact_email: "nope".into(),
            contact_phone: "abc".into(),
        }
        .parse()
        .expect_err("invalid");
        let fields = err.field_errors().expect("field errors");
        for (field, key) in [
            ("name", "field-required"),
            ("org_number", "field-orgnr-length"),
            ("employees", "field-number-invalid"),
            ("sni_section", "field-choice-invalid"),
            ("municipality_id", "field-choice-invalid"),
            ("contact_email", "field-email-invalid"),
            ("contact_phone", "field-phone-invalid"),
        ] {
            assert_eq!(fields.get(field), Some(key), "{field}");
        }
    }

    #[test]
    fn a_good_firm_form_is_normalised() {
        let f = firm("556036-0793", "12", "Per@Ekholm.test").expect("valid");
        assert_eq!(f.org_number.as_str(), "5560360793");
        assert_eq!(f.contact_email, "per@ekholm.test");
        assert!(firm("556036-0793", "12", "").is_ok(), "e-mail is optional");
    }

    #[test]
    fn a_contact_cannot_be_in_the_future_nor_its_next_step_before_it() {
        let err = contact("2026-12-05", "phone", "interested", "", "").expect_err("future");
        assert_eq!(
            err.field_errors().and_then(|e| e.get("contacted_on")),
            Some("field-date-future")
        );
        let err =
            contact("2026-03-10", "visit", "has_needs", "Ring", "2026-03-01").expect_err("before");
        assert_eq!(
            err.field_errors().and_then(|e| e.get("next_step_on")),
            Some("field-date-before-contact")
        );
        let err = contact("2026-03-10", "fax", "maybe", "", "2026-03-20").expect_err("bad choices");
        let fields = err.field_errors().expect("fields");
        assert_eq!(fields.get("channel"), Some("field-choice-invalid"));
        assert_eq!(fields.get("outcome"), Some("field-choice-invalid"));
        assert_eq!(fields.get("next_step"), Some("field-next-step-missing"));
        assert!(contact("2026-03-10", "event", "not_now", "", "").is_ok());
    }
}
