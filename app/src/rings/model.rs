//! Values with rules in rings: status, answers, invitation states, the recommended
//! size, and meetings as iCalendar (RFC 5545).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The recommended number of member firms (DOMAIN.md: "a named group of 3–15 firms").
pub const RECOMMENDED_MEMBERS: std::ops::RangeInclusive<usize> = 3..=15;

/// The i18n key of a warning about the ring's size, if it is outside the recommendation.
pub fn size_warning(members: usize) -> Option<&'static str> {
    if members < *RECOMMENDED_MEMBERS.start() {
        Some("ring-size-small")
    } else if members > *RECOMMENDED_MEMBERS.end() {
        Some("ring-size-large")
    } else {
        None
    }
}

/// Whether a ring is running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RingStatus {
    /// Meets, takes members.
    Active,
    /// Kept for history; no new members or meetings.
    Closed,
}

impl RingStatus {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Closed => "closed",
        }
    }

    /// From the stored form.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "active" => Some(Self::Active),
            "closed" => Some(Self::Closed),
            _ => None,
        }
    }

    /// Its i18n key.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Active => "ring-status-active",
            Self::Closed => "ring-status-closed",
        }
    }
}

/// Whether a person comes to a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Answer {
    /// Comes.
    Yes,
    /// Does not come.
    No,
}

impl Answer {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Yes => "yes",
            Self::No => "no",
        }
    }

    /// From the stored form.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "yes" => Some(Self::Yes),
            "no" => Some(Self::No),
            _ => None,
        }
    }
}

/// Where an invitation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvitationStatus {
    /// Sent, not yet answered, still valid.
    Pending,
    /// Accepted: the person is in.
    Accepted,
    /// The link's time ran out.
    Expired,
    /// Withdrawn by a coordinator.
    Revoked,
}

impl InvitationStatus {
    /// The status of an invitation with these dates, at `now`.
    pub fn at(
        accepted_at: Option<DateTime<Utc>>,
        revoked_at: Option<DateTime<Utc>>,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Self {
        if accepted_at.is_some() {
            Self::Accepted
        } else if revoked_at.is_some() {
            Self::Revoked
        } else if expires_at <= now {
            Self::Expired
        } else {
            Self::Pending
        }
    }

    /// Its i18n key.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Pending => "invitation-pending",
            Self::Accepted => "invitation-accepted",
            Self::Expired => "invitation-expired",
            Self::Revoked => "invitation-revoked",
        }
    }
}

/// A meeting as an iCalendar event.
#[derive(Debug, Clone)]
pub struct CalendarEvent<'a> {
    /// A stable, globally unique id (the same file downloaded twice updates one event).
    pub uid: String,
    /// When the file was made.
    pub stamp: DateTime<Utc>,
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// End.
    pub ends_at: DateTime<Utc>,
    /// The title.
    pub summary: &'a str,
    /// The place or link.
    pub location: &'a str,
    /// The agenda.
    pub description: &'a str,
    /// A link back to the meeting's page.
    pub url: &'a str,
}

impl CalendarEvent<'_> {
    /// The `.ics` file: CRLF line ends, text escaped and long lines folded (RFC 5545).
    pub fn to_ics(&self) -> String {
        let stamp = |t: DateTime<Utc>| t.format("%Y%m%dT%H%M%SZ").to_string();
        let lines = [
            "BEGIN:VCALENDAR".to_owned(),
            "VERSION:2.0".to_owned(),
            "PRODID:-//Broar//Ringträffar//SV".to_owned(),
            "CALSCALE:GREGORIAN".to_owned(),
            "METHOD:PUBLISH".to_owned(),
            "BEGIN:VEVENT".to_owned(),
            format!("UID:{}", escape_text(&self.uid)),
            format!("DTSTAMP:{}", stamp(self.stamp)),
            format!("DTSTART:{}", stamp(self.starts_at)),
            format!("DTEND:{}", stamp(self.ends_at)),
            format!("SUMMARY:{}", escape_text(self.summary)),
            format!("LOCATION:{}", escape_text(self.location)),
            format!("DESCRIPTION:{}", escape_text(self.description)),
            format!("URL:{}", self.url.replace(['\r', '\n'], "")),
            "END:VEVENT".to_owned(),
            "END:VCALENDAR".to_owned(),
        ];
        let mut out = String::new();
        for line in lines {
            out.push_str(&fold(&line));
            out.push_str("\r\n");
        }
        out
    }
}

/// Escapes a TEXT value: backslash, semicolon, comma and line breaks.
fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets without splitting a UTF-8 character.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3);
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn ring_size_outside_three_to_fifteen_is_warned_about() {
        assert_eq!(size_warning(2), Some("ring-size-small"));
        assert_eq!(size_warning(3), None);
        assert_eq!(size_warning(15), None);
        assert_eq!(size_warning(16), Some("ring-size-large"));
    }

    #[test]
    fn an_invitation_is_accepted_revoked_expired_or_pending_in_that_order() {
        let now = Utc.with_ymd_and_hms(2026, 5, 1, 12, 0, 0).unwrap();
        let later = now + chrono::Duration::days(1);
        let earlier = now - chrono::Duration::days(1);
        assert_eq!(
            InvitationStatus::at(None, None, later, now),
            InvitationStatus::Pending
        );
        assert_eq!(
            InvitationStatus::at(None, None, now, now),
            InvitationStatus::Expired
        );
        assert_eq!(
            InvitationStatus::at(None, Some(earlier), later, now),
            InvitationStatus::Revoked
        );
        assert_eq!(
            InvitationStatus::at(Some(earlier), None, earlier, now),
            InvitationStatus::Accepted
        );
    }

    #[test]
    fn a_meeting_becomes_an_escaped_folded_calendar_file() {
        let start = Utc.with_ymd_and_hms(2026, 12, 3, 7, 30, 0).unwrap();
        let agenda = "1. Välkommen; runda\n2. Behov, praktik\\lärlingar ".repeat(3);
        let ics = CalendarEvent {
            uid: "meeting-7@broar.ekdala.se".into(),
            stamp: start,
            starts_at: start,
            ends_at: start + chrono::Duration::hours(2),
            summary: "Ringträff: Bygg, Ekdala",
            location: "Kommunhuset, rum 3",
            description: &agenda,
            url: "https://broar.ekdala.se/moten/7",
        }
        .to_ics();
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.contains("DTSTART:20261203T073000Z\r\n"));
        assert!(ics.contains("DTEND:20261203T093000Z\r\n"));
        assert!(ics.contains("SUMMARY:Ringträff: Bygg\\, Ekdala\r\n"));
        assert!(ics.contains("DESCRIPTION:1. Välkommen\\; runda\\n2. Behov\\, praktik\\\\"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "folded: {line:?}");
            assert!(!line.contains('\n'));
        }
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("DESCRIPTION:{}", escape_text(&agenda))));
    }
}
