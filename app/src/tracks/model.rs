//! A job track's choices and its form, checked on parse: the statuses of a track, a
//! firm's commitment and a participant, and the track form every field of which is
//! named when it is wrong.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{
    candidates::model::choices,
    error::{AppError, FieldErrors},
    field,
    firms::model::{parse_date, parse_optional_text, parse_text},
    needs::model::SwedishLevel,
};

choices! {
    /// Where a track is in its life.
    TrackStatus, "track-status-" {
        /// Being put together: firms commit, candidates are enrolled.
        Planned = "planned",
        /// The training has started.
        Running = "running",
        /// The training is over.
        Completed = "completed",
        /// It will not run.
        Cancelled = "cancelled",
    }
}

impl TrackStatus {
    /// The statuses a track may move to from this one.
    pub fn next(self) -> &'static [Self] {
        match self {
            Self::Planned => &[Self::Running, Self::Cancelled],
            Self::Running => &[Self::Completed, Self::Cancelled],
            Self::Completed | Self::Cancelled => &[],
        }
    }

    /// Whether candidates may still be enrolled and firms still commit.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Planned | Self::Running)
    }
}

choices! {
    /// A firm's commitment to a track.
    CommitmentStatus, "track-commitment-" {
        /// Proposed by a coordinator, waiting for the firm's answer.
        Proposed = "proposed",
        /// Confirmed by the firm.
        Confirmed = "confirmed",
        /// Declined by the firm.
        Declined = "declined",
    }
}

choices! {
    /// A participant's place in a track.
    ParticipantStatus, "track-participant-" {
        /// Enrolled, taking part.
        Enrolled = "enrolled",
        /// Took the whole track.
        Completed = "completed",
        /// Left before the end.
        Left = "left",
    }
}

/// The most seats a track can have.
pub const SEATS_MAX: i32 = 60;
/// The most internship places or jobs one firm can commit.
pub const PLACES_MAX: i32 = 50;

/// A whole number from `min` to `max`; empty is `field-required`.
pub fn parse_count(input: &str, min: i32, max: i32) -> Result<i32, &'static str> {
    let s = input.trim();
    if s.is_empty() {
        return Err("field-required");
    }
    match s.parse::<i32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        Ok(_) => Err("field-number-range"),
        Err(_) => Err("field-number-invalid"),
    }
}

/// The track form as posted (`tracks/create`, `tracks/update`, flattened).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackForm {
    /// The ring the track is run with.
    pub ring_id: String,
    /// The occupation, as the occupation picker posts it (a code, or words).
    pub occupation: String,
    /// The track's name.
    pub title: String,
    /// The training's name.
    pub training_name: String,
    /// Who gives the training.
    pub provider: String,
    /// The training's first day, `YYYY-MM-DD`.
    pub starts_on: String,
    /// Its last day.
    pub ends_on: String,
    /// How many can take part.
    pub seats: String,
    /// The Swedish a participant needs on entry ("" none).
    pub swedish_level: String,
    /// Swedish for the trade: what, when, with whom.
    pub swedish_for_trade: String,
}

/// A track's details, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackInput {
    pub ring_id: i32,
    pub occupation: String,
    pub title: String,
    pub training_name: String,
    pub provider: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub seats: i32,
    pub swedish_level: Option<SwedishLevel>,
    pub swedish_for_trade: String,
}

impl TrackForm {
    /// Checks every field at once; `occupation` is the picker's value already
    /// resolved against the taxonomy (a unit code, or the error's key), `earliest` the
    /// first day a start may be on (a new track: a year back; an edit: its own start
    /// when that is earlier).
    pub fn parse(
        &self,
        occupation: Result<String, &'static str>,
        earliest: NaiveDate,
    ) -> Result<TrackInput, AppError> {
        let mut errors = FieldErrors::new();
        let ring_id = match self.ring_id.trim() {
            "" => {
                errors.add(field!(TrackForm, ring_id), "field-choice-required");
                None
            }
            s => match s.parse::<i32>() {
                Ok(id) if id > 0 => Some(id),
                _ => {
                    errors.add(field!(TrackForm, ring_id), "field-choice-invalid");
                    None
                }
            },
        };
        let occupation = occupation
            .map_err(|k| errors.add(field!(TrackForm, occupation), k))
            .unwrap_or_default();
        let mut take = |field: &str, r: Result<String, &'static str>| {
            r.map_err(|k| errors.add(field, k)).unwrap_or_default()
        };
        let title = take(field!(TrackForm, title), parse_text(&self.title, 120));
        let training_name = take(
            field!(TrackForm, training_name),
            parse_text(&self.training_name, 160),
        );
        let provider = take(field!(TrackForm, provider), parse_text(&self.provider, 160));
        let swedish_for_trade = take(
            field!(TrackForm, swedish_for_trade),
            parse_optional_text(&self.swedish_for_trade, 1000),
        );
        let starts_on = parse_date(&self.starts_on)
            .map_err(|k| errors.add(field!(TrackForm, starts_on), k))
            .ok();
        let ends_on = parse_date(&self.ends_on)
            .map_err(|k| errors.add(field!(TrackForm, ends_on), k))
            .ok();
        if starts_on.is_some_and(|s| s < earliest) {
            errors.add(field!(TrackForm, starts_on), "field-date-too-early");
        }
        if let (Some(s), Some(e)) = (starts_on, ends_on) {
            if e < s {
                errors.add(field!(TrackForm, ends_on), "field-end-before-start");
            } else if (e - s).num_days() > 730 {
                errors.add(field!(TrackForm, ends_on), "track-too-long");
            }
        }
        let seats = parse_count(&self.seats, 1, SEATS_MAX)
            .map_err(|k| errors.add(field!(TrackForm, seats), k))
            .ok();
        let swedish_level = match self.swedish_level.trim() {
            "" => None,
            s => {
                let level = SwedishLevel::parse(s);
                if level.is_none() {
                    errors.add(field!(TrackForm, swedish_level), "field-choice-invalid");
                }
                level
            }
        };
        match (ring_id, starts_on, ends_on, seats) {
            (Some(ring_id), Some(starts_on), Some(ends_on), Some(seats)) if errors.is_empty() => {
                Ok(TrackInput {
                    ring_id,
                    occupation,
                    title,
                    training_name,
                    provider,
                    starts_on,
                    ends_on,
                    seats,
                    swedish_level,
                    swedish_for_trade,
                })
            }
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

    fn form() -> TrackForm {
        TrackForm {
            ring_id: "3".into(),
            occupation: "5321".into(),
            title: "Undersköterska, våren".into(),
            training_name: "Vård- och omsorgsutbildning, kort".into(),
            provider: "Komvux".into(),
            starts_on: "2027-01-11".into(),
            ends_on: "2027-06-11".into(),
            seats: "12".into(),
            swedish_level: "a2".into(),
            swedish_for_trade: "Yrkessvenska två förmiddagar i veckan".into(),
        }
    }

    #[test]
    fn a_whole_track_form_is_read() {
        let t = form().parse(Ok("5321".into()), d("2026-01-01")).unwrap();
        assert_eq!(t.ring_id, 3);
        assert_eq!(t.seats, 12);
        assert_eq!(t.swedish_level, Some(SwedishLevel::A2));
        assert_eq!(t.ends_on, d("2027-06-11"));
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let f = TrackForm {
            ring_id: "x".into(),
            title: " ".into(),
            provider: String::new(),
            starts_on: "2025-12-31".into(),
            ends_on: "2025-12-01".into(),
            seats: "61".into(),
            swedish_level: "Z9".into(),
            ..form()
        };
        let Err(AppError::Validation(errors)) =
            f.parse(Err("field-occupation-unknown"), d("2026-01-01"))
        else {
            panic!("refused");
        };
        for (field, key) in [
            ("ring_id", "field-choice-invalid"),
            ("occupation", "field-occupation-unknown"),
            ("title", "field-required"),
            ("provider", "field-required"),
            ("starts_on", "field-date-too-early"),
            ("ends_on", "field-end-before-start"),
            ("seats", "field-number-range"),
            ("swedish_level", "field-choice-invalid"),
        ] {
            assert_eq!(errors.get(field), Some(key), "{field}");
        }
        assert_eq!(errors.get("training_name"), None);
    }

    #[test]
    fn a_track_of_more_than_two_years_is_refused() {
        let f = TrackForm {
            ends_on: "2029-01-12".into(),
            ..form()
        };
        let Err(AppError::Validation(errors)) = f.parse(Ok("5321".into()), d("2026-01-01")) else {
            panic!("refused");
        };
        assert_eq!(errors.get("ends_on"), Some("track-too-long"));
    }

    #[test]
    fn a_track_moves_forward_only() {
        assert_eq!(
            TrackStatus::Planned.next(),
            &[TrackStatus::Running, TrackStatus::Cancelled]
        );
        assert!(TrackStatus::Completed.next().is_empty());
        assert!(!TrackStatus::Cancelled.is_open());
        assert_eq!(parse_count("0", 0, 5), Ok(0));
        assert_eq!(parse_count("x", 0, 5), Err("field-number-invalid"));
    }
}
