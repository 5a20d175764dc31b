//! When each module of a program opens for a client, and when their access ends. Pure rules on
//! dates and zones: a module released "day 3 at 09:00" opens at 09:00 on the wall clock of the
//! practice's zone, whatever daylight-saving time does in between.

use chrono::{DateTime, Days, NaiveDate, NaiveTime, TimeZone as _, Utc};

use crate::clock::TimeZone;

/// When one module is released, relative to a client's start date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Release {
    /// Days after the start date (0: the start date itself).
    pub day: u32,
    /// Time of day in the practice's zone.
    pub time: NaiveTime,
}

/// The moment `release` opens for a client who starts on `start`. A time that does not exist
/// on that day (skipped by a spring-forward change) opens at the first moment after the gap.
pub fn release_at(start: NaiveDate, release: Release, zone: TimeZone) -> DateTime<Utc> {
    let date = start.checked_add_days(Days::new(u64::from(release.day))).unwrap_or(NaiveDate::MAX);
    local_moment(date, release.time, zone)
}

/// The moment access ends: at the end of `ends_on` when the enrollment has its own end date,
/// else `access_days` after the start date (at midnight in the practice's zone); `None`: never.
pub fn access_ends_at(
    start: NaiveDate,
    access_days: Option<u32>,
    ends_on: Option<NaiveDate>,
    zone: TimeZone,
) -> Option<DateTime<Utc>> {
    let last_day_after = match (ends_on, access_days) {
        (Some(date), _) => date.succ_opt()?,
        (None, Some(days)) => start.checked_add_days(Days::new(u64::from(days)))?,
        (None, None) => return None,
    };
    Some(local_moment(last_day_after, NaiveTime::MIN, zone))
}

fn local_moment(date: NaiveDate, time: NaiveTime, zone: TimeZone) -> DateTime<Utc> {
    let tz = zone.tz();
    let local = date.and_time(time);
    match tz.from_local_datetime(&local) {
        chrono::LocalResult::Single(at) => at.with_timezone(&Utc),
        // Clocks went back: the time happens twice; the first one counts.
        chrono::LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
        // Clocks went forward over it: an hour later is the same wall time after the gap.
        chrono::LocalResult::None => {
            let later = local + chrono::Duration::hours(1);
            tz.from_local_datetime(&later)
                .earliest()
                .map_or_else(|| Utc.from_utc_datetime(&local), |at| at.with_timezone(&Utc))
        }
    }
}

/// Where one module stands for one client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModuleState {
    /// Open: released, or unlocked early by the provider.
    Open { completed: bool },
    /// Released, but the previous module must be completed first.
    WaitingForPrevious,
    /// Not released yet.
    Upcoming { opens_at: DateTime<Utc> },
}

/// What the rules need to know of a module.
#[derive(Debug, Clone, Copy)]
pub struct ModuleRule {
    pub release: Release,
    pub requires_previous: bool,
    pub completed: bool,
    pub unlocked_early: bool,
}

/// The state of each module (in program order) for a client who starts on `start`.
pub fn module_states(start: NaiveDate, modules: &[ModuleRule], now: DateTime<Utc>, zone: TimeZone) -> Vec<ModuleState> {
    let mut states = Vec::with_capacity(modules.len());
    let mut previous_completed = true;
    for module in modules {
        let opens_at = release_at(start, module.release, zone);
        let state = if module.unlocked_early {
            ModuleState::Open { completed: module.completed }
        } else if opens_at > now {
            ModuleState::Upcoming { opens_at }
        } else if module.requires_previous && !previous_completed {
            ModuleState::WaitingForPrevious
        } else {
            ModuleState::Open { completed: module.completed }
        };
        previous_completed = module.completed;
        states.push(state);
    }
    states
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(name: &str) -> TimeZone {
        TimeZone::parse(name).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at_nine(day: u32) -> Release {
        Release { day, time: NaiveTime::from_hms_opt(9, 0, 0).unwrap() }
    }

    fn utc(raw: &str) -> DateTime<Utc> {
        raw.parse().unwrap()
    }

    #[test]
    fn day_zero_opens_on_the_start_date_in_the_practice_zone() {
        let at = release_at(date(2026, 12, 1), at_nine(0), zone("America/Chicago"));
        assert_eq!(at, utc("2026-12-01T15:00:00Z"));
    }

    #[test]
    fn nine_in_the_morning_stays_nine_across_the_fall_back() {
        // Chicago leaves daylight time on 2026-11-01.
        let chicago = zone("America/Chicago");
        assert_eq!(release_at(date(2026, 10, 30), at_nine(0), chicago), utc("2026-10-30T14:00:00Z"));
        assert_eq!(release_at(date(2026, 10, 30), at_nine(3), chicago), utc("2026-11-02T15:00:00Z"));
    }

    #[test]
    fn nine_in_the_morning_stays_nine_across_the_spring_forward() {
        // Paris moves to summer time on 2027-03-28.
        let paris = zone("Europe/Paris");
        assert_eq!(release_at(date(2027, 3, 27), at_nine(0), paris), utc("2027-03-27T08:00:00Z"));
        assert_eq!(release_at(date(2027, 3, 27), at_nine(1), paris), utc("2027-03-28T07:00:00Z"));
    }

    #[test]
    fn a_time_skipped_by_the_clock_change_opens_just_after_the_gap() {
        // In Chicago 02:30 does not exist on 2027-03-14: it opens at 03:30 CDT.
        let release = Release { day: 0, time: NaiveTime::from_hms_opt(2, 30, 0).unwrap() };
        assert_eq!(release_at(date(2027, 3, 14), release, zone("America/Chicago")), utc("2027-03-14T08:30:00Z"));
    }

    #[test]
    fn access_ends_after_the_programs_days_or_at_the_end_of_the_enrollments_own_date() {
        let chicago = zone("America/Chicago");
        assert_eq!(access_ends_at(date(2026, 12, 1), Some(30), None, chicago), Some(utc("2026-12-31T06:00:00Z")));
        assert_eq!(
            access_ends_at(date(2026, 12, 1), Some(30), Some(date(2026, 12, 10)), chicago),
            Some(utc("2026-12-11T06:00:00Z")),
            "the enrollment's own date wins"
        );
        assert_eq!(access_ends_at(date(2026, 12, 1), None, None, chicago), None);
    }

    fn rule(day: u32) -> ModuleRule {
        ModuleRule { release: at_nine(day), requires_previous: false, completed: false, unlocked_early: false }
    }

    #[test]
    fn released_modules_open_and_later_ones_wait_for_their_day() {
        let utc_zone = zone("UTC");
        let states =
            module_states(date(2026, 12, 1), &[rule(0), rule(0), rule(7)], utc("2026-12-02T00:00:00Z"), utc_zone);
        assert_eq!(states[0], ModuleState::Open { completed: false });
        assert_eq!(states[1], ModuleState::Open { completed: false }, "modules may share a day");
        assert_eq!(states[2], ModuleState::Upcoming { opens_at: utc("2026-12-08T09:00:00Z") });
    }

    #[test]
    fn a_start_date_in_the_future_releases_nothing_yet() {
        let states = module_states(date(2027, 1, 1), &[rule(0)], utc("2026-12-02T00:00:00Z"), zone("UTC"));
        assert!(matches!(states[0], ModuleState::Upcoming { .. }));
    }

    #[test]
    fn a_start_date_in_the_past_releases_everything_due_since() {
        let states =
            module_states(date(2026, 1, 1), &[rule(0), rule(30), rule(400)], utc("2026-12-02T00:00:00Z"), zone("UTC"));
        assert!(matches!(states[0], ModuleState::Open { .. }));
        assert!(matches!(states[1], ModuleState::Open { .. }));
        assert!(matches!(states[2], ModuleState::Upcoming { .. }));
    }

    #[test]
    fn complete_the_previous_module_first() {
        let gated = ModuleRule { requires_previous: true, ..rule(0) };
        let now = utc("2026-12-02T00:00:00Z");
        let waiting = module_states(date(2026, 12, 1), &[rule(0), gated], now, zone("UTC"));
        assert_eq!(waiting[1], ModuleState::WaitingForPrevious);
        let done = ModuleRule { completed: true, ..rule(0) };
        let open = module_states(date(2026, 12, 1), &[done, gated], now, zone("UTC"));
        assert_eq!(open[1], ModuleState::Open { completed: false });
    }

    #[test]
    fn an_early_unlock_opens_a_module_before_its_day() {
        let unlocked = ModuleRule { unlocked_early: true, ..rule(10) };
        let states = module_states(date(2026, 12, 1), &[rule(0), unlocked], utc("2026-12-02T00:00:00Z"), zone("UTC"));
        assert_eq!(states[1], ModuleState::Open { completed: false });
    }
}
