//! Values with rules in a recruitment need, parsed once at the edge.

use serde::{Deserialize, Serialize};

/// A four-digit SSYK 2012 unit group code as typed (that it exists is checked against
/// the shipped classification in the database).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SsykCode(String);

impl SsykCode {
    /// Reads a code of 1–4 digits (a group at any level); `Err` is an i18n key.
    pub fn parse_group(input: &str) -> Result<Self, &'static str> {
        let s = input.trim();
        if s.is_empty() {
            return Err("field-required");
        }
        if s.len() > 4 || !s.chars().all(|c| c.is_ascii_digit()) {
            return Err("field-ssyk-format");
        }
        Ok(Self(s.to_owned()))
    }

    /// The leading four digits of `input` ("5321 Undersköterskor…" → 5321), if any.
    pub fn leading_unit(input: &str) -> Option<Self> {
        let s = input.trim();
        let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
        let rest = &s[digits.len()..];
        (digits.len() == 4 && (rest.is_empty() || rest.starts_with([' ', '–', '-', ','])))
            .then_some(Self(digits))
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The lowest Swedish a need asks for: a CEFR level or an SFI course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SwedishLevel {
    /// SFI course A (beginners).
    SfiA,
    /// SFI course B.
    SfiB,
    /// SFI course C.
    SfiC,
    /// SFI course D.
    SfiD,
    /// CEFR A1.
    A1,
    /// CEFR A2.
    A2,
    /// CEFR B1.
    B1,
    /// CEFR B2.
    B2,
    /// CEFR C1.
    C1,
    /// CEFR C2.
    C2,
}

impl SwedishLevel {
    /// Every level, in the order forms list them.
    pub const ALL: [Self; 10] = [
        Self::SfiA,
        Self::SfiB,
        Self::SfiC,
        Self::SfiD,
        Self::A1,
        Self::A2,
        Self::B1,
        Self::B2,
        Self::C1,
        Self::C2,
    ];

    /// As stored and shown: "SFI-A" … "SFI-D", "A1" … "C2".
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SfiA => "SFI-A",
            Self::SfiB => "SFI-B",
            Self::SfiC => "SFI-C",
            Self::SfiD => "SFI-D",
            Self::A1 => "A1",
            Self::A2 => "A2",
            Self::B1 => "B1",
            Self::B2 => "B2",
            Self::C1 => "C1",
            Self::C2 => "C2",
        }
    }

    /// From the stored form (any case).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim().to_uppercase();
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

/// A driving licence class a need asks for.
pub const LICENCES: [&str; 6] = ["B", "BE", "C", "CE", "D", "T"];

/// How the job is offered (the Swedish forms of subsidised and ordinary employment).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EmploymentForm {
    /// Praktik: an internship.
    Internship,
    /// Introduktionsjobb.
    IntroductionJob,
    /// Nystartsjobb.
    NewStartJob,
    /// Visstidsanställning.
    FixedTerm,
    /// Tillsvidareanställning.
    Permanent,
}

impl EmploymentForm {
    /// Every form, in the order forms list them.
    pub const ALL: [Self; 5] = [
        Self::Internship,
        Self::IntroductionJob,
        Self::NewStartJob,
        Self::FixedTerm,
        Self::Permanent,
    ];

    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Internship => "internship",
            Self::IntroductionJob => "introduction",
            Self::NewStartJob => "new_start",
            Self::FixedTerm => "fixed_term",
            Self::Permanent => "permanent",
        }
    }

    /// From the stored form.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s.trim())
    }

    /// Its i18n key.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Internship => "form-internship",
            Self::IntroductionJob => "form-introduction",
            Self::NewStartJob => "form-new-start",
            Self::FixedTerm => "form-fixed-term",
            Self::Permanent => "form-permanent",
        }
    }
}

/// Where a need stands: draft → open → filled | closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NeedStatus {
    /// Being written; only the firm and staff see it.
    Draft,
    /// On the ring's table.
    Open,
    /// Someone was recruited.
    Filled,
    /// Withdrawn without a recruitment.
    Closed,
}

impl NeedStatus {
    /// Every status.
    pub const ALL: [Self; 4] = [Self::Draft, Self::Open, Self::Filled, Self::Closed];

    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Open => "open",
            Self::Filled => "filled",
            Self::Closed => "closed",
        }
    }

    /// From the stored form.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s.trim())
    }

    /// Its i18n key.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Draft => "need-status-draft",
            Self::Open => "need-status-open",
            Self::Filled => "need-status-filled",
            Self::Closed => "need-status-closed",
        }
    }

    /// The statuses a need can move to from this one. A filled or closed need can be
    /// opened again (the history keeps both steps).
    pub fn next(self) -> &'static [NeedStatus] {
        match self {
            Self::Draft => &[Self::Open, Self::Closed],
            Self::Open => &[Self::Filled, Self::Closed],
            Self::Filled | Self::Closed => &[Self::Open],
        }
    }
}

/// Reads a number of positions: a whole number from 1 to 100.
pub fn parse_positions(input: &str) -> Result<i32, &'static str> {
    let s = input.trim();
    if s.is_empty() {
        return Err("field-required");
    }
    match s.parse::<i32>() {
        Ok(n) if (1..=100).contains(&n) => Ok(n),
        Ok(_) => Err("field-positions-range"),
        Err(_) => Err("field-number-invalid"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unit_code_is_read_from_the_start_of_a_picked_option() {
        assert_eq!(
            SsykCode::leading_unit("5321").map(|c| c.0),
            Some("5321".into())
        );
        assert_eq!(
            SsykCode::leading_unit("5321 – Undersköterskor").map(|c| c.0),
            Some("5321".into())
        );
        assert_eq!(SsykCode::leading_unit("532"), None);
        assert_eq!(SsykCode::leading_unit("53211"), None);
        assert_eq!(SsykCode::leading_unit("Kockar"), None);
    }

    #[test]
    fn group_codes_are_one_to_four_digits() {
        assert!(SsykCode::parse_group("5").is_ok());
        assert!(SsykCode::parse_group("5321").is_ok());
        assert_eq!(SsykCode::parse_group("53a"), Err("field-ssyk-format"));
        assert_eq!(SsykCode::parse_group("53210"), Err("field-ssyk-format"));
    }

    #[test]
    fn swedish_levels_are_cefr_or_sfi() {
        assert_eq!(SwedishLevel::parse("b1"), Some(SwedishLevel::B1));
        assert_eq!(SwedishLevel::parse("SFI-D"), Some(SwedishLevel::SfiD));
        assert_eq!(SwedishLevel::parse("B3"), None);
        assert!(
            SwedishLevel::SfiD < SwedishLevel::A1,
            "SFI courses come first"
        );
    }

    #[test]
    fn a_need_moves_draft_open_then_filled_or_closed() {
        assert_eq!(
            NeedStatus::Draft.next(),
            &[NeedStatus::Open, NeedStatus::Closed]
        );
        assert!(NeedStatus::Open.next().contains(&NeedStatus::Filled));
        assert!(!NeedStatus::Draft.next().contains(&NeedStatus::Filled));
        assert_eq!(NeedStatus::Filled.next(), &[NeedStatus::Open]);
    }

    #[test]
    fn positions_are_one_to_a_hundred() {
        assert_eq!(parse_positions("3"), Ok(3));
        assert_eq!(parse_positions("0"), Err("field-positions-range"));
        assert_eq!(parse_positions("101"), Err("field-positions-range"));
        assert_eq!(parse_positions("två"), Err("field-number-invalid"));
    }
}
