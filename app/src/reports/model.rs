//! The follow-up figures of the Linköping model, computed from plain facts so that
//! every rule is in one place and testable without a database: who is counted
//! (the cohort enrolled in the period, or those active in it), which dates decide,
//! the breakdown by gender and age band, and the small-cell suppression of anything
//! an employer sees.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::candidates::model::{ExitReason, Gender};
use crate::needs::model::EmploymentForm;

/// The municipality's goal: this share self-sufficient within 18 months.
pub const GOAL_PERCENT: u32 = 60;
/// "Within 18 months" is by this day after enrolment (day 0 is the enrolment day).
pub const SELF_SUFFICIENT_DAYS: i64 = 548;
/// "Within 4 months" is by this day after enrolment.
pub const JOB_READY_DAYS: i64 = 122;
/// The smallest number of persons an employer may see in a cell.
pub const MIN_CELL: u32 = 3;
/// A period is at most this long (ten years), so a report stays a report.
pub const MAX_PERIOD_DAYS: i64 = 3_660;

/// The spells during which each thing (a need) was open, from its history of
/// statuses in order, grouped by `key`: open from a day it became `open` to the day it
/// next became something else (that day), or to now (None).
pub fn open_spells<K: Copy + PartialEq>(
    history: impl IntoIterator<Item = (K, NaiveDate, bool)>,
) -> Vec<(K, NaiveDate, Option<NaiveDate>)> {
    let mut spells = Vec::new();
    let mut current: Option<(K, NaiveDate)> = None;
    for (key, day, open) in history {
        if let Some((k, start)) = current
            && (k != key || !open)
        {
            spells.push((k, start, (k == key).then_some(day)));
            current = None;
        }
        if open && current.is_none() {
            current = Some((key, day));
        }
    }
    if let Some((k, start)) = current {
        spells.push((k, start, None));
    }
    spells
}

/// The reports' age bands, by age on the day of enrolment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Band {
    /// 16–24.
    Young,
    /// 25–54.
    Middle,
    /// 55–64.
    Older,
    /// Under 16 or over 64 (kept so that the bands add up to the total).
    Other,
}

impl Band {
    /// Every band, in column order.
    pub const ALL: [Self; 4] = [Self::Young, Self::Middle, Self::Older, Self::Other];

    /// The band of someone `age` years old.
    pub fn of_age(age: i32) -> Self {
        match age {
            16..=24 => Self::Young,
            25..=54 => Self::Middle,
            55..=64 => Self::Older,
            _ => Self::Other,
        }
    }

    /// As `erased_candidates.age_band` stores it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Young => "16-24",
            Self::Middle => "25-54",
            Self::Older => "55-64",
            Self::Other => "other",
        }
    }

    /// Reads a stored band (anything unknown is `Other`).
    pub fn parse(s: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|b| b.as_str() == s)
            .unwrap_or(Self::Other)
    }
}

/// The columns of every table: the total, then gender, then age band.
pub const COLUMNS: usize = 8;
/// The i18n keys of the column headings, in order.
pub const COLUMN_KEYS: [&str; COLUMNS] = [
    "report-col-total",
    "report-col-women",
    "report-col-men",
    "report-col-other-gender",
    "report-col-16-24",
    "report-col-25-54",
    "report-col-55-64",
    "report-col-other-age",
];

fn gender_column(g: Gender) -> usize {
    match g {
        Gender::Woman => 1,
        Gender::Man => 2,
        Gender::Other => 3,
    }
}

fn band_column(b: Band) -> usize {
    match b {
        Band::Young => 4,
        Band::Middle => 5,
        Band::Older => 6,
        Band::Other => 7,
    }
}

/// Persons counted per column (the total, by gender, by age band).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts(pub [u32; COLUMNS]);

impl Counts {
    /// Counts one person.
    pub fn add(&mut self, p: &Person) {
        self.0[0] += 1;
        self.0[gender_column(p.gender)] += 1;
        self.0[band_column(p.band)] += 1;
    }

    /// The total.
    pub fn total(&self) -> u32 {
        self.0[0]
    }
}

/// Days per column, for means.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DaySums(pub [u64; COLUMNS]);

impl DaySums {
    fn add(&mut self, p: &Person, days: u64) {
        self.0[0] += days;
        self.0[gender_column(p.gender)] += days;
        self.0[band_column(p.band)] += days;
    }
}

/// What the programme's timeline can hold that the period figures count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SpellKind {
    /// Internship (praktik).
    Internship,
    /// Short vocational training.
    Training,
    /// A job.
    Employment,
    /// A job track (jobbspår): from enrolment (or the track's first day) to the day the
    /// participant completed or left it (or the track's last day).
    Track,
}

/// One dated activity of a candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spell {
    /// What it was.
    pub kind: SpellKind,
    /// First day.
    pub start: NaiveDate,
    /// Last day, if it has ended or an end is planned.
    pub end: Option<NaiveDate>,
    /// The form of a job, as stored (parsed when counted).
    pub form: Option<EmploymentForm>,
}

/// One candidate as the reports see them: no name, no number, only what is counted.
/// An erased candidate is kept in this shape too, with the dates erasure keeps
/// (the enrolment month and day counts from it) and no spells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// Gender.
    pub gender: Gender,
    /// Age band on the day of enrolment.
    pub band: Band,
    /// Day of enrolment (for an erased candidate, the first of the month).
    pub enrolled_on: NaiveDate,
    /// The first day all four job-ready criteria held.
    pub job_ready_on: Option<NaiveDate>,
    /// The first day of self-sufficiency.
    pub self_sufficient_on: Option<NaiveDate>,
    /// The last exit without self-sufficiency: the reason, and the day (unknown
    /// after erasure).
    pub exit: Option<(ExitReason, Option<NaiveDate>)>,
    /// The first job after enrolment: its form (None when not stated), and the day
    /// (unknown after erasure).
    pub first_job: Option<(Option<EmploymentForm>, Option<NaiveDate>)>,
    /// Internships, trainings and jobs, dated (none after erasure).
    pub spells: Vec<Spell>,
}

impl Person {
    /// Someone enrolled on `enrolled_on` with nothing on the timeline yet.
    pub fn new(gender: Gender, band: Band, enrolled_on: NaiveDate) -> Self {
        Self {
            gender,
            band,
            enrolled_on,
            job_ready_on: None,
            self_sufficient_on: None,
            exit: None,
            first_job: None,
            spells: Vec::new(),
        }
    }
}

/// A closed range of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// First day.
    pub from: NaiveDate,
    /// Last day (inclusive).
    pub to: NaiveDate,
}

impl Period {
    /// Whether `day` is in the period.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }

    /// Whether something from `start` to `end` (open-ended when None) touches it.
    pub fn overlaps(&self, start: NaiveDate, end: Option<NaiveDate>) -> bool {
        start <= self.to && end.is_none_or(|e| e >= self.from)
    }
}

/// A firm's part in the firm figures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirmFacts {
    /// Days a coordinator logged a contact with the firm.
    pub contacts: Vec<NaiveDate>,
    /// Spells during which one of its needs was open (end None: still open).
    pub open_needs: Vec<(NaiveDate, Option<NaiveDate>)>,
}

/// One point of the monthly (or coarser) trend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendPoint {
    /// First day of the bucket.
    pub start: NaiveDate,
    /// Last day of the bucket (within the period).
    pub end: NaiveDate,
    /// Enrolled in it.
    pub enrolled: u32,
    /// Became job-ready in it.
    pub job_ready: u32,
    /// Became self-sufficient in it.
    pub self_sufficient: u32,
}

/// Every figure of one report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    /// The period.
    pub period: Period,
    /// Outcomes are followed up to this day.
    pub as_of: NaiveDate,
    /// Enrolled in the period (the cohort).
    pub cohort: Counts,
    /// Of the cohort, those whose day 548 has come by `as_of`.
    pub matured: Counts,
    /// Of `matured`, self-sufficient by day 548.
    pub self_sufficient_18m: Counts,
    /// Of the cohort, job-ready by day 122.
    pub job_ready_4m: Counts,
    /// Of the cohort, self-sufficient by `as_of`.
    pub self_sufficient: Counts,
    /// Their days from enrolment to self-sufficiency, summed.
    pub days_to_self_sufficiency: DaySums,
    /// Of the cohort, exits without self-sufficiency by `as_of`, per reason.
    pub exits: Vec<(ExitReason, Counts)>,
    /// Of the cohort, the first job by `as_of`, per form (None: not stated).
    pub jobs: Vec<(Option<EmploymentForm>, Counts)>,
    /// In an internship at some time in the period.
    pub in_internship: Counts,
    /// Of those, a job started on or after the internship's first day.
    pub job_after_internship: Counts,
    /// In short vocational training at some time in the period.
    pub in_training: Counts,
    /// Of those, a job started on or after the training's first day.
    pub job_after_training: Counts,
    /// In a job track at some time in the period.
    pub in_track: Counts,
    /// Of those, a job started on or after their first day in the track.
    pub job_after_track: Counts,
    /// Firms with a contact logged in the period.
    pub firms_contacted: u32,
    /// Firms with a need open at some time in the period.
    pub firms_with_needs: u32,
    /// Per month (or quarter, or year for long periods).
    pub trend: Vec<TrendPoint>,
}

impl Figures {
    /// The mean days to self-sufficiency per column (None where nobody counts).
    pub fn mean_days(&self) -> [Option<f64>; COLUMNS] {
        std::array::from_fn(|i| {
            let n = self.self_sufficient.0[i];
            (n > 0).then(|| self.days_to_self_sufficiency.0[i] as f64 / f64::from(n))
        })
    }

    /// The 18-month share per column, in per cent (None where nobody is matured).
    pub fn share_18m(&self) -> [Option<f64>; COLUMNS] {
        std::array::from_fn(|i| share(self.self_sufficient_18m.0[i], self.matured.0[i]))
    }
}

/// `part` of `whole` in per cent.
pub fn share(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| f64::from(part) * 100.0 / f64::from(whole))
}

fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

/// Computes every figure for `period` from `people` and `firms`, following outcomes
/// up to `as_of`. Events dated after `as_of` (planned ones) do not count.
pub fn compute(
    people: &[Person],
    firms: &[FirmFacts],
    period: Period,
    as_of: NaiveDate,
) -> Figures {
    let happened = |day: Option<NaiveDate>| day.is_none_or(|d| d <= as_of);
    let mut f = Figures {
        period,
        as_of,
        cohort: Counts::default(),
        matured: Counts::default(),
        self_sufficient_18m: Counts::default(),
        job_ready_4m: Counts::default(),
        self_sufficient: Counts::default(),
        days_to_self_sufficiency: DaySums::default(),
        exits: ExitReason::ALL
            .iter()
            .map(|r| (*r, Counts::default()))
            .collect(),
        jobs: EmploymentForm::ALL
            .iter()
            .map(|f| (Some(*f), Counts::default()))
            .chain([(None, Counts::default())])
            .collect(),
        in_internship: Counts::default(),
        job_after_internship: Counts::default(),
        in_training: Counts::default(),
        job_after_training: Counts::default(),
        in_track: Counts::default(),
        job_after_track: Counts::default(),
        firms_contacted: 0,
        firms_with_needs: 0,
        trend: buckets(period)
            .into_iter()
            .map(|(start, end)| TrendPoint {
                start,
                end,
                enrolled: 0,
                job_ready: 0,
                self_sufficient: 0,
            })
            .collect(),
    };
    for p in people {
        let self_sufficient = p.self_sufficient_on.filter(|d| *d <= as_of);
        if period.contains(p.enrolled_on) {
            f.cohort.add(p);
            let day548 = p.enrolled_on + chrono::Duration::days(SELF_SUFFICIENT_DAYS);
            if day548 <= as_of {
                f.matured.add(p);
                if self_sufficient.is_some_and(|d| d <= day548) {
                    f.self_sufficient_18m.add(p);
                }
            }
            if p.job_ready_on
                .filter(|d| *d <= as_of)
                .is_some_and(|d| days_between(p.enrolled_on, d) <= JOB_READY_DAYS)
            {
                f.job_ready_4m.add(p);
            }
            if let Some(d) = self_sufficient {
                f.self_sufficient.add(p);
                let days = days_between(p.enrolled_on, d).max(0);
                f.days_to_self_sufficiency.add(p, days.unsigned_abs());
            }
            if let Some((reason, day)) = p.exit
                && happened(day)
                && self_sufficient.is_none()
                && let Some(row) = f.exits.iter_mut().find(|(r, _)| *r == reason)
            {
                row.1.add(p);
            }
            if let Some((form, day)) = p.first_job
                && happened(day)
                && let Some(row) = f.jobs.iter_mut().find(|(f, _)| *f == form)
            {
                row.1.add(p);
            }
        }
        let jobs: Vec<NaiveDate> = p
            .spells
            .iter()
            .filter(|s| s.kind == SpellKind::Employment && s.start <= as_of)
            .map(|s| s.start)
            .collect();
        for (kind, in_it, job_after) in [
            (
                SpellKind::Internship,
                &mut f.in_internship,
                &mut f.job_after_internship,
            ),
            (
                SpellKind::Training,
                &mut f.in_training,
                &mut f.job_after_training,
            ),
            (SpellKind::Track, &mut f.in_track, &mut f.job_after_track),
        ] {
            let first = p
                .spells
                .iter()
                .filter(|s| s.kind == kind && s.start <= as_of && period.overlaps(s.start, s.end))
                .map(|s| s.start)
                .min();
            if let Some(start) = first {
                in_it.add(p);
                if jobs.iter().any(|j| *j >= start) {
                    job_after.add(p);
                }
            }
        }
        for point in &mut f.trend {
            let bucket = Period {
                from: point.start,
                to: point.end,
            };
            point.enrolled += u32::from(bucket.contains(p.enrolled_on));
            point.job_ready += u32::from(
                p.job_ready_on
                    .is_some_and(|d| bucket.contains(d) && d <= as_of),
            );
            point.self_sufficient += u32::from(self_sufficient.is_some_and(|d| bucket.contains(d)));
        }
    }
    for firm in firms {
        f.firms_contacted += u32::from(firm.contacts.iter().any(|d| period.contains(*d)));
        f.firms_with_needs += u32::from(
            firm.open_needs
                .iter()
                .any(|(start, end)| period.overlaps(*start, *end)),
        );
    }
    f
}

/// The trend's buckets for `period`: months when it spans at most 36 of them,
/// quarters up to 36 quarters, years beyond. The first and last are cut to the period.
pub fn buckets(period: Period) -> Vec<(NaiveDate, NaiveDate)> {
    let months = (period.to.year() - period.from.year()) * 12 + period.to.month() as i32
        - period.from.month() as i32
        + 1;
    let step = if months <= 36 {
        1
    } else if months <= 108 {
        3
    } else {
        12
    };
    let first_of = |d: NaiveDate| {
        let month0 = (d.month0() / step) * step;
        let month0 = if step == 12 { 0 } else { month0 };
        NaiveDate::from_ymd_opt(d.year(), month0 + 1, 1).unwrap_or(d)
    };
    let mut out = Vec::new();
    let mut start = first_of(period.from);
    while start <= period.to {
        let Some(next) = start.checked_add_months(Months::new(step)) else {
            break;
        };
        let end = next.pred_opt().unwrap_or(next).min(period.to);
        out.push((start.max(period.from), end));
        start = next;
    }
    out
}

/// A cell as shown: a number, or hidden to protect small counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Shown {
    /// The count.
    Count(u32),
    /// Hidden: under three persons, or hidden so that one cannot be worked out.
    Hidden,
}

/// Suppresses `counts` for an employer's eyes. A count of 1 or 2 is hidden; so is
/// enough else that no hidden 1 or 2 can be worked out from the total and the
/// other cells of its group (gender, or age band), neither by someone who takes a
/// hidden cell for any number nor by someone who takes every hidden cell for 0–2:
/// - a total under 3 hides the whole row;
/// - a group with a hidden cell also hides its smallest cell of 3 or more, or, when
///   it has none, its zeros;
/// - while the hidden cells of a group add up to exactly 2 per cell (which would
///   read as "all of them 2"), one more cell is hidden; when none is left, the row.
pub fn suppress(counts: &Counts) -> [Shown; COLUMNS] {
    let c = counts.0;
    let all_hidden = [Shown::Hidden; COLUMNS];
    if c[0] == 0 {
        return c.map(Shown::Count);
    }
    if c[0] < MIN_CELL {
        return all_hidden;
    }
    let mut hidden = [false; COLUMNS];
    for group in [1..4, 4..8] {
        let small = group.clone().filter(|&i| (1..MIN_CELL).contains(&c[i]));
        let mut any = false;
        for i in small {
            hidden[i] = true;
            any = true;
        }
        if !any {
            continue;
        }
        // The next cell to hide: the smallest of 3 or more, else a zero.
        let next = |hidden: &[bool; COLUMNS]| {
            let open = group.clone().filter(|&i| !hidden[i]);
            open.clone()
                .filter(|&i| c[i] >= MIN_CELL)
                .min_by_key(|&i| (c[i], i))
                .or_else(|| open.clone().find(|&i| c[i] == 0))
        };
        if let Some(i) = next(&hidden) {
            hidden[i] = true;
            if c[i] == 0 {
                for j in group.clone().filter(|&j| c[j] == 0) {
                    hidden[j] = true;
                }
            }
        }
        loop {
            let k = group.clone().filter(|&i| hidden[i]).count() as u32;
            let sum: u32 = group.clone().filter(|&i| hidden[i]).map(|i| c[i]).sum();
            if sum != 2 * k {
                break;
            }
            match next(&hidden) {
                Some(i) => hidden[i] = true,
                None => return all_hidden,
            }
        }
    }
    std::array::from_fn(|i| {
        if hidden[i] {
            Shown::Hidden
        } else {
            Shown::Count(c[i])
        }
    })
}

/// A lone count for an employer's eyes: hidden when 1 or 2.
pub fn suppress_one(n: u32) -> Shown {
    if (1..MIN_CELL).contains(&n) {
        Shown::Hidden
    } else {
        Shown::Count(n)
    }
}

/// The facts of the ring statistics an employer sees, before suppression.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RingFacts {
    /// Needs of the ring that first opened in the period.
    pub needs_posted: u32,
    /// Needs of the ring marked filled in the period.
    pub needs_filled: u32,
    /// Candidates who began an internship at a firm or need of the ring in the period.
    pub internships: Counts,
    /// Candidates who began a job at a firm or need of the ring in the period.
    pub hires: Counts,
}

/// The period an employer's ring statistics cover for `year`: the calendar year,
/// or for the current year up to the end of its last complete quarter (so that the
/// figures change four times a year, not daily, and a difference between two
/// visits cannot single out one hire). None when `year` has no complete quarter yet.
pub fn ring_stats_period(year: i32, today: NaiveDate) -> Option<Period> {
    let from = NaiveDate::from_ymd_opt(year, 1, 1)?;
    let full_year = NaiveDate::from_ymd_opt(year, 12, 31)?;
    if year < today.year() {
        return Some(Period {
            from,
            to: full_year,
        });
    }
    if year > today.year() {
        return None;
    }
    let quarters_done = (today.month0() / 3) as i32;
    if quarters_done == 0 {
        return None;
    }
    let to = NaiveDate::from_ymd_opt(year, (quarters_done * 3 + 1) as u32, 1)?.pred_opt()?;
    Some(Period { from, to })
}

/// The first of the month of `day`.
pub fn month_of(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    fn person(gender: Gender, band: Band, enrolled: &str) -> Person {
        Person::new(gender, band, d(enrolled))
    }

    fn spell(kind: SpellKind, start: &str, end: Option<&str>) -> Spell {
        Spell {
            kind,
            start: d(start),
            end: end.map(d),
            form: None,
        }
    }

    const P: Period = Period {
        from: NaiveDate::from_ymd_opt(2024, 1, 1).expect("date"),
        to: NaiveDate::from_ymd_opt(2024, 12, 31).expect("date"),
    };

    /// A hand-built cohort at the edges of the period and of the 548- and 122-day
    /// rules, each figure with an answer worked out by hand.
    #[test]
    fn every_figure_on_a_fixture_with_known_answers() {
        let as_of = d("2026-06-30");
        let w = Gender::Woman;
        let m = Gender::Man;
        // 1. Enrolled the day before the period: in no cohort figure.
        let mut before = person(w, Band::Middle, "2023-12-31");
        before.self_sufficient_on = Some(d("2024-02-01"));
        before.job_ready_on = Some(d("2024-01-15"));
        // 2. First day; self-sufficient on exactly day 548 (counts), job-ready on
        //    exactly day 122 (counts).
        let mut a = person(w, Band::Young, "2024-01-01");
        a.self_sufficient_on = Some(d("2024-01-01") + chrono::Duration::days(548));
        a.job_ready_on = Some(d("2024-01-01") + chrono::Duration::days(122));
        // 3. Self-sufficient on day 549 (not within 18 months), job-ready on day 123.
        let mut b = person(m, Band::Middle, "2024-03-10");
        b.self_sufficient_on = Some(d("2024-03-10") + chrono::Duration::days(549));
        b.job_ready_on = Some(d("2024-03-10") + chrono::Duration::days(123));
        // 4. Last day of the period; day 548 is 2026-07-01, after as_of: not matured.
        let mut c = person(w, Band::Older, "2024-12-31");
        c.self_sufficient_on = Some(d("2025-06-01"));
        // 5. Exit without self-sufficiency, and a first job (fixed-term) before it.
        let mut e = person(m, Band::Middle, "2024-06-15");
        e.exit = Some((ExitReason::Moved, Some(d("2025-03-01"))));
        e.first_job = Some((Some(EmploymentForm::FixedTerm), Some(d("2024-11-01"))));
        // 6. An exit dated after as_of (planned): not counted.
        let mut f = person(Gender::Other, Band::Middle, "2024-07-01");
        f.exit = Some((ExitReason::Moved, Some(d("2026-07-01"))));
        // 7. Erased: enrolment month, day counts, no spells, dates of exit unknown.
        let mut g = person(w, Band::Middle, "2024-05-01");
        g.exit = Some((ExitReason::ParentalLeave, None));
        g.first_job = Some((None, None));
        g.job_ready_on = Some(d("2024-05-01") + chrono::Duration::days(30));
        // 8. Enrolled the day after the period.
        let after = person(m, Band::Young, "2025-01-01");
        let people = vec![before, a, b, c, e, f, g, after];
        let r = compute(&people, &[], P, as_of);

        // cohort: a, b, c, e, f, g = 6; women a, c, g; men b, e; other f.
        assert_eq!(r.cohort.0, [6, 3, 2, 1, 1, 4, 1, 0]);
        // matured: all but c (day 548 = 2026-07-01 > as_of).
        assert_eq!(r.matured.0, [5, 2, 2, 1, 1, 4, 0, 0]);
        // within 18 months: only a (day 548 exactly).
        assert_eq!(r.self_sufficient_18m.0, [1, 1, 0, 0, 1, 0, 0, 0]);
        assert_eq!(r.share_18m()[0], Some(20.0));
        assert_eq!(r.share_18m()[1], Some(50.0));
        assert_eq!(r.share_18m()[6], None, "nobody 55–64 matured");
        // job-ready within 4 months: a (day 122) and g (day 30); not b (day 123).
        assert_eq!(r.job_ready_4m.0, [2, 2, 0, 0, 1, 1, 0, 0]);
        // self-sufficient by as_of: a (548), b (549), c (152 days).
        assert_eq!(r.self_sufficient.0, [3, 2, 1, 0, 1, 1, 1, 0]);
        let mean = r.mean_days();
        assert_eq!(mean[0], Some((548.0 + 549.0 + 152.0) / 3.0));
        assert_eq!(mean[2], Some(549.0));
        assert_eq!(mean[3], None);
        // exits: e moved, g parental leave (erased, date unknown); f's is planned.
        let exit = |reason| r.exits.iter().find(|(x, _)| *x == reason).expect("row").1;
        assert_eq!(exit(ExitReason::Moved).0, [1, 0, 1, 0, 0, 1, 0, 0]);
        assert_eq!(exit(ExitReason::ParentalLeave).0, [1, 1, 0, 0, 0, 1, 0, 0]);
        assert_eq!(exit(ExitReason::Other).total(), 0);
        let job = |form| r.jobs.iter().find(|(x, _)| *x == form).expect("row").1;
        assert_eq!(job(Some(EmploymentForm::FixedTerm)).total(), 1);
        assert_eq!(job(None).total(), 1, "a job of no stated form");
        assert_eq!(job(Some(EmploymentForm::Permanent)).total(), 0);
        // Trend: twelve months of 2024.
        assert_eq!(r.trend.len(), 12);
        assert_eq!(r.trend[0].enrolled, 1, "a on 1 January; not the day before");
        assert_eq!(r.trend[0].job_ready, 1, "the one enrolled the day before");
        assert_eq!(r.trend[11].enrolled, 1);
        assert_eq!(r.trend.iter().map(|t| t.enrolled).sum::<u32>(), 6);
        assert_eq!(
            r.trend[1].self_sufficient, 1,
            "the one enrolled before, in February"
        );
    }

    #[test]
    fn internships_and_trainings_count_when_they_touch_the_period() {
        let as_of = d("2025-06-30");
        let mut ended_before = person(Gender::Woman, Band::Young, "2023-01-01");
        ended_before.spells = vec![spell(
            SpellKind::Internship,
            "2023-06-01",
            Some("2023-12-31"),
        )];
        let mut ends_first_day = person(Gender::Woman, Band::Young, "2023-01-01");
        ends_first_day.spells = vec![
            spell(SpellKind::Internship, "2023-10-01", Some("2024-01-01")),
            spell(SpellKind::Employment, "2024-02-01", None),
        ];
        let mut starts_last_day = person(Gender::Man, Band::Middle, "2024-05-01");
        starts_last_day.spells = vec![
            spell(SpellKind::Internship, "2024-12-31", None),
            // A job before the internship is not "after" it.
            spell(SpellKind::Employment, "2024-06-01", Some("2024-08-01")),
        ];
        let mut open_ended_training = person(Gender::Man, Band::Older, "2022-01-01");
        open_ended_training.spells = vec![
            spell(SpellKind::Training, "2022-05-01", None),
            // Planned after as_of: not yet a job.
            spell(SpellKind::Employment, "2025-08-01", None),
        ];
        let mut planned = person(Gender::Man, Band::Older, "2024-01-01");
        planned.spells = vec![spell(SpellKind::Training, "2025-07-01", None)];
        let mut training_then_job = person(Gender::Woman, Band::Middle, "2024-01-01");
        training_then_job.spells = vec![
            spell(SpellKind::Training, "2024-03-01", Some("2024-04-01")),
            spell(SpellKind::Employment, "2024-03-01", None),
        ];
        let people = [
            ended_before,
            ends_first_day,
            starts_last_day,
            open_ended_training,
            planned,
            training_then_job,
        ];
        let r = compute(&people, &[], P, as_of);
        assert_eq!(r.in_internship.0, [2, 1, 1, 0, 1, 1, 0, 0]);
        assert_eq!(r.job_after_internship.0, [1, 1, 0, 0, 1, 0, 0, 0]);
        assert_eq!(r.in_training.0, [2, 1, 1, 0, 0, 1, 1, 0]);
        assert_eq!(
            r.job_after_training.0,
            [1, 1, 0, 0, 0, 1, 0, 0],
            "same day counts"
        );
    }

    #[test]
    fn tracks_count_apart_from_trainings_with_the_job_after_them() {
        let as_of = d("2025-06-30");
        let mut hired_after = person(Gender::Woman, Band::Middle, "2024-01-01");
        hired_after.spells = vec![
            spell(SpellKind::Track, "2024-09-01", Some("2025-01-31")),
            spell(SpellKind::Employment, "2025-02-01", None),
        ];
        let mut still_in = person(Gender::Man, Band::Young, "2024-06-01");
        still_in.spells = vec![spell(SpellKind::Track, "2024-12-31", Some("2025-05-31"))];
        let mut before_period = person(Gender::Man, Band::Middle, "2022-01-01");
        before_period.spells = vec![
            spell(SpellKind::Track, "2023-01-01", Some("2023-06-30")),
            spell(SpellKind::Employment, "2023-07-01", None),
        ];
        let mut job_before = person(Gender::Woman, Band::Older, "2024-01-01");
        job_before.spells = vec![
            spell(SpellKind::Employment, "2024-02-01", Some("2024-03-01")),
            spell(SpellKind::Track, "2024-04-01", None),
        ];
        let people = [hired_after, still_in, before_period, job_before];
        let r = compute(&people, &[], P, as_of);
        assert_eq!(r.in_track.0, [3, 2, 1, 0, 1, 1, 1, 0]);
        assert_eq!(r.job_after_track.0, [1, 1, 0, 0, 0, 1, 0, 0]);
        assert_eq!(r.in_training.0, [0; 8], "a track is not a training");
    }

    #[test]
    fn firms_count_once_by_contacts_and_open_needs_in_the_period() {
        let firms = [
            FirmFacts {
                contacts: vec![d("2023-12-31"), d("2024-01-01"), d("2024-05-01")],
                open_needs: vec![(d("2023-01-01"), Some(d("2023-12-31")))],
            },
            FirmFacts {
                contacts: vec![d("2025-01-01")],
                open_needs: vec![
                    (d("2024-12-31"), None),
                    (d("2024-02-01"), Some(d("2024-03-01"))),
                ],
            },
            FirmFacts {
                contacts: vec![],
                open_needs: vec![(d("2023-06-01"), None)],
            },
        ];
        let r = compute(&[], &firms, P, d("2025-06-30"));
        assert_eq!(r.firms_contacted, 1);
        assert_eq!(r.firms_with_needs, 2);
    }

    #[test]
    fn trend_buckets_grow_with_the_period() {
        let period = |from: &str, to: &str| Period {
            from: d(from),
            to: d(to),
        };
        let b = buckets(period("2024-01-15", "2024-03-10"));
        assert_eq!(
            b,
            vec![
                (d("2024-01-15"), d("2024-01-31")),
                (d("2024-02-01"), d("2024-02-29")),
                (d("2024-03-01"), d("2024-03-10")),
            ]
        );
        assert_eq!(buckets(period("2021-01-01", "2023-12-31")).len(), 36);
        let q = buckets(period("2020-02-01", "2023-12-31"));
        assert_eq!(q.len(), 16);
        assert_eq!(q[0], (d("2020-02-01"), d("2020-03-31")));
        let y = buckets(period("2015-01-01", "2024-12-31"));
        assert_eq!(y.len(), 10);
        assert_eq!(y[9], (d("2024-01-01"), d("2024-12-31")));
    }

    #[test]
    fn bands_are_by_age_on_enrolment() {
        assert_eq!(Band::of_age(15), Band::Other);
        assert_eq!(Band::of_age(16), Band::Young);
        assert_eq!(Band::of_age(24), Band::Young);
        assert_eq!(Band::of_age(25), Band::Middle);
        assert_eq!(Band::of_age(54), Band::Middle);
        assert_eq!(Band::of_age(55), Band::Older);
        assert_eq!(Band::of_age(64), Band::Older);
        assert_eq!(Band::of_age(65), Band::Other);
        for b in Band::ALL {
            assert_eq!(Band::parse(b.as_str()), b);
        }
    }

    #[test]
    fn ring_statistics_cover_whole_years_or_complete_quarters() {
        let today = d("2026-11-30");
        assert_eq!(
            ring_stats_period(2025, today),
            Some(Period {
                from: d("2025-01-01"),
                to: d("2025-12-31")
            })
        );
        assert_eq!(
            ring_stats_period(2026, today),
            Some(Period {
                from: d("2026-01-01"),
                to: d("2026-09-30")
            })
        );
        assert_eq!(ring_stats_period(2026, d("2026-03-31")), None);
        assert_eq!(
            ring_stats_period(2026, d("2026-04-01")),
            Some(Period {
                from: d("2026-01-01"),
                to: d("2026-03-31")
            })
        );
        assert_eq!(ring_stats_period(2027, today), None);
    }

    /// Every row a suppressed table can show, for totals up to 9, is checked by an
    /// attacker who knows the rules: the shown cells, the total, and that the cells
    /// of a group add up to it. For every hidden cell that is really 1 or 2, the
    /// attacker must be left with more than one possible value — both when they
    /// assume hidden cells may hold any number and when they assume every hidden
    /// cell is under 3.
    #[test]
    fn suppression_never_reveals_a_one_or_two_directly_or_by_subtraction() {
        let mut rows = 0;
        for total in 0..=9u32 {
            for genders in splits(total, 3) {
                for bands in splits(total, 4) {
                    let mut c = [0u32; COLUMNS];
                    c[0] = total;
                    c[1..4].copy_from_slice(&genders);
                    c[4..8].copy_from_slice(&bands);
                    let shown = suppress(&Counts(c));
                    rows += 1;
                    for (i, s) in shown.iter().enumerate() {
                        if let Shown::Count(v) = s {
                            assert_eq!(*v, c[i], "a shown cell is the true count");
                            assert!(!(1..3).contains(v), "{c:?} shows {v} in column {i}");
                        }
                    }
                    for max in [2, total.max(2) + 3] {
                        if let Some(pinned) = attacker_pins(&shown, &c, max) {
                            panic!(
                                "{c:?} shown as {shown:?}: column {pinned} can be worked out (hidden cells assumed ≤ {max})"
                            );
                        }
                    }
                }
            }
        }
        assert!(rows > 10_000, "{rows} rows checked");
    }

    #[test]
    fn suppression_hides_little_when_counts_are_large() {
        let shown = suppress(&Counts([40, 20, 18, 2, 5, 30, 5, 0]));
        use Shown::{Count, Hidden};
        assert_eq!(
            shown,
            [
                Count(40),
                Count(20),
                Hidden,
                Hidden,
                Count(5),
                Count(30),
                Count(5),
                Count(0)
            ]
        );
        assert_eq!(
            suppress(&Counts([2, 1, 1, 0, 0, 2, 0, 0])),
            [Hidden; COLUMNS]
        );
        assert_eq!(suppress(&Counts([0; COLUMNS])), [Count(0); COLUMNS]);
    }

    /// All ways to split `total` into `n` non-negative parts.
    fn splits(total: u32, n: usize) -> Vec<Vec<u32>> {
        if n == 1 {
            return vec![vec![total]];
        }
        (0..=total)
            .flat_map(|first| {
                splits(total - first, n - 1)
                    .into_iter()
                    .map(move |mut rest| {
                        rest.insert(0, first);
                        rest
                    })
            })
            .collect()
    }

    /// The first hidden column whose true value is 1 or 2 and which every assignment
    /// consistent with what is shown gives the same value, when every hidden cell may
    /// be anything from 0 to `max`. Worked out from the sums: a hidden cell of a group
    /// with k hidden cells whose hidden part adds up to S can be any v with
    /// 0 ≤ S − v ≤ (k − 1)·max; a hidden total can be any T both groups can reach.
    fn attacker_pins(shown: &[Shown; COLUMNS], truth: &[u32; COLUMNS], max: u32) -> Option<usize> {
        let mut seen: Vec<std::collections::BTreeSet<u32>> = vec![Default::default(); COLUMNS];
        let groups = [1..4usize, 4..8];
        let known = |range: std::ops::Range<usize>| -> (u32, u32) {
            let mut sum = 0;
            let mut k = 0;
            for i in range {
                match shown[i] {
                    Shown::Count(v) => sum += v,
                    Shown::Hidden => k += 1,
                }
            }
            (sum, k)
        };
        let totals: Vec<u32> = match shown[0] {
            Shown::Count(t) => vec![t],
            Shown::Hidden => (0..=8 * max).collect(),
        };
        for t in totals {
            let feasible = groups.iter().all(|g| {
                let (sum, k) = known(g.clone());
                sum <= t && t <= sum + k * max
            });
            if !feasible {
                continue;
            }
            seen[0].insert(t);
            for g in &groups {
                let (sum, k) = known(g.clone());
                let s = t - sum;
                for i in g.clone().filter(|&i| shown[i] == Shown::Hidden) {
                    let low = s.saturating_sub((k - 1) * max);
                    for v in low..=s.min(max) {
                        seen[i].insert(v);
                    }
                }
            }
        }
        (0..COLUMNS).find(|&i| {
            shown[i] == Shown::Hidden && (1..3).contains(&truth[i]) && seen[i].len() == 1
        })
    }
}
