//! Values with rules in a recruitment need, parsed once at the edge.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{
    error::{AppError, FieldErrors},
    field,
    firms::model::{parse_date, parse_optional_text, parse_text},
};

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

    /// The classes of its status tag (style/main.css gives each status its colour).
    pub fn tag_class(self) -> &'static str {
        match self {
            Self::Draft => "tag tag--draft",
            Self::Open => "tag tag--open",
            Self::Filled => "tag tag--filled",
            Self::Closed => "tag tag--closed",
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

/// A needs board's filters as text, as in its query string and its filter form (empty:
/// any): as asked for, which the server checks (`service::BoardFilter::parse`), or as
/// applied (`NeedBoard::chosen`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardFilters {
    /// An SSYK group code at any level.
    pub occupation: String,
    /// An employment form.
    pub form: String,
    /// A status.
    pub status: String,
    /// A firm's id.
    pub firm: String,
    /// `start` (by start date) or `newest` (the default).
    pub sort: String,
}

/// The need form as posted, with and without JavaScript: every field as typed. The
/// server functions take it whole (`#[server(flatten)]`, so the form's names are the
/// fields' names), and pages and errors name its fields with [`crate::field!`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedForm {
    /// An SSYK code or words naming the occupation.
    pub occupation: String,
    /// The title.
    pub title: String,
    /// The description.
    pub description: String,
    /// How many people.
    pub positions: String,
    /// Skills required.
    pub required_skills: String,
    /// Skills that count in one's favour.
    pub merit_skills: String,
    /// The lowest Swedish, or empty.
    pub swedish_level: String,
    /// Other languages.
    pub other_languages: String,
    /// A licence class, or empty.
    pub driving_licence: String,
    /// `YYYY-MM-DD`.
    pub start_date: String,
    /// An employment form.
    pub employment_form: String,
    /// Present (any value) when an internship can come first: a checkbox.
    pub internship_first: Option<String>,
    /// A suggested short training.
    pub suggested_training: String,
}

/// The need form, checked: what a need row is written from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedInput {
    /// The SSYK unit group the occupation resolved to.
    pub occupation: String,
    /// The title.
    pub title: String,
    /// The description.
    pub description: String,
    /// How many people.
    pub positions: i32,
    /// Skills required.
    pub required_skills: String,
    /// Skills that count in one's favour.
    pub merit_skills: String,
    /// The lowest Swedish level, or empty.
    pub swedish_level: String,
    /// Other languages.
    pub other_languages: String,
    /// A licence class, or empty.
    pub driving_licence: String,
    /// The first day of work.
    pub start_date: NaiveDate,
    /// The employment form.
    pub employment_form: EmploymentForm,
    /// Whether an internship can come first.
    pub internship_first: bool,
    /// A suggested short training.
    pub suggested_training: String,
}

impl NeedForm {
    /// Checks every field. `occupation` is what the occupation field resolved to in
    /// the classification (the caller looks it up); `earliest` is the first allowed
    /// start date (today when posting), and `unchanged_start` a stored date that may
    /// stay as it is when editing.
    pub fn parse(
        &self,
        occupation: Result<String, &'static str>,
        earliest: NaiveDate,
        unchanged_start: Option<NaiveDate>,
    ) -> Result<NeedInput, AppError> {
        let mut errors = FieldErrors::new();
        let mut take = |field: &str, r: Result<String, &'static str>| {
            r.map_err(|k| errors.add(field, k)).unwrap_or_default()
        };
        let title = take(field!(NeedForm, title), parse_text(&self.title, 120));
        let description = take(
            field!(NeedForm, description),
            parse_optional_text(&self.description, 4000),
        );
        let required_skills = take(
            field!(NeedForm, required_skills),
            parse_optional_text(&self.required_skills, 1000),
        );
        let merit_skills = take(
            field!(NeedForm, merit_skills),
            parse_optional_text(&self.merit_skills, 1000),
        );
        let other_languages = take(
            field!(NeedForm, other_languages),
            parse_optional_text(&self.other_languages, 300),
        );
        let suggested_training = take(
            field!(NeedForm, suggested_training),
            parse_optional_text(&self.suggested_training, 300),
        );
        let swedish_level = match self.swedish_level.trim() {
            "" => String::new(),
            s => take(
                field!(NeedForm, swedish_level),
                SwedishLevel::parse(s)
                    .map(|l| l.as_str().to_owned())
                    .ok_or("field-choice-invalid"),
            ),
        };
        let driving_licence = match self.driving_licence.trim().to_uppercase().as_str() {
            "" => String::new(),
            s if LICENCES.contains(&s) => s.to_owned(),
            _ => take(
                field!(NeedForm, driving_licence),
                Err("field-choice-invalid"),
            ),
        };
        let occupation = occupation
            .map_err(|k| errors.add(field!(NeedForm, occupation), k))
            .ok();
        let positions = parse_positions(&self.positions)
            .map_err(|k| errors.add(field!(NeedForm, positions), k))
            .ok();
        let start = field!(NeedForm, start_date);
        let start_date = match parse_date(&self.start_date) {
            Ok(d) if d < earliest && Some(d) != unchanged_start => {
                errors.add(start, "field-date-past");
                None
            }
            Ok(d) if d > earliest + chrono::Duration::days(3 * 366) => {
                errors.add(start, "field-date-far");
                None
            }
            Ok(d) => Some(d),
            Err(k) => {
                errors.add(start, k);
                None
            }
        };
        let employment_form = EmploymentForm::parse(&self.employment_form).or_else(|| {
            errors.add(
                field!(NeedForm, employment_form),
                if self.employment_form.trim().is_empty() {
                    "field-choice-required"
                } else {
                    "field-choice-invalid"
                },
            );
            None
        });
        match (occupation, positions, start_date, employment_form) {
            (Some(occupation), Some(positions), Some(start_date), Some(employment_form))
                if errors.is_empty() =>
            {
                Ok(NeedInput {
                    occupation,
                    title,
                    description,
                    positions,
                    required_skills,
                    merit_skills,
                    swedish_level,
                    other_languages,
                    driving_licence,
                    start_date,
                    employment_form,
                    internship_first: self.internship_first.is_some(),
                    suggested_training,
                })
            }
            _ => Err(AppError::Validation(errors)),
        }
    }
}
