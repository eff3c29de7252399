//! The anonymised profile and its generalisation ladders, shared by both sides.
//!
//! [`AnonymisedProfile`] is the only shape in which anything about a candidate
//! reaches an employer. It has no field that could hold a name, personnummer,
//! contact, exact date, birthplace, nationality, country of origin, gender, health,
//! family or photo: what it cannot hold, no page or e-mail built from it can leak.
//!
//! Every other field it has is a quasi-identifier, and each belongs to a [`Field`]
//! with a ladder of generalisations that ends in "not shown" (statistical disclosure
//! control's generalisation and suppression, as in ARX or sdcMicro). A [`Levels`]
//! value says how far up its ladder each field is shown; the guard (`guard.rs`)
//! chooses one that at least k candidates of the installation share, and the
//! coordinator may raise any field further, never lower it. The headline and the
//! summary are the coordinator's own words, checked by the scanner instead.

use serde::{Deserialize, Serialize};

use crate::candidates::model::Criterion;
use crate::i18n::Locale;

/// The k of the guard when the installation sets none.
pub const DEFAULT_K: usize = 3;

/// A quasi-identifying part of the profile, with its ladder of generalisations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Field {
    /// Age: 5-year band → 10-year band → the reports' bands → not shown.
    Age,
    /// Swedish: CEFR level → A/B/C → not shown.
    Swedish,
    /// Other languages: language and level → language and A/B/C → "other
    /// languages" → not shown.
    Languages,
    /// The highest education: level and field → level → level group → not shown.
    Education,
    /// Experience in the occupation groups the need (or the ring's open needs) asks
    /// for: SSYK 4 → 3 → 2 → 1 digits with the years band fine → coarse → none, then
    /// not shown.
    NeedExperience,
    /// The rest of the experience, on the same ladder.
    OtherExperience,
    /// Job-ready criteria: each of A–D → job-ready or not → not shown.
    Criteria,
    /// Driving licence: the classes → "has a licence" → not shown.
    Licence,
    /// Availability: month → quarter → now or later → not shown.
    Availability,
    /// Preferred occupations: SSYK 4 → 3 → 2 → 1 digits → not shown.
    Preferred,
}

/// How many fields there are.
pub const FIELDS: usize = 10;

impl Field {
    /// Every field, in the order the profile shows them.
    pub const ALL: [Field; FIELDS] = [
        Field::Age,
        Field::Swedish,
        Field::Languages,
        Field::Education,
        Field::NeedExperience,
        Field::OtherExperience,
        Field::Criteria,
        Field::Licence,
        Field::Availability,
        Field::Preferred,
    ];

    /// Its place in [`Levels`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// How many rungs its ladder has, "not shown" included.
    pub fn rungs(self) -> u8 {
        match self {
            Field::Age | Field::Languages | Field::Education | Field::Availability => 4,
            Field::Swedish | Field::Criteria | Field::Licence => 3,
            Field::NeedExperience | Field::OtherExperience => EXPERIENCE_RUNGS.len() as u8 + 1,
            Field::Preferred => 5,
        }
    }

    /// The rung that shows nothing.
    pub fn hidden(self) -> u8 {
        self.rungs() - 1
    }

    /// The key of the profile's JSON this field fills.
    pub fn profile_key(self) -> &'static str {
        match self {
            Field::Age => "age",
            Field::Swedish => "swedish",
            Field::Languages => "languages",
            Field::Education => "education",
            Field::NeedExperience | Field::OtherExperience => "experience",
            Field::Criteria => "criteria",
            Field::Licence => "licence",
            Field::Availability => "available",
            Field::Preferred => "preferred",
        }
    }

    /// The i18n key of its name; `release-rung-<field>-<n>` names its rungs.
    pub fn key(self) -> &'static str {
        match self {
            Field::Age => "age",
            Field::Swedish => "swedish",
            Field::Languages => "languages",
            Field::Education => "education",
            Field::NeedExperience => "need-experience",
            Field::OtherExperience => "other-experience",
            Field::Criteria => "criteria",
            Field::Licence => "licence",
            Field::Availability => "availability",
            Field::Preferred => "preferred",
        }
    }

    /// Reads [`Field::key`].
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.key() == s)
    }
}

/// The profile's keys that hold the coordinator's own text (scanned, not
/// generalised) or the release's code.
pub const FREE_TEXT: [&str; 3] = ["pseudonym", "headline", "summary"];

/// How much of the SSYK code experience shows (4–1 digits) and how finely its years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExperienceRung {
    /// Digits of the SSYK code shown.
    pub digits: usize,
    /// 0 fine band, 1 coarse band, 2 no years.
    pub years: u8,
}

/// The experience ladder before "not shown": the years band thins first (fine,
/// coarse, none), then the code (4, 3, 2, 1 digits), so the occupation, what a need
/// asks for, stays exact longest; each rung's equality follows from the one before.
pub const EXPERIENCE_RUNGS: [ExperienceRung; 6] = [
    ExperienceRung {
        digits: 4,
        years: 0,
    },
    ExperienceRung {
        digits: 4,
        years: 1,
    },
    ExperienceRung {
        digits: 4,
        years: 2,
    },
    ExperienceRung {
        digits: 3,
        years: 2,
    },
    ExperienceRung {
        digits: 2,
        years: 2,
    },
    ExperienceRung {
        digits: 1,
        years: 2,
    },
];

/// How far up its ladder each field is shown (0: exact; [`Field::hidden`]: not shown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Levels(pub [u8; FIELDS]);

impl Levels {
    /// Every field exact.
    pub const EXACT: Levels = Levels([0; FIELDS]);

    /// Every field hidden.
    pub fn hidden() -> Self {
        let mut l = [0; FIELDS];
        for f in Field::ALL {
            l[f.index()] = f.hidden();
        }
        Levels(l)
    }

    /// The rung of `f`.
    pub fn of(&self, f: Field) -> u8 {
        self.0[f.index()]
    }

    /// Sets the rung of `f` (kept on its ladder).
    pub fn set(&mut self, f: Field, rung: u8) {
        self.0[f.index()] = rung.min(f.hidden());
    }

    /// Whether every field is at least as general as in `other`.
    pub fn at_least(&self, other: &Levels) -> bool {
        self.0.iter().zip(other.0.iter()).all(|(a, b)| a >= b)
    }

    /// The field-by-field maximum: `self` raised to at least `floor`.
    pub fn max(&self, floor: &Levels) -> Levels {
        let mut l = self.0;
        for (a, b) in l.iter_mut().zip(floor.0.iter()) {
            *a = (*a).max(*b);
        }
        Levels(l)
    }

    /// How many fields are shown exactly.
    pub fn exact_fields(&self) -> usize {
        self.0.iter().filter(|r| **r == 0).count()
    }

    /// As posted and stored: rungs joined by dots ("0.1.0.3…").
    pub fn encode(&self) -> String {
        self.0
            .iter()
            .map(u8::to_string)
            .collect::<Vec<_>>()
            .join(".")
    }

    /// Reads [`Levels::encode`]; None unless every field has a rung on its ladder.
    pub fn decode(s: &str) -> Option<Self> {
        let parts: Vec<&str> = s.trim().split('.').collect();
        if parts.len() != FIELDS {
            return None;
        }
        let mut l = [0; FIELDS];
        for (f, p) in Field::ALL.into_iter().zip(parts) {
            let rung: u8 = p.parse().ok()?;
            if rung > f.hidden() {
                return None;
            }
            l[f.index()] = rung;
        }
        Some(Levels(l))
    }
}

/// An age band: `from`–`to`, "under `to`+1" when `from` is 0, `from`+ when open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AgeBand {
    /// The first age in the band.
    pub from: u8,
    /// The last age in the band (None: and older).
    pub to: Option<u8>,
}

impl AgeBand {
    /// The band of `age` on rung 0 (5 years), 1 (10 years) or 2 (the reports' bands
    /// 16–24, 25–54, 55–64). Each rung's bands nest in the next one's.
    pub fn of(age: i32, rung: u8) -> Self {
        let age = age.clamp(0, 120) as u8;
        if age >= 65 {
            return Self { from: 65, to: None };
        }
        let (from, to) = match rung {
            0 if age < 20 => (0, 19),
            0 => (age / 5 * 5, age / 5 * 5 + 4),
            1 => match age {
                0..=24 => (0, 24),
                _ => ((age - 5) / 10 * 10 + 5, (age - 5) / 10 * 10 + 14),
            },
            _ => match age {
                0..=24 => (0, 24),
                25..=54 => (25, 54),
                _ => (55, 64),
            },
        };
        Self { from, to: Some(to) }
    }

    /// "25–29 år", "under 25 år", "65 år och äldre".
    pub fn label(self, l: Locale) -> String {
        match (self.from, self.to) {
            (0, Some(to)) => l.t_args("profile-age-under", &[("age", (to + 1).to_string())]),
            (from, Some(to)) => l.t_args(
                "profile-age-band-range",
                &[("from", from.to_string()), ("to", to.to_string())],
            ),
            (from, None) => l.t_args("profile-age-over", &[("age", from.to_string())]),
        }
    }
}

/// Years of experience as a band, never the exact figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum YearsBand {
    /// Under a year.
    UnderOne,
    /// 1–2 years.
    OneToTwo,
    /// 3–5 years.
    ThreeToFive,
    /// 6–10 years.
    SixToTen,
    /// More than 10 years.
    OverTen,
    /// Coarse: under 3 years.
    UnderThree,
    /// Coarse: 3–10 years.
    ThreeToTen,
    /// Coarse: more than 10 years.
    OverTenCoarse,
}

impl YearsBand {
    /// The fine band of `years`.
    pub fn fine(years: i16) -> Self {
        match years {
            i16::MIN..=0 => Self::UnderOne,
            1..=2 => Self::OneToTwo,
            3..=5 => Self::ThreeToFive,
            6..=10 => Self::SixToTen,
            _ => Self::OverTen,
        }
    }

    /// The coarse band of `years` (a function of the fine band).
    pub fn coarse(years: i16) -> Self {
        match Self::fine(years) {
            Self::UnderOne | Self::OneToTwo => Self::UnderThree,
            Self::ThreeToFive | Self::SixToTen => Self::ThreeToTen,
            _ => Self::OverTenCoarse,
        }
    }

    /// The i18n key of its label.
    pub fn key(self) -> &'static str {
        match self {
            Self::UnderOne => "years-under-1",
            Self::OneToTwo => "years-1-2",
            Self::ThreeToFive => "years-3-5",
            Self::SixToTen => "years-6-10",
            Self::OverTen | Self::OverTenCoarse => "years-over-10",
            Self::UnderThree => "years-under-3",
            Self::ThreeToTen => "years-3-10",
        }
    }
}

/// A language other than Swedish as the profile shows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ProfileLanguage {
    /// A named language and its level ("L1", a CEFR level, or its group A/B/C).
    Known {
        /// ISO 639 code.
        code: String,
        /// "L1", A1–C2, or A/B/C.
        level: String,
    },
    /// "Speaks other languages too", without naming them.
    Others,
}

/// The highest education as the profile shows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ProfileEducation {
    /// ISCED level and field.
    Field {
        /// ISCED 2011 level 0–8.
        isced: i16,
        /// The field, as the coordinator recorded it.
        field: String,
    },
    /// ISCED level only.
    Level {
        /// ISCED 2011 level 0–8.
        isced: i16,
    },
    /// The level's group ([`education_group`]).
    Group {
        /// 0 compulsory, 1 upper secondary, 2 tertiary.
        group: i16,
    },
}

/// ISCED levels in three groups: 0 compulsory (0–2), 1 upper secondary and
/// post-secondary (3–4), 2 tertiary (5–8).
pub fn education_group(isced: i16) -> i16 {
    match isced {
        i16::MIN..=2 => 0,
        3..=4 => 1,
        _ => 2,
    }
}

/// Experience in an occupation group, with years in a band.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ProfileExperience {
    /// SSYK 2012 code, 4 to 1 digits.
    pub ssyk: String,
    /// The occupation group's name (filled when shown, never compared).
    #[serde(default)]
    pub name: String,
    /// The band of years in the group's longest occupation (None: not shown).
    pub years: Option<YearsBand>,
}

/// The job-ready assessment as the profile shows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ProfileCriteria {
    /// The criteria that hold, of A–D.
    Each(Vec<Criterion>),
    /// Whether all four hold.
    JobReady(bool),
}

/// The driving licence as the profile shows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ProfileLicence {
    /// The classes ("B,C"; "" none).
    Classes(String),
    /// Whether there is one.
    Any(bool),
}

/// When the candidate can start, as the profile shows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ProfileAvailability {
    /// From this month ("2026-12").
    Month(String),
    /// From this quarter.
    Quarter {
        /// The year.
        year: i32,
        /// 1–4.
        quarter: u8,
    },
    /// Now (this month or earlier).
    Now,
    /// Later than this month.
    Later,
}

impl ProfileAvailability {
    /// "2026-12", "kvartal 1 2027", "nu", "senare".
    pub fn label(&self, l: Locale) -> String {
        match self {
            Self::Month(m) => m.clone(),
            Self::Quarter { year, quarter } => l.t_args(
                "profile-quarter",
                &[("year", year.to_string()), ("quarter", quarter.to_string())],
            ),
            Self::Now => l.t("profile-available-now"),
            Self::Later => l.t("profile-available-later"),
        }
    }
}

/// A candidate as an employer may see them: nothing that identifies the person.
/// A field that is not shown is None or empty, and pages leave it out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnonymisedProfile {
    /// The release's random code, e.g. `K-7F3A`.
    pub pseudonym: String,
    /// A one-line headline the coordinator wrote (scanned).
    pub headline: String,
    /// The age band.
    pub age: Option<AgeBand>,
    /// Swedish: "L1", a CEFR level or its group.
    pub swedish: Option<String>,
    /// Other languages.
    pub languages: Vec<ProfileLanguage>,
    /// The highest education.
    pub education: Option<ProfileEducation>,
    /// Experience by occupation group.
    pub experience: Vec<ProfileExperience>,
    /// The job-ready criteria.
    pub criteria: Option<ProfileCriteria>,
    /// The driving licence.
    pub licence: Option<ProfileLicence>,
    /// When the candidate can start.
    pub available: Option<ProfileAvailability>,
    /// Preferred occupations: (SSYK code, name filled when shown).
    pub preferred: Vec<(String, String)>,
    /// A short text the coordinator wrote (scanned).
    pub summary: String,
}

impl AnonymisedProfile {
    /// The same profile without what pages fill in for reading (occupation names):
    /// two candidates are indistinguishable when these are equal.
    pub fn shown_part(&self) -> AnonymisedProfile {
        let mut p = self.clone();
        p.pseudonym.clear();
        p.headline.clear();
        p.summary.clear();
        for e in &mut p.experience {
            e.name.clear();
        }
        for (_, name) in &mut p.preferred {
            name.clear();
        }
        p
    }

    /// Reads a stored profile, also in the form releases made before the ladders
    /// (those are shown as they were released).
    pub fn from_stored(json: &str) -> Result<Self, serde_json::Error> {
        let value: serde_json::Value = serde_json::from_str(json)?;
        if value.get("age_band").is_some() {
            let old: legacy::Profile = serde_json::from_value(value)?;
            return Ok(old.into());
        }
        serde_json::from_value(value)
    }
}

/// The profile as releases stored it before the ladders (issue 20): read only.
mod legacy {
    use super::*;

    #[derive(Deserialize)]
    pub struct Language {
        code: String,
        level: String,
    }

    #[derive(Deserialize)]
    pub struct Education {
        isced: i16,
        grouped: bool,
        field: String,
    }

    #[derive(Deserialize)]
    pub struct Experience {
        ssyk: String,
        years: String,
    }

    #[derive(Deserialize)]
    pub struct Profile {
        pseudonym: String,
        headline: String,
        age_band: AgeBand,
        languages: Vec<Language>,
        education: Option<Education>,
        experience: Vec<Experience>,
        criteria_met: Vec<Criterion>,
        driving_licence: String,
        available_month: String,
        preferred: Vec<(String, String)>,
        summary: String,
    }

    impl From<Profile> for AnonymisedProfile {
        fn from(p: Profile) -> Self {
            let years = |s: &str| match s {
                "0–1" => Some(YearsBand::UnderOne),
                "1–2" => Some(YearsBand::OneToTwo),
                "3–5" => Some(YearsBand::ThreeToFive),
                "6–10" => Some(YearsBand::SixToTen),
                "10+" => Some(YearsBand::OverTen),
                _ => None,
            };
            AnonymisedProfile {
                pseudonym: p.pseudonym,
                headline: p.headline,
                age: Some(p.age_band),
                swedish: p
                    .languages
                    .iter()
                    .find(|l| l.code == "sv")
                    .map(|l| l.level.clone()),
                languages: p
                    .languages
                    .into_iter()
                    .filter(|l| l.code != "sv")
                    .map(|l| ProfileLanguage::Known {
                        code: l.code,
                        level: l.level,
                    })
                    .collect(),
                education: p.education.map(|e| {
                    if e.grouped {
                        ProfileEducation::Group {
                            group: education_group(e.isced),
                        }
                    } else if e.field.is_empty() {
                        ProfileEducation::Level { isced: e.isced }
                    } else {
                        ProfileEducation::Field {
                            isced: e.isced,
                            field: e.field,
                        }
                    }
                }),
                experience: p
                    .experience
                    .into_iter()
                    .map(|e| ProfileExperience {
                        years: years(&e.years),
                        ssyk: e.ssyk,
                        name: String::new(),
                    })
                    .collect(),
                criteria: Some(ProfileCriteria::Each(p.criteria_met)),
                licence: Some(ProfileLicence::Classes(p.driving_licence)),
                available: Some(ProfileAvailability::Month(p.available_month)),
                preferred: p.preferred,
                summary: p.summary,
            }
        }
    }
}

/// One thing the profile shows less exactly than recorded, in words ("Ålder visas
/// som 25–54 år", "Erfarenhet inom 5321 visas som 53", "Körkort visas inte"),
/// already in the page's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// The field.
    pub field: Field,
    /// What is shown less exactly ("Ålder", "Erfarenhet inom 5321").
    pub what: String,
    /// As recorded ("27 år" is never said: the finest label the ladder has).
    pub from: String,
    /// As shown; None when not shown at all.
    pub to: Option<String>,
    /// Whether the coordinator chose it beyond what the guard requires.
    pub by_coordinator: bool,
}

/// One line of a profile as an employer reads it: a label and its values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactLine {
    /// The field's name ("Ålder").
    pub label: String,
    /// What it shows: one value, or a list (experience, criteria).
    pub values: Vec<String>,
    /// Whether the values are a list.
    pub list: bool,
}

fn level_label(level: &str, l: Locale) -> String {
    match level {
        "L1" => l.t("language-level-L1"),
        "A" | "B" | "C" => l.t_args("profile-cefr-group", &[("group", level.to_owned())]),
        other => other.to_owned(),
    }
}

fn occupation_label(code: &str, name: &str) -> String {
    if name.is_empty() {
        code.to_owned()
    } else {
        format!("{code} {name}")
    }
}

/// The profile's facts in words, in the order pages show them; a field that is not
/// shown has no line.
pub fn profile_lines(p: &AnonymisedProfile, l: Locale) -> Vec<FactLine> {
    let english = l == Locale::En;
    let mut out = Vec::new();
    let mut line = |key: &str, values: Vec<String>, list: bool| {
        if !values.is_empty() {
            out.push(FactLine {
                label: l.t(key),
                values,
                list,
            });
        }
    };
    line(
        "profile-age-band",
        p.age.map(|a| a.label(l)).into_iter().collect(),
        false,
    );
    line(
        "profile-swedish",
        p.swedish.iter().map(|s| level_label(s, l)).collect(),
        false,
    );
    let languages: Vec<String> = p
        .languages
        .iter()
        .map(|x| match x {
            ProfileLanguage::Known { code, level } => format!(
                "{} ({})",
                crate::candidates::model::language_name(code, english),
                level_label(level, l)
            ),
            ProfileLanguage::Others => l.t("profile-languages-others"),
        })
        .collect();
    line(
        "profile-languages",
        (!languages.is_empty())
            .then(|| languages.join(", "))
            .into_iter()
            .collect(),
        false,
    );
    line(
        "profile-education",
        p.education
            .iter()
            .map(|e| match e {
                ProfileEducation::Field { isced, field } => {
                    format!("{}, {field}", l.t(&format!("isced-{isced}")))
                }
                ProfileEducation::Level { isced } => l.t(&format!("isced-{isced}")),
                ProfileEducation::Group { group } => l.t(&format!("isced-group-{group}")),
            })
            .collect(),
        false,
    );
    line(
        "profile-experience",
        p.experience
            .iter()
            .map(|e| {
                let occupation = occupation_label(&e.ssyk, &e.name);
                match e.years {
                    Some(y) => l.t_args(
                        "profile-experience-item",
                        &[("occupation", occupation), ("years", l.t(y.key()))],
                    ),
                    None => occupation,
                }
            })
            .collect(),
        true,
    );
    line(
        "profile-criteria",
        match &p.criteria {
            Some(ProfileCriteria::Each(c)) if c.is_empty() => vec![l.t("profile-criteria-none")],
            Some(ProfileCriteria::Each(c)) => c.iter().map(|c| l.t(c.label_key())).collect(),
            Some(ProfileCriteria::JobReady(true)) => vec![l.t("profile-job-ready-yes")],
            Some(ProfileCriteria::JobReady(false)) => vec![l.t("profile-job-ready-no")],
            None => Vec::new(),
        },
        matches!(&p.criteria, Some(ProfileCriteria::Each(c)) if c.len() > 1),
    );
    line(
        "profile-licence",
        match &p.licence {
            Some(ProfileLicence::Classes(c)) if c.is_empty() => vec![l.t("profile-licence-none")],
            Some(ProfileLicence::Classes(c)) => vec![c.replace(',', ", ")],
            Some(ProfileLicence::Any(true)) => vec![l.t("profile-licence-any")],
            Some(ProfileLicence::Any(false)) => vec![l.t("profile-licence-none")],
            None => Vec::new(),
        },
        false,
    );
    line(
        "profile-available",
        p.available.iter().map(|a| a.label(l)).collect(),
        false,
    );
    line(
        "profile-preferred",
        p.preferred
            .iter()
            .map(|(c, n)| occupation_label(c, n))
            .collect(),
        true,
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full_profile() -> AnonymisedProfile {
        AnonymisedProfile {
            pseudonym: "K-2345".into(),
            headline: "h".into(),
            age: Some(AgeBand::of(30, 0)),
            swedish: Some("B1".into()),
            languages: vec![ProfileLanguage::Others],
            education: Some(ProfileEducation::Level { isced: 3 }),
            experience: vec![ProfileExperience {
                ssyk: "5321".into(),
                name: String::new(),
                years: Some(YearsBand::OneToTwo),
            }],
            criteria: Some(ProfileCriteria::JobReady(true)),
            licence: Some(ProfileLicence::Any(true)),
            available: Some(ProfileAvailability::Now),
            preferred: vec![("5321".into(), String::new())],
            summary: "s".into(),
        }
    }

    #[test]
    fn every_field_of_the_profile_has_a_ladder_or_is_the_coordinators_scanned_text() {
        let json = serde_json::to_value(full_profile()).expect("serialises");
        let keys: Vec<&String> = json.as_object().expect("an object").keys().collect();
        for key in keys {
            assert!(
                FREE_TEXT.contains(&key.as_str())
                    || Field::ALL.iter().any(|f| f.profile_key() == key),
                "the profile field `{key}` has no generalisation ladder (add a Field for it)"
            );
        }
        // And every ladder fills a field that exists.
        for f in Field::ALL {
            assert!(json.get(f.profile_key()).is_some(), "{f:?}");
        }
    }

    #[test]
    fn age_bands_nest_rung_by_rung() {
        for age in 16..80 {
            for rung in 0..2 {
                let fine = AgeBand::of(age, rung);
                let wide = AgeBand::of(age, rung + 1);
                assert!(wide.from <= fine.from, "{age} on rung {rung}");
                assert!(wide.to.unwrap_or(u8::MAX) >= fine.to.unwrap_or(u8::MAX));
                // Nesting: everyone in the fine band is in the same wide band.
                for other in 16..80 {
                    if AgeBand::of(other, rung) == fine {
                        assert_eq!(AgeBand::of(other, rung + 1), wide, "{age}/{other}");
                    }
                }
            }
        }
        assert_eq!(
            AgeBand::of(27, 0),
            AgeBand {
                from: 25,
                to: Some(29)
            }
        );
        assert_eq!(
            AgeBand::of(27, 1),
            AgeBand {
                from: 25,
                to: Some(34)
            }
        );
        assert_eq!(
            AgeBand::of(27, 2),
            AgeBand {
                from: 25,
                to: Some(54)
            }
        );
        assert_eq!(
            AgeBand::of(19, 0),
            AgeBand {
                from: 0,
                to: Some(19)
            }
        );
        assert_eq!(
            AgeBand::of(60, 1),
            AgeBand {
                from: 55,
                to: Some(64)
            }
        );
        assert_eq!(AgeBand::of(66, 0), AgeBand { from: 65, to: None });
    }

    #[test]
    fn age_labels_read_as_words_not_dashes() {
        assert_eq!(AgeBand::of(22, 1).label(Locale::Sv), "under 25 år");
        assert_eq!(AgeBand::of(27, 0).label(Locale::Sv), "25–29 år");
        assert_eq!(AgeBand::of(70, 0).label(Locale::En), "65 and older");
    }

    #[test]
    fn coarse_years_are_a_function_of_the_fine_band() {
        for a in 0..30 {
            for b in 0..30 {
                if YearsBand::fine(a) == YearsBand::fine(b) {
                    assert_eq!(YearsBand::coarse(a), YearsBand::coarse(b));
                }
            }
        }
    }

    #[test]
    fn levels_round_trip_and_refuse_rungs_off_the_ladder() {
        let mut l = Levels::EXACT;
        l.set(Field::Age, 2);
        l.set(Field::Preferred, 9);
        assert_eq!(l.of(Field::Preferred), Field::Preferred.hidden());
        assert_eq!(Levels::decode(&l.encode()), Some(l));
        assert_eq!(Levels::decode("0.0.0"), None);
        assert_eq!(Levels::decode("9.0.0.0.0.0.0.0.0.0"), None);
        assert!(Levels::hidden().at_least(&l));
        assert!(!Levels::EXACT.at_least(&l));
    }

    #[test]
    fn a_profile_stored_before_the_ladders_still_reads() {
        let old = r#"{"pseudonym":"K-ABCD","headline":"Kock","age_band":{"from":30,"to":34},
            "languages":[{"code":"sv","level":"B1"},{"code":"ti","level":"L1"}],
            "education":{"isced":3,"grouped":false,"field":"Vård"},
            "experience":[{"ssyk":"5120","name":"","years":"3–5"}],
            "criteria_met":["A","B"],"driving_licence":"B","available_month":"2026-12",
            "preferred":[],"summary":""}"#;
        let p = AnonymisedProfile::from_stored(old).expect("reads");
        assert_eq!(p.swedish.as_deref(), Some("B1"));
        assert_eq!(p.experience[0].years, Some(YearsBand::ThreeToFive));
        assert_eq!(
            p.criteria,
            Some(ProfileCriteria::Each(vec![Criterion::A, Criterion::B]))
        );
        let again = serde_json::to_string(&p).expect("serialises");
        assert_eq!(AnonymisedProfile::from_stored(&again).expect("reads"), p);
    }
}

/// The release form as posted (the fields besides the candidate and the ring).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseFields {
    /// The need it is released for, or "" for the ring.
    pub need_id: String,
    /// The coordinator's headline.
    pub headline: String,
    /// The coordinator's summary.
    pub summary: String,
    /// The levels the page showed (`Levels::encode`); "" for what the guard requires.
    pub levels: String,
    /// The fingerprint of the profile the page showed.
    pub fingerprint: String,
}
