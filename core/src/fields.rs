//! Input that has been parsed: once a value has one of these types it is known to be valid.

use std::fmt;

/// A lower-cased email address, as lettre (which sends our mail) parses one, with a dotted
/// domain. Display-name forms such as `ann<eve@evil.example>` are refused, not rewritten.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err("Enter an email address.".into());
        }
        let valid = email.len() <= 254
            && email.parse::<lettre::Address>().is_ok_and(|address| {
                let domain = address.domain();
                domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
            });
        if valid { Ok(Self(email)) } else { Err("Enter an email address like name@example.com.".into()) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A trimmed, non-empty name of at most `max` characters, with no link in it: names go into
/// email, where mail programs turn anything that looks like an address into a link, so a
/// "name" like `Click evil.example to pay` would be phishing signed by the practice.
fn parse_name(raw: &str, what: &str, max: usize) -> Result<String, String> {
    let name = raw.trim();
    if name.is_empty() {
        Err(format!("Enter {what}."))
    } else if name.chars().count() > max {
        Err(format!("Use at most {max} characters."))
    } else if name.chars().any(char::is_control) {
        Err("Remove the special characters.".into())
    } else if holds_a_link(name) {
        Err("Names cannot contain web or email addresses.".into())
    } else {
        Ok(name.to_owned())
    }
}

/// Whether `text` holds anything a mail program would turn into a link: a URL with or without
/// its scheme (`evil.example`, `www.evil.example/pay`), or an email address.
fn holds_a_link(text: &str) -> bool {
    let mut finder = linkify::LinkFinder::new();
    finder.url_must_have_scheme(false);
    finder.links(text).next().is_some() || text.contains("://")
}

/// A person's name as they want to be addressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(raw: &str) -> Result<Self, String> {
        parse_name(raw, "a name", 120).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The name of a practice (an organization).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PracticeName(String);

impl PracticeName {
    pub fn parse(raw: &str) -> Result<Self, String> {
        parse_name(raw, "the name of your practice", 120).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The URL slug this name suggests: lower-case ASCII words joined by dashes.
    pub fn slug(&self) -> String {
        let mut slug = String::new();
        for c in self.0.chars().flat_map(char::to_lowercase) {
            if c.is_ascii_alphanumeric() {
                slug.push(c);
            } else if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
        }
        let slug = slug.trim_end_matches('-');
        let slug: String = slug.chars().take(48).collect();
        if slug.is_empty() { "practice".into() } else { slug.trim_end_matches('-').to_owned() }
    }
}

/// The id of a record, from a request. One that does not parse is a record that does not
/// exist: `NotFound`, like any other unknown id.
pub fn parse_id(raw: &str) -> crate::Result<uuid::Uuid> {
    uuid::Uuid::parse_str(raw.trim()).map_err(|_| crate::Error::NotFound)
}

const TOO_COMMON: &str = "This password is too common or easy to guess. Add more unrelated words.";

/// A password good enough to protect health records.
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN_CHARS: usize = 12;
    /// How much of a password zxcvbn scores.
    pub const SCORED_CHARS: usize = 100;

    /// [`NewPassword::parse`] on the blocking thread pool: scoring takes milliseconds of CPU,
    /// which must not stall the async threads serving other requests.
    pub async fn parse_off_thread(raw: &str, personal: &[&str]) -> Result<Self, String> {
        let raw = raw.to_owned();
        let personal: Vec<String> = personal.iter().map(|p| (*p).to_owned()).collect();
        tokio::task::spawn_blocking(move || {
            let personal: Vec<&str> = personal.iter().map(String::as_str).collect();
            Self::parse(&raw, &personal)
        })
        .await
        .unwrap_or_else(|_| Err("We could not check this password. Try again.".into()))
    }

    /// Refuses short passwords and ones on the common-password lists (through zxcvbn,
    /// whose dictionaries hold the most used passwords), and ones built from the
    /// person's own email or name.
    pub fn parse(raw: &str, personal: &[&str]) -> Result<Self, String> {
        if raw.chars().count() < Self::MIN_CHARS {
            return Err(format!("Use at least {} characters.", Self::MIN_CHARS));
        }
        if raw.len() > 1024 {
            return Err("Use at most 1024 characters.".into());
        }
        // zxcvbn's cost grows fast with length: score the first 100 characters, which is
        // plenty to tell a strong password from a common one.
        let scored: String = raw.chars().take(Self::SCORED_CHARS).collect();
        let estimate = zxcvbn::zxcvbn(&scored, personal);
        if (estimate.score() as u8) < 3 {
            return Err(TOO_COMMON.into());
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_lower_cased_and_trimmed() {
        assert_eq!(EmailAddress::parse("  Ann@Example.COM ").unwrap().as_str(), "ann@example.com");
    }

    #[test]
    fn email_without_a_dotted_domain_is_refused() {
        for bad in ["ann@localhost", "ann.example.com", "a b@example.com"] {
            assert_eq!(EmailAddress::parse(bad).unwrap_err(), "Enter an email address like name@example.com.", "{bad}");
        }
    }

    #[test]
    fn display_name_forms_and_odd_addresses_are_refused() {
        for bad in
            ["ann<eve@evil.example>", "Ann <ann@example.com>", "ann@example.com,eve@evil.example", "ann@@example.com"]
        {
            assert!(EmailAddress::parse(bad).is_err(), "{bad}");
        }
        assert!(EmailAddress::parse("ann.o'neil+tend@mail.example.co.uk").is_ok());
    }

    #[test]
    fn names_with_links_are_refused() {
        for bad in
            ["Ann evil.example", "www.evil.example/pay", "https://evil.example", "ann@evil.example", "Pay at bit.ly/x"]
        {
            assert_eq!(PersonName::parse(bad).unwrap_err(), "Names cannot contain web or email addresses.", "{bad}");
            assert!(PracticeName::parse(bad).is_err(), "{bad}");
        }
        for good in ["J.R.R. Tolkien", "Ann O'Neil-Smith", "Dr. Ann Lee", "Green Leaf Nutrition & Co.", "Zoë St. John"]
        {
            assert!(PersonName::parse(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn short_password_is_refused_with_the_minimum() {
        assert_eq!(NewPassword::parse("short", &[]).unwrap_err(), "Use at least 12 characters.");
    }

    #[test]
    fn common_long_password_is_refused() {
        for common in ["password1234", "qwertyuiop123"] {
            assert_eq!(NewPassword::parse(common, &[]).unwrap_err(), TOO_COMMON, "{common}");
        }
    }

    #[test]
    fn password_made_of_the_persons_email_is_refused() {
        let error = NewPassword::parse("ann.wilson@example.com", &["ann.wilson@example.com"]).unwrap_err();
        assert_eq!(error, TOO_COMMON);
    }

    #[test]
    fn only_the_first_hundred_characters_are_scored() {
        let weak_start = format!("{}{}", "a".repeat(100), " copper lantern drifts east");
        assert_eq!(NewPassword::parse(&weak_start, &[]).unwrap_err(), TOO_COMMON);
        let strong_start = format!("copper lantern drifts east {}", "a".repeat(900));
        assert!(NewPassword::parse(&strong_start, &[]).is_ok());
    }

    #[test]
    fn long_unusual_password_is_accepted() {
        assert!(NewPassword::parse("copper lantern drifts east", &[]).is_ok());
    }

    #[test]
    fn slug_is_made_of_ascii_words() {
        let name = PracticeName::parse("Green Leaf Nutrition & Co.").unwrap();
        assert_eq!(name.slug(), "green-leaf-nutrition-co");
        assert_eq!(PracticeName::parse("Émile").unwrap().slug(), "mile");
        assert_eq!(PracticeName::parse("!!!").unwrap().slug(), "practice");
    }
}
