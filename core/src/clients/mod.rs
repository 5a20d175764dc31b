//! Clients (the people a practice serves), client groups, and portal invitations.

pub mod groups;
pub mod policy;
pub mod repo;
pub mod service;

use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

use crate::{
    FieldErrors, Result,
    clock::TimeZone,
    fields::{EmailAddress, PersonName},
};

/// What a member types into the add and edit forms.
#[derive(Debug, Clone, Default)]
pub struct ClientForm {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub date_of_birth: String,
    pub time_zone: String,
    /// A membership id, or empty for none.
    pub primary_provider_id: String,
}

/// A [`ClientForm`] that parsed.
#[derive(Debug, Clone)]
pub struct ClientDetails {
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub email: Option<EmailAddress>,
    pub phone: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    pub time_zone: TimeZone,
    pub primary_provider_id: Option<Uuid>,
}

impl ClientForm {
    /// `today` is the date in the practice, for the date-of-birth check.
    pub fn parse(&self, today: NaiveDate) -> Result<ClientDetails> {
        let mut errors = FieldErrors::new();
        let first_name = errors.check("first_name", PersonName::parse(&self.first_name));
        let last_name = errors.check("last_name", PersonName::parse(&self.last_name));
        let email = errors.check("email", optional(&self.email, EmailAddress::parse));
        let phone = errors.check("phone", optional(&self.phone, parse_phone));
        let date_of_birth =
            errors.check("date_of_birth", optional(&self.date_of_birth, |raw| parse_birth_date(raw, today)));
        let time_zone = errors.check("time_zone", TimeZone::parse(&self.time_zone));
        let primary_provider_id = errors.check(
            "primary_provider_id",
            optional(&self.primary_provider_id, |raw| {
                Uuid::parse_str(raw).map_err(|_| "Choose a provider from the list.".to_owned())
            }),
        );
        match (first_name, last_name, email, phone, date_of_birth, time_zone, primary_provider_id) {
            (
                Some(first_name),
                Some(last_name),
                Some(email),
                Some(phone),
                Some(date_of_birth),
                Some(time_zone),
                Some(primary_provider_id),
            ) if errors.is_empty() => {
                Ok(ClientDetails { first_name, last_name, email, phone, date_of_birth, time_zone, primary_provider_id })
            }
            _ => Err(crate::Error::Validation(errors)),
        }
    }
}

/// Empty input is `None`; anything else must parse.
fn optional<T>(
    raw: &str,
    parse: impl FnOnce(&str) -> std::result::Result<T, String>,
) -> std::result::Result<Option<T>, String> {
    if raw.trim().is_empty() { Ok(None) } else { parse(raw.trim()).map(Some) }
}

/// A phone number as people write it: digits with optional `+`, spaces, dots, dashes, brackets.
pub fn parse_phone(raw: &str) -> std::result::Result<String, String> {
    let allowed = raw.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
    let digits = raw.chars().filter(char::is_ascii_digit).count();
    if allowed && (7..=15).contains(&digits) {
        Ok(raw.trim().to_owned())
    } else {
        Err("Enter a phone number with 7 to 15 digits, like +1 312 555 0142.".into())
    }
}

fn parse_birth_date(raw: &str, today: NaiveDate) -> std::result::Result<NaiveDate, String> {
    let date =
        NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| "Enter the date of birth as YYYY-MM-DD.".to_owned())?;
    if date > today {
        Err("The date of birth cannot be in the future.".into())
    } else if date.year() < 1900 {
        Err("Enter a date of birth after 1900.".into())
    } else {
        Ok(date)
    }
}

/// Escapes `%`, `_` and `\` so a search term matches literally inside `ILIKE`.
pub fn like_pattern(term: &str) -> String {
    let escaped = term.trim().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    fn form() -> ClientForm {
        ClientForm {
            first_name: "Ana".into(),
            last_name: "Lopez".into(),
            time_zone: "America/Chicago".into(),
            ..ClientForm::default()
        }
    }

    #[test]
    fn only_names_and_time_zone_are_required() {
        let details = form().parse(today()).unwrap();
        assert_eq!(details.first_name.as_str(), "Ana");
        assert!(details.email.is_none() && details.phone.is_none() && details.date_of_birth.is_none());
    }

    #[test]
    fn every_bad_field_is_reported() {
        let bad = ClientForm {
            first_name: "".into(),
            email: "nope".into(),
            phone: "12".into(),
            date_of_birth: "31/12/1980".into(),
            time_zone: "Nowhere".into(),
            primary_provider_id: "x".into(),
            ..form()
        };
        let crate::Error::Validation(errors) = bad.parse(today()).unwrap_err() else { panic!() };
        let fields: Vec<&str> = errors.0.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["first_name", "email", "phone", "date_of_birth", "time_zone", "primary_provider_id"]);
    }

    #[test]
    fn a_birth_date_in_the_future_is_refused() {
        let error = ClientForm { date_of_birth: "2026-11-29".into(), ..form() }.parse(today()).unwrap_err();
        let crate::Error::Validation(errors) = error else { panic!("not a validation error: {error:?}") };
        assert_eq!(errors.0, [("date_of_birth".to_owned(), "The date of birth cannot be in the future.".to_owned())]);
    }

    #[test]
    fn phone_numbers_are_accepted_as_people_write_them() {
        assert!(parse_phone("+1 (312) 555-0142").is_ok());
        assert_eq!(
            parse_phone("call me").unwrap_err(),
            "Enter a phone number with 7 to 15 digits, like +1 312 555 0142."
        );
    }

    #[test]
    fn search_terms_match_literally() {
        assert_eq!(like_pattern(" 50%_off "), "%50\\%\\_off%");
    }
}
