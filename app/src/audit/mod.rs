//! The audit log: who did what to which object, when, with what outcome. Append-only
//! (the database refuses UPDATE and DELETE). Every concept records here, `auth`
//! included, so this module imports no concept; the page where coordinators and
//! admins search the log is `admin::audit_log`.

#[cfg(feature = "ssr")]
pub mod service;

use serde::{Deserialize, Serialize};

/// One line of the audit log as the search page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// When, in UTC.
    pub at: chrono::DateTime<chrono::Utc>,
    /// Who (a name and e-mail, or "anonymous").
    pub actor: String,
    /// What, e.g. `login.failure`.
    pub action: String,
    /// The kind of object, e.g. `user`.
    pub object_type: String,
    /// Which one, if any.
    pub object_id: Option<String>,
    /// `ok`, `refused` or `failed`.
    pub outcome: String,
    /// A short detail (never personal data of candidates).
    pub detail: String,
}

/// Every kind of object the log records (`Event::object_type`); a test reads the
/// sources and checks that none is missing, so each has a name in words.
pub const OBJECT_KINDS: &[&str] = &[
    "candidate",
    "consent_text",
    "erasure",
    "firm",
    "invitation",
    "meeting",
    "need",
    "post",
    "release",
    "ring",
    "thread",
    "track",
    "user",
];

/// Every outcome the log records.
pub const OUTCOMES: &[&str] = &["ok", "refused", "failed"];

/// The actor stored when nobody was logged in.
pub const ANONYMOUS: &str = "anonymous";

/// The i18n key of a stored action (`login.failure` → `audit-action-login-failure`).
pub fn action_key(code: &str) -> String {
    format!("audit-action-{}", code.replace(['.', '_'], "-"))
}

/// The i18n key of a kind of object (`consent_text` → `audit-object-consent-text`).
pub fn object_key(kind: &str) -> String {
    format!("audit-object-{}", kind.replace('_', "-"))
}

/// The i18n key of an outcome (`refused` → `audit-outcome-refused`).
pub fn outcome_key(outcome: &str) -> String {
    format!("audit-outcome-{outcome}")
}

/// One line of the log as a person reads it, in `locale`'s words. A code without
/// words (an entry older than its action's name) is shown as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryInWords {
    /// "Ej inloggad" or the name and e-mail.
    pub actor: String,
    /// "Misslyckad inloggning".
    pub action: String,
    /// "Deltagare 61".
    pub object: String,
    /// "Nekad".
    pub outcome: String,
}

impl AuditEntry {
    /// This entry in `locale`'s words.
    pub fn in_words(&self, locale: crate::i18n::Locale) -> EntryInWords {
        let words = |key: String, code: &str| locale.try_t(&key).unwrap_or_else(|| code.to_owned());
        let kind = words(object_key(&self.object_type), &self.object_type);
        EntryInWords {
            actor: if self.actor == ANONYMOUS {
                locale.t("audit-anonymous")
            } else {
                self.actor.clone()
            },
            action: words(action_key(&self.action), &self.action),
            object: match &self.object_id {
                Some(id) => format!("{kind} {id}"),
                None => kind,
            },
            outcome: words(outcome_key(&self.outcome), &self.outcome),
        }
    }
}

/// What a search typed in words means in stored codes: the actions and outcomes
/// whose names contain it, and an object written as shown ("deltagare 61").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodesOfWords {
    /// Stored action names whose words contain the query.
    pub actions: Vec<String>,
    /// Stored outcomes whose words contain the query.
    pub outcomes: Vec<String>,
    /// An object kind and id, when the query reads "<kind in words> <id>".
    pub object: Option<(String, String)>,
}

/// The codes that `query`, typed in `locale`'s words, stands for. `actions` are the
/// stored action names (`audit::service::Action::ALL`, passed in: that list is
/// server-side).
pub fn in_codes(locale: crate::i18n::Locale, query: &str, actions: &[&str]) -> CodesOfWords {
    let query = query.trim().to_lowercase();
    if query.is_empty() {
        return CodesOfWords::default();
    }
    let matching = |codes: &[&str], key: fn(&str) -> String| -> Vec<String> {
        codes
            .iter()
            .filter(|code| {
                locale
                    .try_t(&key(code))
                    .is_some_and(|words| words.to_lowercase().contains(&query))
            })
            .map(|code| (*code).to_owned())
            .collect()
    };
    let object = query.rsplit_once(' ').and_then(|(kind, id)| {
        let id = id.trim();
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        OBJECT_KINDS
            .iter()
            .find(|k| {
                locale
                    .try_t(&object_key(k))
                    .is_some_and(|words| words.to_lowercase() == kind.trim())
            })
            .map(|k| ((*k).to_owned(), id.to_owned()))
    });
    CodesOfWords {
        actions: matching(actions, action_key),
        outcomes: matching(OUTCOMES, outcome_key),
        object,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    #[test]
    fn every_object_kind_and_outcome_has_words_in_both_languages() {
        for locale in Locale::ALL {
            for kind in OBJECT_KINDS {
                assert!(
                    locale.try_t(&object_key(kind)).is_some(),
                    "{kind} in {locale:?}"
                );
            }
            for outcome in OUTCOMES {
                assert!(
                    locale.try_t(&outcome_key(outcome)).is_some(),
                    "{outcome} in {locale:?}"
                );
            }
        }
    }

    /// The kinds the sources record (the string after `Event::…(`, `.event(` or
    /// `object_type:`) are all in [`OBJECT_KINDS`].
    #[test]
    fn every_recorded_object_kind_is_listed() {
        fn sources(dir: &std::path::Path, out: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).expect("readable").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    sources(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    out.push(std::fs::read_to_string(&path).expect("a source file"));
                }
            }
        }
        let mut files = Vec::new();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        sources(&root.join("src"), &mut files);
        sources(&root.join("../server/src"), &mut files);
        let mut found = std::collections::BTreeSet::new();
        // This test names the markers itself; it is not a recording.
        for file in files
            .iter()
            .filter(|f| !f.contains("fn every_recorded_object_kind_is_listed"))
        {
            for marker in [".event(", "Event::ok(", "object_type: \""] {
                for (at, _) in file.match_indices(marker) {
                    let rest = &file[at + marker.len()..];
                    let rest = &rest[..rest.len().min(300)];
                    let start = if marker.ends_with('"') {
                        Some(0)
                    } else {
                        rest.find('"').map(|i| i + 1)
                    };
                    if let Some(start) = start
                        && let Some(len) = rest[start..].find('"')
                    {
                        let kind = &rest[start..start + len];
                        if !kind.is_empty()
                            && kind.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                        {
                            found.insert(kind.to_owned());
                        }
                    }
                }
            }
        }
        assert!(found.len() >= 8, "the scan finds the kinds: {found:?}");
        let missing: Vec<&String> = found
            .iter()
            .filter(|k| !OBJECT_KINDS.contains(&k.as_str()))
            .collect();
        assert!(missing.is_empty(), "not in OBJECT_KINDS: {missing:?}");
    }

    #[test]
    fn a_search_in_words_finds_the_codes() {
        let codes = in_codes(
            Locale::Sv,
            "Deltagare 61",
            &["candidate.read", "login.failure"],
        );
        assert_eq!(
            codes.object,
            Some(("candidate".to_owned(), "61".to_owned()))
        );
        let codes = in_codes(
            Locale::Sv,
            "misslyckad inloggning",
            &["candidate.read", "login.failure"],
        );
        assert_eq!(codes.actions, vec!["login.failure".to_owned()]);
        let codes = in_codes(Locale::En, "candidate 61", &[]);
        assert_eq!(
            codes.object,
            Some(("candidate".to_owned(), "61".to_owned()))
        );
        assert_eq!(
            in_codes(Locale::Sv, "nekad", &[]).outcomes,
            vec!["refused".to_owned()]
        );
        assert_eq!(
            in_codes(Locale::Sv, "  ", &["login.failure"]),
            CodesOfWords::default()
        );
    }

    #[test]
    fn an_entry_reads_in_words() {
        let entry = AuditEntry {
            at: chrono::Utc::now(),
            actor: ANONYMOUS.to_owned(),
            action: "login.failure".to_owned(),
            object_type: "candidate".to_owned(),
            object_id: Some("61".to_owned()),
            outcome: "refused".to_owned(),
            detail: String::new(),
        };
        let words = entry.in_words(Locale::Sv);
        assert_eq!(
            (
                words.actor.as_str(),
                words.action.as_str(),
                words.object.as_str(),
                words.outcome.as_str()
            ),
            (
                "Ej inloggad",
                "Misslyckad inloggning",
                "Deltagare 61",
                "Nekad"
            )
        );
        let unknown = AuditEntry {
            action: "x.y".to_owned(),
            ..entry
        };
        assert_eq!(unknown.in_words(Locale::En).action, "x.y");
    }
}
