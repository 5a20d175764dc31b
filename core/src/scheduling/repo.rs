//! Scheduling rows. Every query names the practice (`org_id`) it reads or writes.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use sqlx::{PgConnection, postgres::types::PgRange};
use uuid::Uuid;

use super::{
    AppointmentStatus, BookingRules, LocationKind, RuleOverrides, TypeDetails,
    slots::{Availability, DateHours, Span, WeeklyHours, default_weekly_hours},
};
use crate::{Error, Result, clock::TimeZone};

// ---- Practice rules ----

pub async fn practice_rules(conn: &mut PgConnection, org_id: Uuid) -> Result<(BookingRules, Vec<i32>)> {
    let row = sqlx::query!("SELECT * FROM booking_rules WHERE org_id = $1", org_id).fetch_optional(conn).await?;
    Ok(match row {
        None => (BookingRules::default(), vec![1440, 60]),
        Some(r) => (
            BookingRules {
                book_notice_hours: r.book_notice_hours,
                cancel_notice_hours: r.cancel_notice_hours,
                reschedule_notice_hours: r.reschedule_notice_hours,
                horizon_days: r.horizon_days,
                slot_interval_minutes: r.slot_interval_minutes,
                same_day: r.same_day,
                clients_may_cancel: r.clients_may_cancel,
                cancel_refusal: r.cancel_refusal,
                clients_may_reschedule: r.clients_may_reschedule,
                reschedule_refusal: r.reschedule_refusal,
            },
            r.reminder_minutes,
        ),
    })
}

pub async fn save_practice_rules(
    conn: &mut PgConnection,
    org_id: Uuid,
    rules: &BookingRules,
    reminder_minutes: &[i32],
) -> Result<()> {
    sqlx::query!(
        "INSERT INTO booking_rules (org_id, book_notice_hours, cancel_notice_hours, reschedule_notice_hours,
             horizon_days, slot_interval_minutes, same_day, clients_may_cancel, cancel_refusal,
             clients_may_reschedule, reschedule_refusal, reminder_minutes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (org_id) DO UPDATE SET
             book_notice_hours = $2, cancel_notice_hours = $3, reschedule_notice_hours = $4,
             horizon_days = $5, slot_interval_minutes = $6, same_day = $7, clients_may_cancel = $8,
             cancel_refusal = $9, clients_may_reschedule = $10, reschedule_refusal = $11, reminder_minutes = $12",
        org_id,
        rules.book_notice_hours,
        rules.cancel_notice_hours,
        rules.reschedule_notice_hours,
        rules.horizon_days,
        rules.slot_interval_minutes,
        rules.same_day,
        rules.clients_may_cancel,
        rules.cancel_refusal,
        rules.clients_may_reschedule,
        rules.reschedule_refusal,
        reminder_minutes
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn portal_booking(conn: &mut PgConnection, org_id: Uuid) -> Result<bool> {
    Ok(sqlx::query_scalar!("SELECT portal_booking FROM organizations WHERE id = $1", org_id).fetch_one(conn).await?)
}

pub async fn set_portal_booking(conn: &mut PgConnection, org_id: Uuid, on: bool) -> Result<()> {
    sqlx::query!("UPDATE organizations SET portal_booking = $2 WHERE id = $1", org_id, on).execute(conn).await?;
    Ok(())
}

// ---- Appointment types ----

/// A [`TypeRow`] from any query record with the columns of `appointment_types` and
/// `provider_ids` (each `query!` has its own record type).
macro_rules! type_row {
    ($r:expr) => {{
        let r = $r;
        TypeRow {
            id: r.id,
            name: r.name,
            duration_minutes: r.duration_minutes,
            price_cents: r.price_cents,
            location_kind: LocationKind::from_db(&r.location_kind),
            client_link: r.client_link,
            host_link: r.host_link,
            location: r.location,
            buffer_before_minutes: r.buffer_before_minutes,
            buffer_after_minutes: r.buffer_after_minutes,
            client_bookable: r.client_bookable,
            provider_ids: r.provider_ids,
            overrides: RuleOverrides {
                book_notice_hours: r.book_notice_hours,
                cancel_notice_hours: r.cancel_notice_hours,
                reschedule_notice_hours: r.reschedule_notice_hours,
                horizon_days: r.horizon_days,
                slot_interval_minutes: r.slot_interval_minutes,
                same_day: r.same_day,
                clients_may_cancel: r.clients_may_cancel,
                cancel_refusal: r.cancel_refusal,
                clients_may_reschedule: r.clients_may_reschedule,
                reschedule_refusal: r.reschedule_refusal,
            },
            archived: r.archived_at.is_some(),
        }
    }};
}

#[derive(Debug, Clone)]
pub struct TypeRow {
    pub id: Uuid,
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
    pub provider_ids: Vec<Uuid>,
    pub overrides: RuleOverrides,
    pub archived: bool,
}

/// Every type of the practice, archived ones last.
pub async fn list_types(conn: &mut PgConnection, org_id: Uuid) -> Result<Vec<TypeRow>> {
    let rows = sqlx::query!(
        r#"SELECT t.*, coalesce(array_agg(p.provider_id) FILTER (WHERE p.provider_id IS NOT NULL), '{}') AS "provider_ids!"
           FROM appointment_types t LEFT JOIN appointment_type_providers p ON p.type_id = t.id
           WHERE t.org_id = $1
           GROUP BY t.id
           ORDER BY t.archived_at IS NOT NULL, lower(t.name), t.id"#,
        org_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| type_row!(r)).collect())
}

pub async fn get_type(conn: &mut PgConnection, org_id: Uuid, id: Uuid) -> Result<TypeRow> {
    list_types(conn, org_id).await?.into_iter().find(|t| t.id == id).ok_or(Error::NotFound)
}

pub async fn insert_type(conn: &mut PgConnection, org_id: Uuid, t: &TypeDetails, now: DateTime<Utc>) -> Result<Uuid> {
    let id = Uuid::new_v4();
    sqlx::query!(
        "INSERT INTO appointment_types (id, org_id, name, duration_minutes, price_cents, location_kind,
             client_link, host_link, location, buffer_before_minutes, buffer_after_minutes, client_bookable, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        id,
        org_id,
        t.name,
        t.duration_minutes,
        t.price_cents,
        t.location_kind.as_str(),
        t.client_link,
        t.host_link,
        t.location,
        t.buffer_before_minutes,
        t.buffer_after_minutes,
        t.client_bookable,
        now
    )
    .execute(&mut *conn)
    .await?;
    update_type(conn, org_id, id, t).await?;
    Ok(id)
}

pub async fn update_type(conn: &mut PgConnection, org_id: Uuid, id: Uuid, t: &TypeDetails) -> Result<()> {
    let o = &t.overrides;
    let done = sqlx::query!(
        "UPDATE appointment_types SET name = $3, duration_minutes = $4, price_cents = $5, location_kind = $6,
             client_link = $7, host_link = $8, location = $9, buffer_before_minutes = $10,
             buffer_after_minutes = $11, client_bookable = $12, book_notice_hours = $13,
             cancel_notice_hours = $14, reschedule_notice_hours = $15, horizon_days = $16,
             slot_interval_minutes = $17, same_day = $18, clients_may_cancel = $19, cancel_refusal = $20,
             clients_may_reschedule = $21, reschedule_refusal = $22
         WHERE org_id = $1 AND id = $2",
        org_id,
        id,
        t.name,
        t.duration_minutes,
        t.price_cents,
        t.location_kind.as_str(),
        t.client_link,
        t.host_link,
        t.location,
        t.buffer_before_minutes,
        t.buffer_after_minutes,
        t.client_bookable,
        o.book_notice_hours,
        o.cancel_notice_hours,
        o.reschedule_notice_hours,
        o.horizon_days,
        o.slot_interval_minutes,
        o.same_day,
        o.clients_may_cancel,
        o.cancel_refusal,
        o.clients_may_reschedule,
        o.reschedule_refusal
    )
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound);
    }
    sqlx::query!("DELETE FROM appointment_type_providers WHERE org_id = $1 AND type_id = $2", org_id, id)
        .execute(&mut *conn)
        .await?;
    // The composite foreign key refuses a provider of another practice.
    sqlx::query!(
        "INSERT INTO appointment_type_providers (org_id, type_id, provider_id)
         SELECT $1, $2, m.id FROM memberships m
         WHERE m.org_id = $1 AND m.id = ANY($3) AND m.role IN ('owner', 'provider')",
        org_id,
        id,
        &t.provider_ids
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn set_type_archived(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
    archived: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    let done = sqlx::query!(
        "UPDATE appointment_types SET archived_at = CASE WHEN $3 THEN $4::timestamptz END WHERE org_id = $1 AND id = $2",
        org_id,
        id,
        archived,
        now
    )
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 { Err(Error::NotFound) } else { Ok(()) }
}

// ---- Providers' hours ----

/// A provider's zone (their own, else the practice's) and whether they saved their hours.
pub struct ProviderCalendar {
    pub provider_id: Uuid,
    pub full_name: String,
    pub zone: TimeZone,
    pub availability_saved: bool,
}

pub async fn provider_calendar(conn: &mut PgConnection, org_id: Uuid, provider_id: Uuid) -> Result<ProviderCalendar> {
    let row = sqlx::query_as!(
        ProviderCalendar,
        r#"SELECT m.id AS provider_id, u.full_name,
                  coalesce(u.time_zone, o.time_zone) AS "zone!: TimeZone",
                  coalesce(c.availability_saved, false) AS "availability_saved!"
           FROM memberships m
           JOIN users u ON u.id = m.user_id
           JOIN organizations o ON o.id = m.org_id
           LEFT JOIN provider_calendars c ON c.provider_id = m.id
           WHERE m.org_id = $1 AND m.id = $2 AND m.role IN ('owner', 'provider')"#,
        org_id,
        provider_id
    )
    .fetch_one(conn)
    .await?;
    Ok(row)
}

/// The provider's hours: weekly blocks (the default week until they save theirs) and the
/// date overrides from `from` on.
pub async fn availability(
    conn: &mut PgConnection,
    org_id: Uuid,
    calendar: &ProviderCalendar,
    from: NaiveDate,
) -> Result<Availability> {
    let rows = sqlx::query!(
        r#"SELECT weekday AS "weekday?", NULL::date AS on_date, starts AS "starts?", ends AS "ends?"
           FROM availability_blocks WHERE org_id = $1 AND provider_id = $2
           UNION ALL
           SELECT NULL, on_date, starts, ends
           FROM availability_overrides WHERE org_id = $1 AND provider_id = $2 AND on_date >= $3
           ORDER BY 1, 2, 3"#,
        org_id,
        calendar.provider_id,
        from
    )
    .fetch_all(conn)
    .await?;
    let mut weekly = Vec::new();
    let mut overrides = Vec::new();
    for r in rows {
        match (r.weekday, r.on_date, r.starts, r.ends) {
            (Some(weekday), _, Some(starts), Some(ends)) => {
                weekly.push(WeeklyHours { weekday: weekday as u8, starts, ends })
            }
            (None, Some(date), starts, ends) => {
                overrides.push(DateHours { date, hours: starts.zip(ends) });
            }
            _ => {}
        }
    }
    if !calendar.availability_saved {
        weekly = default_weekly_hours();
    }
    Ok(Availability { zone: calendar.zone, weekly, overrides })
}

/// What booking one type with one provider needs, read in one statement: the portal switch,
/// the type, the practice's rules, and the provider's zone and hours (date overrides from
/// `overrides_from` on). `None` when the type or the provider is not the practice's.
pub struct OfferData {
    pub portal_booking: bool,
    pub t: TypeRow,
    pub practice_rules: BookingRules,
    pub availability: Availability,
}

pub async fn offer_data(
    conn: &mut PgConnection,
    org_id: Uuid,
    type_id: Uuid,
    provider_id: Uuid,
    overrides_from: NaiveDate,
) -> Result<Option<OfferData>> {
    let row = sqlx::query!(
        r#"SELECT o.portal_booking, t.*,
                  coalesce((SELECT array_agg(p.provider_id) FROM appointment_type_providers p WHERE p.type_id = t.id),
                           '{}') AS "provider_ids!",
                  (SELECT to_jsonb(r) FROM booking_rules r WHERE r.org_id = o.id) AS practice_rules,
                  coalesce(u.time_zone, o.time_zone) AS "zone!: TimeZone",
                  coalesce(c.availability_saved, false) AS "availability_saved!",
                  b.weekdays AS "weekdays: Vec<i16>", b.starts AS "block_starts: Vec<NaiveTime>",
                  b.ends AS "block_ends: Vec<NaiveTime>",
                  v.dates AS "override_dates: Vec<NaiveDate>", v.starts AS "override_starts: Vec<Option<NaiveTime>>",
                  v.ends AS "override_ends: Vec<Option<NaiveTime>>"
           FROM organizations o
           JOIN appointment_types t ON t.org_id = o.id AND t.id = $2
           JOIN memberships m ON m.org_id = o.id AND m.id = $3 AND m.role IN ('owner', 'provider')
           JOIN users u ON u.id = m.user_id
           LEFT JOIN provider_calendars c ON c.provider_id = m.id
           CROSS JOIN LATERAL (
               SELECT array_agg(weekday ORDER BY weekday, starts) AS weekdays,
                      array_agg(starts ORDER BY weekday, starts) AS starts,
                      array_agg(ends ORDER BY weekday, starts) AS ends
               FROM availability_blocks WHERE org_id = $1 AND provider_id = $3) b
           CROSS JOIN LATERAL (
               SELECT array_agg(on_date ORDER BY on_date, starts) AS dates,
                      array_agg(starts ORDER BY on_date, starts) AS starts,
                      array_agg(ends ORDER BY on_date, starts) AS ends
               FROM availability_overrides WHERE org_id = $1 AND provider_id = $3 AND on_date >= $4) v
           WHERE o.id = $1"#,
        org_id,
        type_id,
        provider_id,
        overrides_from
    )
    .fetch_optional(conn)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let practice_rules = match r.practice_rules.clone() {
        Some(json) => serde_json::from_value(json).map_err(anyhow::Error::from)?,
        None => BookingRules::default(),
    };
    let weekly = if r.availability_saved {
        let (days, starts, ends) = (r.weekdays.clone(), r.block_starts.clone(), r.block_ends.clone());
        let (days, starts, ends) = (days.unwrap_or_default(), starts.unwrap_or_default(), ends.unwrap_or_default());
        days.into_iter()
            .zip(starts)
            .zip(ends)
            .map(|((weekday, starts), ends)| WeeklyHours { weekday: weekday as u8, starts, ends })
            .collect()
    } else {
        default_weekly_hours()
    };
    let (dates, starts, ends) = (r.override_dates.clone(), r.override_starts.clone(), r.override_ends.clone());
    let overrides = dates
        .unwrap_or_default()
        .into_iter()
        .zip(starts.unwrap_or_default())
        .zip(ends.unwrap_or_default())
        .map(|((date, starts), ends)| DateHours { date, hours: starts.zip(ends) })
        .collect();
    let availability = Availability { zone: r.zone, weekly, overrides };
    let portal_booking = r.portal_booking;
    Ok(Some(OfferData { portal_booking, t: type_row!(r), practice_rules, availability }))
}

pub async fn save_weekly_hours(
    conn: &mut PgConnection,
    org_id: Uuid,
    provider_id: Uuid,
    hours: &[WeeklyHours],
) -> Result<()> {
    sqlx::query!(
        "INSERT INTO provider_calendars (provider_id, org_id, availability_saved) VALUES ($2, $1, true)
         ON CONFLICT (provider_id) DO UPDATE SET availability_saved = true",
        org_id,
        provider_id
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!("DELETE FROM availability_blocks WHERE org_id = $1 AND provider_id = $2", org_id, provider_id)
        .execute(&mut *conn)
        .await?;
    let weekdays: Vec<i16> = hours.iter().map(|h| i16::from(h.weekday)).collect();
    let starts: Vec<NaiveTime> = hours.iter().map(|h| h.starts).collect();
    let ends: Vec<NaiveTime> = hours.iter().map(|h| h.ends).collect();
    sqlx::query!(
        "INSERT INTO availability_blocks (id, org_id, provider_id, weekday, starts, ends)
         SELECT gen_random_uuid(), $1, $2, w, s, e FROM unnest($3::smallint[], $4::time[], $5::time[]) AS x(w, s, e)",
        org_id,
        provider_id,
        &weekdays,
        &starts,
        &ends
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub struct OverrideRow {
    pub id: Uuid,
    pub on_date: NaiveDate,
    pub starts: Option<NaiveTime>,
    pub ends: Option<NaiveTime>,
}

pub async fn overrides(
    conn: &mut PgConnection,
    org_id: Uuid,
    provider_id: Uuid,
    from: NaiveDate,
) -> Result<Vec<OverrideRow>> {
    Ok(sqlx::query_as!(
        OverrideRow,
        "SELECT id, on_date, starts, ends FROM availability_overrides
         WHERE org_id = $1 AND provider_id = $2 AND on_date >= $3 ORDER BY on_date, starts NULLS FIRST",
        org_id,
        provider_id,
        from
    )
    .fetch_all(conn)
    .await?)
}

pub async fn insert_override(
    conn: &mut PgConnection,
    org_id: Uuid,
    provider_id: Uuid,
    day: &DateHours,
) -> Result<Uuid> {
    let id = Uuid::new_v4();
    let (starts, ends) = day.hours.unzip();
    // A day off replaces any hours given for that date, and hours replace a day off.
    sqlx::query!(
        "DELETE FROM availability_overrides
         WHERE org_id = $1 AND provider_id = $2 AND on_date = $3 AND (starts IS NULL OR $4::time IS NULL)",
        org_id,
        provider_id,
        day.date,
        starts
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO availability_overrides (id, org_id, provider_id, on_date, starts, ends) VALUES ($1, $2, $3, $4, $5, $6)",
        id,
        org_id,
        provider_id,
        day.date,
        starts,
        ends
    )
    .execute(conn)
    .await?;
    Ok(id)
}

pub async fn delete_override(conn: &mut PgConnection, org_id: Uuid, provider_id: Uuid, id: Uuid) -> Result<()> {
    let done = sqlx::query!(
        "DELETE FROM availability_overrides WHERE org_id = $1 AND provider_id = $2 AND id = $3",
        org_id,
        provider_id,
        id
    )
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 { Err(Error::NotFound) } else { Ok(()) }
}

// ---- Appointments ----

/// Serializes bookings for one provider until the transaction ends. The exclusion constraint
/// alone can deadlock under many concurrent inserts for one provider.
pub async fn lock_provider(conn: &mut PgConnection, provider_id: Uuid) -> Result<()> {
    sqlx::query!("SELECT pg_advisory_xact_lock(hashtextextended($1::text, 0))", provider_id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// The provider's busy spans that end after `from` and start before `to`, leaving out one
/// appointment (the one being moved). Without one to leave out the statement reads the
/// exclusion constraint's index alone (an index-only scan): naming `id` would visit every row.
pub async fn busy(
    conn: &mut PgConnection,
    provider_id: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    except: Option<Uuid>,
) -> Result<Vec<Span>> {
    let spans = match except {
        None => sqlx::query!(
            r#"SELECT lower(busy) AS "start!", upper(busy) AS "end!" FROM appointments
               WHERE provider_id = $1 AND busy && tstzrange($2, $3) AND status IN ('booked', 'occurred', 'no_show')"#,
            provider_id,
            from,
            to
        )
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(|r| Span::new(r.start, r.end))
        .collect(),
        Some(except) => sqlx::query!(
            r#"SELECT lower(busy) AS "start!", upper(busy) AS "end!" FROM appointments
               WHERE provider_id = $1 AND busy && tstzrange($2, $3)
                 AND status IN ('booked', 'occurred', 'no_show') AND id <> $4"#,
            provider_id,
            from,
            to,
            except
        )
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(|r| Span::new(r.start, r.end))
        .collect(),
    };
    Ok(spans)
}

pub struct NewAppointment {
    pub org_id: Uuid,
    pub client_id: Uuid,
    pub provider_id: Uuid,
    pub type_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub busy: Span,
    pub booked_by: &'static str,
    pub notes: String,
}

fn range(span: Span) -> PgRange<DateTime<Utc>> {
    PgRange::from(span.start..span.end)
}

/// Maps the database's refusal of an overlapping booking (or a deadlock it broke) to the
/// message the loser of the race reads.
fn taken(error: sqlx::Error) -> Error {
    let code = error.as_database_error().and_then(|e| e.code()).map(|c| c.into_owned());
    match code.as_deref() {
        Some("23P01") | Some("40P01") => Error::Conflict(super::TAKEN.to_owned()),
        _ => error.into(),
    }
}

pub async fn insert_appointment(conn: &mut PgConnection, a: &NewAppointment, now: DateTime<Utc>) -> Result<Uuid> {
    let id = Uuid::new_v4();
    sqlx::query!(
        "INSERT INTO appointments (id, org_id, client_id, provider_id, type_id, starts_at, ends_at, busy, booked_by,
             notes, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
        id,
        a.org_id,
        a.client_id,
        a.provider_id,
        a.type_id,
        a.starts_at,
        a.ends_at,
        range(a.busy) as _,
        a.booked_by,
        a.notes,
        now
    )
    .execute(conn)
    .await
    .map_err(taken)?;
    Ok(id)
}

pub async fn move_appointment(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    busy: Span,
    now: DateTime<Utc>,
) -> Result<()> {
    let done = sqlx::query!(
        "UPDATE appointments SET starts_at = $3, ends_at = $4, busy = $5, status = 'booked',
             sequence = sequence + 1, updated_at = $6
         WHERE org_id = $1 AND id = $2",
        org_id,
        id,
        starts_at,
        ends_at,
        range(busy) as _,
        now
    )
    .execute(conn)
    .await
    .map_err(taken)?;
    if done.rows_affected() == 0 { Err(Error::NotFound) } else { Ok(()) }
}

pub async fn set_status(
    conn: &mut PgConnection,
    org_id: Uuid,
    id: Uuid,
    status: AppointmentStatus,
    now: DateTime<Utc>,
) -> Result<()> {
    let done = sqlx::query!(
        "UPDATE appointments SET status = $3, sequence = sequence + 1, updated_at = $4 WHERE org_id = $1 AND id = $2",
        org_id,
        id,
        status.as_str(),
        now
    )
    .execute(conn)
    .await
    .map_err(taken)?;
    if done.rows_affected() == 0 { Err(Error::NotFound) } else { Ok(()) }
}

pub async fn delete_appointment(conn: &mut PgConnection, org_id: Uuid, id: Uuid) -> Result<()> {
    let done = sqlx::query!("DELETE FROM appointments WHERE org_id = $1 AND id = $2", org_id, id).execute(conn).await?;
    if done.rows_affected() == 0 { Err(Error::NotFound) } else { Ok(()) }
}

/// One appointment with what its pages show.
#[derive(Debug, Clone)]
pub struct AppointmentRow {
    pub id: Uuid,
    pub client_id: Uuid,
    pub client_name: String,
    pub client_phone: Option<String>,
    pub client_email: Option<String>,
    pub client_primary_provider_id: Option<Uuid>,
    pub client_is_test: bool,
    pub provider_id: Uuid,
    pub provider_name: String,
    pub type_id: Uuid,
    pub type_name: String,
    pub location_kind: String,
    pub client_link: Option<String>,
    pub host_link: Option<String>,
    pub location: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub status: String,
    pub notes: String,
}

impl AppointmentRow {
    pub fn status(&self) -> AppointmentStatus {
        AppointmentStatus::from_db(&self.status)
    }
}

/// Filters for listing appointments; every one is optional but the practice and the range.
#[derive(Debug, Clone, Default)]
pub struct AppointmentFilter {
    pub provider_ids: Option<Vec<Uuid>>,
    pub client_id: Option<Uuid>,
    /// Only clients of this primary provider (members who see only their own clients).
    pub visible_provider: Option<Uuid>,
    pub statuses: Option<Vec<String>>,
    pub type_id: Option<Uuid>,
    pub include_test_clients: bool,
}

/// The appointments that overlap `[from, to)`, in time order (5,000 at most).
pub async fn list_appointments(
    conn: &mut PgConnection,
    org_id: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    filter: &AppointmentFilter,
) -> Result<Vec<AppointmentRow>> {
    let rows = sqlx::query_as!(
        AppointmentRow,
        r#"SELECT a.id, a.client_id, c.first_name || ' ' || c.last_name AS "client_name!", c.phone AS client_phone,
                  c.email AS client_email, c.primary_provider_id AS client_primary_provider_id, c.is_test AS client_is_test,
                  a.provider_id, u.full_name AS provider_name, a.type_id, t.name AS type_name, t.location_kind,
                  t.client_link, t.host_link, t.location, a.starts_at, a.ends_at, a.status, a.notes
           FROM appointments a
           JOIN clients c ON c.id = a.client_id
           JOIN memberships m ON m.id = a.provider_id
           JOIN users u ON u.id = m.user_id
           JOIN appointment_types t ON t.id = a.type_id
           WHERE a.org_id = $1 AND tstzrange(a.starts_at, a.ends_at) && tstzrange($2, $3)
             AND ($4::uuid[] IS NULL OR a.provider_id = ANY($4))
             AND ($5::uuid IS NULL OR a.client_id = $5)
             AND ($6::uuid IS NULL OR c.primary_provider_id = $6)
             AND ($7::text[] IS NULL OR a.status = ANY($7))
             AND ($8::uuid IS NULL OR a.type_id = $8)
             AND ($9 OR NOT c.is_test)
           ORDER BY a.starts_at, a.id
           LIMIT 5000"#,
        org_id,
        from,
        to,
        filter.provider_ids.as_deref(),
        filter.client_id,
        filter.visible_provider,
        filter.statuses.as_deref(),
        filter.type_id,
        filter.include_test_clients
    )
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

/// A month's calendar, day by day in `zone` (an IANA name): how many appointments overlapping
/// `[from, to)` start on each day, and the ids of the first `per_day` of each, in time order.
/// The month view lists only those, so only they are read in full.
pub async fn first_of_each_day(
    conn: &mut PgConnection,
    org_id: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    provider_ids: &[Uuid],
    zone: &str,
    per_day: i64,
) -> Result<Vec<(NaiveDate, i64, Vec<Uuid>)>> {
    let rows = sqlx::query!(
        r#"SELECT day AS "day!", count(*) AS "count!", (array_agg(id ORDER BY starts_at, id))[1:$6] AS "first!"
           FROM (SELECT a.id, a.starts_at, (a.starts_at AT TIME ZONE $5)::date AS day
                 FROM appointments a
                 WHERE a.org_id = $1 AND tstzrange(a.starts_at, a.ends_at) && tstzrange($2, $3)
                   AND a.provider_id = ANY($4)) AS starting
           GROUP BY day"#,
        org_id,
        from,
        to,
        provider_ids,
        zone,
        per_day as i32
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.day, r.count, r.first)).collect())
}

/// Where a page of the report starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportPage {
    First,
    /// The appointments after this one, in time order.
    After(Uuid),
    /// The appointments before this one.
    Before(Uuid),
}

/// What the report lists: appointments that start in `[start, end)`, test clients left out.
#[derive(Debug, Clone)]
pub struct ReportCriteria {
    pub org_id: Uuid,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub provider_ids: Option<Vec<Uuid>>,
    pub statuses: Option<Vec<String>>,
    pub type_id: Option<Uuid>,
}

/// Up to `limit` ids from `page`, in time order. Each direction is its own statement, so the
/// range and the cursor are conditions on the `(org_id, starts_at)` index. Test clients are
/// left out with NOT EXISTS, which reads the few test clients from their partial index; a join
/// read every client (6.5 against 2.7 ms for a month's counts in scripts/load).
pub async fn report_ids(
    conn: &mut PgConnection,
    criteria: &ReportCriteria,
    page: ReportPage,
    limit: i64,
) -> Result<Vec<Uuid>> {
    let c = criteria;
    let (providers, statuses) = (c.provider_ids.as_deref(), c.statuses.as_deref());
    let ids = match page {
        ReportPage::First => {
            sqlx::query_scalar!(
                "SELECT a.id FROM appointments a
                 WHERE a.org_id = $1 AND a.starts_at >= $2 AND a.starts_at < $3
                   AND NOT EXISTS (SELECT FROM clients c WHERE c.id = a.client_id AND c.is_test)
                   AND ($4::uuid[] IS NULL OR a.provider_id = ANY($4)) AND ($5::text[] IS NULL OR a.status = ANY($5))
                   AND ($6::uuid IS NULL OR a.type_id = $6)
                 ORDER BY a.starts_at, a.id LIMIT $7",
                c.org_id,
                c.start,
                c.end,
                providers,
                statuses,
                c.type_id,
                limit
            )
            .fetch_all(conn)
            .await?
        }
        ReportPage::After(cursor) => {
            sqlx::query_scalar!(
                "SELECT a.id FROM appointments a
                 WHERE a.org_id = $1 AND a.starts_at >= $2 AND a.starts_at < $3
                   AND NOT EXISTS (SELECT FROM clients c WHERE c.id = a.client_id AND c.is_test)
                   AND ($4::uuid[] IS NULL OR a.provider_id = ANY($4)) AND ($5::text[] IS NULL OR a.status = ANY($5))
                   AND ($6::uuid IS NULL OR a.type_id = $6)
                   AND (a.starts_at, a.id) > (SELECT starts_at, id FROM appointments WHERE org_id = $1 AND id = $8)
                 ORDER BY a.starts_at, a.id LIMIT $7",
                c.org_id,
                c.start,
                c.end,
                providers,
                statuses,
                c.type_id,
                limit,
                cursor
            )
            .fetch_all(conn)
            .await?
        }
        ReportPage::Before(cursor) => {
            let mut ids = sqlx::query_scalar!(
                "SELECT a.id FROM appointments a
                 WHERE a.org_id = $1 AND a.starts_at >= $2 AND a.starts_at < $3
                   AND NOT EXISTS (SELECT FROM clients c WHERE c.id = a.client_id AND c.is_test)
                   AND ($4::uuid[] IS NULL OR a.provider_id = ANY($4)) AND ($5::text[] IS NULL OR a.status = ANY($5))
                   AND ($6::uuid IS NULL OR a.type_id = $6)
                   AND (a.starts_at, a.id) < (SELECT starts_at, id FROM appointments WHERE org_id = $1 AND id = $8)
                 ORDER BY a.starts_at DESC, a.id DESC LIMIT $7",
                c.org_id,
                c.start,
                c.end,
                providers,
                statuses,
                c.type_id,
                limit,
                cursor
            )
            .fetch_all(conn)
            .await?;
            ids.reverse();
            ids
        }
    };
    Ok(ids)
}

/// How many of the report's appointments have each status (statuses with none are absent).
pub async fn report_counts(conn: &mut PgConnection, criteria: &ReportCriteria) -> Result<Vec<(String, i64)>> {
    let c = criteria;
    let rows = sqlx::query!(
        r#"SELECT a.status, count(*) AS "count!" FROM appointments a
           WHERE a.org_id = $1 AND a.starts_at >= $2 AND a.starts_at < $3
             AND NOT EXISTS (SELECT FROM clients c WHERE c.id = a.client_id AND c.is_test)
             AND ($4::uuid[] IS NULL OR a.provider_id = ANY($4)) AND ($5::text[] IS NULL OR a.status = ANY($5))
             AND ($6::uuid IS NULL OR a.type_id = $6)
           GROUP BY a.status"#,
        c.org_id,
        c.start,
        c.end,
        c.provider_ids.as_deref(),
        c.statuses.as_deref(),
        c.type_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.status, r.count)).collect())
}

/// The appointments with these ids, in time order.
pub async fn appointments_by_id(conn: &mut PgConnection, org_id: Uuid, ids: &[Uuid]) -> Result<Vec<AppointmentRow>> {
    let rows = sqlx::query_as!(
        AppointmentRow,
        r#"SELECT a.id, a.client_id, c.first_name || ' ' || c.last_name AS "client_name!", c.phone AS client_phone,
                  c.email AS client_email, c.primary_provider_id AS client_primary_provider_id, c.is_test AS client_is_test,
                  a.provider_id, u.full_name AS provider_name, a.type_id, t.name AS type_name, t.location_kind,
                  t.client_link, t.host_link, t.location, a.starts_at, a.ends_at, a.status, a.notes
           FROM appointments a
           JOIN clients c ON c.id = a.client_id
           JOIN memberships m ON m.id = a.provider_id
           JOIN users u ON u.id = m.user_id
           JOIN appointment_types t ON t.id = a.type_id
           WHERE a.org_id = $1 AND a.id = ANY($2)
           ORDER BY a.starts_at, a.id"#,
        org_id,
        ids
    )
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

pub async fn get_appointment(conn: &mut PgConnection, org_id: Uuid, id: Uuid) -> Result<AppointmentRow> {
    appointments_by_id(conn, org_id, &[id]).await?.pop().ok_or(Error::NotFound)
}

/// Owners and providers of the practice: (membership id, name), by name.
pub async fn provider_names(conn: &mut PgConnection, org_id: Uuid) -> Result<Vec<(Uuid, String)>> {
    let rows = sqlx::query!(
        "SELECT m.id, u.full_name FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.org_id = $1 AND m.role IN ('owner', 'provider') ORDER BY u.full_name, m.id",
        org_id
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.full_name)).collect())
}

/// The portal booking switch and the practice's contact for clients.
pub async fn practice_contact(conn: &mut PgConnection, org_id: Uuid) -> Result<(bool, Option<String>, Option<String>)> {
    let r =
        sqlx::query!("SELECT portal_booking, contact_phone, contact_email FROM organizations WHERE id = $1", org_id)
            .fetch_one(conn)
            .await?;
    Ok((r.portal_booking, r.contact_phone, r.contact_email))
}

pub async fn set_practice_contact(
    conn: &mut PgConnection,
    org_id: Uuid,
    phone: Option<&str>,
    email: Option<&str>,
) -> Result<()> {
    sqlx::query!("UPDATE organizations SET contact_phone = $2, contact_email = $3 WHERE id = $1", org_id, phone, email)
        .execute(conn)
        .await?;
    Ok(())
}

/// Does the portal offer booking: switched on, with a bookable type someone offers?
pub async fn portal_offers_booking(conn: &mut PgConnection, org_id: Uuid) -> Result<bool> {
    let offered = sqlx::query_scalar!(
        r#"SELECT o.portal_booking AND EXISTS (
               SELECT 1 FROM appointment_types t JOIN appointment_type_providers p ON p.type_id = t.id
               WHERE t.org_id = o.id AND t.client_bookable AND t.archived_at IS NULL) AS "offered!"
           FROM organizations o WHERE o.id = $1"#,
        org_id
    )
    .fetch_one(conn)
    .await?;
    Ok(offered)
}

/// What appointment email needs: both people, their zones and addresses, the practice, the
/// type and where it happens. `cancel_rule` is filled in by the service.
#[derive(Debug, Clone)]
pub struct Notice {
    pub id: Uuid,
    pub org_id: Uuid,
    pub type_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub status: String,
    pub sequence: i32,
    pub type_name: String,
    pub location_kind: String,
    pub client_link: Option<String>,
    pub host_link: Option<String>,
    pub location: Option<String>,
    pub client_first_name: String,
    pub client_name: String,
    pub client_email: Option<String>,
    pub client_zone: TimeZone,
    pub provider_name: String,
    pub provider_email: String,
    pub provider_zone: TimeZone,
    pub practice_name: String,
    pub practice_slug: String,
    pub cancel_rule: String,
}

pub async fn notice(conn: &mut PgConnection, org_id: Uuid, id: Uuid) -> Result<Option<Notice>> {
    let notice = sqlx::query_as!(
        Notice,
        r#"SELECT a.id, a.org_id, a.type_id, a.starts_at, a.ends_at, a.status, a.sequence,
                  t.name AS type_name, t.location_kind, t.client_link, t.host_link, t.location,
                  c.first_name AS client_first_name, c.first_name || ' ' || c.last_name AS "client_name!",
                  c.email AS client_email, c.time_zone AS "client_zone: TimeZone",
                  u.full_name AS provider_name, u.email AS provider_email,
                  coalesce(u.time_zone, o.time_zone) AS "provider_zone!: TimeZone",
                  o.name AS practice_name, o.slug AS practice_slug, '' AS "cancel_rule!"
           FROM appointments a
           JOIN appointment_types t ON t.id = a.type_id
           JOIN clients c ON c.id = a.client_id
           JOIN memberships m ON m.id = a.provider_id
           JOIN users u ON u.id = m.user_id
           JOIN organizations o ON o.id = a.org_id
           WHERE a.org_id = $1 AND a.id = $2"#,
        org_id,
        id
    )
    .fetch_optional(conn)
    .await?;
    Ok(notice)
}

/// Records a reminder as sent; `false` when it was already (a repeated job).
pub async fn record_reminder(
    conn: &mut PgConnection,
    appointment_id: Uuid,
    minutes_before: i32,
    starts_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<bool> {
    let done = sqlx::query!(
        "INSERT INTO appointment_reminders (appointment_id, minutes_before, starts_at, sent_at)
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        appointment_id,
        minutes_before,
        starts_at,
        now
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

// ---- Calendar feeds ----

pub async fn feed_token(conn: &mut PgConnection, org_id: Uuid, provider_id: Uuid) -> Result<Option<String>> {
    let token = sqlx::query_scalar!(
        "SELECT feed_token FROM provider_calendars WHERE org_id = $1 AND provider_id = $2",
        org_id,
        provider_id
    )
    .fetch_optional(conn)
    .await?;
    Ok(token.flatten())
}

pub async fn set_feed_token(conn: &mut PgConnection, org_id: Uuid, provider_id: Uuid, token: &str) -> Result<()> {
    sqlx::query!(
        "INSERT INTO provider_calendars (provider_id, org_id, feed_token) VALUES ($2, $1, $3)
         ON CONFLICT (provider_id) DO UPDATE SET feed_token = $3",
        org_id,
        provider_id,
        token
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The practice and provider whose feed this is.
pub async fn provider_of_feed(conn: &mut PgConnection, token: &str) -> Result<Option<(Uuid, Uuid)>> {
    let row = sqlx::query!("SELECT org_id, provider_id FROM provider_calendars WHERE feed_token = $1", token)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|r| (r.org_id, r.provider_id)))
}
