//! The re-identification guard: generalisation and suppression over every field an
//! employer sees.
//!
//! [`shown`] puts one field of a candidate's facts on one rung of its ladder; a
//! profile is those values for a [`Levels`] ([`profile`]). Two candidates are
//! indistinguishable under some levels when every field shows the same; the *crowd*
//! of a profile is how many of the installation's candidates it could be. The guard
//! ([`propose`]) searches the levels for the one with a crowd of at least k that
//! loses least of what the need asks for, by branch and bound over the fields: the
//! candidates still indistinguishable only shrink as fields are added (so a branch
//! under k is cut), and each rung costs more than the one below it (so a branch
//! dearer than the best found is cut). Every ladder nests — equal on a rung means
//! equal on every rung above it — so raising any field never shrinks a crowd: the
//! coordinator may hide more and stays safe.

use chrono::{Datelike, NaiveDate};

use super::model::{
    AgeBand, AnonymisedProfile, EXPERIENCE_RUNGS, FIELDS, Field, Levels, ProfileAvailability,
    ProfileCriteria, ProfileEducation, ProfileExperience, ProfileLanguage, ProfileLicence,
    YearsBand,
};
use crate::candidates::model::Criterion;

/// What the guard knows of one candidate: exactly what a profile could show.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QuasiIds {
    /// Age in years today.
    pub age: i32,
    /// Swedish: "L1" or A1–C2, if recorded.
    pub swedish: Option<String>,
    /// Other languages and their levels, by code.
    pub languages: Vec<(String, String)>,
    /// The highest education (by level, then years): ISCED level and field.
    pub education: Option<(i16, String)>,
    /// Experience: SSYK unit group and years.
    pub experience: Vec<(String, i16)>,
    /// The job-ready criteria that hold, in A–D order.
    pub criteria: Vec<Criterion>,
    /// Driving licence classes, sorted, comma-separated ("" none).
    pub licence: String,
    /// The first day the candidate can start (today at the earliest).
    pub available: NaiveDate,
    /// Preferred occupations (SSYK unit groups).
    pub preferred: Vec<String>,
}

impl QuasiIds {
    /// Puts lists in one order, so equal facts compare equal.
    pub fn normalised(mut self) -> Self {
        self.languages.sort();
        self.languages.dedup();
        self.experience.sort();
        self.criteria
            .sort_by_key(|c| Criterion::ALL.iter().position(|x| x == c));
        self.criteria.dedup();
        let mut classes: Vec<String> = self
            .licence
            .split(',')
            .map(|c| c.trim().to_uppercase())
            .filter(|c| !c.is_empty())
            .collect();
        classes.sort();
        classes.dedup();
        self.licence = classes.join(",");
        self.preferred.sort();
        self.preferred.dedup();
        self
    }
}

/// What the release is for: the need's (or the ring's open needs') occupations and
/// what they ask, and the day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// SSYK codes of the need, or of the ring's open needs.
    pub need_codes: Vec<String>,
    /// Whether a Swedish level is asked for.
    pub swedish_asked: bool,
    /// Whether a driving licence is asked for.
    pub licence_asked: bool,
    /// Today in Stockholm.
    pub today: NaiveDate,
}

impl Scope {
    /// Whether experience in `code` is in the occupation group (two digits) a need
    /// asks for.
    pub fn related(&self, code: &str) -> bool {
        self.need_codes
            .iter()
            .any(|n| n.get(..2).is_some_and(|p| code.get(..2) == Some(p)))
    }
}

/// One field of a profile on one rung.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    /// [`Field::Age`].
    Age(Option<AgeBand>),
    /// [`Field::Swedish`].
    Swedish(Option<String>),
    /// [`Field::Languages`].
    Languages(Vec<ProfileLanguage>),
    /// [`Field::Education`].
    Education(Option<ProfileEducation>),
    /// [`Field::NeedExperience`] and [`Field::OtherExperience`].
    Experience(Vec<ProfileExperience>),
    /// [`Field::Criteria`].
    Criteria(Option<ProfileCriteria>),
    /// [`Field::Licence`].
    Licence(Option<ProfileLicence>),
    /// [`Field::Availability`].
    Available(Option<ProfileAvailability>),
    /// [`Field::Preferred`].
    Preferred(Vec<String>),
}

/// A CEFR level's group: "B1" → "B"; "L1" (first language) stays.
pub fn cefr_group(level: &str) -> String {
    if level == "L1" {
        level.to_owned()
    } else {
        level.chars().take(1).collect()
    }
}

fn prefix(code: &str, digits: usize) -> String {
    code.chars().take(digits).collect()
}

fn experience(items: impl Iterator<Item = (String, i16)>, rung: u8) -> Vec<ProfileExperience> {
    let Some(r) = EXPERIENCE_RUNGS.get(usize::from(rung)) else {
        return Vec::new();
    };
    // Grouped by the shown code; the years of the group's longest occupation, so a
    // coarser rung's band follows from the finer rung's.
    let mut groups: Vec<(String, i16)> = Vec::new();
    for (code, years) in items {
        let code = prefix(&code, r.digits);
        match groups.iter_mut().find(|(c, _)| *c == code) {
            Some((_, y)) => *y = (*y).max(years),
            None => groups.push((code, years)),
        }
    }
    groups.sort();
    groups
        .into_iter()
        .map(|(ssyk, y)| ProfileExperience {
            ssyk,
            name: String::new(),
            years: match r.years {
                0 => Some(YearsBand::fine(y)),
                1 => Some(YearsBand::coarse(y)),
                _ => None,
            },
        })
        .collect()
}

/// Field `f` of `q` on `rung` of its ladder.
pub fn shown(q: &QuasiIds, f: Field, rung: u8, scope: &Scope) -> Shown {
    let hidden = rung >= f.hidden();
    match f {
        Field::Age => Shown::Age((!hidden).then(|| AgeBand::of(q.age, rung))),
        Field::Swedish => Shown::Swedish(if hidden {
            None
        } else if rung == 0 {
            q.swedish.clone()
        } else {
            q.swedish.as_deref().map(cefr_group)
        }),
        Field::Languages => Shown::Languages(match rung {
            0 | 1 => q
                .languages
                .iter()
                .map(|(code, level)| ProfileLanguage::Known {
                    code: code.clone(),
                    level: if rung == 0 {
                        level.clone()
                    } else {
                        cefr_group(level)
                    },
                })
                .collect(),
            2 if !q.languages.is_empty() => vec![ProfileLanguage::Others],
            _ => Vec::new(),
        }),
        Field::Education => {
            Shown::Education(q.education.as_ref().and_then(|(isced, field)| match rung {
                0 if !field.trim().is_empty() => Some(ProfileEducation::Field {
                    isced: *isced,
                    field: field.trim().to_owned(),
                }),
                0 | 1 => Some(ProfileEducation::Level { isced: *isced }),
                2 => Some(ProfileEducation::Group {
                    group: super::model::education_group(*isced),
                }),
                _ => None,
            }))
        }
        Field::NeedExperience | Field::OtherExperience => {
            let wanted = f == Field::NeedExperience;
            Shown::Experience(experience(
                q.experience
                    .iter()
                    .filter(|(code, _)| scope.related(code) == wanted)
                    .cloned(),
                rung,
            ))
        }
        Field::Criteria => Shown::Criteria(match rung {
            0 => Some(ProfileCriteria::Each(q.criteria.clone())),
            1 => Some(ProfileCriteria::JobReady(
                q.criteria.len() == Criterion::ALL.len(),
            )),
            _ => None,
        }),
        Field::Licence => Shown::Licence(match rung {
            0 => Some(ProfileLicence::Classes(q.licence.clone())),
            1 => Some(ProfileLicence::Any(!q.licence.is_empty())),
            _ => None,
        }),
        Field::Availability => {
            let from = q.available.max(scope.today);
            Shown::Available(match rung {
                0 => Some(ProfileAvailability::Month(from.format("%Y-%m").to_string())),
                1 => Some(ProfileAvailability::Quarter {
                    year: from.year(),
                    quarter: (from.month0() / 3 + 1) as u8,
                }),
                2 if (from.year(), from.month()) <= (scope.today.year(), scope.today.month()) => {
                    Some(ProfileAvailability::Now)
                }
                2 => Some(ProfileAvailability::Later),
                _ => None,
            })
        }
        Field::Preferred => Shown::Preferred(if hidden {
            Vec::new()
        } else {
            let mut codes: Vec<String> = q
                .preferred
                .iter()
                .map(|c| prefix(c, 4 - usize::from(rung)))
                .collect();
            codes.sort();
            codes.dedup();
            codes
        }),
    }
}

/// The profile of `q` under `levels` (pseudonym, texts and names left empty).
pub fn profile(q: &QuasiIds, levels: &Levels, scope: &Scope) -> AnonymisedProfile {
    let mut p = AnonymisedProfile {
        pseudonym: String::new(),
        headline: String::new(),
        age: None,
        swedish: None,
        languages: Vec::new(),
        education: None,
        experience: Vec::new(),
        criteria: None,
        licence: None,
        available: None,
        preferred: Vec::new(),
        summary: String::new(),
    };
    for f in Field::ALL {
        match shown(q, f, levels.of(f), scope) {
            Shown::Age(v) => p.age = v,
            Shown::Swedish(v) => p.swedish = v,
            Shown::Languages(v) => p.languages = v,
            Shown::Education(v) => p.education = v,
            Shown::Experience(v) => {
                // The need's groups first; at one digit both parts may name the
                // same group: it is listed once.
                for e in v {
                    match p.experience.iter_mut().find(|x| x.ssyk == e.ssyk) {
                        Some(x) => x.years = x.years.max(e.years),
                        None => p.experience.push(e),
                    }
                }
            }
            Shown::Criteria(v) => p.criteria = v,
            Shown::Licence(v) => p.licence = v,
            Shown::Available(v) => p.available = v,
            Shown::Preferred(v) => {
                p.preferred = v.into_iter().map(|c| (c, String::new())).collect();
            }
        }
    }
    p
}

/// How much each field matters, toward `scope`: what the need asks for (its
/// occupation group, Swedish level, licence) outweighs everything else together, so
/// the rest is thinned first.
pub fn weights(scope: &Scope) -> [u32; FIELDS] {
    // The rest: what employers read first (job-readiness, Swedish, when) weighs more.
    let mut w = [0; FIELDS];
    for f in Field::ALL {
        w[f.index()] = match f {
            Field::Age => 2,
            Field::Swedish => 5,
            Field::Languages => 2,
            Field::Education => 3,
            Field::NeedExperience => 8,
            Field::OtherExperience => 3,
            Field::Criteria => 6,
            Field::Licence => 3,
            Field::Availability => 4,
            Field::Preferred => 3,
        };
    }
    let asked = 60;
    if !scope.need_codes.is_empty() {
        w[Field::NeedExperience.index()] += asked;
    }
    if scope.swedish_asked {
        w[Field::Swedish.index()] += asked;
    }
    if scope.licence_asked {
        w[Field::Licence.index()] += asked;
    }
    w
}

/// What a rung costs: the field's weight times how far up its ladder (hidden costs
/// the whole weight). 60 is divisible by every ladder's length less one.
fn cost(weight: u32, f: Field, rung: u8) -> u32 {
    weight * 60 * u32::from(rung) / u32::from(f.hidden())
}

/// The guard's choice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    /// How far each field must at least be generalised.
    pub levels: Levels,
    /// How many candidates the profile could be.
    pub crowd: usize,
    /// How many the exact profile could be.
    pub crowd_exact: usize,
}

/// Who, of `population`, shows the same as `target` in field `f` on `rung`: a bitset.
fn same(target: &QuasiIds, population: &[QuasiIds], f: Field, rung: u8, scope: &Scope) -> Vec<u64> {
    let mut bits = vec![0u64; population.len().div_ceil(64)];
    if rung >= f.hidden() {
        for (i, _) in population.iter().enumerate() {
            bits[i / 64] |= 1 << (i % 64);
        }
        return bits;
    }
    let mine = shown(target, f, rung, scope);
    for (i, q) in population.iter().enumerate() {
        if shown(q, f, rung, scope) == mine {
            bits[i / 64] |= 1 << (i % 64);
        }
    }
    bits
}

struct Search<'a> {
    order: [Field; FIELDS],
    bits: &'a [Vec<Vec<u64>>],
    costs: [[u32; 8]; FIELDS],
    k: usize,
    levels: Levels,
    best: Option<(u32, Levels, usize)>,
}

impl Search<'_> {
    fn run(&mut self, depth: usize, acc: &[u64], have: usize, spent: u32, bufs: &mut [Vec<u64>]) {
        let f = self.order[depth];
        let Some((mine, rest)) = bufs.split_first_mut() else {
            return;
        };
        for rung in 0..f.rungs() {
            let total = spent + self.costs[f.index()][usize::from(rung)];
            if self.best.as_ref().is_some_and(|(b, _, _)| total >= *b) {
                // Rungs only cost more from here on.
                break;
            }
            let mut count = 0;
            for ((m, a), b) in mine
                .iter_mut()
                .zip(acc)
                .zip(&self.bits[f.index()][usize::from(rung)])
            {
                *m = a & b;
                count += m.count_ones() as usize;
            }
            if count >= self.k {
                self.levels.set(f, rung);
                if depth + 1 == FIELDS {
                    self.best = Some((total, self.levels, count));
                    break;
                }
                self.run(depth + 1, mine, count, total, rest);
            }
            if count == have {
                // Nobody left to gain: a higher rung shows less for the same crowd.
                break;
            }
        }
    }
}

/// The levels that let at least `k` of `population` (which holds `target`) share
/// the profile, losing least of what `scope` asks for; None when even a profile
/// that shows nothing is shared by fewer than `k` (an installation smaller than k).
pub fn propose(
    target: &QuasiIds,
    population: &[QuasiIds],
    k: usize,
    scope: &Scope,
) -> Option<Proposal> {
    let k = k.max(1);
    if population.len() < k {
        return None;
    }
    let bits: Vec<Vec<Vec<u64>>> = Field::ALL
        .iter()
        .map(|f| {
            (0..f.rungs())
                .map(|rung| same(target, population, *f, rung, scope))
                .collect()
        })
        .collect();
    let w = weights(scope);
    let mut costs = [[0u32; 8]; FIELDS];
    for f in Field::ALL {
        for rung in 0..f.rungs() {
            costs[f.index()][usize::from(rung)] = cost(w[f.index()], f, rung);
        }
    }
    // The heaviest fields first: their choice bounds the rest soonest. Ties keep the
    // profile's order, so the answer is the same every time.
    let mut order = Field::ALL;
    order.sort_by_key(|f| std::cmp::Reverse(w[f.index()]));
    let everyone: Vec<u64> = bits[0][usize::from(Field::Age.hidden())].clone();
    let mut bufs = vec![vec![0u64; everyone.len()]; FIELDS];
    let mut search = Search {
        order,
        bits: &bits,
        costs,
        k,
        levels: Levels::EXACT,
        best: None,
    };
    search.run(0, &everyone, population.len(), 0, &mut bufs);
    let (_, levels, crowd) = search.best?;
    Some(Proposal {
        levels,
        crowd,
        crowd_exact: crowd_of(target, population, &Levels::EXACT, scope),
    })
}

/// How many of `population` show the same as `target` in every field under `levels`.
pub fn crowd_of(
    target: &QuasiIds,
    population: &[QuasiIds],
    levels: &Levels,
    scope: &Scope,
) -> usize {
    let mine: Vec<Shown> = Field::ALL
        .iter()
        .map(|f| shown(target, *f, levels.of(*f), scope))
        .collect();
    population
        .iter()
        .filter(|q| {
            Field::ALL
                .iter()
                .zip(&mine)
                .all(|(f, m)| shown(q, *f, levels.of(*f), scope) == *m)
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng, rngs::StdRng};

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("a date")
    }

    fn scope(codes: &[&str], swedish: bool, licence: bool) -> Scope {
        Scope {
            need_codes: codes.iter().map(|c| c.to_string()).collect(),
            swedish_asked: swedish,
            licence_asked: licence,
            today: day("2026-12-04"),
        }
    }

    fn q(age: i32, swedish: &str, langs: &[(&str, &str)], exp: &[(&str, i16)]) -> QuasiIds {
        QuasiIds {
            age,
            swedish: Some(swedish.to_owned()),
            languages: langs
                .iter()
                .map(|(c, l)| (c.to_string(), l.to_string()))
                .collect(),
            education: Some((3, "Bygg".to_owned())),
            experience: exp.iter().map(|(c, y)| (c.to_string(), *y)).collect(),
            criteria: Criterion::ALL.to_vec(),
            licence: "B".to_owned(),
            available: day("2026-12-04"),
            preferred: Vec::new(),
        }
        .normalised()
    }

    /// A municipality of `n` with skewed mixes: most speak Arabic or Dari, a few
    /// rarer languages; ages cluster in the late twenties and thirties.
    fn municipality(n: usize, seed: u64) -> Vec<QuasiIds> {
        let mut rng = StdRng::seed_from_u64(seed);
        let langs = ["ar", "ar", "ar", "prs", "prs", "ti", "so", "uk", "ku", "am"];
        let levels = ["L1", "B1", "B2", "A2", "C1"];
        let swedish = ["A1", "A2", "A2", "B1", "B1", "B2", "C1"];
        let codes = [
            "7111", "7112", "5321", "5322", "9111", "5120", "8332", "4321", "2221", "7411",
        ];
        (0..n)
            .map(|_| {
                let age = 20 + rng.random_range(0..15) + rng.random_range(0..25);
                let mut languages = vec![(
                    langs[rng.random_range(0..langs.len())].to_owned(),
                    "L1".to_owned(),
                )];
                if rng.random_bool(0.5) {
                    languages.push((
                        "en".to_owned(),
                        levels[rng.random_range(0..levels.len())].to_owned(),
                    ));
                }
                let experience = (0..rng.random_range(0..3))
                    .map(|_| {
                        (
                            codes[rng.random_range(0..codes.len())].to_owned(),
                            rng.random_range(0..15),
                        )
                    })
                    .collect();
                QuasiIds {
                    age,
                    swedish: Some(swedish[rng.random_range(0..swedish.len())].to_owned()),
                    languages,
                    education: rng.random_bool(0.8).then(|| {
                        (
                            rng.random_range(1..8),
                            ["Bygg", "Vård", ""][rng.random_range(0..3)].to_owned(),
                        )
                    }),
                    experience,
                    criteria: Criterion::ALL
                        .iter()
                        .copied()
                        .filter(|_| rng.random_bool(0.7))
                        .collect(),
                    licence: ["", "", "B", "B,C", "AM"][rng.random_range(0..5)].to_owned(),
                    available: day("2026-12-04") + chrono::Duration::days(rng.random_range(0..200)),
                    preferred: (0..rng.random_range(0..3))
                        .map(|_| codes[rng.random_range(0..codes.len())].to_owned())
                        .collect(),
                }
                .normalised()
            })
            .collect()
    }

    /// The brute force the search must agree with: the cheapest of all the
    /// lattice's levels whose crowd reaches k (crowds from the same per-field sets).
    fn cheapest(target: &QuasiIds, population: &[QuasiIds], k: usize, s: &Scope) -> u32 {
        let w = weights(s);
        let sets: Vec<u64> = Field::ALL
            .iter()
            .flat_map(|f| (0..f.rungs()).map(move |r| (*f, r)))
            .map(|(f, r)| same(target, population, f, r, s)[0])
            .collect();
        let offset = |f: Field| -> usize {
            Field::ALL[..f.index()]
                .iter()
                .map(|x| usize::from(x.rungs()))
                .sum()
        };
        let mut best = u32::MAX;
        let mut levels = [0u8; FIELDS];
        loop {
            let mut set = u64::MAX;
            let mut c = 0;
            for f in Field::ALL {
                let r = levels[f.index()];
                set &= sets[offset(f) + usize::from(r)];
                c += cost(w[f.index()], f, r);
            }
            if set.count_ones() as usize >= k {
                best = best.min(c);
            }
            // The next levels, like an odometer.
            let mut i = 0;
            loop {
                if i == FIELDS {
                    return best;
                }
                levels[i] += 1;
                if levels[i] < Field::ALL[i].rungs() {
                    break;
                }
                levels[i] = 0;
                i += 1;
            }
        }
    }

    #[test]
    fn every_ladder_nests_so_hiding_more_never_shrinks_a_crowd() {
        let people = municipality(300, 7);
        let s = scope(&["7111"], true, true);
        for f in Field::ALL {
            for rung in 0..f.hidden() {
                for a in people.iter().take(40) {
                    for b in &people {
                        if shown(a, f, rung, &s) == shown(b, f, rung, &s) {
                            assert_eq!(
                                shown(a, f, rung + 1, &s),
                                shown(b, f, rung + 1, &s),
                                "{f:?} {rung}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_common_profile_is_shown_exactly() {
        let one = q(31, "B1", &[("ar", "L1")], &[("5321", 4)]);
        let population = vec![one.clone(), one.clone(), one.clone(), q(50, "A1", &[], &[])];
        let p = propose(&one, &population, 3, &scope(&[], false, false)).expect("releasable");
        assert_eq!(p.levels, Levels::EXACT);
        assert_eq!((p.crowd, p.crowd_exact), (3, 3));
    }

    #[test]
    fn what_the_need_asks_for_is_kept_and_the_rest_thinned() {
        // Three carpenters with Swedish B1 and a licence, otherwise all different.
        let target = q(31, "B1", &[("ti", "L1")], &[("7115", 6)]);
        let mut population = vec![
            target.clone(),
            q(44, "B1", &[("ar", "L1")], &[("7115", 2)]),
            q(58, "B1", &[("uk", "L1"), ("en", "B2")], &[("7115", 12)]),
        ];
        population.push(q(31, "A2", &[("ti", "L1")], &[("5120", 6)]));
        let s = scope(&["7115"], true, true);
        let p = propose(&target, &population, 3, &s).expect("releasable");
        assert!(p.crowd >= 3);
        let shown_profile = profile(&target, &p.levels, &s);
        assert_eq!(
            shown_profile.swedish.as_deref(),
            Some("B1"),
            "{:?}",
            p.levels
        );
        assert_eq!(
            shown_profile.licence,
            Some(ProfileLicence::Classes("B".into()))
        );
        assert_eq!(
            shown_profile.experience.first().map(|e| e.ssyk.as_str()),
            Some("7115")
        );
        assert_eq!(
            p.levels.of(Field::Age),
            Field::Age.hidden(),
            "age differs most: hidden"
        );
        assert!(p.levels.of(Field::Languages) >= 2, "Tigrinya is not named");
    }

    #[test]
    fn the_search_finds_the_cheapest_levels_a_brute_force_finds() {
        // Small populations, so every one of the lattice's levels can be tried.
        for seed in 0..4 {
            let people = municipality(12, seed);
            let s = scope(&["5321"], seed % 2 == 0, seed % 3 == 0);
            let target = &people[usize::try_from(seed).expect("small")];
            let p = propose(target, &people, 3, &s).expect("twelve is more than three");
            let w = weights(&s);
            let got: u32 = Field::ALL
                .iter()
                .map(|f| cost(w[f.index()], *f, p.levels.of(*f)))
                .sum();
            assert_eq!(got, cheapest(target, &people, 3, &s), "seed {seed}");
            assert_eq!(p.crowd, crowd_of(target, &people, &p.levels, &s));
        }
    }

    #[test]
    fn over_generated_municipalities_every_proposal_is_shared_by_k_and_is_stable() {
        for (n, seed) in [(60, 1), (200, 2), (1000, 3), (25, 4)] {
            let people = municipality(n, seed);
            for k in [2, 3, 5] {
                for target in people.iter().step_by((n / 20).max(1)) {
                    let s = scope(&["7112"], true, false);
                    let p = propose(target, &people, k, &s).expect("n ≥ k");
                    assert!(p.crowd >= k);
                    // Counted on the assembled profile, as an employer sees it.
                    let mine = profile(target, &p.levels, &s);
                    let seen = people
                        .iter()
                        .filter(|o| profile(o, &p.levels, &s) == mine)
                        .count();
                    assert!(seen >= k, "n {n} k {k}: {seen}");
                    assert_eq!(propose(target, &people, k, &s), Some(p), "deterministic");
                }
            }
        }
    }

    #[test]
    fn an_installation_smaller_than_k_releases_nothing() {
        let one = q(31, "B1", &[], &[]);
        assert_eq!(
            propose(
                &one,
                std::slice::from_ref(&one),
                3,
                &scope(&[], false, false)
            ),
            None
        );
    }

    #[test]
    fn experience_shows_the_longest_occupation_of_each_group_and_related_groups_apart() {
        let who = q(30, "B1", &[], &[("7111", 2), ("7112", 7), ("5120", 1)]);
        let s = scope(&["7119"], false, false);
        let Shown::Experience(coarse) = shown(&who, Field::NeedExperience, 1, &s) else {
            panic!("experience");
        };
        assert_eq!(
            coarse
                .iter()
                .map(|e| (e.ssyk.as_str(), e.years))
                .collect::<Vec<_>>(),
            vec![
                ("7111", Some(YearsBand::UnderThree)),
                ("7112", Some(YearsBand::ThreeToTen))
            ]
        );
        let Shown::Experience(need) = shown(&who, Field::NeedExperience, 3, &s) else {
            panic!("experience");
        };
        assert_eq!(
            need,
            vec![ProfileExperience {
                ssyk: "711".into(),
                name: String::new(),
                years: None
            }]
        );
        let Shown::Experience(other) = shown(&who, Field::OtherExperience, 0, &s) else {
            panic!("experience");
        };
        assert_eq!(other.len(), 1);
        assert_eq!(other[0].ssyk, "5120");
    }
}
