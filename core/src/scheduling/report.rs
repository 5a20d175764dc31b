//! The appointments report: a date range in the member's zone, filtered by provider, status
//! and type, with counts by status (no-shows, late cancellations), as a page and as CSV.
//! Test clients are left out.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime};
use uuid::Uuid;

use super::{
    AppointmentStatus,
    repo::{self, AppointmentFilter, AppointmentRow},
    slots,
};
use crate::{Actor, Context, Error, FieldErrors, Result, clock::TimeZone, orgs::Permission};

/// Rows shown and exported at most; the counts say when there are more.
pub const MAX_ROWS: usize = 5000;

/// The filters as typed; empty means "all" (and, for the dates, this month).
#[derive(Debug, Clone, Default)]
pub struct ReportForm {
    pub from: String,
    pub to: String,
    pub provider: String,
    pub status: String,
    pub type_id: String,
}

pub struct Report {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub zone: TimeZone,
    pub rows: Vec<AppointmentRow>,
    /// Every status with how many appointments in the range have it.
    pub counts: Vec<(AppointmentStatus, usize)>,
    pub truncated: bool,
}

fn parse_date(raw: &str, field: &str, fallback: NaiveDate, errors: &mut FieldErrors) -> NaiveDate {
    if raw.trim().is_empty() {
        return fallback;
    }
    errors.check(field, crate::programs::parse_date(raw)).unwrap_or(fallback)
}

fn parse_optional_id(raw: &str, field: &str, errors: &mut FieldErrors) -> Option<Uuid> {
    match raw.trim() {
        "" => None,
        raw => errors.check(field, Uuid::parse_str(raw).map_err(|_| "Choose from the list.".to_owned())),
    }
}

pub async fn appointments(ctx: &Context, actor: &Actor, form: &ReportForm) -> Result<Report> {
    let zone = actor.time_zone;
    let today = zone.date_at(ctx.now());
    let first_of_month = today.with_day(1).unwrap_or(today);
    let last_of_month = (first_of_month + Duration::days(32)).with_day(1).unwrap_or(today) - Duration::days(1);
    let mut errors = FieldErrors::new();
    let from = parse_date(&form.from, "from", first_of_month, &mut errors);
    let to = parse_date(&form.to, "to", last_of_month, &mut errors);
    let provider = parse_optional_id(&form.provider, "provider", &mut errors);
    let type_id = parse_optional_id(&form.type_id, "type_id", &mut errors);
    let status = match form.status.trim() {
        "" => None,
        raw => errors
            .check("status", AppointmentStatus::parse(raw).map_err(|_| "Choose a status from the list.".to_owned())),
    };
    if to < from {
        errors.add("to", "End on or after the start.");
    } else if to - from > Duration::days(366) {
        errors.add("to", "Choose at most a year.");
    }
    errors.into_result()?;
    // Members see their own appointments; everyone's needs "manage scheduling for others".
    let provider_ids = match provider {
        Some(id) if id != actor.membership_id => {
            actor.require(Permission::ManageSchedulingForOthers)?;
            Some(vec![id])
        }
        Some(id) => Some(vec![id]),
        None if actor.can(Permission::ManageSchedulingForOthers) => None,
        None => Some(vec![actor.membership_id]),
    };
    let filter = AppointmentFilter {
        provider_ids,
        statuses: status.map(|s| vec![s.as_str().to_owned()]),
        type_id,
        include_test_clients: false,
        ..AppointmentFilter::default()
    };
    let start = slots::instant(zone, from, NaiveTime::MIN);
    let end = slots::instant(zone, to + Duration::days(1), NaiveTime::MIN);
    let mut conn = ctx.pool.acquire().await?;
    let mut rows = repo::list_appointments(&mut conn, actor.org_id, start, end, &filter).await?;
    // The range holds appointments that start in it.
    rows.retain(|r| r.starts_at >= start);
    let counts =
        AppointmentStatus::ALL.into_iter().map(|s| (s, rows.iter().filter(|r| r.status() == s).count())).collect();
    let truncated = rows.len() >= MAX_ROWS;
    Ok(Report { from, to, zone, rows, counts, truncated })
}

/// The report as CSV: one row per appointment, times in the member's zone.
pub fn to_csv(report: &Report) -> Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| Error::Unexpected(anyhow::anyhow!("writing the report: {e}"));
    writer
        .write_record(["Date", "Start", "End", "Time zone", "Client", "Provider", "Appointment type", "Status"])
        .map_err(fail)?;
    for r in &report.rows {
        let (start, end) = (report.zone.local(r.starts_at), report.zone.local(r.ends_at));
        writer
            .write_record([
                start.format("%Y-%m-%d").to_string(),
                start.format("%H:%M").to_string(),
                end.format("%H:%M").to_string(),
                report.zone.name().to_owned(),
                r.client_name.clone(),
                r.provider_name.clone(),
                r.type_name.clone(),
                r.status().label().to_owned(),
            ])
            .map_err(fail)?;
    }
    let bytes = writer.into_inner().map_err(|e| Error::Unexpected(anyhow::anyhow!("writing the report: {e}")))?;
    String::from_utf8(bytes).map_err(|e| Error::Unexpected(e.into()))
}
