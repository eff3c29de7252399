//! Values with rules about a candidate, parsed once at the edge, and the matching of
//! candidates to a recruitment need: one pure function, its weights in one place.

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::{
    auth::model::Email,
    error::{AppError, FieldErrors},
    field,
    firms::model::{luhn_valid, parse_date, parse_optional_text, parse_phone, parse_text},
    needs::model::{LICENCES, SwedishLevel},
};

/// A Swedish personal identity number (personnummer) or coordination number
/// (samordningsnummer, the day plus 60), stored as twelve digits `YYYYMMDDNNNN`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Personnummer {
    digits: String,
    birth_date: NaiveDate,
}

impl Personnummer {
    /// Reads `YYYYMMDD-NNNN`, `YYYYMMDDNNNN`, `YYMMDD-NNNN`, `YYMMDDNNNN` or
    /// `YYMMDD+NNNN` (`+`: a hundred years or older). A ten-digit number gets the
    /// century that makes the person younger than a hundred on `today` (older with
    /// `+`). `Err` is an i18n key.
    pub fn parse(input: &str, today: NaiveDate) -> Result<Self, &'static str> {
        let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.is_empty() {
            return Err("field-required");
        }
        let (head, tail, centenarian) = match compact.find(['-', '+']) {
            Some(at) => {
                let (head, rest) = compact.split_at(at);
                (head.to_owned(), rest[1..].to_owned(), rest.starts_with('+'))
            }
            None if compact.len() >= 4 => {
                let at = compact.len() - 4;
                (compact[..at].to_owned(), compact[at..].to_owned(), false)
            }
            None => return Err("field-pnr-format"),
        };
        if tail.len() != 4
            || !(head.len() == 6 || head.len() == 8)
            || !head.chars().chain(tail.chars()).all(|c| c.is_ascii_digit())
        {
            return Err("field-pnr-format");
        }
        let short = format!("{}{tail}", &head[head.len() - 6..]);
        let yy: i32 = short[0..2].parse().map_err(|_| "field-pnr-format")?;
        let month: u32 = short[2..4].parse().map_err(|_| "field-pnr-format")?;
        let day_field: u32 = short[4..6].parse().map_err(|_| "field-pnr-format")?;
        let day = if day_field > 60 {
            day_field - 60
        } else {
            day_field
        };
        let year = if head.len() == 8 {
            head[0..4].parse().map_err(|_| "field-pnr-format")?
        } else {
            let mut year = today.year() - today.year().rem_euclid(100) + yy;
            // The latest year with these two digits that is not after this year …
            if year > today.year() {
                year -= 100;
            }
            // … unless that birthday has not come yet this century's way round.
            if let Some(date) = NaiveDate::from_ymd_opt(year, month, day)
                && date > today
            {
                year -= 100;
            }
            if centenarian {
                year -= 100;
            }
            year
        };
        let birth_date = NaiveDate::from_ymd_opt(year, month, day).ok_or("field-pnr-date")?;
        if birth_date > today {
            return Err("field-pnr-date");
        }
        if !luhn_valid(&short) {
            return Err("field-pnr-check");
        }
        Ok(Self {
            digits: format!("{year:04}{}", &short[2..]),
            birth_date,
        })
    }

    /// Twelve digits, as stored.
    pub fn as_str(&self) -> &str {
        &self.digits
    }

    /// The birth date it encodes (for a coordination number, the day less 60).
    pub fn birth_date(&self) -> NaiveDate {
        self.birth_date
    }

    /// Whether it is a coordination number (samordningsnummer).
    pub fn is_coordination_number(&self) -> bool {
        self.digits[6..8].parse::<u32>().is_ok_and(|d| d > 60)
    }
}

/// `YYYYMMDD-NNNN` for twelve stored digits.
pub fn format_personnummer(digits: &str) -> String {
    if digits.len() == 12 && digits.is_ascii() {
        format!("{}-{}", &digits[..8], &digits[8..])
    } else {
        digits.to_owned()
    }
}

/// Age in whole years on `day` of someone born on `birth`.
pub fn age_on(birth: chrono::NaiveDate, day: chrono::NaiveDate) -> i32 {
    use chrono::Datelike;
    let mut age = day.year() - birth.year();
    if (day.month(), day.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

/// Defines a closed list of choices stored as short strings, with i18n label keys.
macro_rules! choices {
    ($(#[$meta:meta])* $name:ident, $prefix:literal { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every choice, in the order forms list them.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// As stored and posted.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text),+
                }
            }

            /// Reads a stored or posted value.
            pub fn parse(s: &str) -> Option<Self> {
                let s = s.trim();
                Self::ALL.iter().copied().find(|c| c.as_str() == s)
            }

            /// The i18n key of its name.
            pub fn label_key(self) -> &'static str {
                match self {
                    $(Self::$variant => concat!($prefix, $text)),+
                }
            }
        }
    };
}
pub(crate) use choices;

choices! {
    /// Gender, as the reports break figures down by it.
    Gender, "gender-" {
        /// Woman.
        Woman = "woman",
        /// Man.
        Man = "man",
        /// Another gender, or not stated.
        Other = "other",
    }
}

choices! {
    /// How much a candidate can work.
    Hours, "hours-" {
        /// Full time.
        Full = "full",
        /// Part time.
        Part = "part",
    }
}

choices! {
    /// The four job-ready criteria (jobbredo) of the Linköping model.
    Criterion, "criterion-" {
        /// A: formalities (CV, cover letter, expression of interest).
        A = "A",
        /// B: own responsibility (motivated, takes part, agreed the action plan).
        B = "B",
        /// C: social competence (interacts, works in a group, attitude).
        C = "C",
        /// D: language (understands, makes oneself understood).
        D = "D",
    }
}

choices! {
    /// A kind of entry in a candidate's timeline.
    ActivityKind, "activity-" {
        /// Internship (praktik) at a firm, possibly for a need.
        Internship = "internship",
        /// Short vocational training.
        Training = "training",
        /// Employment at a firm.
        Employment = "employment",
        /// Studies.
        Studies = "studies",
        /// Self-sufficiency (egen försörjning) reached: the programme's goal.
        SelfSufficiency = "self_sufficiency",
        /// Left the programme without self-sufficiency.
        Exit = "exit",
    }
}

choices! {
    /// Why a candidate left without self-sufficiency (a fixed list, for the reports).
    ExitReason, "exit-reason-" {
        /// Moved from the municipality.
        Moved = "moved",
        /// Parental leave.
        ParentalLeave = "parental_leave",
        /// Went on to another programme or authority.
        OtherProgramme = "other_programme",
        /// Chose to leave.
        DroppedOut = "dropped_out",
        /// Another reason.
        Other = "other",
    }
}

impl ActivityKind {
    /// Whether an entry of this kind ends the candidate's time in the programme.
    pub fn ends_programme(self) -> bool {
        matches!(self, Self::SelfSufficiency | Self::Exit)
    }
}

/// A language level: first language, or CEFR A1–C2.
pub const LANGUAGE_LEVELS: [&str; 7] = ["L1", "A1", "A2", "B1", "B2", "C1", "C2"];

/// Languages a candidate can be recorded with: (ISO 639 code, Swedish, English).
pub const LANGUAGES: &[(&str, &str, &str)] = &[
    ("sv", "svenska", "Swedish"),
    ("en", "engelska", "English"),
    ("ar", "arabiska", "Arabic"),
    ("prs", "dari", "Dari"),
    ("fa", "persiska", "Persian"),
    ("ps", "pashto", "Pashto"),
    ("ti", "tigrinja", "Tigrinya"),
    ("am", "amhariska", "Amharic"),
    ("so", "somaliska", "Somali"),
    ("ku", "kurdiska", "Kurdish"),
    ("tr", "turkiska", "Turkish"),
    ("uk", "ukrainska", "Ukrainian"),
    ("ru", "ryska", "Russian"),
    ("bs", "bosniska", "Bosnian"),
    ("sq", "albanska", "Albanian"),
    ("pl", "polska", "Polish"),
    ("fr", "franska", "French"),
    ("es", "spanska", "Spanish"),
    ("de", "tyska", "German"),
    ("th", "thailändska", "Thai"),
    ("my", "burmesiska", "Burmese"),
    ("sw", "swahili", "Swahili"),
];

/// The name of language `code` in Swedish or English (the code itself if unknown).
pub fn language_name(code: &str, english: bool) -> String {
    LANGUAGES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, sv, en)| if english { *en } else { *sv })
        .unwrap_or(code)
        .to_owned()
}

/// ISCED 2011 levels 0–8, with their i18n keys `isced-N`.
pub const ISCED_LEVELS: std::ops::RangeInclusive<i16> = 0..=8;

/// SFI courses A–D.
pub const SFI_COURSES: [&str; 4] = ["A", "B", "C", "D"];

/// Swedish on one scale in half CEFR steps, so SFI courses and CEFR levels compare:
/// A1 = 2, A2 = 4, B1 = 6, B2 = 8, C1 = 10, C2 = 12, first language = 14. An SFI
/// course sits where Skolverket places its goals: A at A1, B between A1 and A2, C
/// between A2 and B1, D between B1 and B2. 0 means unknown.
pub fn swedish_rank(level: SwedishLevel) -> i16 {
    match level {
        SwedishLevel::SfiA | SwedishLevel::A1 => 2,
        SwedishLevel::SfiB => 3,
        SwedishLevel::A2 => 4,
        SwedishLevel::SfiC => 5,
        SwedishLevel::B1 => 6,
        SwedishLevel::SfiD => 7,
        SwedishLevel::B2 => 8,
        SwedishLevel::C1 => 10,
        SwedishLevel::C2 => 12,
    }
}

/// A candidate's best Swedish on that scale: the Swedish language row ("L1" or
/// CEFR) or the SFI course, whichever is higher.
pub fn candidate_swedish_rank(swedish_row: Option<&str>, sfi_course: &str) -> i16 {
    let from_row = match swedish_row {
        Some("L1") => 14,
        Some(level) => SwedishLevel::parse(level).map_or(0, swedish_rank),
        None => 0,
    };
    let from_sfi = SwedishLevel::parse(&format!("SFI-{sfi_course}")).map_or(0, swedish_rank);
    from_row.max(from_sfi)
}

/// A rank on the scale of [`swedish_rank`] as a level: "A1" … "C2", "SFI-B" …
/// "SFI-D" for the half steps, "L1" for a first language; `None` when unknown.
pub fn swedish_rank_label(rank: i16) -> Option<String> {
    match rank {
        14.. => Some("L1".to_owned()),
        3 => Some("SFI-B".to_owned()),
        5 => Some("SFI-C".to_owned()),
        7 => Some("SFI-D".to_owned()),
        r @ (2 | 4 | 6 | 8 | 10 | 12) => {
            Some(["A1", "A2", "B1", "B2", "C1", "C2"][(r / 2 - 1) as usize].to_owned())
        }
        9 | 11 | 13 => swedish_rank_label(rank - 1),
        _ => None,
    }
}

/// The weights of matching, in points; a perfect match scores 100.
///
/// - occupation: the candidate's closest experience or preferred occupation in the
///   SSYK hierarchy: same unit group (4 digits) 32, same minor group (3) 24, same
///   sub-major group (2) 16, same major group (1) 8, else 0;
/// - Swedish: meets the need's minimum 20, one CEFR step (two half steps) short 10,
///   further short or unknown 0; a need without a minimum gives 20;
/// - experience: 3 per year in occupations sharing at least the minor group, at most 15;
/// - job-ready: 5 per criterion A–D that holds, 20 for all four (as much as Swedish:
///   at 3 per criterion a candidate meeting none outranked one meeting all four on a
///   one-group-closer occupation alone);
/// - availability: available on or before the need's start 10, within 30 days after
///   it 5, later 0; no date means available now;
/// - driving licence: the licence asked for held, or none asked for, 3.
pub mod weights {
    /// Points per SSYK level shared (index = digits in common).
    pub const OCCUPATION: [i32; 5] = [0, 8, 16, 24, 32];
    /// Swedish at or above the minimum.
    pub const SWEDISH_MET: i32 = 20;
    /// Swedish one CEFR step below.
    pub const SWEDISH_NEAR: i32 = 10;
    /// Per year of relevant experience.
    pub const EXPERIENCE_PER_YEAR: i32 = 3;
    /// At most, for experience.
    pub const EXPERIENCE_MAX: i32 = 15;
    /// Per job-ready criterion that holds.
    pub const JOB_READY_PER_CRITERION: i32 = 5;
    /// Available by the start date.
    pub const AVAILABLE: i32 = 10;
    /// Available within the grace period after the start.
    pub const AVAILABLE_SOON: i32 = 5;
    /// The grace period, in days.
    pub const AVAILABLE_SOON_DAYS: i64 = 30;
    /// The licence asked for is held (or none is asked for).
    pub const LICENCE: i32 = 3;
    /// The most a candidate can score.
    pub const MAX: i32 = 100;
}

/// What matching needs to know about a need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedFacts {
    /// The SSYK unit group.
    pub occupation: String,
    /// The minimum Swedish, if any.
    pub swedish: Option<SwedishLevel>,
    /// The driving licence asked for ("" for none).
    pub licence: String,
    /// The start date.
    pub start: NaiveDate,
    /// The short training the firm suggests for a small gap ("" for none).
    pub training: String,
}

/// An occupation a candidate has worked in (with years) or would like (`years` None).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OccupationFact {
    /// The SSYK unit group.
    pub code: String,
    /// Years of experience; `None` for a preferred occupation.
    pub years: Option<i16>,
}

/// What matching needs to know about a candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateFacts {
    /// The candidate's id.
    pub id: i32,
    /// Experience and preferred occupations.
    pub occupations: Vec<OccupationFact>,
    /// Swedish on the scale of [`swedish_rank`] (0 unknown).
    pub swedish_rank: i16,
    /// How many job-ready criteria hold now.
    pub criteria_met: i16,
    /// Licence classes held, comma-separated.
    pub licences: String,
    /// Available from (None: now).
    pub available_from: Option<NaiveDate>,
    /// Enrolment, the tie-breaker: who has waited longer comes first.
    pub enrolled_on: NaiveDate,
}

/// One factor of a score, with what it is made of, for the explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Factor {
    /// Digits shared with the need's SSYK code (0–4) and through which occupation.
    Occupation {
        /// Digits in common.
        shared: u8,
        /// The candidate's closest occupation, if any.
        via: Option<String>,
        /// Whether that is experience (else a preference).
        experience: bool,
    },
    /// The candidate's Swedish against the minimum (ranks on the half-step scale).
    Swedish {
        /// The candidate's rank (0 unknown).
        has: i16,
        /// The need's rank (0: no minimum).
        needs: i16,
    },
    /// Years in occupations sharing at least three digits with the need.
    Experience {
        /// The years.
        years: i32,
    },
    /// Job-ready criteria that hold.
    JobReady {
        /// How many of four.
        met: i16,
    },
    /// Availability against the start date.
    Availability {
        /// Available from (None: now).
        from: Option<NaiveDate>,
        /// Days after the start the candidate becomes available (≤ 0: in time).
        days_late: i64,
    },
    /// The driving licence.
    Licence {
        /// The class asked for ("" none).
        needed: String,
        /// Whether it is held.
        held: bool,
    },
}

/// A factor with the points it gave and the most it could give.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScorePart {
    /// What was compared.
    pub factor: Factor,
    /// Points given.
    pub points: i32,
    /// The most possible.
    pub max: i32,
}

/// A candidate's score for a need, explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    /// The candidate.
    pub candidate_id: i32,
    /// The total, 0–100.
    pub total: i32,
    /// Each factor, in the order of [`weights`].
    pub parts: Vec<ScorePart>,
    /// The need's suggested training, when there is a gap it could close.
    pub training: Option<String>,
}

/// Digits two SSYK codes share from the start (0–4).
pub fn shared_digits(a: &str, b: &str) -> u8 {
    a.bytes()
        .zip(b.bytes())
        .take(4)
        .take_while(|(x, y)| x == y)
        .count() as u8
}

/// The numbers behind a score, computed without allocating (ranking tallies every
/// candidate; only the ones shown get the explained [`Score`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Tally {
    shared: u8,
    closest: Option<usize>,
    occupation: i32,
    swedish: i32,
    needs_rank: i16,
    years: i32,
    experience: i32,
    met: i16,
    job_ready: i32,
    days_late: i64,
    availability: i32,
    held: bool,
    licence: i32,
}

impl Tally {
    fn total(&self) -> i32 {
        self.occupation
            + self.swedish
            + self.experience
            + self.job_ready
            + self.availability
            + self.licence
    }
}

fn tally(need: &NeedFacts, candidate: &CandidateFacts) -> Tally {
    use weights as w;
    // Closest occupation: most digits shared; experience before a preference.
    let mut shared = 0;
    let mut closest = None;
    let mut closest_is_experience = false;
    let mut years = 0;
    for (i, o) in candidate.occupations.iter().enumerate() {
        let s = shared_digits(&o.code, &need.occupation);
        let experience = o.years.is_some();
        if s > 0 && (s > shared || (s == shared && experience && !closest_is_experience)) {
            shared = s;
            closest = Some(i);
            closest_is_experience = experience;
        }
        if s >= 3 {
            years += o.years.map_or(0, i32::from);
        }
    }
    let occupation = w::OCCUPATION[usize::from(shared)];

    let needs_rank = need.swedish.map_or(0, swedish_rank);
    let swedish = if needs_rank == 0 || candidate.swedish_rank >= needs_rank {
        w::SWEDISH_MET
    } else if candidate.swedish_rank > 0 && candidate.swedish_rank + 2 >= needs_rank {
        w::SWEDISH_NEAR
    } else {
        0
    };
    let experience = (years * w::EXPERIENCE_PER_YEAR).min(w::EXPERIENCE_MAX);
    let met = candidate.criteria_met.clamp(0, 4);
    let job_ready = i32::from(met) * w::JOB_READY_PER_CRITERION;
    let days_late = candidate
        .available_from
        .map_or(0, |from| (from - need.start).num_days());
    let availability = if days_late <= 0 {
        w::AVAILABLE
    } else if days_late <= w::AVAILABLE_SOON_DAYS {
        w::AVAILABLE_SOON
    } else {
        0
    };
    let held = need.licence.is_empty()
        || candidate
            .licences
            .split(',')
            .any(|l| l.trim().eq_ignore_ascii_case(&need.licence));
    Tally {
        shared,
        closest,
        occupation,
        swedish,
        needs_rank,
        years,
        experience,
        met,
        job_ready,
        days_late,
        availability,
        held,
        licence: if held { w::LICENCE } else { 0 },
    }
}

/// Scores `candidate` for `need`, explained; see [`weights`].
pub fn score(need: &NeedFacts, candidate: &CandidateFacts) -> Score {
    use weights as w;
    let t = tally(need, candidate);
    let closest = t.closest.map(|i| &candidate.occupations[i]);
    let gap = t.shared < 4 || t.swedish < w::SWEDISH_MET || t.experience < w::EXPERIENCE_MAX;
    let training = (gap && !need.training.trim().is_empty()).then(|| need.training.clone());
    let parts = vec![
        ScorePart {
            factor: Factor::Occupation {
                shared: t.shared,
                via: closest.map(|o| o.code.clone()),
                experience: closest.is_some_and(|o| o.years.is_some()),
            },
            points: t.occupation,
            max: w::OCCUPATION[4],
        },
        ScorePart {
            factor: Factor::Swedish {
                has: candidate.swedish_rank,
                needs: t.needs_rank,
            },
            points: t.swedish,
            max: w::SWEDISH_MET,
        },
        ScorePart {
            factor: Factor::Experience { years: t.years },
            points: t.experience,
            max: w::EXPERIENCE_MAX,
        },
        ScorePart {
            factor: Factor::JobReady { met: t.met },
            points: t.job_ready,
            max: 4 * w::JOB_READY_PER_CRITERION,
        },
        ScorePart {
            factor: Factor::Availability {
                from: candidate.available_from,
                days_late: t.days_late,
            },
            points: t.availability,
            max: w::AVAILABLE,
        },
        ScorePart {
            factor: Factor::Licence {
                needed: need.licence.clone(),
                held: t.held,
            },
            points: t.licence,
            max: w::LICENCE,
        },
    ];
    Score {
        candidate_id: candidate.id,
        total: t.total(),
        parts,
        training,
    }
}

/// The `limit` best candidates for `need`, explained: highest total first; on a tie,
/// who enrolled earlier (has waited longer), then the lower id.
pub fn rank(need: &NeedFacts, candidates: &[CandidateFacts], limit: usize) -> Vec<Score> {
    if limit == 0 {
        return Vec::new();
    }
    // (total, enrolled, id, index): totals for all, explanations for the best only.
    let mut keys: Vec<(i32, NaiveDate, i32, usize)> = candidates
        .iter()
        .enumerate()
        .map(|(i, c)| (tally(need, c).total(), c.enrolled_on, c.id, i))
        .collect();
    let order = |a: &(i32, NaiveDate, i32, usize), b: &(i32, NaiveDate, i32, usize)| {
        b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2))
    };
    if keys.len() > limit {
        keys.select_nth_unstable_by(limit - 1, order);
        keys.truncate(limit);
    }
    keys.sort_by(order);
    keys.into_iter()
        .map(|(_, _, _, i)| score(need, &candidates[i]))
        .collect()
}

/// The candidate form as posted, with and without JavaScript: every field as typed.
/// The create and update server functions take it whole (`#[server(flatten)]`), and
/// the page names its fields with [`crate::field!`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateForm {
    /// The name.
    pub name: String,
    /// The personnummer as typed.
    pub personnummer: String,
    /// An e-mail address, or empty.
    pub email: String,
    /// A phone number, or empty.
    pub phone: String,
    /// A gender choice.
    pub gender: String,
    /// The residence permit date, `YYYY-MM-DD` or empty.
    pub permit_date: String,
    /// The enrolment date, `YYYY-MM-DD`.
    pub enrolled_on: String,
    /// The SFI course (A–D), or empty.
    pub sfi_course: String,
    /// The SFI study path (1–3), or empty.
    pub sfi_path: String,
    /// Licence classes as typed ("B, CE").
    pub driving_licence: String,
    /// The first day available, or empty.
    pub available_from: String,
    /// Full or part time.
    pub hours: String,
    /// A note on availability.
    pub availability_note: String,
}

/// The candidate form, checked: what a candidate row is written from.
#[derive(Debug, Clone)]
pub struct CandidateInput {
    pub name: String,
    pub personnummer: Personnummer,
    pub email: String,
    pub phone: String,
    pub gender: Gender,
    pub permit_date: Option<NaiveDate>,
    pub enrolled_on: NaiveDate,
    pub sfi_course: String,
    pub sfi_path: Option<i16>,
    pub driving_licence: String,
    pub available_from: Option<NaiveDate>,
    pub hours: Hours,
    pub availability_note: String,
}

/// An optional date field: empty is `None`.
pub fn optional_date(input: &str) -> Result<Option<NaiveDate>, &'static str> {
    if input.trim().is_empty() {
        Ok(None)
    } else {
        parse_date(input).map(Some)
    }
}

/// An optional id field (a select's value): empty is `None`.
pub fn optional_id(input: &str) -> Result<Option<i32>, &'static str> {
    match input.trim() {
        "" => Ok(None),
        s => s.parse().map(Some).map_err(|_| "field-choice-invalid"),
    }
}

/// Licence classes typed as "B, CE" or "b ce": known classes, upper case, comma-joined.
fn parse_licences(input: &str) -> Result<String, &'static str> {
    let mut held: Vec<String> = Vec::new();
    for class in input
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
    {
        let class = class.to_uppercase();
        if !LICENCES.contains(&class.as_str()) {
            return Err("field-licence-invalid");
        }
        if !held.contains(&class) {
            held.push(class);
        }
    }
    Ok(held.join(","))
}

impl CandidateForm {
    /// Checks every field; `today` bounds the dates.
    pub fn parse(&self, today: NaiveDate) -> Result<CandidateInput, AppError> {
        let f = self;
        let mut errors = FieldErrors::new();
        let mut text = |field: &str, r: Result<String, &'static str>| {
            r.map_err(|k| errors.add(field, k)).unwrap_or_default()
        };
        let name = text(field!(CandidateForm, name), parse_text(&f.name, 120));
        let phone = text(field!(CandidateForm, phone), parse_phone(&f.phone));
        let email = if f.email.trim().is_empty() {
            String::new()
        } else {
            text(
                field!(CandidateForm, email),
                Email::parse(&f.email).map(|e| e.as_str().to_owned()),
            )
        };
        let driving_licence = text(
            field!(CandidateForm, driving_licence),
            parse_licences(&f.driving_licence),
        );
        let availability_note = text(
            field!(CandidateForm, availability_note),
            parse_optional_text(&f.availability_note, 300),
        );
        let personnummer = Personnummer::parse(&f.personnummer, today)
            .map_err(|k| errors.add(field!(CandidateForm, personnummer), k))
            .ok();
        let gender = Gender::parse(&f.gender);
        if gender.is_none() {
            errors.add(field!(CandidateForm, gender), "field-choice-required");
        }
        let hours = Hours::parse(&f.hours);
        if hours.is_none() {
            errors.add(field!(CandidateForm, hours), "field-choice-required");
        }
        let permit_date = optional_date(&f.permit_date)
            .map_err(|k| errors.add(field!(CandidateForm, permit_date), k))
            .ok()
            .flatten();
        if permit_date.is_some_and(|d| d > today) {
            errors.add(field!(CandidateForm, permit_date), "field-date-future");
        }
        let enrolled_on = parse_date(&f.enrolled_on)
            .map_err(|k| errors.add(field!(CandidateForm, enrolled_on), k))
            .ok();
        if enrolled_on.is_some_and(|d| d > today + Duration::days(366)) {
            errors.add(field!(CandidateForm, enrolled_on), "field-date-too-late");
        }
        if let (Some(p), Some(e)) = (&personnummer, enrolled_on)
            && e < p.birth_date()
        {
            errors.add(
                field!(CandidateForm, enrolled_on),
                "field-enrolled-before-birth",
            );
        }
        let sfi_course = f.sfi_course.trim().to_uppercase();
        if !sfi_course.is_empty() && !SFI_COURSES.contains(&sfi_course.as_str()) {
            errors.add(field!(CandidateForm, sfi_course), "field-choice-invalid");
        }
        let sfi_path = match f.sfi_path.trim() {
            "" => None,
            s => match s.parse::<i16>() {
                Ok(p @ 1..=3) => Some(p),
                _ => {
                    errors.add(field!(CandidateForm, sfi_path), "field-choice-invalid");
                    None
                }
            },
        };
        let available_from = optional_date(&f.available_from)
            .map_err(|k| errors.add(field!(CandidateForm, available_from), k))
            .ok()
            .flatten();
        match (personnummer, gender, hours, enrolled_on) {
            (Some(personnummer), Some(gender), Some(hours), Some(enrolled_on))
                if errors.is_empty() =>
            {
                Ok(CandidateInput {
                    name,
                    personnummer,
                    email,
                    phone,
                    gender,
                    permit_date,
                    enrolled_on,
                    sfi_course,
                    sfi_path,
                    driving_licence,
                    available_from,
                    hours,
                    availability_note,
                })
            }
            _ => Err(AppError::Validation(errors)),
        }
    }
}

/// The education form as posted (`candidates/education`, flattened).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EducationForm {
    /// The ISCED level, 0–8.
    pub isced: String,
    /// The field of study.
    pub edu_field: String,
    /// The country it was taken in.
    pub edu_country: String,
    /// How many years.
    pub edu_years: String,
    /// Present when the education has been validated: a checkbox.
    pub validated: Option<String>,
}

/// The timeline form as posted (`candidates/activity`, flattened); each kind of entry
/// reads its own fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityForm {
    /// An activity kind.
    pub kind: String,
    /// A firm's id, or empty.
    pub firm_id: String,
    /// A need's id, or empty.
    pub need_id: String,
    /// A training's or studies' title.
    pub title: String,
    /// Who gives the training.
    pub provider: String,
    /// The first day, `YYYY-MM-DD`.
    pub start_on: String,
    /// The last day, or empty.
    pub end_on: String,
    /// Present when a training was completed: a checkbox.
    pub completed: Option<String>,
    /// An employment form (for an employment).
    pub employment_form: String,
    /// An exit reason (for an exit).
    pub exit_reason: String,
    /// A note.
    pub note: String,
}

choices! {
    /// What a member of the team around a participant does for them.
    TeamRole, "team-role-" {
        /// The Public Employment Service's officer (Arbetsförmedlingens handläggare).
        EmploymentService = "employment_service",
        /// Social services (socialtjänsten).
        SocialServices = "social_services",
        /// The SFI teacher.
        SfiTeacher = "sfi_teacher",
        /// A mentor at the firm (handledare).
        Mentor = "mentor",
        /// Someone else (a health contact, a language coach, ...).
        Other = "other",
    }
}

/// The team member form as posted (`candidates/team-add`, flattened).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMemberForm {
    /// A [`TeamRole`].
    pub role: String,
    /// The person's name.
    pub member_name: String,
    /// Where they work (the office, the school, the firm).
    pub organisation: String,
    /// Their phone, or empty.
    pub member_phone: String,
    /// Their e-mail, or empty.
    pub member_email: String,
    /// Since when they are in the team, `YYYY-MM-DD`.
    pub started_on: String,
}

/// A team member's details, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamMemberInput {
    pub role: TeamRole,
    pub name: String,
    pub organisation: String,
    pub phone: String,
    pub email: String,
    pub started_on: NaiveDate,
}

impl TeamMemberForm {
    /// Checks every field at once. A member needs a way to be reached: a phone
    /// number or an e-mail address (the error names the phone field, the first).
    pub fn parse(&self) -> Result<TeamMemberInput, AppError> {
        let mut errors = FieldErrors::new();
        let role = TeamRole::parse(&self.role);
        if role.is_none() {
            let key = if self.role.trim().is_empty() {
                "field-required"
            } else {
                "field-choice-invalid"
            };
            errors.add(field!(TeamMemberForm, role), key);
        }
        let mut take = |field: &str, r: Result<String, &'static str>| {
            r.map_err(|k| errors.add(field, k)).unwrap_or_default()
        };
        let name = take(
            field!(TeamMemberForm, member_name),
            parse_text(&self.member_name, 120),
        );
        let organisation = take(
            field!(TeamMemberForm, organisation),
            parse_optional_text(&self.organisation, 160),
        );
        let phone = take(
            field!(TeamMemberForm, member_phone),
            parse_phone(&self.member_phone),
        );
        let email = if self.member_email.trim().is_empty() {
            String::new()
        } else {
            take(
                field!(TeamMemberForm, member_email),
                Email::parse(&self.member_email).map(|e| e.as_str().to_owned()),
            )
        };
        if self.member_phone.trim().is_empty() && self.member_email.trim().is_empty() {
            errors.add(
                field!(TeamMemberForm, member_phone),
                "team-contact-required",
            );
        }
        let started_on = parse_date(&self.started_on)
            .map_err(|k| errors.add(field!(TeamMemberForm, started_on), k))
            .ok();
        match (role, started_on) {
            (Some(role), Some(started_on)) if errors.is_empty() => Ok(TeamMemberInput {
                role,
                name,
                organisation,
                phone,
                email,
                started_on,
            }),
            _ => Err(AppError::Validation(errors)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    const TODAY: &str = "2026-11-23";

    #[test]
    fn personnummer_in_every_written_form() {
        let today = d(TODAY);
        for form in [
            "198112189876",
            "19811218-9876",
            "811218-9876",
            "8112189876",
            " 811218 - 9876 ",
        ] {
            let p = Personnummer::parse(form, today).unwrap();
            assert_eq!(p.as_str(), "198112189876", "{form}");
            assert_eq!(p.birth_date(), d("1981-12-18"));
            assert!(!p.is_coordination_number());
        }
        assert_eq!(format_personnummer("198112189876"), "19811218-9876");
    }

    #[test]
    fn a_bad_check_digit_is_refused() {
        assert_eq!(
            Personnummer::parse("811218-9875", d(TODAY)),
            Err("field-pnr-check")
        );
    }

    #[test]
    fn an_impossible_date_is_refused() {
        let today = d(TODAY);
        // 30 February, with a valid check digit for its digits.
        assert_eq!(
            Personnummer::parse("19900230-1238", today),
            Err("field-pnr-date")
        );
        // Month 13.
        assert_eq!(
            Personnummer::parse("19901301-1234", today),
            Err("field-pnr-date")
        );
        // Born tomorrow.
        assert_eq!(
            Personnummer::parse("20261124-0000", today),
            Err("field-pnr-date")
        );
    }

    #[test]
    fn malformed_numbers_are_refused() {
        let today = d(TODAY);
        for bad in [
            "",
            "abc",
            "81121-89876",
            "8112189",
            "19811218-98765",
            "1981121x-9876",
        ] {
            assert!(Personnummer::parse(bad, today).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_coordination_number_has_the_day_plus_sixty() {
        // 1981-12-18 as a coordination number: day 78.
        let digits = "8112789876";
        let check = crate::firms::model::luhn_check_digit(&digits[..9]);
        let input = format!("{}-{}{check}", &digits[..6], &digits[6..9]);
        let p = Personnummer::parse(&input, d(TODAY)).unwrap();
        assert!(p.is_coordination_number());
        assert_eq!(p.birth_date(), d("1981-12-18"));
        assert!(p.as_str().starts_with("19811278"));
    }

    #[test]
    fn the_century_of_a_ten_digit_number() {
        let today = d(TODAY);
        // 05: born 2005, not 1905.
        let p = Personnummer::parse("050101-0003", today).unwrap();
        assert_eq!(p.birth_date().year(), 2005);
        // 26-12-01 has not come yet this year: 1926.
        let check = crate::firms::model::luhn_check_digit("261201000");
        let p = Personnummer::parse(&format!("261201-000{check}"), today).unwrap();
        assert_eq!(p.birth_date(), d("1926-12-01"));
        // '+': a hundred years older.
        let p = Personnummer::parse("050101+0003", today).unwrap();
        assert_eq!(p.birth_date().year(), 1905);
    }

    #[test]
    fn swedish_on_one_scale() {
        assert_eq!(candidate_swedish_rank(Some("B1"), ""), 6);
        assert_eq!(candidate_swedish_rank(Some("A2"), "D"), 7);
        assert_eq!(candidate_swedish_rank(None, "C"), 5);
        assert_eq!(candidate_swedish_rank(Some("L1"), ""), 14);
        assert_eq!(candidate_swedish_rank(None, ""), 0);
        assert!(swedish_rank(SwedishLevel::SfiD) > swedish_rank(SwedishLevel::B1));
        assert!(swedish_rank(SwedishLevel::SfiD) < swedish_rank(SwedishLevel::B2));
    }

    fn need() -> NeedFacts {
        NeedFacts {
            occupation: "5321".into(),
            swedish: Some(SwedishLevel::B1),
            licence: "B".into(),
            start: d("2027-01-15"),
            training: "Vård- och omsorgsintroduktion".into(),
        }
    }

    fn candidate(id: i32, occupations: &[(&str, Option<i16>)]) -> CandidateFacts {
        CandidateFacts {
            id,
            occupations: occupations
                .iter()
                .map(|(code, years)| OccupationFact {
                    code: (*code).into(),
                    years: *years,
                })
                .collect(),
            swedish_rank: 6,
            criteria_met: 4,
            licences: "B".into(),
            available_from: None,
            enrolled_on: d("2026-01-10"),
        }
    }

    #[test]
    fn a_perfect_match_scores_a_hundred_and_suggests_no_training() {
        let s = score(&need(), &candidate(1, &[("5321", Some(5))]));
        assert_eq!(s.total, 100);
        assert_eq!(s.training, None);
        assert_eq!(
            s.parts.iter().map(|p| p.points).collect::<Vec<_>>(),
            [32, 20, 15, 20, 10, 3]
        );
    }

    #[test]
    fn occupation_distance_follows_the_ssyk_hierarchy() {
        let points = |code: &str| score(&need(), &candidate(1, &[(code, Some(0))])).parts[0].points;
        assert_eq!(points("5321"), 32);
        assert_eq!(points("5322"), 24);
        assert_eq!(points("5311"), 16);
        assert_eq!(points("5120"), 8);
        assert_eq!(points("9111"), 0);
    }

    #[test]
    fn a_hand_computed_explained_score() {
        // Worked as 5322 for 2 years (same minor group: 24; experience 2 × 3 = 6),
        // Swedish A2 = rank 4 against B1 = 6: one step short, 10; criteria A, B, D
        // hold: 15; available 20 days after the start: 5; no licence: 0.
        let mut c = candidate(7, &[("5322", Some(2)), ("9111", Some(6))]);
        c.swedish_rank = 4;
        c.criteria_met = 3;
        c.available_from = Some(d("2027-02-04"));
        c.licences = String::new();
        let s = score(&need(), &c);
        assert_eq!(
            s.parts.iter().map(|p| p.points).collect::<Vec<_>>(),
            [24, 10, 6, 15, 5, 0]
        );
        assert_eq!(s.total, 60);
        assert_eq!(s.training.as_deref(), Some("Vård- och omsorgsintroduktion"));
        assert_eq!(
            s.parts[0].factor,
            Factor::Occupation {
                shared: 3,
                via: Some("5322".into()),
                experience: true
            }
        );
        assert_eq!(s.parts[2].factor, Factor::Experience { years: 2 });
        assert_eq!(
            s.parts[4].factor,
            Factor::Availability {
                from: Some(d("2027-02-04")),
                days_late: 20
            }
        );
    }

    #[test]
    fn missing_data_scores_nothing_for_that_factor() {
        // No occupations, Swedish unknown, nothing assessed, no licence.
        let c = CandidateFacts {
            id: 3,
            occupations: vec![],
            swedish_rank: 0,
            criteria_met: 0,
            licences: String::new(),
            available_from: None,
            enrolled_on: d("2026-05-01"),
        };
        let s = score(&need(), &c);
        assert_eq!(s.total, 10, "only availability (now) counts");
        assert_eq!(
            s.parts[0].factor,
            Factor::Occupation {
                shared: 0,
                via: None,
                experience: false
            }
        );
        // A need with no Swedish minimum and no licence gives those points to anyone.
        let open = NeedFacts {
            swedish: None,
            licence: String::new(),
            training: String::new(),
            ..need()
        };
        let s = score(&open, &c);
        assert_eq!(s.total, 10 + 20 + 3);
        assert_eq!(
            s.training, None,
            "no training suggested when the need names none"
        );
    }

    #[test]
    fn a_preference_counts_for_occupation_but_not_for_experience() {
        let s = score(&need(), &candidate(1, &[("5321", None)]));
        assert_eq!(s.parts[0].points, 32);
        assert_eq!(s.parts[2].points, 0);
        // Experience beats a preference at the same distance in the explanation.
        let s = score(&need(), &candidate(1, &[("5321", None), ("5321", Some(1))]));
        assert!(matches!(
            s.parts[0].factor,
            Factor::Occupation {
                experience: true,
                ..
            }
        ));
    }

    #[test]
    fn ranking_breaks_ties_by_enrolment_then_id() {
        let mut a = candidate(5, &[("5321", Some(5))]);
        let mut b = candidate(2, &[("5321", Some(5))]);
        let mut c = candidate(9, &[("5321", Some(5))]);
        let weak = candidate(1, &[("9111", Some(5))]);
        a.enrolled_on = d("2026-03-01");
        b.enrolled_on = d("2026-03-01");
        c.enrolled_on = d("2025-12-01");
        let ranked = rank(&need(), &[a, b, weak.clone(), c], 10);
        assert_eq!(
            ranked.iter().map(|s| s.candidate_id).collect::<Vec<_>>(),
            [9, 2, 5, 1]
        );
        assert_eq!(ranked[0].total, ranked[2].total);
        // The limit keeps the best, in order.
        let top = rank(
            &need(),
            &[
                candidate(5, &[("5321", Some(5))]),
                weak,
                candidate(4, &[("5322", Some(1))]),
            ],
            2,
        );
        assert_eq!(
            top.iter().map(|s| s.candidate_id).collect::<Vec<_>>(),
            [5, 4]
        );
    }

    #[test]
    fn a_team_member_needs_a_role_a_name_and_a_way_to_be_reached() {
        let form = TeamMemberForm {
            role: "sfi_teacher".into(),
            member_name: " Amal Yousef ".into(),
            organisation: "Ekdala Vux".into(),
            member_phone: "".into(),
            member_email: "amal@vux.example".into(),
            started_on: "2026-11-02".into(),
        };
        let m = form.parse().unwrap();
        assert_eq!(
            (m.role, m.name.as_str(), m.email.as_str()),
            (TeamRole::SfiTeacher, "Amal Yousef", "amal@vux.example")
        );
        assert_eq!(m.started_on, d("2026-11-02"));

        let errors = |f: TeamMemberForm| {
            let e = f.parse().unwrap_err();
            e.field_errors()
                .unwrap()
                .0
                .clone()
                .into_iter()
                .collect::<Vec<_>>()
        };
        let bad = TeamMemberForm {
            role: "boss".into(),
            member_name: "".into(),
            member_email: "".into(),
            started_on: "2026-13-01".into(),
            ..form.clone()
        };
        assert_eq!(
            errors(bad),
            [
                ("member_name".to_owned(), "field-required".to_owned()),
                (
                    "member_phone".to_owned(),
                    "team-contact-required".to_owned()
                ),
                ("role".to_owned(), "field-choice-invalid".to_owned()),
                ("started_on".to_owned(), "field-date-invalid".to_owned()),
            ]
        );
        let bad = TeamMemberForm {
            member_phone: "ring mig".into(),
            member_email: "inte en adress".into(),
            ..form.clone()
        };
        assert_eq!(
            errors(bad),
            [
                ("member_email".to_owned(), "field-email-invalid".to_owned()),
                ("member_phone".to_owned(), "field-phone-invalid".to_owned()),
            ]
        );
        let phone_only = TeamMemberForm {
            member_phone: "010-486 00 00".into(),
            member_email: "".into(),
            ..form
        };
        assert_eq!(phone_only.parse().unwrap().phone, "010-486 00 00");
    }
}
