//! Validated values about people and accounts, parsed once at the edge.

use serde::{Deserialize, Serialize};

/// An e-mail address: trimmed, at most 254 characters, one `@`, a dotted domain,
/// no spaces or control characters. The domain is stored in lower case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    /// Reads an address as a person typed it; `Err` holds the i18n key of the problem.
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let s = input.trim();
        if s.is_empty() {
            return Err("field-required");
        }
        if s.chars().count() > 254 {
            return Err("field-too-long");
        }
        let Some((local, domain)) = s.rsplit_once('@') else {
            return Err("field-email-invalid");
        };
        let valid = !local.is_empty()
            && local.len() <= 64
            && !local.contains('@')
            && domain.contains('.')
            && !domain.starts_with(['.', '-'])
            && !domain.ends_with(['.', '-'])
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
            && !s
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || "<>()[],;:\"\\".contains(c));
        if !valid {
            return Err("field-email-invalid");
        }
        Ok(Self(format!("{local}@{}", domain.to_lowercase())))
    }

    /// The address as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// For logs: `a***@example.se`. Addresses are personal data.
    pub fn masked(&self) -> String {
        match self.0.split_once('@') {
            Some((local, domain)) => {
                let first: String = local.chars().take(1).collect();
                format!("{first}***@{domain}")
            }
            None => "***".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_addresses_are_accepted_and_the_domain_lowercased() {
        let email = Email::parse("  Anna.Berg@Ekdala.SE ").expect("valid");
        assert_eq!(email.as_str(), "Anna.Berg@ekdala.se");
        assert_eq!(email.masked(), "A***@ekdala.se");
        assert!(Email::parse("ali+ring@företag.se").is_ok());
    }

    #[test]
    fn malformed_addresses_are_refused_with_the_reason() {
        assert_eq!(Email::parse("   "), Err("field-required"));
        for bad in [
            "anna",
            "anna@",
            "@ekdala.se",
            "anna@ekdala",
            "anna@@ekdala.se",
            "an na@ekdala.se",
            "anna@ekdala..se",
            "anna@.ekdala.se",
            "<script>@x.se",
            "anna\u{0}@ekdala.se",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
        assert_eq!(
            Email::parse(&format!("{}@x.se", "a".repeat(300))),
            Err("field-too-long")
        );
    }
}
