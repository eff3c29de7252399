//! The one scanner for personal data in free text, with the stricter patterns of the
//! two it replaced: a name's parts, phone numbers, e-mail addresses (also written
//! "(at)"), personnummer and coordination numbers, exact dates.
//!
//! Releases: the text a coordinator writes for a profile must not name the candidate
//! or carry any of these; a finding blocks the save and says what was found (never the
//! whole text). The forum warns before a post that seems to carry a candidate's
//! contact details or number (a date there is a meeting, not a person: not warned).

use std::sync::LazyLock;

use regex::Regex;

/// Something in a profile text that could identify the candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// A part of the candidate's name.
    Name(String),
    /// An e-mail address.
    Email,
    /// A personnummer or coordination number.
    Personnummer,
    /// A phone number.
    Phone,
    /// An exact date.
    Date,
}

impl Finding {
    /// The i18n key of the message.
    pub fn message_key(&self) -> &'static str {
        match self {
            Self::Name(_) => "release-scan-name",
            Self::Email => "release-scan-email",
            Self::Personnummer => "release-scan-pnr",
            Self::Phone => "release-scan-phone",
            Self::Date => "release-scan-date",
        }
    }
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[^\s@<>()\[\],;:]+\s*(?:@|\(at\)|\[at\])\s*[^\s@<>()\[\],;:]+\.[A-Za-z]{2,}")
        .expect("a fixed pattern")
});
static PERSONNUMMER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:\d{2})?\d{6}\s?[-+]?\s?\d{4}\b").expect("a fixed pattern"));
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})\b")
        .expect("a fixed pattern")
});
static PHONE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:\+|\b)\d[\d\s\-()/.]{5,}\d\b").expect("a fixed pattern"));
static YEAR_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:19|20)\d{2}\s*[-–/]\s*(?:19|20)\d{2}$").expect("a fixed pattern")
});

/// What in `text` could identify a person called `name` (`""`: no name to look for);
/// empty when it is clean.
pub fn scan(text: &str, name: &str) -> Vec<Finding> {
    let mut found = Vec::new();
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    for part in name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|p| p.chars().count() >= 2)
    {
        let part_lower = part.to_lowercase();
        if words.contains(&part_lower) && !found.contains(&Finding::Name(part.to_owned())) {
            found.push(Finding::Name(part.to_owned()));
        }
    }
    if EMAIL.is_match(text) {
        found.push(Finding::Email);
    }
    let mut rest = text.to_owned();
    if PERSONNUMMER.is_match(&rest) {
        found.push(Finding::Personnummer);
        rest = PERSONNUMMER.replace_all(&rest, " ").into_owned();
    }
    if DATE.is_match(&rest) {
        found.push(Finding::Date);
        rest = DATE.replace_all(&rest, " ").into_owned();
    }
    let phone = PHONE.find_iter(&rest).any(|m| {
        let digits = m.as_str().chars().filter(char::is_ascii_digit).count();
        (7..=15).contains(&digits) && !YEAR_RANGE.is_match(m.as_str().trim())
    });
    if phone {
        found.push(Finding::Phone);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_description_is_clean() {
        let text = "Erfaren inom äldreomsorg, 5 år som undersköterska 2015–2020. \
                    Vill arbeta heltid, har B-körkort och 3 barns erfarenhet av kök.";
        assert_eq!(scan(text, "Amina Yusuf Hassan"), vec![]);
    }

    #[test]
    fn the_candidates_name_is_found_in_any_case_but_not_inside_other_words() {
        assert_eq!(
            scan("AMINA är noggrann", "Amina Yusuf"),
            vec![Finding::Name("Amina".into())]
        );
        assert_eq!(
            scan("Hon har jobbat med Yusufs familj", "Amina Yusuf"),
            vec![],
            "a longer word is not the name"
        );
        assert_eq!(scan("Ali-Reza kan svetsa", "Ali-Reza Karimi").len(), 2);
    }

    #[test]
    fn contact_details_and_numbers_are_found() {
        assert_eq!(scan("nås på amina.y@example.se", "X"), vec![Finding::Email]);
        assert_eq!(
            scan("nås på amina (at) example.se", "X"),
            vec![Finding::Email]
        );
        assert_eq!(scan("ring 070-123 45 67", "X"), vec![Finding::Phone]);
        assert_eq!(scan("ring +46 70 123 45 67", "X"), vec![Finding::Phone]);
        assert_eq!(scan("pnr 19900101-1234", "X"), vec![Finding::Personnummer]);
        assert_eq!(scan("pnr 900101-1234", "X"), vec![Finding::Personnummer]);
        assert_eq!(scan("pnr 199001011234", "X"), vec![Finding::Personnummer]);
        assert_eq!(scan("född 1990-01-01", "X"), vec![Finding::Date]);
        assert_eq!(scan("kom hit 3/4/2019", "X"), vec![Finding::Date]);
    }

    #[test]
    fn year_ranges_and_small_numbers_are_not_phone_numbers() {
        assert_eq!(scan("arbetade 2015-2020 och 2021 – 2023", "X"), vec![]);
        assert_eq!(scan("lyfter 25 kg, 40 timmar i veckan", "X"), vec![]);
    }
}
