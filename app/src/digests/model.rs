//! The rules of a digest that need no database: how often, when the next one is due,
//! what a digest holds, and whether it holds anything new.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use serde::{Deserialize, Serialize};

use crate::candidates::model::choices;

choices! {
    /// How often a member gets a digest.
    Frequency, "digest-frequency-" {
        /// Every morning.
        Daily = "daily",
        /// Once a week, on the member's weekday (the default).
        Weekly = "weekly",
        /// No digest.
        Never = "never",
    }
}

/// The weekday of a weekly digest when the member has chosen none.
pub const DEFAULT_WEEKDAY: u8 = 1;
/// A digest never reaches further back than this, however long ago the last one was
/// (a member who turns digests back on after a year gets a month, not a year).
pub const MAX_LOOKBACK_DAYS: i64 = 31;
/// Upcoming ring meetings are those in the fortnight after the digest.
pub const MEETING_HORIZON_DAYS: i64 = 14;
/// At most this many items of one kind per ring; the rest are counted and linked.
pub const MAX_ITEMS: usize = 10;
/// A thread's or reply's excerpt, in characters.
pub const EXCERPT_CHARS: usize = 160;

/// The weekday `1..=7` (Monday first) as chrono's.
pub fn weekday(n: u8) -> Option<Weekday> {
    match n {
        1 => Some(Weekday::Mon),
        2 => Some(Weekday::Tue),
        3 => Some(Weekday::Wed),
        4 => Some(Weekday::Thu),
        5 => Some(Weekday::Fri),
        6 => Some(Weekday::Sat),
        7 => Some(Weekday::Sun),
        _ => None,
    }
}

/// The i18n key of weekday `1..=7`.
pub fn weekday_key(n: u8) -> &'static str {
    match n {
        1 => "weekday-1",
        2 => "weekday-2",
        3 => "weekday-3",
        4 => "weekday-4",
        5 => "weekday-5",
        6 => "weekday-6",
        _ => "weekday-7",
    }
}

/// The instant a digest is sent on `day` at `hour` o'clock in Stockholm (an hour the
/// change to summer time skips moves one hour on).
fn send_instant(day: NaiveDate, hour: u32) -> DateTime<Utc> {
    let hour = hour.min(23);
    let at = |h: u32| {
        NaiveTime::from_hms_opt(h, 0, 0).and_then(|t| crate::i18n::stockholm_instant(day, t))
    };
    at(hour)
        .or_else(|| at((hour + 1).min(23)))
        .unwrap_or_else(|| day.and_time(NaiveTime::MIN).and_utc())
}

/// The latest moment at or before `now` when a digest of `frequency` was due:
/// every day at `hour` (Stockholm), or every week on ISO `weekday` at `hour`.
/// `None` for [`Frequency::Never`].
pub fn latest_slot(
    now: DateTime<Utc>,
    frequency: Frequency,
    weekday_number: u8,
    hour: u32,
) -> Option<DateTime<Utc>> {
    let today = now
        .with_timezone(&chrono_tz::Europe::Stockholm)
        .date_naive();
    match frequency {
        Frequency::Never => None,
        Frequency::Daily => {
            let slot = send_instant(today, hour);
            Some(if slot <= now {
                slot
            } else {
                send_instant(today - Duration::days(1), hour)
            })
        }
        Frequency::Weekly => {
            let wanted = weekday(weekday_number).unwrap_or(Weekday::Mon);
            (0..=7)
                .map(|back| today - Duration::days(back))
                .filter(|d| d.weekday() == wanted)
                .map(|d| send_instant(d, hour))
                .find(|slot| *slot <= now)
        }
    }
}

/// Where a member's digest ending at `end` starts.
///
/// The invariant that makes a digest exactly-once, however many processes build at
/// once: **a period's start is a function of the member's schedule and their previous
/// period, never of a process's clock.** It starts where the member's previous digest
/// ended; the first starts one schedule step before the member's latest slot at or
/// before `end` (the slot itself for a scheduled round), and no period reaches further
/// back than [`MAX_LOOKBACK_DAYS`] before that slot. Two runs in the same slot therefore
/// build the same start, and the unique `(user_id, period_start)` lets one of them
/// have it; two runs either side of a slot are kept apart by the overlap check made
/// under the member's lock when the period is stored (`service::queue`).
pub fn period_start(
    previous_end: Option<DateTime<Utc>>,
    end: DateTime<Utc>,
    frequency: Frequency,
    weekday: u8,
    hour: u32,
) -> DateTime<Utc> {
    let slot = latest_slot(end, frequency, weekday, hour).unwrap_or(end);
    let earliest = slot - Duration::days(MAX_LOOKBACK_DAYS);
    let first = || {
        latest_slot(slot - Duration::seconds(1), frequency, weekday, hour)
            .unwrap_or(slot - Duration::days(7))
    };
    previous_end.unwrap_or_else(first).max(earliest)
}

/// The key of a scheduled period, unique per member: `daily:2026-11-30`.
pub fn period_key(frequency: Frequency, slot: DateTime<Utc>) -> String {
    let day = slot
        .with_timezone(&chrono_tz::Europe::Stockholm)
        .date_naive();
    format!("{}:{day}", frequency.as_str())
}

/// A need in a digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedItem {
    /// The id (for the link).
    pub id: i32,
    /// The title.
    pub title: String,
    /// The firm that posted it.
    pub firm: String,
    /// The occupation's name in the digest's language.
    pub occupation: String,
}

/// A new thread, or a thread with new replies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadItem {
    /// The id (for the link).
    pub id: i32,
    /// The title.
    pub title: String,
    /// Whether the thread itself is new (else: new replies in an older thread).
    pub new: bool,
    /// New replies in the period (not counting the opening post).
    pub replies: usize,
    /// The start of the newest post in the period, as plain text.
    pub excerpt: String,
    /// Who wrote that post.
    pub author: String,
    /// The posts of the period this line stands for.
    pub posts: Vec<i32>,
}

/// A released profile that fits one of the member's firm's open needs: code and
/// headline only, never anything about the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseItem {
    /// The pseudonym code (for the link).
    pub code: String,
    /// The headline the coordinator wrote (scanned for personal data on release).
    pub headline: String,
    /// The title of the firm's need it fits.
    pub fits: String,
}

/// A ring meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingItem {
    /// The id (for the link).
    pub id: i32,
    /// When it starts.
    pub starts_at: DateTime<Utc>,
    /// Where.
    pub place: String,
    /// Whether it was planned in the period (else: only coming up).
    pub new: bool,
}

/// What is new in one ring.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RingSection {
    /// The ring's id (for the links).
    pub ring_id: i32,
    /// The ring's name.
    pub name: String,
    /// Needs that became open in the period.
    pub new_needs: Vec<NeedItem>,
    /// Needs that were filled in the period.
    pub filled_needs: Vec<NeedItem>,
    /// New threads first, then threads with new replies.
    pub threads: Vec<ThreadItem>,
    /// Profiles released in the period that fit the firm's open needs.
    pub releases: Vec<ReleaseItem>,
    /// Meetings in the fortnight after the digest.
    pub meetings: Vec<MeetingItem>,
}

impl RingSection {
    /// Whether anything in it happened in the period (a meeting only coming up, planned
    /// earlier, is worth showing but not worth an e-mail of its own).
    pub fn has_news(&self) -> bool {
        !self.new_needs.is_empty()
            || !self.filled_needs.is_empty()
            || !self.threads.is_empty()
            || !self.releases.is_empty()
            || self.meetings.iter().any(|m| m.new)
    }
}

/// One member's digest for one period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestContent {
    /// Only rings with news, in name order.
    pub rings: Vec<RingSection>,
}

impl DigestContent {
    /// Whether there is anything to send.
    pub fn has_news(&self) -> bool {
        self.rings.iter().any(RingSection::has_news)
    }
}

/// The ids of what a digest holds, kept with it: before sending, the worker checks
/// that none was hidden, deleted or revoked meanwhile (and builds it again if so).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Items {
    /// The rings it reports on.
    pub rings: Vec<i32>,
    /// The posts its thread lines count or quote.
    pub posts: Vec<i32>,
    /// Release pseudonyms.
    pub releases: Vec<String>,
    /// Meeting ids.
    pub meetings: Vec<i32>,
}

impl Items {
    /// The ids in `content`.
    pub fn of(content: &DigestContent) -> Self {
        let mut items = Self::default();
        for r in &content.rings {
            items.rings.push(r.ring_id);
            items
                .posts
                .extend(r.threads.iter().flat_map(|t| t.posts.iter().copied()));
            items
                .releases
                .extend(r.releases.iter().map(|p| p.code.clone()));
            items.meetings.extend(r.meetings.iter().map(|m| m.id));
        }
        items
    }
}

/// The first `max` characters of `text` with its white space collapsed, cut at a word
/// where one is near, and "…" when cut.
pub fn excerpt(text: &str, max: usize) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() <= max {
        return collapsed;
    }
    let cut: String = collapsed.chars().take(max).collect();
    let at_word = match cut.rfind(' ') {
        Some(i) if i > cut.len() / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", at_word.trim_end_matches([',', '.', ';', ':', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        chrono_tz::Europe::Stockholm
            .with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| panic!("{y}-{m}-{d} {h}:{min} is a Stockholm time"))
    }

    #[test]
    fn a_daily_digest_is_due_at_the_hour_and_not_before() {
        // 2026-11-30 is a Monday.
        assert_eq!(
            latest_slot(at(2026, 11, 30, 6, 59), Frequency::Daily, 1, 7),
            Some(at(2026, 11, 29, 7, 0))
        );
        assert_eq!(
            latest_slot(at(2026, 11, 30, 7, 0), Frequency::Daily, 1, 7),
            Some(at(2026, 11, 30, 7, 0))
        );
        assert_eq!(
            latest_slot(at(2026, 11, 30, 23, 0), Frequency::Daily, 3, 7),
            Some(at(2026, 11, 30, 7, 0))
        );
        assert_eq!(
            latest_slot(at(2026, 11, 30, 9, 0), Frequency::Never, 1, 7),
            None
        );
    }

    #[test]
    fn a_weekly_digest_is_due_on_the_members_weekday() {
        // Wednesday 2 December at noon: Monday's slot for Monday people, last
        // Wednesday's until 07:00 for Wednesday people, today's after.
        let wed_noon = at(2026, 12, 2, 12, 0);
        assert_eq!(
            latest_slot(wed_noon, Frequency::Weekly, 1, 7),
            Some(at(2026, 11, 30, 7, 0))
        );
        assert_eq!(
            latest_slot(wed_noon, Frequency::Weekly, 3, 7),
            Some(at(2026, 12, 2, 7, 0))
        );
        assert_eq!(
            latest_slot(at(2026, 12, 2, 6, 0), Frequency::Weekly, 3, 7),
            Some(at(2026, 11, 25, 7, 0))
        );
        assert_eq!(
            latest_slot(wed_noon, Frequency::Weekly, 4, 7),
            Some(at(2026, 11, 26, 7, 0))
        );
    }

    #[test]
    fn slots_follow_stockholm_time_across_summer_time() {
        // Summer time begins 2027-03-28 02:00; the 07:00 digest stays at 07:00 local.
        let slot = latest_slot(at(2027, 3, 28, 8, 0), Frequency::Daily, 1, 7);
        assert_eq!(slot, Some(at(2027, 3, 28, 7, 0)));
        assert_eq!(
            slot.map(|s| s.format("%H:%M").to_string()),
            Some("05:00".into())
        );
        // An hour that does not exist that night moves on by one.
        assert_eq!(
            latest_slot(at(2027, 3, 28, 9, 0), Frequency::Daily, 1, 2),
            Some(at(2027, 3, 28, 3, 0))
        );
    }

    #[test]
    fn a_first_period_starts_from_the_schedule_not_from_the_clock_that_ends_it() {
        // Runs at any moment between two slots build the same start: a `--now` run
        // and the scheduled round of the same slot collide on it.
        for end in [
            at(2026, 11, 30, 7, 0),
            at(2026, 11, 30, 7, 0) + Duration::milliseconds(3),
            at(2026, 11, 30, 16, 4),
            at(2026, 12, 1, 6, 59),
        ] {
            assert_eq!(
                period_start(None, end, Frequency::Daily, 1, 7),
                at(2026, 11, 29, 7, 0),
                "daily, ending {end}"
            );
            assert_eq!(
                period_start(None, end, Frequency::Weekly, 1, 7),
                at(2026, 11, 23, 7, 0),
                "weekly, ending {end}"
            );
            // The look-back limit is counted from the slot too.
            assert_eq!(
                period_start(Some(at(2025, 1, 1, 7, 0)), end, Frequency::Daily, 1, 7),
                at(2026, 11, 30, 7, 0) - Duration::days(MAX_LOOKBACK_DAYS)
            );
        }
        // A weekly member on Thursdays: the slot before Thursday 2026-12-03 07:00.
        assert_eq!(
            period_start(None, at(2026, 12, 4, 9, 0), Frequency::Weekly, 4, 7),
            at(2026, 11, 26, 7, 0)
        );
    }

    #[test]
    fn a_period_starts_where_the_last_ended_but_reaches_back_at_most_a_month() {
        let end = at(2026, 11, 30, 7, 0);
        assert_eq!(
            period_start(None, end, Frequency::Daily, 1, 7),
            at(2026, 11, 29, 7, 0)
        );
        assert_eq!(
            period_start(None, end, Frequency::Weekly, 1, 7),
            at(2026, 11, 23, 7, 0)
        );
        let previous = at(2026, 11, 27, 10, 15);
        assert_eq!(
            period_start(Some(previous), end, Frequency::Daily, 1, 7),
            previous
        );
        assert_eq!(
            period_start(Some(at(2025, 1, 1, 7, 0)), end, Frequency::Weekly, 1, 7),
            end - Duration::days(MAX_LOOKBACK_DAYS)
        );
        assert_eq!(
            period_key(Frequency::Weekly, end),
            "weekly:2026-11-30".to_owned()
        );
    }

    #[test]
    fn only_news_makes_a_digest_worth_sending() {
        let meeting = |new| MeetingItem {
            id: 1,
            starts_at: at(2026, 12, 3, 15, 0),
            place: "Rådhuset".into(),
            new,
        };
        let mut section = RingSection {
            ring_id: 1,
            name: "Ring".into(),
            meetings: vec![meeting(false)],
            ..Default::default()
        };
        let mut content = DigestContent {
            rings: vec![section.clone()],
        };
        assert!(!content.has_news(), "a meeting planned earlier is no news");
        section.meetings = vec![meeting(true)];
        content.rings = vec![section];
        assert!(content.has_news());
        assert_eq!(Items::of(&content).meetings, vec![1]);
    }

    #[test]
    fn excerpts_collapse_space_and_cut_at_a_word() {
        assert_eq!(excerpt("  Hej\n\nalla  ", 20), "Hej alla");
        assert_eq!(
            excerpt("Vi söker två undersköterskor till nattpasset", 20),
            "Vi söker två…"
        );
        assert_eq!(excerpt("Åäöåäöåäöåäö", 5), "Åäöåä…");
    }
}
