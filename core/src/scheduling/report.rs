//! The appointments report: a date range in the member's zone, filtered by provider, status
//! and type, with counts by status (no-shows, late cancellations), a hundred rows a page and
//! every row as CSV. Test clients are left out.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime};
use uuid::Uuid;

pub use super::repo::ReportPage;
use super::{
    AppointmentStatus,
    repo::{self, AppointmentRow, ReportCriteria},
    slots,
};
use crate::{Actor, Context, Error, FieldErrors, Result, clock::TimeZone, orgs::Permission};

/// Rows on one page of the report.
pub const PAGE_SIZE: i64 = 100;
/// Rows in one CSV at most: a year of a busy practice (ten providers, eight a day) is 20,000.
pub const MAX_EXPORT_ROWS: i64 = 50_000;

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
    /// One page of the range's appointments, in time order.
    pub rows: Vec<AppointmentRow>,
    /// Every status with how many appointments in the range have it.
    pub counts: Vec<(AppointmentStatus, i64)>,
    /// The range's appointments: the sum of the counts.
    pub total: i64,
    pub has_previous: bool,
    pub has_next: bool,
}

/// Every appointment in the range, for a CSV.
pub struct Export {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub zone: TimeZone,
    pub rows: Vec<AppointmentRow>,
}

struct Range {
    from: NaiveDate,
    to: NaiveDate,
    zone: TimeZone,
    criteria: ReportCriteria,
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

/// The form checked and turned into what the database is asked, with who may see what.
fn range(ctx: &Context, actor: &Actor, form: &ReportForm) -> Result<Range> {
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
    let criteria = ReportCriteria {
        org_id: actor.org_id,
        start: slots::instant(zone, from, NaiveTime::MIN),
        end: slots::instant(zone, to + Duration::days(1), NaiveTime::MIN),
        provider_ids,
        statuses: status.map(|s| vec![s.as_str().to_owned()]),
        type_id,
    };
    Ok(Range { from, to, zone, criteria })
}

/// One page of the report (`PAGE_SIZE` rows from `page`) with the range's counts by status.
pub async fn appointments(ctx: &Context, actor: &Actor, form: &ReportForm, page: ReportPage) -> Result<Report> {
    let Range { from, to, zone, criteria } = range(ctx, actor, form)?;
    let mut conn = ctx.pool.acquire().await?;
    // One more than a page tells whether there is another page that way.
    let mut ids = repo::report_ids(&mut conn, &criteria, page, PAGE_SIZE + 1).await?;
    let more = ids.len() as i64 > PAGE_SIZE;
    if more {
        match page {
            ReportPage::Before(_) => ids.remove(0),
            ReportPage::First | ReportPage::After(_) => ids.pop().unwrap_or_default(),
        };
    }
    let (has_previous, has_next) = match page {
        ReportPage::First => (false, more),
        ReportPage::After(_) => (true, more),
        ReportPage::Before(_) => (more, true),
    };
    let rows = repo::appointments_by_id(&mut conn, actor.org_id, &ids).await?;
    let found = repo::report_counts(&mut conn, &criteria).await?;
    let counts: Vec<(AppointmentStatus, i64)> = AppointmentStatus::ALL
        .into_iter()
        .map(|s| (s, found.iter().find(|(status, _)| status == s.as_str()).map_or(0, |(_, n)| *n)))
        .collect();
    let total = counts.iter().map(|(_, n)| n).sum();
    Ok(Report { from, to, zone, rows, counts, total, has_previous, has_next })
}

/// Every appointment of the report's range (up to `MAX_EXPORT_ROWS`), for a CSV.
pub async fn export(ctx: &Context, actor: &Actor, form: &ReportForm) -> Result<Export> {
    let Range { from, to, zone, criteria } = range(ctx, actor, form)?;
    let mut conn = ctx.pool.acquire().await?;
    let ids = repo::report_ids(&mut conn, &criteria, ReportPage::First, MAX_EXPORT_ROWS).await?;
    let rows = repo::appointments_by_id(&mut conn, actor.org_id, &ids).await?;
    Ok(Export { from, to, zone, rows })
}

/// The report as CSV: one row per appointment, times in the member's zone.
pub fn to_csv(report: &Export) -> Result<String> {
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
