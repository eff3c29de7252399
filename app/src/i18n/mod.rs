//! The one i18n layer: every UI string is a Fluent message in `app/locales/<lang>/`,
//! looked up in the reader's language. Swedish is the default; English on request
//! (a cookie set by the language switch). Dates are shown in Europe/Stockholm.

use std::{borrow::Cow, collections::HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use fluent_templates::{LanguageIdentifier, Loader, fluent_bundle::FluentValue, langid};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "sv",
        // No Unicode isolation marks around arguments: they confuse screen readers
        // and copy-paste, and our arguments are never right-to-left.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// Messages without arguments as formatted in each language ([`Locale::t`]), in the
/// order of [`Locale::ALL`].
static FORMATTED: std::sync::LazyLock<[std::sync::RwLock<HashMap<String, String>>; 2]> =
    std::sync::LazyLock::new(Default::default);
/// At most this many messages are kept per language (there are about 1 500).
const FORMATTED_AT_MOST: usize = 10_000;

/// The name of the cookie that remembers the reader's language.
pub const LANG_COOKIE: &str = "broar_lang";

static SV: LanguageIdentifier = langid!("sv");
static EN: LanguageIdentifier = langid!("en");

/// A language the interface is available in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Locale {
    /// Swedish, the default.
    #[default]
    Sv,
    /// English, on request.
    En,
}

impl Locale {
    /// Every supported language, default first.
    pub const ALL: [Locale; 2] = [Locale::Sv, Locale::En];

    /// The BCP 47 code, as used in `lang` attributes and the cookie.
    pub fn code(self) -> &'static str {
        match self {
            Self::Sv => "sv",
            Self::En => "en",
        }
    }

    /// Reads a language code; anything unknown is `None`.
    pub fn parse(code: &str) -> Option<Self> {
        match code.trim().to_ascii_lowercase().as_str() {
            "sv" | "sv-se" => Some(Self::Sv),
            "en" | "en-gb" | "en-us" => Some(Self::En),
            _ => None,
        }
    }

    /// The language's name in itself, for the language switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Self::Sv => "Svenska",
            Self::En => "English",
        }
    }

    fn langid(self) -> &'static LanguageIdentifier {
        match self {
            Self::Sv => &SV,
            Self::En => &EN,
        }
    }

    /// The message `key` in this language. Formatted once per process and language: a
    /// page shows a few hundred, and Fluent negotiates the language and formats the
    /// pattern on every lookup (issue 26's profile: a twentieth of a page's work).
    pub fn t(self, key: &str) -> String {
        let cache = &FORMATTED[self as usize];
        if let Some(text) = cache
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(key)
        {
            return text.clone();
        }
        let text = LOCALES.lookup(self.langid(), key);
        let mut cache = cache
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Keys come from the code (and a few from stored codes): a bound, to be safe.
        if cache.len() < FORMATTED_AT_MOST {
            cache.insert(key.to_owned(), text.clone());
        }
        text
    }

    /// The message `key`, or `None` when no language has it (for keys made from
    /// stored codes, where a code without words is shown as it is).
    pub fn try_t(self, key: &str) -> Option<String> {
        LOCALES.try_lookup(self.langid(), key)
    }

    /// The message `key` with named arguments.
    pub fn t_args(self, key: &str, args: &[(&'static str, String)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(name, value)| (Cow::Borrowed(*name), FluentValue::from(value.clone())))
            .collect();
        LOCALES.lookup_with_args(self.langid(), key, &args)
    }

    /// A date and time, in Stockholm's time.
    pub fn datetime(self, at: DateTime<Utc>) -> String {
        let local = at.with_timezone(&chrono_tz::Europe::Stockholm);
        match self {
            Self::Sv => local.format("%Y-%m-%d %H:%M").to_string(),
            Self::En => local.format("%-d %b %Y, %H:%M").to_string(),
        }
    }

    /// A calendar date (no time zone involved).
    pub fn date(self, day: NaiveDate) -> String {
        match self {
            Self::Sv => day.format("%Y-%m-%d").to_string(),
            Self::En => day.format("%-d %b %Y").to_string(),
        }
    }
}

/// Today's date in Stockholm (where the municipality's days begin and end). Server
/// side only: the browser build has no clock, so pages get the date from the server.
#[cfg(feature = "ssr")]
pub fn today() -> NaiveDate {
    Utc::now()
        .with_timezone(&chrono_tz::Europe::Stockholm)
        .date_naive()
}

/// A day and a wall-clock time in Stockholm as an instant; `None` for a time that
/// does not exist there (the hour skipped when summer time begins). In the repeated
/// autumn hour the earlier instant is taken.
pub fn stockholm_instant(day: NaiveDate, time: chrono::NaiveTime) -> Option<DateTime<Utc>> {
    use chrono::TimeZone;
    chrono_tz::Europe::Stockholm
        .from_local_datetime(&day.and_time(time))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// An instant as Stockholm's (date, "HH:MM"), for form fields.
pub fn stockholm_parts(at: DateTime<Utc>) -> (NaiveDate, String) {
    let local = at.with_timezone(&chrono_tz::Europe::Stockholm);
    (local.date_naive(), local.format("%H:%M").to_string())
}

/// The reader's language, from context (set once in `<App/>`).
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_default()
}

/// Decides the page's language and puts it in context.
///
/// On the server it comes from the language cookie; in the browser from the `lang`
/// attribute the server wrote on `<html>`, so both sides render the same text.
pub fn provide_locale() -> Locale {
    let locale = detect();
    provide_context(locale);
    locale
}

#[cfg(feature = "ssr")]
fn detect() -> Locale {
    use_context::<http::request::Parts>()
        .and_then(|parts| locale_from_cookie_header(&parts.headers))
        .unwrap_or_default()
}

#[cfg(not(feature = "ssr"))]
fn detect() -> Locale {
    document()
        .document_element()
        .and_then(|html| html.get_attribute("lang"))
        .and_then(|code| Locale::parse(&code))
        .unwrap_or_default()
}

/// Finds the language cookie among the request's cookies.
pub fn locale_from_cookie_header(headers: &http::HeaderMap) -> Option<Locale> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == LANG_COOKIE)
        .and_then(|(_, value)| Locale::parse(value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(lang: &str) -> BTreeSet<String> {
        let path = format!("{}/locales/{lang}/main.ftl", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(path).expect("locale file is readable");
        text.lines()
            .filter(|line| !line.starts_with([' ', '#', '.', '\t']) && line.contains(" ="))
            .filter_map(|line| line.split_once(" =").map(|(k, _)| k.trim().to_owned()))
            .collect()
    }

    #[test]
    fn a_message_read_again_is_the_one_fluent_formats() {
        for locale in Locale::ALL {
            for key in keys(locale.code()) {
                let fluent = LOCALES.lookup(locale.langid(), &key);
                assert_eq!(locale.t(&key), fluent, "{key} the first time");
                assert_eq!(locale.t(&key), fluent, "{key} from the cache");
            }
        }
        assert_eq!(Locale::Sv.t("nav-skip"), "Hoppa till innehållet");
        assert_eq!(Locale::En.t("nav-skip"), "Skip to content");
    }

    #[test]
    fn swedish_and_english_have_the_same_messages() {
        let sv = keys("sv");
        let en = keys("en");
        assert!(
            sv.len() > 20,
            "the Swedish file was read: {} keys",
            sv.len()
        );
        let only_sv: Vec<_> = sv.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&sv).collect();
        assert!(only_sv.is_empty(), "missing in English: {only_sv:?}");
        assert!(only_en.is_empty(), "missing in Swedish: {only_en:?}");
    }

    #[test]
    fn every_key_used_in_the_code_exists() {
        let known = keys("sv");
        let src = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut missing = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(src)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(dir).expect("src is readable").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs")
                    && !path.ends_with("i18n/mod.rs")
                {
                    let text = std::fs::read_to_string(&path).expect("source is readable");
                    let is_error_rs = path.ends_with("error.rs");
                    for key in used_keys(&text, is_error_rs) {
                        if !known.contains(&key) {
                            missing.push(format!("{}: {key}", path.display()));
                        }
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "keys used but not defined: {missing:#?}"
        );
        let sample = r#"x.t("home-title"); l.t_args("a11y-how", &[]); get("x-y"); add("e", "field-required")"#;
        assert_eq!(
            used_keys(sample, false),
            ["home-title", "a11y-how", "field-required"]
        );
    }

    /// Message keys in a source file: the first argument of `t(`/`t_args(`, any
    /// literal `field-…` (validation messages travel as data), and the `error-…`
    /// keys of `AppError::message_key` in error.rs.
    fn used_keys(text: &str, is_error_rs: bool) -> Vec<String> {
        let mut keys = Vec::new();
        for (i, chunk) in text.split('"').enumerate() {
            if i % 2 == 1 {
                let before = text.split('"').nth(i - 1).unwrap_or_default();
                let called = before.ends_with(".t(") || before.ends_with(".t_args(");
                let is_key_shape = !chunk.is_empty()
                    && chunk
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
                if is_key_shape
                    && (called
                        || chunk.starts_with("field-")
                        || (is_error_rs && chunk.starts_with("error-")))
                {
                    keys.push(chunk.to_owned());
                }
            }
        }
        keys
    }

    #[test]
    fn lookups_use_the_requested_language_and_fall_back_to_swedish() {
        assert_eq!(Locale::Sv.t("lang-switch-label"), "Språk");
        assert_eq!(Locale::En.t("lang-switch-label"), "Language");
    }

    #[test]
    fn dates_are_shown_in_stockholm_time_across_daylight_saving() {
        let winter = "2026-01-15T12:00:00Z"
            .parse::<DateTime<Utc>>()
            .expect("valid");
        let summer = "2026-07-15T12:00:00Z"
            .parse::<DateTime<Utc>>()
            .expect("valid");
        assert_eq!(Locale::Sv.datetime(winter), "2026-01-15 13:00");
        assert_eq!(Locale::Sv.datetime(summer), "2026-07-15 14:00");
        assert_eq!(Locale::En.datetime(summer), "15 Jul 2026, 14:00");
    }

    #[test]
    fn the_language_cookie_is_read_among_others() {
        let mut headers = http::HeaderMap::new();
        headers.insert(
            http::header::COOKIE,
            "a=b; broar_lang=en; c=d".parse().expect("valid header"),
        );
        assert_eq!(locale_from_cookie_header(&headers), Some(Locale::En));
        headers.insert(
            http::header::COOKIE,
            "broar_lang=xx".parse().expect("valid"),
        );
        assert_eq!(locale_from_cookie_header(&headers), None);
    }
}
