//! Validated values about people and accounts, parsed once at the edge.

use serde::{Deserialize, Serialize};

/// An e-mail address: trimmed, at most 254 characters, one `@`, a dotted domain,
/// no spaces or control characters. Stored in lower case: it identifies an account,
/// and nobody expects `Anna@` and `anna@` to be two people.
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
        Ok(Self(s.to_lowercase()))
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
    fn ordinary_addresses_are_accepted_in_lower_case() {
        let email = Email::parse("  Anna.Berg@Ekdala.SE ").expect("valid");
        assert_eq!(email.as_str(), "anna.berg@ekdala.se");
        assert_eq!(email.masked(), "a***@ekdala.se");
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

/// The roles of Broar's users (DOMAIN.md, "Who uses it").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// The municipality's system owner.
    Admin,
    /// Municipal staff who run the rings.
    Coordinator,
    /// A person at a member firm.
    Employer,
}

impl Role {
    /// Every role, most powerful first.
    pub const ALL: [Role; 3] = [Role::Admin, Role::Coordinator, Role::Employer];

    /// The value stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Coordinator => "coordinator",
            Self::Employer => "employer",
        }
    }

    /// Reads a stored or submitted role.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "admin" => Some(Self::Admin),
            "coordinator" => Some(Self::Coordinator),
            "employer" => Some(Self::Employer),
            _ => None,
        }
    }

    /// The i18n key of the role's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Admin => "role-admin",
            Self::Coordinator => "role-coordinator",
            Self::Employer => "role-employer",
        }
    }

    /// Municipal staff: coordinators and admins (who can do what coordinators can).
    pub fn is_staff(self) -> bool {
        matches!(self, Self::Admin | Self::Coordinator)
    }
}

/// The shortest password accepted (OWASP ASVS 2.1.1).
pub const PASSWORD_MIN: usize = 8;
/// The longest password accepted; ASVS asks that at least 64 be allowed.
pub const PASSWORD_MAX: usize = 128;

/// A new password that follows the rules: 8–128 characters, not a common password.
/// Never logged, never shown, never kept for redisplay.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

impl NewPassword {
    /// Checks a chosen password; `Err` holds the i18n key of the problem.
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let length = input.chars().count();
        if length == 0 {
            return Err("field-required");
        }
        if length < PASSWORD_MIN {
            return Err("field-password-short");
        }
        if length > PASSWORD_MAX {
            return Err("field-password-long");
        }
        if is_common_password(input) {
            return Err("field-password-common");
        }
        Ok(Self(input.to_owned()))
    }

    /// The password, for hashing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Whether `password` is on the shipped list of common passwords (case-insensitive).
#[cfg(feature = "ssr")]
pub fn is_common_password(password: &str) -> bool {
    use std::{collections::HashSet, sync::OnceLock};
    static LIST: OnceLock<HashSet<&'static str>> = OnceLock::new();
    let list = LIST.get_or_init(|| {
        include_str!("../../data/common-passwords.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect()
    });
    list.contains(password.to_lowercase().as_str())
}

/// In the browser the list is not shipped; the server checks it on submit.
#[cfg(not(feature = "ssr"))]
pub fn is_common_password(_password: &str) -> bool {
    false
}

#[cfg(all(test, feature = "ssr"))]
mod password_tests {
    use super::*;

    #[test]
    fn passwords_follow_the_asvs_rules() {
        assert_eq!(NewPassword::parse(""), Err("field-required"));
        assert_eq!(NewPassword::parse("kort123"), Err("field-password-short"));
        assert_eq!(
            NewPassword::parse(&"å".repeat(129)),
            Err("field-password-long")
        );
        assert!(
            NewPassword::parse(&"å".repeat(64)).is_ok(),
            "64 characters are allowed"
        );
        assert_eq!(
            NewPassword::parse("Password1"),
            Err("field-password-common")
        );
        assert_eq!(
            NewPassword::parse("LÖSENORD123"),
            Err("field-password-common")
        );
        assert!(NewPassword::parse("bro över Stångån 1972").is_ok());
        assert_eq!(
            format!("{:?}", NewPassword::parse("bro över Stångån 1972")),
            "Ok(NewPassword(***))"
        );
    }

    #[test]
    fn roles_round_trip_through_their_stored_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
