//! Who may follow a program, decided at read time: a direct enrollment, or the client's
//! current group's; its start date (the client's own, the group's, the day they joined the
//! group, or a fixed program's date); and whether access has ended. No job needs to run for a
//! removal or an expiry to take effect.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::{ProgramKind, repo::AccessRow, schedule};
use crate::clock::TimeZone;

/// A client's live access to one program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub program_id: Uuid,
    pub enrollment_id: Uuid,
    pub client_id: Uuid,
    /// `Some` when the access comes from a group (no direct enrollment).
    pub via_group: Option<(Uuid, String)>,
    pub start: NaiveDate,
    /// The enrollment's own last day, when it has one.
    pub ends_on: Option<NaiveDate>,
    pub ends_at: Option<DateTime<Utc>>,
}

/// The access `rows` (one client's ways into one program, direct first) give at `now`, if any.
pub fn effective(rows: &[AccessRow], zone: TimeZone, now: DateTime<Utc>) -> Option<Access> {
    rows.iter().filter_map(|row| access_of(row, zone)).find(|access| access.ends_at.is_none_or(|end| now < end))
}

pub(crate) fn access_of(row: &AccessRow, zone: TimeZone) -> Option<Access> {
    let start = match ProgramKind::from_db(&row.kind) {
        ProgramKind::Fixed => row.fixed_start_date?,
        ProgramKind::Rolling => match (row.via_group_id, row.group_joined_at) {
            (Some(_), Some(joined)) if row.newcomer_start == "join_date" => row.start_date.max(zone.date_at(joined)),
            _ => row.start_date,
        },
    };
    let access_days = row.access_days.and_then(|d| u32::try_from(d).ok());
    Some(Access {
        program_id: row.program_id,
        enrollment_id: row.enrollment_id,
        client_id: row.client_id,
        via_group: row.via_group_id.map(|id| (id, row.via_group_name.clone().unwrap_or_default())),
        start,
        ends_on: row.ends_on,
        ends_at: schedule::access_ends_at(start, access_days, row.ends_on, zone),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> AccessRow {
        AccessRow {
            program_id: Uuid::nil(),
            enrollment_id: Uuid::nil(),
            client_id: Uuid::nil(),
            via_group_id: None,
            via_group_name: None,
            start_date: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            ends_on: None,
            newcomer_start: "group_start".into(),
            group_joined_at: None,
            kind: "rolling".into(),
            fixed_start_date: None,
            access_days: None,
        }
    }

    fn utc(raw: &str) -> DateTime<Utc> {
        raw.parse().unwrap()
    }

    #[test]
    fn access_ends_at_the_moment_it_expires() {
        let rows = [AccessRow { access_days: Some(30), ..row() }];
        assert!(effective(&rows, TimeZone::UTC, utc("2026-12-30T23:59:59Z")).is_some());
        assert!(effective(&rows, TimeZone::UTC, utc("2026-12-31T00:00:00Z")).is_none());
    }

    #[test]
    fn a_group_newcomer_starts_on_the_day_they_join_when_the_group_says_so() {
        let joined = utc("2026-12-10T15:00:00Z");
        let group = AccessRow {
            via_group_id: Some(Uuid::nil()),
            via_group_name: Some("Tuesday".into()),
            group_joined_at: Some(joined),
            ..row()
        };
        let on_group_date = effective(std::slice::from_ref(&group), TimeZone::UTC, joined).unwrap();
        assert_eq!(on_group_date.start, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
        let own = AccessRow { newcomer_start: "join_date".into(), ..group };
        let on_join_date = effective(&[own], TimeZone::UTC, joined).unwrap();
        assert_eq!(on_join_date.start, NaiveDate::from_ymd_opt(2026, 12, 10).unwrap());
        assert_eq!(on_join_date.via_group.unwrap().1, "Tuesday");
    }

    #[test]
    fn a_fixed_program_starts_everyone_on_its_date() {
        let fixed = AccessRow { kind: "fixed".into(), fixed_start_date: NaiveDate::from_ymd_opt(2027, 1, 4), ..row() };
        assert_eq!(
            effective(&[fixed], TimeZone::UTC, utc("2026-12-02T00:00:00Z")).unwrap().start,
            NaiveDate::from_ymd_opt(2027, 1, 4).unwrap()
        );
    }

    #[test]
    fn a_direct_enrollment_wins_over_the_group() {
        let direct = row();
        let group = AccessRow { via_group_id: Some(Uuid::new_v4()), ..row() };
        assert!(effective(&[direct, group], TimeZone::UTC, utc("2026-12-02T00:00:00Z")).unwrap().via_group.is_none());
    }
}
