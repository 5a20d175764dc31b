//! An IANA time zone, parsed once where it enters (a form, a database row) and carried typed.

use std::{fmt, str::FromStr};

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{
    Decode, Encode, Postgres, Type,
    encode::IsNull,
    error::BoxDynError,
    postgres::{PgArgumentBuffer, PgTypeInfo, PgValueRef},
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimeZone(chrono_tz::Tz);

impl TimeZone {
    pub const UTC: TimeZone = TimeZone(chrono_tz::UTC);

    /// Parses a zone a person chose; the message is shown next to the field.
    pub fn parse(raw: &str) -> Result<Self, String> {
        raw.trim()
            .parse::<chrono_tz::Tz>()
            .map(Self)
            .map_err(|_| "Choose a time zone from the list, like America/Chicago.".into())
    }

    pub fn tz(&self) -> chrono_tz::Tz {
        self.0
    }

    /// The IANA name, e.g. `America/Chicago`.
    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    pub fn local(&self, at: DateTime<Utc>) -> DateTime<chrono_tz::Tz> {
        at.with_timezone(&self.0)
    }

    /// The calendar date it is in this zone at `at`.
    pub fn date_at(&self, at: DateTime<Utc>) -> NaiveDate {
        self.local(at).date_naive()
    }
}

impl fmt::Display for TimeZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for TimeZone {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// Stored as its IANA name in a `text` column; a stored name that no longer parses is an
/// error, never a silent fallback to UTC.
impl Type<Postgres> for TimeZone {
    fn type_info() -> PgTypeInfo {
        <String as Type<Postgres>>::type_info()
    }

    fn compatible(ty: &PgTypeInfo) -> bool {
        <String as Type<Postgres>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Postgres> for TimeZone {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        let name = <&str as Decode<Postgres>>::decode(value)?;
        Ok(TimeZone(name.parse::<chrono_tz::Tz>().map_err(|e| format!("stored time zone `{name}`: {e}"))?))
    }
}

impl Encode<'_, Postgres> for TimeZone {
    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        <&str as Encode<Postgres>>::encode(self.name(), buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_zones_parse_and_unknown_ones_get_a_message() {
        assert_eq!(TimeZone::parse(" Europe/Paris ").unwrap().name(), "Europe/Paris");
        assert!(TimeZone::parse("Mars/Olympus").unwrap_err().contains("America/Chicago"));
    }

    #[test]
    fn the_local_date_can_differ_from_the_utc_date() {
        let at = DateTime::parse_from_rfc3339("2026-11-28T03:00:00Z").unwrap().with_timezone(&Utc);
        let chicago = TimeZone::parse("America/Chicago").unwrap();
        assert_eq!(chicago.date_at(at), NaiveDate::from_ymd_opt(2026, 11, 27).unwrap());
    }
}
