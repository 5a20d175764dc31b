//! The one way Tend writes a date, a time or a range for a viewer: in the viewer's zone, with
//! the zone named, so "3:00 PM" is never ambiguous between a provider and a client.

use chrono::{DateTime, Utc};

use super::TimeZone;

/// "Nov 28, 2026"
pub fn format_date(at: DateTime<Utc>, zone: TimeZone) -> String {
    zone.local(at).format("%b %-d, %Y").to_string()
}

/// "3:30 PM CST"
pub fn format_time(at: DateTime<Utc>, zone: TimeZone) -> String {
    format!("{} {}", zone.local(at).format("%-I:%M %p"), zone_label(at, zone))
}

/// "Nov 28, 2026, 3:30 PM CST"
pub fn format_date_time(at: DateTime<Utc>, zone: TimeZone) -> String {
    format!("{}, {}", format_date(at, zone), format_time(at, zone))
}

/// "Nov 28, 2026, 3:30 PM – 4:15 PM CST", or both dates in full when the range crosses midnight
/// in the viewer's zone.
pub fn format_range(start: DateTime<Utc>, end: DateTime<Utc>, zone: TimeZone) -> String {
    let (local_start, local_end) = (zone.local(start), zone.local(end));
    if local_start.date_naive() == local_end.date_naive() {
        format!(
            "{}, {} – {} {}",
            format_date(start, zone),
            local_start.format("%-I:%M %p"),
            local_end.format("%-I:%M %p"),
            zone_label(end, zone)
        )
    } else {
        format!("{} – {}", format_date_time(start, zone), format_date_time(end, zone))
    }
}

/// The zone's abbreviation at that moment ("CST", "CDT"); zones without a letter abbreviation
/// (which chrono-tz writes as "+03") are named by their IANA name instead.
fn zone_label(at: DateTime<Utc>, zone: TimeZone) -> String {
    let abbreviation = zone.local(at).format("%Z").to_string();
    if abbreviation.starts_with(['+', '-']) { zone.name().to_owned() } else { abbreviation }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    fn zone(name: &str) -> TimeZone {
        TimeZone::parse(name).unwrap()
    }

    #[test]
    fn a_time_is_shown_in_the_viewers_zone_with_the_zone_named() {
        let at = utc("2026-11-28T21:30:00Z");
        assert_eq!(format_date_time(at, zone("America/Chicago")), "Nov 28, 2026, 3:30 PM CST");
        assert_eq!(format_date_time(at, zone("Europe/Paris")), "Nov 28, 2026, 10:30 PM CET");
    }

    #[test]
    fn summer_time_changes_the_abbreviation() {
        assert_eq!(format_time(utc("2026-07-01T20:30:00Z"), zone("America/Chicago")), "3:30 PM CDT");
    }

    #[test]
    fn zones_without_a_letter_abbreviation_are_named_in_full() {
        assert_eq!(format_time(utc("2026-11-28T12:00:00Z"), zone("Asia/Dubai")), "4:00 PM Asia/Dubai");
    }

    #[test]
    fn a_range_within_one_day_names_the_date_once() {
        let range = format_range(utc("2026-11-28T21:30:00Z"), utc("2026-11-28T22:15:00Z"), zone("America/Chicago"));
        assert_eq!(range, "Nov 28, 2026, 3:30 PM – 4:15 PM CST");
    }

    #[test]
    fn a_range_across_local_midnight_names_both_dates() {
        let range = format_range(utc("2026-11-29T05:30:00Z"), utc("2026-11-29T06:30:00Z"), zone("America/Chicago"));
        assert_eq!(range, "Nov 28, 2026, 11:30 PM CST – Nov 29, 2026, 12:30 AM CST");
    }
}
