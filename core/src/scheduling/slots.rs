//! Free slots: a provider's wall-clock hours, expanded date by date in their zone (so every
//! daylight-saving change is the zone database's business, not ours), minus what is already
//! booked with its buffers, minus the notice window, within the booking horizon.

use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone as _, Utc};

use crate::clock::TimeZone;

/// Weekly hours: on `weekday` (ISO, 1 Monday ... 7 Sunday) from `starts` to `ends`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeeklyHours {
    pub weekday: u8,
    pub starts: NaiveTime,
    pub ends: NaiveTime,
}

/// Hours that replace the weekly ones on one date; `hours: None` is a day off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateHours {
    pub date: NaiveDate,
    pub hours: Option<(NaiveTime, NaiveTime)>,
}

/// A span of real time, `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Span {
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Self {
        Self { start, end }
    }

    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    pub fn contains(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// A provider's hours in their zone.
#[derive(Debug, Clone)]
pub struct Availability {
    pub zone: TimeZone,
    pub weekly: Vec<WeeklyHours>,
    pub overrides: Vec<DateHours>,
}

/// Monday to Friday, 9:00 to 17:00: the hours of a provider who has not set theirs.
pub fn default_weekly_hours() -> Vec<WeeklyHours> {
    let nine = NaiveTime::from_hms_opt(9, 0, 0).expect("valid time");
    let five = NaiveTime::from_hms_opt(17, 0, 0).expect("valid time");
    (1..=5).map(|weekday| WeeklyHours { weekday, starts: nine, ends: five }).collect()
}

impl Availability {
    /// The hours of the local dates `from..=to`, as real time, in order.
    pub fn windows(&self, from: NaiveDate, to: NaiveDate) -> Vec<Span> {
        let mut windows = Vec::new();
        for date in from.iter_days().take_while(|d| *d <= to) {
            let overridden: Vec<&DateHours> = self.overrides.iter().filter(|o| o.date == date).collect();
            let hours: Vec<(NaiveTime, NaiveTime)> = if overridden.is_empty() {
                let weekday = date.weekday().number_from_monday() as u8;
                self.weekly.iter().filter(|h| h.weekday == weekday).map(|h| (h.starts, h.ends)).collect()
            } else {
                overridden.iter().filter_map(|o| o.hours).collect()
            };
            for (starts, ends) in hours {
                let span = Span::new(instant(self.zone, date, starts), instant(self.zone, date, ends));
                if span.start < span.end {
                    windows.push(span);
                }
            }
        }
        windows.sort_by_key(|w| w.start);
        windows
    }

    /// Is `span` inside the provider's hours? (A provider may book outside them, with a warning.)
    pub fn covers(&self, span: Span) -> bool {
        let from = self.zone.date_at(span.start) - Duration::days(1);
        let to = self.zone.date_at(span.end);
        self.windows(from, to).iter().any(|w| w.contains(&span))
    }
}

/// The real instant of a wall-clock time on a date in a zone. On the fall-back day a time that
/// happens twice is its first occurrence; on the spring-forward day a time that never happens
/// is read as the first minute that does (2:30 becomes 3:00 in New York).
pub fn instant(zone: TimeZone, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let mut local = NaiveDateTime::new(date, time);
    // Gaps are at most a few hours (in practice one, or half an hour on Lord Howe Island).
    for _ in 0..=24 * 60 {
        match zone.tz().from_local_datetime(&local) {
            LocalResult::Single(at) => return at.with_timezone(&Utc),
            LocalResult::Ambiguous(first, _) => return first.with_timezone(&Utc),
            LocalResult::None => local += Duration::minutes(1),
        }
    }
    // Unreachable with the zone database; reading the wall time as UTC keeps this total.
    Utc.from_utc_datetime(&NaiveDateTime::new(date, time))
}

/// What a free slot must respect besides the hours.
#[derive(Debug, Clone, Copy)]
pub struct SlotRules {
    pub duration: Duration,
    pub buffer_before: Duration,
    pub buffer_after: Duration,
    /// Slots start every `interval` from the start of each block of hours.
    pub interval: Duration,
    /// Booking notice: no slot starts before this.
    pub earliest: DateTime<Utc>,
    /// The last local date (in the provider's zone) on which a slot may start.
    pub last_date: NaiveDate,
    /// When same-day booking is off: the provider's today, on which no slot may start.
    pub closed_date: Option<NaiveDate>,
}

/// The time an appointment at `start` takes from the provider, buffers included.
pub fn busy_span(start: DateTime<Utc>, rules: &SlotRules) -> Span {
    Span::new(start - rules.buffer_before, start + rules.duration + rules.buffer_after)
}

/// Free start times within `windows`, given what is already `busy` (any order).
pub fn free_slots(
    availability: &Availability,
    windows: &[Span],
    busy: &[Span],
    rules: &SlotRules,
) -> Vec<DateTime<Utc>> {
    let taken = Taken::new(busy);
    let interval = rules.interval.max(Duration::minutes(1));
    let mut slots = Vec::new();
    for window in windows {
        let mut start = window.start;
        while start + rules.duration <= window.end {
            if slot_allowed(availability.zone, start, rules) && !taken.overlaps(busy_span(start, rules)) {
                slots.push(start);
            }
            start += interval;
        }
    }
    slots.sort();
    slots.dedup();
    slots
}

fn slot_allowed(zone: TimeZone, start: DateTime<Utc>, rules: &SlotRules) -> bool {
    let date = zone.date_at(start);
    start >= rules.earliest && date <= rules.last_date && Some(date) != rules.closed_date
}

/// Busy spans sorted by start, with the latest end seen so far: whether a span overlaps any
/// of them is two binary-search steps, not a scan of a busy month.
struct Taken {
    starts: Vec<DateTime<Utc>>,
    latest_end: Vec<DateTime<Utc>>,
}

impl Taken {
    fn new(busy: &[Span]) -> Self {
        let mut sorted = busy.to_vec();
        sorted.sort_by_key(|b| b.start);
        let starts = sorted.iter().map(|b| b.start).collect();
        let latest_end = sorted
            .iter()
            .scan(None, |latest: &mut Option<DateTime<Utc>>, b| {
                let end = latest.map_or(b.end, |l| l.max(b.end));
                *latest = Some(end);
                Some(end)
            })
            .collect();
        Self { starts, latest_end }
    }

    fn overlaps(&self, wanted: Span) -> bool {
        // Spans starting before `wanted` ends overlap it when one of them ends after it starts.
        let starting_before_end = self.starts.partition_point(|s| *s < wanted.end);
        starting_before_end > 0 && self.latest_end[starting_before_end - 1] > wanted.start
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(name: &str) -> TimeZone {
        TimeZone::parse(name).unwrap()
    }

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn time(s: &str) -> NaiveTime {
        NaiveTime::parse_from_str(s, "%H:%M").unwrap()
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn every_day(zone_name: &str, starts: &str, ends: &str) -> Availability {
        Availability {
            zone: zone(zone_name),
            weekly: (1..=7).map(|weekday| WeeklyHours { weekday, starts: time(starts), ends: time(ends) }).collect(),
            overrides: vec![],
        }
    }

    fn rules(minutes: i64, interval: i64) -> SlotRules {
        SlotRules {
            duration: Duration::minutes(minutes),
            buffer_before: Duration::zero(),
            buffer_after: Duration::zero(),
            interval: Duration::minutes(interval),
            earliest: utc("2000-01-01T00:00:00Z"),
            last_date: date("2100-01-01"),
            closed_date: None,
        }
    }

    fn slots_on(availability: &Availability, day: &str, rules: &SlotRules, busy: &[Span]) -> Vec<DateTime<Utc>> {
        let windows = availability.windows(date(day), date(day));
        free_slots(availability, &windows, busy, rules)
    }

    #[test]
    fn a_new_provider_works_weekdays_nine_to_five() {
        let availability =
            Availability { zone: zone("America/Chicago"), weekly: default_weekly_hours(), overrides: vec![] };
        // 2026-12-07 is a Monday, 2026-12-06 a Sunday.
        let monday = slots_on(&availability, "2026-12-07", &rules(60, 60), &[]);
        assert_eq!(monday.len(), 8);
        assert_eq!(monday[0], utc("2026-12-07T15:00:00Z"));
        assert!(slots_on(&availability, "2026-12-06", &rules(60, 60), &[]).is_empty());
    }

    #[test]
    fn spring_forward_day_has_one_hour_less_and_slots_stay_on_the_wall_clock() {
        // New York springs forward at 2:00 on 2026-03-08 (to 3:00).
        let availability = every_day("America/New_York", "00:00", "06:00");
        let slots = slots_on(&availability, "2026-03-08", &rules(60, 60), &[]);
        let local: Vec<String> =
            slots.iter().map(|s| s.with_timezone(&zone("America/New_York").tz()).format("%H:%M").to_string()).collect();
        assert_eq!(local, ["00:00", "01:00", "03:00", "04:00", "05:00"]);
    }

    #[test]
    fn fall_back_day_has_one_hour_more() {
        // New York falls back at 2:00 on 2026-11-01 (to 1:00): 1:00 to 2:00 happens twice.
        let availability = every_day("America/New_York", "00:00", "04:00");
        let slots = slots_on(&availability, "2026-11-01", &rules(60, 60), &[]);
        assert_eq!(slots.len(), 5);
        assert_eq!(slots[0], utc("2026-11-01T04:00:00Z"));
        assert_eq!(slots[4], utc("2026-11-01T08:00:00Z"));
    }

    #[test]
    fn a_block_starting_inside_the_gap_starts_when_the_clock_resumes() {
        let availability = every_day("America/New_York", "02:30", "04:00");
        let slots = slots_on(&availability, "2026-03-08", &rules(30, 30), &[]);
        assert_eq!(slots, [utc("2026-03-08T07:00:00Z"), utc("2026-03-08T07:30:00Z")]);
    }

    #[test]
    fn a_half_hour_offset_zone_keeps_its_wall_clock() {
        // Kolkata is UTC+5:30 all year.
        let availability = every_day("Asia/Kolkata", "09:00", "10:00");
        let slots = slots_on(&availability, "2026-12-07", &rules(30, 30), &[]);
        assert_eq!(slots, [utc("2026-12-07T03:30:00Z"), utc("2026-12-07T04:00:00Z")]);
    }

    #[test]
    fn lord_howe_moves_its_clock_by_half_an_hour() {
        // Lord Howe Island goes from +10:30 to +11:00 at 2:00 on 2026-10-04.
        let availability = every_day("Australia/Lord_Howe", "01:00", "04:00");
        let slots = slots_on(&availability, "2026-10-04", &rules(60, 60), &[]);
        assert_eq!(slots.len(), 2, "2.5 hours of real time hold two one-hour slots: {slots:?}");
    }

    #[test]
    fn a_notice_window_that_crosses_the_change_counts_real_hours() {
        let availability = every_day("America/New_York", "09:00", "17:00");
        let mut r = rules(60, 60);
        // 24 hours' notice from noon (EST) on the 7th ends at 13:00 EDT on the 8th: the clock
        // skipped an hour, so "the same time tomorrow" would be an hour short.
        r.earliest = utc("2026-03-07T17:00:00Z") + Duration::hours(24);
        let slots = slots_on(&availability, "2026-03-08", &r, &[]);
        let local = slots[0].with_timezone(&zone("America/New_York").tz()).format("%H:%M").to_string();
        assert_eq!(local, "13:00");
    }

    #[test]
    fn buffers_keep_slots_away_from_other_appointments() {
        let availability = every_day("UTC", "09:00", "13:00");
        let mut r = rules(60, 30);
        r.buffer_before = Duration::minutes(15);
        r.buffer_after = Duration::minutes(15);
        // Booked 11:00-12:00 with its own 15-minute buffers: busy 10:45-12:15.
        let busy = [Span::new(utc("2026-12-07T10:45:00Z"), utc("2026-12-07T12:15:00Z"))];
        let slots = slots_on(&availability, "2026-12-07", &r, &busy);
        assert_eq!(slots, [utc("2026-12-07T09:00:00Z"), utc("2026-12-07T09:30:00Z")]);
    }

    #[test]
    fn a_day_off_replaces_the_week_and_extra_hours_replace_it_too() {
        let mut availability = every_day("UTC", "09:00", "10:00");
        availability.overrides = vec![
            DateHours { date: date("2026-12-07"), hours: None },
            DateHours { date: date("2026-12-08"), hours: Some((time("18:00"), time("19:00"))) },
        ];
        assert!(slots_on(&availability, "2026-12-07", &rules(60, 60), &[]).is_empty());
        assert_eq!(slots_on(&availability, "2026-12-08", &rules(60, 60), &[]), [utc("2026-12-08T18:00:00Z")]);
    }

    #[test]
    fn the_horizon_and_same_day_rule_close_dates() {
        let availability = every_day("Pacific/Auckland", "09:00", "10:00");
        let mut r = rules(60, 60);
        r.last_date = date("2026-12-08");
        r.closed_date = Some(date("2026-12-07"));
        let windows = availability.windows(date("2026-12-06"), date("2026-12-10"));
        let slots = free_slots(&availability, &windows, &[], &r);
        let dates: Vec<NaiveDate> = slots.iter().map(|s| availability.zone.date_at(*s)).collect();
        assert_eq!(dates, [date("2026-12-06"), date("2026-12-08")]);
    }

    #[test]
    fn covers_tells_whether_an_appointment_is_inside_the_hours() {
        let availability = every_day("America/Chicago", "09:00", "17:00");
        assert!(availability.covers(Span::new(utc("2026-12-07T15:00:00Z"), utc("2026-12-07T16:00:00Z"))));
        assert!(!availability.covers(Span::new(utc("2026-12-07T22:30:00Z"), utc("2026-12-07T23:30:00Z"))));
    }

    mod properties {
        use proptest::prelude::*;

        use super::*;

        const ZONES: [&str; 6] =
            ["America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata", "America/Santiago", "UTC"];

        proptest! {
            /// Whatever the zone, date, hours and bookings: every slot lies within the hours,
            /// keeps its buffers clear of every booking, respects notice and horizon, and two
            /// slots differ by a whole number of intervals within one block.
            #[test]
            fn every_slot_obeys_every_rule(
                zone_index in 0..ZONES.len(),
                day_offset in 0i64..730,
                start_minute in 0u32..(20 * 60),
                length_minutes in 30u32..(4 * 60),
                duration in 5i64..120,
                interval in prop::sample::select(vec![5i64, 10, 15, 30, 60]),
                buffer_before in 0i64..30,
                buffer_after in 0i64..30,
                booked in prop::collection::vec((0i64..(48 * 60), 10i64..180), 0..6),
                notice_minutes in 0i64..(36 * 60),
            ) {
                let zone = zone(ZONES[zone_index]);
                let first = date("2026-01-01") + Duration::days(day_offset);
                let starts = NaiveTime::from_num_seconds_from_midnight_opt(start_minute * 60, 0).unwrap();
                let end_minute = (start_minute + length_minutes).min(23 * 60 + 59);
                let ends = NaiveTime::from_num_seconds_from_midnight_opt(end_minute * 60, 0).unwrap();
                let availability = Availability {
                    zone,
                    weekly: (1..=7).map(|weekday| WeeklyHours { weekday, starts, ends }).collect(),
                    overrides: vec![],
                };
                let midnight = instant(zone, first, NaiveTime::MIN);
                let busy: Vec<Span> = booked
                    .iter()
                    .map(|(at, len)| Span::new(midnight + Duration::minutes(*at), midnight + Duration::minutes(at + len)))
                    .collect();
                let rules = SlotRules {
                    duration: Duration::minutes(duration),
                    buffer_before: Duration::minutes(buffer_before),
                    buffer_after: Duration::minutes(buffer_after),
                    interval: Duration::minutes(interval),
                    earliest: midnight + Duration::minutes(notice_minutes),
                    last_date: first + Duration::days(1),
                    closed_date: None,
                };
                let windows = availability.windows(first, first + Duration::days(2));
                for slot in free_slots(&availability, &windows, &busy, &rules) {
                    let appointment = Span::new(slot, slot + rules.duration);
                    prop_assert!(windows.iter().any(|w| w.contains(&appointment)));
                    prop_assert!(availability.covers(appointment));
                    let taken = busy_span(slot, &rules);
                    prop_assert!(busy.iter().all(|b| !b.overlaps(&taken)), "{slot} overlaps a booking");
                    prop_assert!(slot >= rules.earliest);
                    prop_assert!(zone.date_at(slot) <= rules.last_date);
                    let window = windows.iter().find(|w| w.contains(&appointment)).unwrap();
                    prop_assert_eq!((slot - window.start).num_minutes() % interval, 0);
                }
            }

            /// Removing a booking never removes a free slot.
            #[test]
            fn fewer_bookings_never_mean_fewer_slots(
                zone_index in 0..ZONES.len(),
                day_offset in 0i64..730,
                booked in prop::collection::vec((0i64..(24 * 60), 10i64..120), 1..6),
            ) {
                let zone = zone(ZONES[zone_index]);
                let day = date("2026-01-01") + Duration::days(day_offset);
                let availability = Availability { zone, weekly: default_weekly_hours().into_iter().chain((6..=7).map(|weekday| WeeklyHours { weekday, starts: time("09:00"), ends: time("17:00") })).collect(), overrides: vec![] };
                let midnight = instant(zone, day, NaiveTime::MIN);
                let busy: Vec<Span> = booked.iter().map(|(at, len)| Span::new(midnight + Duration::minutes(*at), midnight + Duration::minutes(at + len))).collect();
                let windows = availability.windows(day, day);
                let rules = rules(30, 15);
                let with_all = free_slots(&availability, &windows, &busy, &rules);
                let with_fewer = free_slots(&availability, &windows, &busy[1..], &rules);
                prop_assert!(with_all.iter().all(|s| with_fewer.contains(s)));
            }
        }
    }
}
