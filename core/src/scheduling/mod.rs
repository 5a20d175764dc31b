//! Scheduling: appointment types, providers' hours, the practice's booking rules, and
//! appointments booked by providers and clients. Free slots are computed in [`slots`]; the
//! database refuses double bookings (`appointments_no_double_booking`).

pub mod feed;
pub mod notify;
pub mod public;
pub mod repo;
pub mod report;
pub mod service;
pub mod slots;

use chrono::NaiveTime;

use crate::{Error, FieldErrors, Result};

/// What the server answers the loser of a race for one time.
pub const TAKEN: &str = "That time was just taken, please pick another.";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppointmentStatus {
    Booked,
    Occurred,
    NoShow,
    Cancelled,
    LateCancellation,
    Rescheduled,
}

impl AppointmentStatus {
    pub const ALL: [AppointmentStatus; 6] = [
        AppointmentStatus::Booked,
        AppointmentStatus::Occurred,
        AppointmentStatus::NoShow,
        AppointmentStatus::Cancelled,
        AppointmentStatus::LateCancellation,
        AppointmentStatus::Rescheduled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AppointmentStatus::Booked => "booked",
            AppointmentStatus::Occurred => "occurred",
            AppointmentStatus::NoShow => "no_show",
            AppointmentStatus::Cancelled => "cancelled",
            AppointmentStatus::LateCancellation => "late_cancellation",
            AppointmentStatus::Rescheduled => "rescheduled",
        }
    }

    pub fn parse(raw: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| FieldErrors::single("status", "Choose a status from the list."))
    }

    pub fn from_db(raw: &str) -> Self {
        Self::parse(raw).unwrap_or(AppointmentStatus::Booked)
    }

    /// The words on the status control, as providers know them.
    pub fn label(self) -> &'static str {
        match self {
            AppointmentStatus::Booked => "None yet",
            AppointmentStatus::Occurred => "Occurred",
            AppointmentStatus::NoShow => "No-Show",
            AppointmentStatus::Cancelled => "Cancelled",
            AppointmentStatus::LateCancellation => "Late Cancellation",
            AppointmentStatus::Rescheduled => "Re-Scheduled",
        }
    }

    /// Does an appointment in this status keep the provider's time? (Matches the exclusion
    /// constraint's `WHERE`.)
    pub fn holds_time(self) -> bool {
        matches!(self, AppointmentStatus::Booked | AppointmentStatus::Occurred | AppointmentStatus::NoShow)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocationKind {
    ExternalVideo,
    Phone,
    InPerson,
}

impl LocationKind {
    pub const ALL: [LocationKind; 3] = [LocationKind::ExternalVideo, LocationKind::Phone, LocationKind::InPerson];

    pub fn as_str(self) -> &'static str {
        match self {
            LocationKind::ExternalVideo => "external_video",
            LocationKind::Phone => "phone",
            LocationKind::InPerson => "in_person",
        }
    }

    pub fn from_db(raw: &str) -> Self {
        Self::ALL.into_iter().find(|k| k.as_str() == raw).unwrap_or(LocationKind::Phone)
    }

    pub fn label(self) -> &'static str {
        match self {
            LocationKind::ExternalVideo => "Video link (Zoom or another service)",
            LocationKind::Phone => "Phone call",
            LocationKind::InPerson => "In person",
        }
    }
}

/// The booking rules in force for one appointment type. Read from a `booking_rules` row as
/// JSON too (`to_jsonb`): the fields are its columns.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct BookingRules {
    pub book_notice_hours: i32,
    pub cancel_notice_hours: i32,
    pub reschedule_notice_hours: i32,
    pub horizon_days: i32,
    pub slot_interval_minutes: i32,
    pub same_day: bool,
    pub clients_may_cancel: bool,
    pub cancel_refusal: String,
    pub clients_may_reschedule: bool,
    pub reschedule_refusal: String,
}

impl Default for BookingRules {
    /// The practice's rules before anyone changes them (the table's defaults).
    fn default() -> Self {
        Self {
            book_notice_hours: 24,
            cancel_notice_hours: 24,
            reschedule_notice_hours: 24,
            horizon_days: 60,
            slot_interval_minutes: 15,
            same_day: true,
            clients_may_cancel: true,
            cancel_refusal: String::new(),
            clients_may_reschedule: true,
            reschedule_refusal: String::new(),
        }
    }
}

/// One type's departures from the practice's rules; `None` keeps the practice's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleOverrides {
    pub book_notice_hours: Option<i32>,
    pub cancel_notice_hours: Option<i32>,
    pub reschedule_notice_hours: Option<i32>,
    pub horizon_days: Option<i32>,
    pub slot_interval_minutes: Option<i32>,
    pub same_day: Option<bool>,
    pub clients_may_cancel: Option<bool>,
    pub cancel_refusal: Option<String>,
    pub clients_may_reschedule: Option<bool>,
    pub reschedule_refusal: Option<String>,
}

impl BookingRules {
    pub fn with(&self, o: &RuleOverrides) -> BookingRules {
        BookingRules {
            book_notice_hours: o.book_notice_hours.unwrap_or(self.book_notice_hours),
            cancel_notice_hours: o.cancel_notice_hours.unwrap_or(self.cancel_notice_hours),
            reschedule_notice_hours: o.reschedule_notice_hours.unwrap_or(self.reschedule_notice_hours),
            horizon_days: o.horizon_days.unwrap_or(self.horizon_days),
            slot_interval_minutes: o.slot_interval_minutes.unwrap_or(self.slot_interval_minutes),
            same_day: o.same_day.unwrap_or(self.same_day),
            clients_may_cancel: o.clients_may_cancel.unwrap_or(self.clients_may_cancel),
            cancel_refusal: o.cancel_refusal.clone().unwrap_or_else(|| self.cancel_refusal.clone()),
            clients_may_reschedule: o.clients_may_reschedule.unwrap_or(self.clients_may_reschedule),
            reschedule_refusal: o.reschedule_refusal.clone().unwrap_or_else(|| self.reschedule_refusal.clone()),
        }
    }
}

pub const SLOT_INTERVALS: [i32; 5] = [5, 10, 15, 30, 60];
const MAX_MESSAGE_CHARS: usize = 500;

/// The booking rules as typed: numbers as text, switches as `true`/`false`. In an
/// appointment type's form an empty field (or `practice`) keeps the practice's rule.
#[derive(Debug, Clone, Default)]
pub struct RulesForm {
    pub book_notice_hours: String,
    pub cancel_notice_hours: String,
    pub reschedule_notice_hours: String,
    pub horizon_days: String,
    pub slot_interval_minutes: String,
    pub same_day: String,
    pub clients_may_cancel: String,
    pub cancel_refusal: String,
    pub clients_may_reschedule: String,
    pub reschedule_refusal: String,
}

impl RulesForm {
    /// Every field filled: the practice's rules.
    pub fn parse_practice(&self) -> Result<BookingRules> {
        let overrides = self.parse_overrides()?;
        let mut errors = FieldErrors::new();
        for (field, missing) in [
            ("book_notice_hours", overrides.book_notice_hours.is_none()),
            ("cancel_notice_hours", overrides.cancel_notice_hours.is_none()),
            ("reschedule_notice_hours", overrides.reschedule_notice_hours.is_none()),
            ("horizon_days", overrides.horizon_days.is_none()),
            ("slot_interval_minutes", overrides.slot_interval_minutes.is_none()),
        ] {
            if missing {
                errors.add(field, "Enter a number.");
            }
        }
        errors.into_result()?;
        let mut rules = BookingRules::default().with(&overrides);
        // Unchecked boxes send nothing: for the practice, absent means off.
        rules.same_day = overrides.same_day.unwrap_or(false);
        rules.clients_may_cancel = overrides.clients_may_cancel.unwrap_or(false);
        rules.clients_may_reschedule = overrides.clients_may_reschedule.unwrap_or(false);
        Ok(rules)
    }

    pub fn parse_overrides(&self) -> Result<RuleOverrides> {
        let mut errors = FieldErrors::new();
        let hours = |errors: &mut FieldErrors, field: &str, raw: &str| {
            errors.check(field, optional_number(raw, 0, 720, "hours")).flatten()
        };
        let book_notice_hours = hours(&mut errors, "book_notice_hours", &self.book_notice_hours);
        let cancel_notice_hours = hours(&mut errors, "cancel_notice_hours", &self.cancel_notice_hours);
        let reschedule_notice_hours = hours(&mut errors, "reschedule_notice_hours", &self.reschedule_notice_hours);
        let horizon_days = errors.check("horizon_days", optional_number(&self.horizon_days, 1, 730, "days")).flatten();
        let slot_interval_minutes = errors
            .check(
                "slot_interval_minutes",
                optional_number(&self.slot_interval_minutes, 5, 60, "minutes").and_then(|n| match n {
                    Some(n) if !SLOT_INTERVALS.contains(&n) => Err("Choose 5, 10, 15, 30 or 60 minutes.".to_owned()),
                    other => Ok(other),
                }),
            )
            .flatten();
        let cancel_refusal = errors.check("cancel_refusal", optional_message(&self.cancel_refusal)).flatten();
        let reschedule_refusal =
            errors.check("reschedule_refusal", optional_message(&self.reschedule_refusal)).flatten();
        errors.into_result()?;
        Ok(RuleOverrides {
            book_notice_hours,
            cancel_notice_hours,
            reschedule_notice_hours,
            horizon_days,
            slot_interval_minutes,
            same_day: switch(&self.same_day),
            clients_may_cancel: switch(&self.clients_may_cancel),
            cancel_refusal,
            clients_may_reschedule: switch(&self.clients_may_reschedule),
            reschedule_refusal,
        })
    }
}

fn optional_number(raw: &str, min: i32, max: i32, unit: &str) -> std::result::Result<Option<i32>, String> {
    match raw.trim() {
        "" | "practice" => Ok(None),
        raw => raw
            .parse::<i32>()
            .ok()
            .filter(|n| (min..=max).contains(n))
            .map(Some)
            .ok_or_else(|| format!("Enter a whole number of {unit} from {min} to {max}.")),
    }
}

fn optional_message(raw: &str) -> std::result::Result<Option<String>, String> {
    let text = raw.trim();
    if text.chars().count() > MAX_MESSAGE_CHARS {
        return Err(format!("Use at most {MAX_MESSAGE_CHARS} characters."));
    }
    Ok((!text.is_empty()).then(|| text.to_owned()))
}

/// `true`/`on`/`yes` and `false`/`no`; anything else (empty, `practice`) is no choice.
fn switch(raw: &str) -> Option<bool> {
    match raw.trim() {
        "true" | "on" | "yes" => Some(true),
        "false" | "off" | "no" => Some(false),
        _ => None,
    }
}

/// An appointment type as typed.
#[derive(Debug, Clone, Default)]
pub struct TypeForm {
    pub name: String,
    pub duration_minutes: String,
    /// Dollars and cents, e.g. `80` or `80.50`.
    pub price: String,
    pub location_kind: String,
    pub client_link: String,
    pub host_link: String,
    pub location: String,
    pub buffer_before_minutes: String,
    pub buffer_after_minutes: String,
    pub client_bookable: bool,
    /// Membership ids of the providers who offer it.
    pub provider_ids: Vec<String>,
    pub rules: RulesForm,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeDetails {
    pub name: String,
    pub duration_minutes: i32,
    pub price_cents: i64,
    pub location_kind: LocationKind,
    pub client_link: Option<String>,
    pub host_link: Option<String>,
    pub location: Option<String>,
    pub buffer_before_minutes: i32,
    pub buffer_after_minutes: i32,
    pub client_bookable: bool,
    pub provider_ids: Vec<uuid::Uuid>,
    pub overrides: RuleOverrides,
}

impl TypeForm {
    pub fn parse(&self) -> Result<TypeDetails> {
        let mut errors = FieldErrors::new();
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            errors.add("name", "Enter a name of at most 100 characters.");
        }
        let duration = errors.check("duration_minutes", required_number(&self.duration_minutes, 5, 720, "minutes"));
        let price_cents = errors.check("price", parse_price(&self.price));
        let buffer_before =
            errors.check("buffer_before_minutes", optional_number(&self.buffer_before_minutes, 0, 240, "minutes"));
        let buffer_after =
            errors.check("buffer_after_minutes", optional_number(&self.buffer_after_minutes, 0, 240, "minutes"));
        let location_kind = LocationKind::ALL.into_iter().find(|k| k.as_str() == self.location_kind);
        if location_kind.is_none() {
            errors.add("location_kind", "Choose how the appointment happens.");
        }
        let (mut client_link, mut host_link, mut location) = (None, None, None);
        match location_kind {
            Some(LocationKind::ExternalVideo) => {
                client_link = errors.check("client_link", parse_link(&self.client_link));
                host_link = errors.check("host_link", parse_link(&self.host_link));
            }
            Some(LocationKind::InPerson) => {
                let place = self.location.trim();
                if place.is_empty() || place.chars().count() > 300 {
                    errors.add("location", "Enter the address of at most 300 characters.");
                } else {
                    location = Some(place.to_owned());
                }
            }
            _ => {}
        }
        let mut provider_ids = Vec::new();
        for raw in &self.provider_ids {
            match uuid::Uuid::parse_str(raw.trim()) {
                Ok(id) if !provider_ids.contains(&id) => provider_ids.push(id),
                Ok(_) => {}
                Err(_) => errors.add("provider_ids", "Choose providers from the list."),
            }
        }
        if provider_ids.is_empty() {
            errors.add("provider_ids", "Choose at least one provider who offers it.");
        }
        let overrides = match self.rules.parse_overrides() {
            Ok(o) => Some(o),
            Err(Error::Validation(more)) => {
                errors.0.extend(more.0);
                None
            }
            Err(other) => return Err(other),
        };
        errors.into_result()?;
        match (duration, price_cents, buffer_before, buffer_after, location_kind, overrides) {
            (Some(duration), Some(price_cents), Some(before), Some(after), Some(location_kind), Some(overrides)) => {
                Ok(TypeDetails {
                    name: name.to_owned(),
                    duration_minutes: duration,
                    price_cents,
                    location_kind,
                    client_link,
                    host_link,
                    location,
                    buffer_before_minutes: before.unwrap_or(0),
                    buffer_after_minutes: after.unwrap_or(0),
                    client_bookable: self.client_bookable,
                    provider_ids,
                    overrides,
                })
            }
            _ => Err(FieldErrors::single("form", "Please correct the fields marked below.")),
        }
    }
}

fn required_number(raw: &str, min: i32, max: i32, unit: &str) -> std::result::Result<i32, String> {
    optional_number(raw, min, max, unit)?.ok_or_else(|| format!("Enter a whole number of {unit} from {min} to {max}."))
}

/// `80`, `80.5`, `80.50`, `$1,200` to cents; at most $100,000.
pub fn parse_price(raw: &str) -> std::result::Result<i64, String> {
    let message = || "Enter a price like 80 or 80.50.".to_owned();
    let cleaned: String = raw.trim().trim_start_matches('$').chars().filter(|c| *c != ',').collect();
    if cleaned.is_empty() {
        return Ok(0);
    }
    let (whole, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    if whole.is_empty() && fraction.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !fraction.chars().all(|c| c.is_ascii_digit())
        || fraction.len() > 2
        || whole.len() > 6
    {
        return Err(message());
    }
    let dollars: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| message())? };
    let cents: i64 = format!("{fraction:0<2}").parse().map_err(|_| message())?;
    let total = dollars * 100 + cents;
    if total > 10_000_000 { Err("Enter a price of at most $100,000.".into()) } else { Ok(total) }
}

/// `$80.50` from cents.
pub fn format_price(cents: i64) -> String {
    format!("${}.{:02}", cents / 100, cents % 100)
}

fn parse_link(raw: &str) -> std::result::Result<String, String> {
    let link = raw.trim();
    match url::Url::parse(link) {
        Ok(url) if url.scheme() == "https" && url.host().is_some() && link.len() <= 500 => Ok(link.to_owned()),
        _ => Err("Enter the full https:// link.".into()),
    }
}

/// `09:00` (or `9:00`) to a time of day.
pub fn parse_time_of_day(raw: &str) -> std::result::Result<NaiveTime, String> {
    NaiveTime::parse_from_str(raw.trim(), "%H:%M").map_err(|_| "Enter a time like 09:00.".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_are_read_to_the_cent_and_refused_when_odd() {
        assert_eq!(parse_price("80"), Ok(8000));
        assert_eq!(parse_price("$1,200.5"), Ok(120_050));
        assert_eq!(parse_price(".99"), Ok(99));
        assert_eq!(parse_price(""), Ok(0));
        assert!(parse_price("80.505").is_err());
        assert!(parse_price("-5").is_err());
        assert!(parse_price("1e5").is_err());
        assert_eq!(format_price(120_050), "$1200.50");
    }

    #[test]
    fn a_type_keeps_the_practice_rules_unless_it_overrides_them() {
        let practice = BookingRules::default();
        let form = RulesForm { cancel_notice_hours: "48".into(), same_day: "false".into(), ..Default::default() };
        let rules = practice.with(&form.parse_overrides().unwrap());
        assert_eq!(rules.cancel_notice_hours, 48);
        assert!(!rules.same_day);
        assert_eq!(rules.book_notice_hours, practice.book_notice_hours);
        assert_eq!(rules.clients_may_cancel, practice.clients_may_cancel);
    }

    #[test]
    fn odd_rules_are_refused_field_by_field() {
        let form = RulesForm { slot_interval_minutes: "20".into(), horizon_days: "0".into(), ..Default::default() };
        let Err(Error::Validation(errors)) = form.parse_overrides() else { panic!("accepted") };
        let fields: Vec<&str> = errors.0.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["horizon_days", "slot_interval_minutes"]);
    }

    #[test]
    fn a_video_type_needs_both_links_and_only_https() {
        let form = TypeForm {
            name: "Follow-up".into(),
            duration_minutes: "30".into(),
            location_kind: "external_video".into(),
            client_link: "http://zoom.example/j/1".into(),
            provider_ids: vec![uuid::Uuid::new_v4().to_string()],
            ..Default::default()
        };
        let Err(Error::Validation(errors)) = form.parse() else { panic!("accepted") };
        let fields: Vec<&str> = errors.0.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["client_link", "host_link"]);
    }
}
