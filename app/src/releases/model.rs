//! The anonymised profile and the re-identification guard, shared by both sides.
//!
//! [`AnonymisedProfile`] is the only shape in which anything about a candidate
//! reaches an employer. It has no field that could hold a name, personnummer,
//! contact, exact date, birthplace, nationality, country of origin, gender, health,
//! family or photo: what it cannot hold, no page or e-mail built from it can leak.
//!
//! The guard works on [`QuasiIds`] — the facts an observer could combine to single a
//! person out (age band, education level, occupations, languages other than Swedish
//! and English). A profile may be released only when at least k candidates of the
//! municipality are consistent with what it shows; otherwise [`guard`] widens it
//! step by step (wider age band, SSYK 2-digit groups, rarest language dropped) and
//! says what it changed.

use serde::{Deserialize, Serialize};

use crate::candidates::model::Criterion;

/// The k of the guard when the installation sets none.
pub const DEFAULT_K: usize = 3;

/// An age band as profiles show it: `from`–`to`, or `from`+ when open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AgeBand {
    /// The first age in the band.
    pub from: u8,
    /// The last age in the band (None: and older).
    pub to: Option<u8>,
}

impl AgeBand {
    /// The band of `age`: five years wide, or about ten when `wide`. The wide bands
    /// nest in the reports' 16–24 / 25–54 / 55–64.
    pub fn of(age: i32, wide: bool) -> Self {
        let age = age.clamp(0, 120) as u8;
        if age >= 65 {
            return Self { from: 65, to: None };
        }
        if age < 20 {
            return if wide {
                Self {
                    from: 0,
                    to: Some(24),
                }
            } else {
                Self {
                    from: 0,
                    to: Some(19),
                }
            };
        }
        if wide {
            match age {
                20..=24 => Self {
                    from: 0,
                    to: Some(24),
                },
                25..=34 => Self {
                    from: 25,
                    to: Some(34),
                },
                35..=44 => Self {
                    from: 35,
                    to: Some(44),
                },
                45..=54 => Self {
                    from: 45,
                    to: Some(54),
                },
                _ => Self {
                    from: 55,
                    to: Some(64),
                },
            }
        } else {
            let from = age / 5 * 5;
            Self {
                from,
                to: Some(from + 4),
            }
        }
    }

    /// "25–29", "under 25" is "–24", "65+".
    pub fn label(self) -> String {
        match (self.from, self.to) {
            (0, Some(to)) => format!("–{to}"),
            (from, Some(to)) => format!("{from}–{to}"),
            (from, None) => format!("{from}+"),
        }
    }
}

/// Years of experience as a band, never the exact figure.
pub fn years_band(years: i16) -> &'static str {
    match years {
        i16::MIN..=0 => "0–1",
        1..=2 => "1–2",
        3..=5 => "3–5",
        6..=10 => "6–10",
        _ => "10+",
    }
}

/// A language and its level ("L1" or CEFR A1–C2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileLanguage {
    /// ISO 639 code.
    pub code: String,
    /// "L1" or A1–C2.
    pub level: String,
}

/// Experience in an occupation group, in a band of years.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileExperience {
    /// SSYK 2012 code: four digits, or two after generalisation.
    pub ssyk: String,
    /// The occupation group's name (filled when shown).
    pub name: String,
    /// A band of years (`years_band`).
    pub years: String,
}

/// The highest education: ISCED level and field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileEducation {
    /// ISCED 2011 level 0–8.
    pub isced: i16,
    /// Shown only as its group (see [`education_group`]), without the field.
    pub grouped: bool,
    /// The field, as the coordinator recorded it ("" when grouped).
    pub field: String,
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

/// A candidate as an employer may see them: nothing that identifies the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnonymisedProfile {
    /// The release's random code, e.g. `K-7F3A`.
    pub pseudonym: String,
    /// A one-line headline the coordinator wrote (scanned).
    pub headline: String,
    /// The age band.
    pub age_band: AgeBand,
    /// Languages and levels (Swedish first).
    pub languages: Vec<ProfileLanguage>,
    /// The highest education, if any was recorded.
    pub education: Option<ProfileEducation>,
    /// Experience by occupation group.
    pub experience: Vec<ProfileExperience>,
    /// The job-ready criteria that hold.
    pub criteria_met: Vec<Criterion>,
    /// Driving licence classes ("B,C"), "" none.
    pub driving_licence: String,
    /// Available from this month ("2026-12").
    pub available_month: String,
    /// Preferred occupations: (SSYK code, name).
    pub preferred: Vec<(String, String)>,
    /// A short text the coordinator wrote (scanned).
    pub summary: String,
}

/// The facts an observer could combine to single a candidate out.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QuasiIds {
    /// Age in years today.
    pub age: i32,
    /// The highest ISCED level (None: no education recorded).
    pub isced: Option<i16>,
    /// SSYK unit groups of experience.
    pub occupations: Vec<String>,
    /// Languages other than Swedish and English.
    pub languages: Vec<String>,
}

/// How far a profile was widened before release.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Generalisation {
    /// Age in the wide band.
    pub wide_age: bool,
    /// Occupations as 2-digit SSYK groups.
    pub ssyk_2_digit: bool,
    /// Languages left out.
    pub dropped_languages: Vec<String>,
    /// Education shown as its group only.
    #[serde(default)]
    pub education_grouped: bool,
}

impl Generalisation {
    /// Whether the profile was widened at all.
    pub fn any(&self) -> bool {
        self.wide_age
            || self.ssyk_2_digit
            || !self.dropped_languages.is_empty()
            || self.education_grouped
    }

    /// A short text that identifies this generalisation, so a release posted from a
    /// page can be checked against what the page showed.
    pub fn fingerprint(&self) -> String {
        format!(
            "{}{}{}:{}",
            u8::from(self.wide_age),
            u8::from(self.ssyk_2_digit),
            u8::from(self.education_grouped),
            self.dropped_languages.join(",")
        )
    }
}

fn group(code: &str, two_digit: bool) -> &str {
    if two_digit {
        code.get(..2).unwrap_or(code)
    } else {
        code
    }
}

/// Whether `other` is consistent with what a profile of `target` widened by `g`
/// shows: an observer could not tell the two apart.
pub fn consistent(other: &QuasiIds, target: &QuasiIds, g: &Generalisation) -> bool {
    let education = |q: &QuasiIds| {
        if g.education_grouped {
            q.isced.map(education_group)
        } else {
            q.isced
        }
    };
    AgeBand::of(other.age, g.wide_age) == AgeBand::of(target.age, g.wide_age)
        && education(other) == education(target)
        && target.occupations.iter().all(|code| {
            let wanted = group(code, g.ssyk_2_digit);
            other
                .occupations
                .iter()
                .any(|o| group(o, g.ssyk_2_digit) == wanted)
        })
        && target
            .languages
            .iter()
            .filter(|l| !g.dropped_languages.contains(l))
            .all(|l| other.languages.contains(l))
}

/// How many of `population` (which includes the target) a profile widened by `g`
/// could be.
pub fn crowd(target: &QuasiIds, population: &[QuasiIds], g: &Generalisation) -> usize {
    population
        .iter()
        .filter(|other| consistent(other, target, g))
        .count()
}

/// The guard's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Guarded {
    /// Releasable as built (`crowd` candidates are consistent with it).
    AsIs {
        /// How many candidates the profile could be.
        crowd: usize,
    },
    /// Releasable only widened so.
    Generalised {
        /// The widening.
        generalisation: Generalisation,
        /// How many candidates the unwidened profile could be.
        crowd_before: usize,
        /// How many the widened one could be.
        crowd: usize,
    },
    /// Not releasable: even the widest profile is shared by fewer than k.
    Refused {
        /// How many the widest profile could be.
        crowd: usize,
    },
}

/// One step of widening, in the order [`guard`] tries them.
enum Widen {
    AgeBand,
    Occupations,
    Drop(String),
    Education,
}

/// Checks `target` against `population` for `k`, proposing the least widening that
/// passes: first the age band, then 2-digit occupation groups, then the languages
/// other than Swedish and English dropped one at a time, rarest first, and last the
/// education shown only as its group.
pub fn guard(target: &QuasiIds, population: &[QuasiIds], k: usize) -> Guarded {
    let mut g = Generalisation::default();
    let crowd_before = crowd(target, population, &g);
    if crowd_before >= k {
        return Guarded::AsIs {
            crowd: crowd_before,
        };
    }
    let mut languages: Vec<(usize, &String)> = target
        .languages
        .iter()
        .map(|l| {
            (
                population
                    .iter()
                    .filter(|p| p.languages.contains(l))
                    .count(),
                l,
            )
        })
        .collect();
    languages.sort();
    let mut steps = vec![Widen::AgeBand, Widen::Occupations];
    steps.extend(languages.into_iter().map(|(_, l)| Widen::Drop(l.clone())));
    if target.isced.is_some() {
        steps.push(Widen::Education);
    }
    let mut last = crowd_before;
    for step in steps {
        match step {
            Widen::AgeBand => g.wide_age = true,
            Widen::Occupations => g.ssyk_2_digit = true,
            Widen::Drop(lang) => g.dropped_languages.push(lang),
            Widen::Education => g.education_grouped = true,
        }
        last = crowd(target, population, &g);
        if last >= k {
            return Guarded::Generalised {
                generalisation: g,
                crowd_before,
                crowd: last,
            };
        }
    }
    Guarded::Refused { crowd: last }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(age: i32, isced: Option<i16>, occ: &[&str], langs: &[&str]) -> QuasiIds {
        QuasiIds {
            age,
            isced,
            occupations: occ.iter().map(|s| s.to_string()).collect(),
            languages: langs.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn age_bands_are_five_years_and_widen_to_ten() {
        assert_eq!(AgeBand::of(27, false).label(), "25–29");
        assert_eq!(AgeBand::of(27, true).label(), "25–34");
        assert_eq!(AgeBand::of(19, false).label(), "–19");
        assert_eq!(AgeBand::of(22, true).label(), "–24");
        assert_eq!(AgeBand::of(66, false).label(), "65+");
        assert_eq!(AgeBand::of(60, true).label(), "55–64");
        for age in 16..80 {
            let fine = AgeBand::of(age, false);
            let wide = AgeBand::of(age, true);
            assert!(
                wide.from <= fine.from,
                "the wide band holds the fine one at {age}"
            );
            assert!(wide.to.unwrap_or(u8::MAX) >= fine.to.unwrap_or(u8::MAX));
        }
    }

    #[test]
    fn years_are_shown_in_bands() {
        assert_eq!(years_band(0), "0–1");
        assert_eq!(years_band(2), "1–2");
        assert_eq!(years_band(4), "3–5");
        assert_eq!(years_band(10), "6–10");
        assert_eq!(years_band(25), "10+");
    }

    #[test]
    fn a_common_profile_passes_as_built() {
        let target = q(31, Some(3), &["5321"], &["ar"]);
        let population = vec![
            target.clone(),
            q(33, Some(3), &["5321", "9111"], &["ar", "ti"]),
            q(30, Some(3), &["5321"], &["ar"]),
            q(50, Some(3), &["5321"], &["ar"]),
        ];
        assert_eq!(guard(&target, &population, 3), Guarded::AsIs { crowd: 3 });
    }

    #[test]
    fn a_unique_profile_is_widened_step_by_step_until_k_share_it() {
        let target = q(31, Some(6), &["2211"], &["ti"]);
        let population = vec![
            target.clone(),
            // 37 falls outside even the wide band 25–34.
            q(37, Some(6), &["2211"], &["ti"]),
            q(26, Some(6), &["2212"], &["ti"]),
            q(34, Some(6), &["2219"], &["ti", "ar"]),
        ];
        match guard(&target, &population, 3) {
            Guarded::Generalised {
                generalisation,
                crowd_before,
                crowd,
            } => {
                assert_eq!(crowd_before, 1);
                assert_eq!(crowd, 3);
                assert!(generalisation.wide_age && generalisation.ssyk_2_digit);
                assert!(generalisation.dropped_languages.is_empty());
            }
            other => panic!("expected a generalised profile, got {other:?}"),
        }
    }

    #[test]
    fn the_rarest_language_is_dropped_first() {
        let target = q(40, None, &[], &["so", "ar"]);
        let population = vec![
            target.clone(),
            q(41, None, &[], &["ar"]),
            q(42, None, &[], &["ar", "fa"]),
            q(43, None, &[], &["so", "fa"]),
        ];
        // Somali is spoken by two, Arabic by three: dropping Somali leaves three who
        // speak Arabic.
        match guard(&target, &population, 3) {
            Guarded::Generalised { generalisation, .. } => {
                assert_eq!(generalisation.dropped_languages, vec!["so".to_owned()]);
            }
            other => panic!("expected a generalised profile, got {other:?}"),
        }
    }

    #[test]
    fn education_is_grouped_last() {
        let target = q(40, Some(7), &["2111"], &[]);
        let population = vec![
            target.clone(),
            q(41, Some(6), &["2112"], &[]),
            q(42, Some(5), &["2113"], &[]),
        ];
        match guard(&target, &population, 3) {
            Guarded::Generalised { generalisation, .. } => {
                assert!(generalisation.education_grouped && generalisation.ssyk_2_digit);
            }
            other => panic!("expected a generalised profile, got {other:?}"),
        }
    }

    #[test]
    fn a_profile_no_widening_can_hide_is_refused() {
        let target = q(40, Some(8), &["2111"], &[]);
        let population = vec![target.clone(), q(41, Some(8), &["2111"], &[])];
        assert_eq!(
            guard(&target, &population, 3),
            Guarded::Refused { crowd: 2 }
        );
    }

    #[test]
    fn consistency_needs_every_shown_occupation_and_language() {
        let target = q(30, Some(3), &["5321", "9111"], &["ar"]);
        let g = Generalisation::default();
        assert!(consistent(
            &q(31, Some(3), &["9111", "5321", "7000"], &["ar", "ti"]),
            &target,
            &g
        ));
        assert!(!consistent(
            &q(31, Some(3), &["5321"], &["ar"]),
            &target,
            &g
        ));
        assert!(!consistent(
            &q(31, Some(4), &["5321", "9111"], &["ar"]),
            &target,
            &g
        ));
        assert!(!consistent(
            &q(31, Some(3), &["5321", "9111"], &[]),
            &target,
            &g
        ));
    }
}
