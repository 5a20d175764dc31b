//! Scheduling use cases for members (settings, hours, the calendar) and for portal clients
//! (free slots, booking, rescheduling and cancelling inside the rules). Whoever calls, the
//! rules are checked here, and bookings for one provider are serialized in the database.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use uuid::Uuid;

use super::{
    AppointmentStatus, BookingRules, RulesForm, TypeForm,
    notify::{self, Change},
    parse_time_of_day,
    repo::{self, AppointmentFilter, AppointmentRow, NewAppointment, Notice, ProviderCalendar, TypeRow},
    slots::{self, DateHours, SlotRules, Span, WeeklyHours},
};
use crate::{
    Actor, Context, Error, FieldErrors, Result, clients, clock::TimeZone, fields::EmailAddress, orgs::Permission,
    portal::ClientActor,
};

/// At most this many days of free slots per request.
pub const MAX_SLOT_DAYS: i64 = 31;

// ---- Who may touch whose calendar ----

/// A member works on their own calendar; another provider's needs "manage scheduling for others".
fn require_calendar(actor: &Actor, provider_id: Uuid) -> Result<()> {
    if provider_id == actor.membership_id { Ok(()) } else { actor.require(Permission::ManageSchedulingForOthers) }
}

/// A member may open an appointment on a calendar they may manage.
async fn member_appointment(ctx: &Context, actor: &Actor, id: Uuid) -> Result<AppointmentRow> {
    let mut conn = ctx.pool.acquire().await?;
    let row = repo::get_appointment(&mut conn, actor.org_id, id).await?;
    require_calendar(actor, row.provider_id)?;
    Ok(row)
}

// ---- Email and reminders after a change ----

/// What a client reads about cancelling, in reminders and confirmations.
fn cancel_rule(rules: &BookingRules) -> String {
    if rules.clients_may_cancel {
        format!("You can cancel online up to {} hours before it starts.", rules.cancel_notice_hours)
    } else if !rules.cancel_refusal.is_empty() {
        rules.cancel_refusal.clone()
    } else {
        "Appointments cannot be cancelled online; please contact the practice.".to_owned()
    }
}

/// The appointment as its email needs it, with the cancellation rule of its type.
pub(super) async fn notice(conn: &mut sqlx::PgConnection, org_id: Uuid, id: Uuid) -> Result<Option<Notice>> {
    let Some(mut n) = repo::notice(conn, org_id, id).await? else { return Ok(None) };
    let (_, rules) = type_and_rules(conn, org_id, n.type_id).await?;
    n.cancel_rule = cancel_rule(&rules);
    Ok(Some(n))
}

/// In the transaction of a change: the email to both people (when `change` is one they hear
/// about) and the reminders, moved or dropped.
pub(super) async fn after_change(
    conn: &mut sqlx::PgConnection,
    ctx: &Context,
    org_id: Uuid,
    id: Uuid,
    change: Option<Change>,
) -> Result<()> {
    if let Some(change) = change
        && let Some(n) = notice(conn, org_id, id).await?
    {
        notify::changed(conn, ctx, &n, change, n.sequence).await?;
    }
    notify::schedule_reminders(conn, ctx, org_id, id).await
}

// ---- Settings: booking rules, portal booking, contact ----

pub struct SchedulingSettings {
    pub rules: BookingRules,
    pub reminder_minutes: Vec<i32>,
    pub portal_booking: bool,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub can_manage: bool,
}

pub async fn settings(ctx: &Context, actor: &Actor) -> Result<SchedulingSettings> {
    let mut conn = ctx.pool.acquire().await?;
    let (rules, reminder_minutes) = repo::practice_rules(&mut conn, actor.org_id).await?;
    let (portal_booking, contact_phone, contact_email) = repo::practice_contact(&mut conn, actor.org_id).await?;
    Ok(SchedulingSettings {
        rules,
        reminder_minutes,
        portal_booking,
        contact_phone,
        contact_email,
        can_manage: actor.can(Permission::ManageSettings),
    })
}

/// The practice's booking rules, reminder offsets (hours before, comma-separated) and the
/// contact clients see when a rule stops them.
pub struct SettingsForm {
    pub rules: RulesForm,
    pub reminder_hours: String,
    pub contact_phone: String,
    pub contact_email: String,
}

pub async fn save_settings(ctx: &Context, actor: &Actor, form: &SettingsForm) -> Result<()> {
    actor.require(Permission::ManageSettings)?;
    let mut errors = FieldErrors::new();
    let rules = match form.rules.parse_practice() {
        Ok(rules) => Some(rules),
        Err(Error::Validation(more)) => {
            errors.0.extend(more.0);
            None
        }
        Err(other) => return Err(other),
    };
    let reminders = errors.check("reminder_hours", parse_reminder_hours(&form.reminder_hours));
    let phone = match form.contact_phone.trim() {
        "" => Some(None),
        raw => errors.check("contact_phone", clients::parse_phone(raw)).map(Some),
    };
    let email = match form.contact_email.trim() {
        "" => Some(None),
        raw => errors.check("contact_email", EmailAddress::parse(raw)).map(|e| Some(e.as_str().to_owned())),
    };
    let (Some(rules), Some(reminders), Some(phone), Some(email)) = (rules, reminders, phone, email) else {
        return Err(Error::Validation(errors));
    };
    let mut tx = ctx.pool.begin().await?;
    repo::save_practice_rules(&mut tx, actor.org_id, &rules, &reminders).await?;
    repo::set_practice_contact(&mut tx, actor.org_id, phone.as_deref(), email.as_deref()).await?;
    tx.commit().await?;
    Ok(())
}

/// `24, 1` (hours before) to minutes, latest first; at most four, each up to 14 days.
pub fn parse_reminder_hours(raw: &str) -> std::result::Result<Vec<i32>, String> {
    let message = "Enter hours before the appointment separated by commas, like 24, 1 (at most four).";
    let mut minutes = Vec::new();
    for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let hours: f64 = part.parse().map_err(|_| message.to_owned())?;
        if !(0.25..=336.0).contains(&hours) {
            return Err(message.into());
        }
        minutes.push((hours * 60.0).round() as i32);
    }
    minutes.sort_unstable_by(|a, b| b.cmp(a));
    minutes.dedup();
    if minutes.len() > 4 { Err(message.into()) } else { Ok(minutes) }
}

/// The client portal settings' switch: may clients book inside the portal?
pub async fn set_portal_booking(ctx: &Context, actor: &Actor, on: bool) -> Result<()> {
    actor.require(Permission::ManageSettings)?;
    let mut conn = ctx.pool.acquire().await?;
    repo::set_portal_booking(&mut conn, actor.org_id, on).await
}

// ---- Appointment types ----

pub async fn types(ctx: &Context, actor: &Actor) -> Result<Vec<TypeRow>> {
    let mut conn = ctx.pool.acquire().await?;
    repo::list_types(&mut conn, actor.org_id).await
}

pub async fn get_type(ctx: &Context, actor: &Actor, id: Uuid) -> Result<TypeRow> {
    let mut conn = ctx.pool.acquire().await?;
    repo::get_type(&mut conn, actor.org_id, id).await
}

pub async fn create_type(ctx: &Context, actor: &Actor, form: &TypeForm) -> Result<Uuid> {
    actor.require(Permission::ManageSettings)?;
    let details = form.parse()?;
    let mut tx = ctx.pool.begin().await?;
    let id = repo::insert_type(&mut tx, actor.org_id, &details, ctx.now()).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update_type(ctx: &Context, actor: &Actor, id: Uuid, form: &TypeForm) -> Result<()> {
    actor.require(Permission::ManageSettings)?;
    let details = form.parse()?;
    let mut tx = ctx.pool.begin().await?;
    repo::update_type(&mut tx, actor.org_id, id, &details).await?;
    tx.commit().await?;
    Ok(())
}

/// Archived types can no longer be booked; their appointments stay.
pub async fn set_type_archived(ctx: &Context, actor: &Actor, id: Uuid, archived: bool) -> Result<()> {
    actor.require(Permission::ManageSettings)?;
    let mut conn = ctx.pool.acquire().await?;
    repo::set_type_archived(&mut conn, actor.org_id, id, archived, ctx.now()).await
}

// ---- Providers' hours ----

pub struct HoursView {
    pub calendar: ProviderCalendar,
    pub weekly: Vec<WeeklyHours>,
    pub overrides: Vec<repo::OverrideRow>,
}

pub async fn hours(ctx: &Context, actor: &Actor, provider_id: Uuid) -> Result<HoursView> {
    require_calendar(actor, provider_id)?;
    let mut conn = ctx.pool.acquire().await?;
    let calendar = repo::provider_calendar(&mut conn, actor.org_id, provider_id).await?;
    let today = calendar.zone.date_at(ctx.now());
    let availability = repo::availability(&mut conn, actor.org_id, &calendar, today).await?;
    let overrides = repo::overrides(&mut conn, actor.org_id, provider_id, today).await?;
    Ok(HoursView { calendar, weekly: availability.weekly, overrides })
}

/// One block of weekly hours as typed: ISO weekday (1 Monday) and two times.
#[derive(Debug, Clone, Default)]
pub struct HoursForm {
    pub weekday: String,
    pub starts: String,
    pub ends: String,
}

/// Replaces the provider's weekly hours. Blocks of one day may not overlap.
pub async fn save_weekly_hours(ctx: &Context, actor: &Actor, provider_id: Uuid, blocks: &[HoursForm]) -> Result<()> {
    require_calendar(actor, provider_id)?;
    let hours = parse_weekly_hours(blocks)?;
    let mut tx = ctx.pool.begin().await?;
    repo::provider_calendar(&mut tx, actor.org_id, provider_id).await?;
    repo::save_weekly_hours(&mut tx, actor.org_id, provider_id, &hours).await?;
    tx.commit().await?;
    Ok(())
}

pub fn parse_weekly_hours(blocks: &[HoursForm]) -> Result<Vec<WeeklyHours>> {
    let mut errors = FieldErrors::new();
    let mut hours: Vec<WeeklyHours> = Vec::new();
    for (index, block) in blocks.iter().enumerate() {
        if block.starts.trim().is_empty() && block.ends.trim().is_empty() {
            continue;
        }
        let weekday = block.weekday.trim().parse::<u8>().ok().filter(|d| (1..=7).contains(d));
        let starts = errors.check(&format!("starts_{index}"), parse_time_of_day(&block.starts));
        let ends = errors.check(&format!("ends_{index}"), parse_time_of_day(&block.ends));
        let (Some(weekday), Some(starts), Some(ends)) = (weekday, starts, ends) else {
            if weekday.is_none() {
                errors.add(&format!("weekday_{index}"), "Choose a day of the week.");
            }
            continue;
        };
        if ends <= starts {
            errors.add(&format!("ends_{index}"), "End after the start.");
        } else if hours.iter().any(|h| h.weekday == weekday && h.starts < ends && starts < h.ends) {
            errors.add(&format!("starts_{index}"), "These hours overlap other hours of the same day.");
        } else {
            hours.push(WeeklyHours { weekday, starts, ends });
        }
    }
    errors.into_result()?;
    hours.sort_by_key(|h| (h.weekday, h.starts));
    Ok(hours)
}

/// A date with its own hours (`day_off`: none at all).
pub async fn add_date_hours(
    ctx: &Context,
    actor: &Actor,
    provider_id: Uuid,
    date: &str,
    starts: &str,
    ends: &str,
    day_off: bool,
) -> Result<()> {
    require_calendar(actor, provider_id)?;
    let mut errors = FieldErrors::new();
    let date = errors.check("date", crate::programs::parse_date(date));
    let hours = if day_off {
        Some(None)
    } else {
        let starts = errors.check("starts", parse_time_of_day(starts));
        let ends = errors.check("ends", parse_time_of_day(ends));
        match (starts, ends) {
            (Some(s), Some(e)) if e > s => Some(Some((s, e))),
            (Some(_), Some(_)) => {
                errors.add("ends", "End after the start.");
                None
            }
            _ => None,
        }
    };
    let (Some(date), Some(hours)) = (date, hours) else { return Err(Error::Validation(errors)) };
    let mut tx = ctx.pool.begin().await?;
    let calendar = repo::provider_calendar(&mut tx, actor.org_id, provider_id).await?;
    if date < calendar.zone.date_at(ctx.now()) {
        return Err(FieldErrors::single("date", "Choose today or a later date."));
    }
    repo::insert_override(&mut tx, actor.org_id, provider_id, &DateHours { date, hours }).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove_date_hours(ctx: &Context, actor: &Actor, provider_id: Uuid, id: Uuid) -> Result<()> {
    require_calendar(actor, provider_id)?;
    let mut conn = ctx.pool.acquire().await?;
    repo::delete_override(&mut conn, actor.org_id, provider_id, id).await
}

// ---- Slots ----

fn slot_rules(t: &TypeRow, rules: &BookingRules, zone: TimeZone, now: DateTime<Utc>) -> SlotRules {
    let today = zone.date_at(now);
    SlotRules {
        duration: Duration::minutes(i64::from(t.duration_minutes)),
        buffer_before: Duration::minutes(i64::from(t.buffer_before_minutes)),
        buffer_after: Duration::minutes(i64::from(t.buffer_after_minutes)),
        interval: Duration::minutes(i64::from(rules.slot_interval_minutes)),
        earliest: now + Duration::hours(i64::from(rules.book_notice_hours)),
        last_date: today + Duration::days(i64::from(rules.horizon_days)),
        closed_date: (!rules.same_day).then_some(today),
    }
}

/// What is left out of the busy time: one appointment (when moving it), or everything (to
/// tell a taken slot from one that was never open).
#[derive(Clone, Copy)]
enum Ignoring {
    Nothing,
    Appointment(Uuid),
    AllBookings,
}

/// One type with one provider, under the rules in force, at a moment.
pub(super) struct Offer<'a> {
    pub b: &'a Bookable,
    pub provider_id: Uuid,
    pub now: DateTime<Utc>,
}

/// Free starts of an offer between two instants: one statement, for what is busy.
async fn free_starts(
    conn: &mut sqlx::PgConnection,
    offer: &Offer<'_>,
    range: Span,
    ignoring: Ignoring,
) -> Result<Vec<DateTime<Utc>>> {
    let Offer { b: Bookable { t, rules, availability }, provider_id, now } = *offer;
    let zone = availability.zone;
    let first = zone.date_at(range.start);
    let windows: Vec<Span> =
        availability.windows(first, zone.date_at(range.end)).into_iter().filter(|w| w.overlaps(&range)).collect();
    let Some((from, to)) = windows.first().zip(windows.last()).map(|(a, b)| (a.start, b.end)) else {
        return Ok(Vec::new());
    };
    let padding = Duration::minutes(i64::from(t.buffer_before_minutes + t.buffer_after_minutes) + 1);
    let busy = match ignoring {
        Ignoring::AllBookings => Vec::new(),
        Ignoring::Nothing => repo::busy(conn, provider_id, from - padding, to + padding, None).await?,
        Ignoring::Appointment(id) => repo::busy(conn, provider_id, from - padding, to + padding, Some(id)).await?,
    };
    let rules = slot_rules(t, rules, zone, now);
    Ok(slots::free_slots(availability, &windows, &busy, &rules)
        .into_iter()
        .filter(|s| range.start <= *s && *s < range.end)
        .collect())
}

/// The rules in force for a type: the practice's with the type's overrides.
async fn type_and_rules(conn: &mut sqlx::PgConnection, org_id: Uuid, type_id: Uuid) -> Result<(TypeRow, BookingRules)> {
    let t = repo::get_type(conn, org_id, type_id).await?;
    let (practice, _) = repo::practice_rules(conn, org_id).await?;
    let rules = practice.with(&t.overrides);
    Ok((t, rules))
}

/// Local dates `from .. from + days` in `zone` as instants.
pub(super) fn day_range(zone: TimeZone, from: NaiveDate, days: i64) -> Span {
    let days = days.clamp(1, MAX_SLOT_DAYS);
    Span::new(
        slots::instant(zone, from, NaiveTime::MIN),
        slots::instant(zone, from + Duration::days(days), NaiveTime::MIN),
    )
}

// ---- The client's side ----

/// What a client may book: bookable types and the providers offering each.
pub struct BookingChoices {
    pub portal_booking: bool,
    pub types: Vec<TypeRow>,
    /// (membership id, name) of every provider offering a bookable type.
    pub providers: Vec<(Uuid, String)>,
}

pub async fn booking_choices(ctx: &Context, client: &ClientActor) -> Result<BookingChoices> {
    let mut conn = ctx.pool.acquire().await?;
    choices_of(&mut conn, client.org_id).await
}

/// The practice's online booking: the switch, its bookable types and who offers them.
pub(super) async fn choices_of(conn: &mut sqlx::PgConnection, org_id: Uuid) -> Result<BookingChoices> {
    let portal_booking = repo::portal_booking(conn, org_id).await?;
    let types: Vec<TypeRow> = repo::list_types(conn, org_id)
        .await?
        .into_iter()
        .filter(|t| t.client_bookable && !t.archived && !t.provider_ids.is_empty())
        .collect();
    let providers = repo::provider_names(conn, org_id).await?;
    let providers = providers.into_iter().filter(|(id, _)| types.iter().any(|t| t.provider_ids.contains(id))).collect();
    Ok(BookingChoices { portal_booking, types, providers })
}

/// Does the portal show "Book an appointment" to this client?
pub async fn client_can_book(ctx: &Context, client: &ClientActor) -> Result<bool> {
    let mut conn = ctx.pool.acquire().await?;
    repo::portal_offers_booking(&mut conn, client.org_id).await
}

/// A type a client may book with one provider: the rules in force and the provider's hours.
pub(super) struct Bookable {
    pub t: TypeRow,
    pub rules: BookingRules,
    pub availability: slots::Availability,
}

/// Refuses a client when the practice switched portal booking off or the type is not theirs
/// to book with that provider. One statement; the hours hold date overrides from two days
/// before `from` (any zone's local date of it) on.
pub(super) async fn bookable_for_client(
    conn: &mut sqlx::PgConnection,
    org_id: Uuid,
    type_id: Uuid,
    provider_id: Uuid,
    from: DateTime<Utc>,
) -> Result<Bookable> {
    let overrides_from = (from - Duration::days(2)).date_naive();
    let data = repo::offer_data(conn, org_id, type_id, provider_id, overrides_from).await?.ok_or(Error::NotFound)?;
    if !data.portal_booking {
        return Err(Error::Conflict("Online booking is switched off; please contact the practice to book.".into()));
    }
    let t = data.t;
    if !t.client_bookable || t.archived || !t.provider_ids.contains(&provider_id) {
        return Err(Error::NotFound);
    }
    let rules = data.practice_rules.with(&t.overrides);
    Ok(Bookable { t, rules, availability: data.availability })
}

/// Free slots for a client, `days` local days from `from` in the client's zone.
pub async fn client_slots(
    ctx: &Context,
    client: &ClientActor,
    type_id: Uuid,
    provider_id: Uuid,
    zone: TimeZone,
    from: NaiveDate,
    days: i64,
) -> Result<Vec<DateTime<Utc>>> {
    super::public::slots(ctx, client.org_id, type_id, provider_id, zone, from, days).await
}

/// Free slots of a type a client may book with `provider_id`, inside `days`.
pub(super) async fn slots_of(
    conn: &mut sqlx::PgConnection,
    now: DateTime<Utc>,
    org_id: Uuid,
    type_id: Uuid,
    provider_id: Uuid,
    days: Span,
) -> Result<Vec<DateTime<Utc>>> {
    let bookable = bookable_for_client(conn, org_id, type_id, provider_id, days.start).await?;
    let offer = Offer { b: &bookable, provider_id, now };
    free_starts(conn, &offer, days, Ignoring::Nothing).await
}

/// Books a free slot for the signed-in client. The slot is checked again after the
/// provider's lock is taken, so a crafted or stale request cannot land outside the rules.
pub async fn book_as_client(
    ctx: &Context,
    client: &ClientActor,
    type_id: Uuid,
    provider_id: Uuid,
    starts_at: DateTime<Utc>,
) -> Result<Uuid> {
    let now = ctx.now();
    let mut tx = ctx.pool.begin().await?;
    let bookable = bookable_for_client(&mut tx, client.org_id, type_id, provider_id, starts_at).await?;
    repo::lock_provider(&mut tx, provider_id).await?;
    let offer = Offer { b: &bookable, provider_id, now };
    require_free(&mut tx, &offer, starts_at, None).await?;
    let id = repo::insert_appointment(
        &mut tx,
        &new_appointment(client.org_id, client.client_id, provider_id, &bookable.t, starts_at, "client", String::new()),
        now,
    )
    .await?;
    after_change(&mut tx, ctx, client.org_id, id, Some(Change::Booked)).await?;
    tx.commit().await?;
    Ok(id)
}

pub(super) async fn require_free(
    conn: &mut sqlx::PgConnection,
    offer: &Offer<'_>,
    starts_at: DateTime<Utc>,
    except: Option<Uuid>,
) -> Result<()> {
    let around = Span::new(starts_at - Duration::days(1), starts_at + Duration::days(1));
    let ignoring = except.map_or(Ignoring::Nothing, Ignoring::Appointment);
    if free_starts(conn, offer, around, ignoring).await?.contains(&starts_at) {
        return Ok(());
    }
    let open = free_starts(conn, offer, around, Ignoring::AllBookings).await?;
    Err(Error::Conflict(if open.contains(&starts_at) {
        super::TAKEN.to_owned()
    } else {
        "That time is not open for booking. Please pick one of the times shown.".to_owned()
    }))
}

pub(super) fn new_appointment(
    org_id: Uuid,
    client_id: Uuid,
    provider_id: Uuid,
    t: &TypeRow,
    starts_at: DateTime<Utc>,
    booked_by: &'static str,
    notes: String,
) -> NewAppointment {
    let ends_at = starts_at + Duration::minutes(i64::from(t.duration_minutes));
    NewAppointment {
        org_id,
        client_id,
        provider_id,
        type_id: t.id,
        starts_at,
        ends_at,
        busy: busy_of(t, starts_at, ends_at),
        booked_by,
        notes,
    }
}

fn busy_of(t: &TypeRow, starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> Span {
    Span::new(
        starts_at - Duration::minutes(i64::from(t.buffer_before_minutes)),
        ends_at + Duration::minutes(i64::from(t.buffer_after_minutes)),
    )
}

/// A client's appointment with what the client may do with it.
pub struct ClientAppointment {
    pub row: AppointmentRow,
    pub may_cancel: bool,
    pub may_reschedule: bool,
    /// Why not, in the practice's words (or ours when it wrote none).
    pub cancel_refusal: String,
    pub reschedule_refusal: String,
}

pub struct ClientAppointments {
    pub upcoming: Vec<ClientAppointment>,
    pub past: Vec<AppointmentRow>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
}

/// Can the client still cancel or reschedule, by the type's rules and the clock?
fn client_may(rules: &BookingRules, row: &AppointmentRow, now: DateTime<Utc>) -> (bool, String, bool, String) {
    let open = row.status() == AppointmentStatus::Booked && row.starts_at > now;
    let before = |hours: i32| row.starts_at - Duration::hours(i64::from(hours)) >= now;
    let may_cancel = open && rules.clients_may_cancel && before(rules.cancel_notice_hours);
    let may_reschedule = open && rules.clients_may_reschedule && before(rules.reschedule_notice_hours);
    let explain = |custom: &str, allowed: bool, hours: i32, what: &str| {
        if !custom.is_empty() {
            custom.to_owned()
        } else if !allowed {
            format!("Appointments cannot be {what} online.")
        } else {
            format!("Appointments can be {what} online up to {hours} hours before they start.")
        }
    };
    (
        may_cancel,
        explain(&rules.cancel_refusal, rules.clients_may_cancel, rules.cancel_notice_hours, "cancelled"),
        may_reschedule,
        explain(&rules.reschedule_refusal, rules.clients_may_reschedule, rules.reschedule_notice_hours, "rescheduled"),
    )
}

pub async fn client_appointments(ctx: &Context, client: &ClientActor) -> Result<ClientAppointments> {
    let now = ctx.now();
    let mut conn = ctx.pool.acquire().await?;
    let filter =
        AppointmentFilter { client_id: Some(client.client_id), include_test_clients: true, ..Default::default() };
    let far = Duration::days(3660);
    let rows = repo::list_appointments(&mut conn, client.org_id, now - far, now + far, &filter).await?;
    let (practice, _) = repo::practice_rules(&mut conn, client.org_id).await?;
    let types = repo::list_types(&mut conn, client.org_id).await?;
    let (_, contact_phone, contact_email) = repo::practice_contact(&mut conn, client.org_id).await?;
    let mut upcoming = Vec::new();
    let mut past = Vec::new();
    for row in rows {
        if row.ends_at > now && row.status() == AppointmentStatus::Booked {
            let rules =
                types.iter().find(|t| t.id == row.type_id).map_or(practice.clone(), |t| practice.with(&t.overrides));
            let (may_cancel, cancel_refusal, may_reschedule, reschedule_refusal) = client_may(&rules, &row, now);
            upcoming.push(ClientAppointment { row, may_cancel, may_reschedule, cancel_refusal, reschedule_refusal });
        } else {
            past.push(row);
        }
    }
    past.reverse();
    Ok(ClientAppointments { upcoming, past, contact_phone, contact_email })
}

/// The client's own appointment, or not found (another client's is never theirs).
async fn own_appointment(conn: &mut sqlx::PgConnection, client: &ClientActor, id: Uuid) -> Result<AppointmentRow> {
    let row = repo::get_appointment(conn, client.org_id, id).await?;
    if row.client_id != client.client_id {
        return Err(Error::NotFound);
    }
    Ok(row)
}

pub async fn client_appointment(ctx: &Context, client: &ClientActor, id: Uuid) -> Result<ClientAppointment> {
    let mut conn = ctx.pool.acquire().await?;
    let row = own_appointment(&mut conn, client, id).await?;
    let (_, rules) = type_and_rules(&mut conn, client.org_id, row.type_id).await?;
    let (may_cancel, cancel_refusal, may_reschedule, reschedule_refusal) = client_may(&rules, &row, ctx.now());
    Ok(ClientAppointment { row, may_cancel, may_reschedule, cancel_refusal, reschedule_refusal })
}

pub async fn cancel_as_client(ctx: &Context, client: &ClientActor, id: Uuid) -> Result<()> {
    let now = ctx.now();
    let mut tx = ctx.pool.begin().await?;
    let row = own_appointment(&mut tx, client, id).await?;
    let (_, rules) = type_and_rules(&mut tx, client.org_id, row.type_id).await?;
    let (may_cancel, refusal, _, _) = client_may(&rules, &row, now);
    if !may_cancel {
        return Err(Error::Conflict(refusal));
    }
    repo::set_status(&mut tx, client.org_id, id, AppointmentStatus::Cancelled, now).await?;
    after_change(&mut tx, ctx, client.org_id, id, Some(Change::Cancelled)).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn reschedule_as_client(
    ctx: &Context,
    client: &ClientActor,
    id: Uuid,
    starts_at: DateTime<Utc>,
) -> Result<()> {
    let now = ctx.now();
    let mut tx = ctx.pool.begin().await?;
    let row = own_appointment(&mut tx, client, id).await?;
    let bookable = bookable_for_client(&mut tx, client.org_id, row.type_id, row.provider_id, starts_at).await?;
    let (_, _, may_reschedule, refusal) = client_may(&bookable.rules, &row, now);
    if !may_reschedule {
        return Err(Error::Conflict(refusal));
    }
    repo::lock_provider(&mut tx, row.provider_id).await?;
    let offer = Offer { b: &bookable, provider_id: row.provider_id, now };
    require_free(&mut tx, &offer, starts_at, Some(id)).await?;
    let t = &bookable.t;
    let ends_at = starts_at + Duration::minutes(i64::from(t.duration_minutes));
    repo::move_appointment(&mut tx, client.org_id, id, starts_at, ends_at, busy_of(t, starts_at, ends_at), now).await?;
    after_change(&mut tx, ctx, client.org_id, id, Some(Change::Moved)).await?;
    tx.commit().await?;
    Ok(())
}

// ---- The provider calendar ----

/// Appointments of some providers between two instants.
pub async fn calendar(
    ctx: &Context,
    actor: &Actor,
    provider_ids: &[Uuid],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<AppointmentRow>> {
    for provider_id in provider_ids {
        require_calendar(actor, *provider_id)?;
    }
    let mut conn = ctx.pool.acquire().await?;
    let filter = AppointmentFilter {
        provider_ids: Some(provider_ids.to_vec()),
        include_test_clients: true,
        ..Default::default()
    };
    repo::list_appointments(&mut conn, actor.org_id, from, to, &filter).await
}

/// A month's calendar: per day in the member's zone, the first `per_day` appointments of the
/// providers (in time order) and how many each day has.
pub async fn calendar_month(
    ctx: &Context,
    actor: &Actor,
    provider_ids: &[Uuid],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    per_day: i64,
) -> Result<(Vec<AppointmentRow>, BTreeMap<NaiveDate, i64>)> {
    for provider_id in provider_ids {
        require_calendar(actor, *provider_id)?;
    }
    let mut conn = ctx.pool.acquire().await?;
    let zone = actor.time_zone.name();
    let days = repo::first_of_each_day(&mut conn, actor.org_id, from, to, provider_ids, zone, per_day).await?;
    let ids: Vec<Uuid> = days.iter().flat_map(|(_, _, ids)| ids.iter().copied()).collect();
    let rows = repo::appointments_by_id(&mut conn, actor.org_id, &ids).await?;
    Ok((rows, days.into_iter().map(|(day, count, _)| (day, count)).collect()))
}

/// The providers whose calendars the member may open (themself first).
pub async fn calendar_providers(ctx: &Context, actor: &Actor) -> Result<Vec<(Uuid, String)>> {
    let mut conn = ctx.pool.acquire().await?;
    let mut providers = repo::provider_names(&mut conn, actor.org_id).await?;
    providers.retain(|(id, _)| require_calendar(actor, *id).is_ok());
    providers.sort_by_key(|(id, _)| *id != actor.membership_id);
    Ok(providers)
}

/// An appointment as a provider types it: the date and time are in the member's zone.
#[derive(Debug, Clone, Default)]
pub struct AppointmentForm {
    pub client_id: String,
    pub provider_id: String,
    pub type_id: String,
    pub date: String,
    pub time: String,
    pub notes: String,
}

/// The outcome of a provider's booking: the appointment, and whether it is outside the
/// provider's hours (allowed, with a warning).
pub struct Booked {
    pub id: Uuid,
    pub outside_hours: bool,
}

fn parse_when(zone: TimeZone, date: &str, time: &str, errors: &mut FieldErrors) -> Option<DateTime<Utc>> {
    let date = errors.check("date", crate::programs::parse_date(date));
    let time = errors.check("time", parse_time_of_day(time));
    Some(slots::instant(zone, date?, time?))
}

pub async fn book_for_client(ctx: &Context, actor: &Actor, form: &AppointmentForm) -> Result<Booked> {
    let mut errors = FieldErrors::new();
    let client_id = errors.check("client_id", parse_choice(&form.client_id, "Choose a client."));
    let provider_id = errors.check("provider_id", parse_choice(&form.provider_id, "Choose a provider."));
    let type_id = errors.check("type_id", parse_choice(&form.type_id, "Choose an appointment type."));
    let starts_at = parse_when(actor.time_zone, &form.date, &form.time, &mut errors);
    let notes = form.notes.trim().to_owned();
    if notes.chars().count() > 2000 {
        errors.add("notes", "Use at most 2000 characters.");
    }
    let (Some(client_id), Some(provider_id), Some(type_id), Some(starts_at)) =
        (client_id, provider_id, type_id, starts_at)
    else {
        return Err(Error::Validation(errors));
    };
    errors.into_result()?;
    require_calendar(actor, provider_id)?;
    let now = ctx.now();
    let mut tx = ctx.pool.begin().await?;
    clients::service::visible_client(&mut tx, actor, client_id).await?;
    let t = repo::get_type(&mut tx, actor.org_id, type_id).await?;
    if !t.provider_ids.contains(&provider_id) {
        return Err(FieldErrors::single("type_id", "This provider does not offer that appointment type."));
    }
    let calendar = repo::provider_calendar(&mut tx, actor.org_id, provider_id).await?;
    let availability = repo::availability(&mut tx, actor.org_id, &calendar, calendar.zone.date_at(starts_at)).await?;
    repo::lock_provider(&mut tx, provider_id).await?;
    let appointment = new_appointment(actor.org_id, client_id, provider_id, &t, starts_at, "provider", notes);
    let outside_hours = !availability.covers(Span::new(appointment.starts_at, appointment.ends_at));
    let id = repo::insert_appointment(&mut tx, &appointment, now).await?;
    after_change(&mut tx, ctx, actor.org_id, id, Some(Change::Booked)).await?;
    tx.commit().await?;
    Ok(Booked { id, outside_hours })
}

fn parse_choice(raw: &str, message: &str) -> std::result::Result<Uuid, String> {
    Uuid::parse_str(raw.trim()).map_err(|_| message.to_owned())
}

pub struct MemberAppointment {
    pub row: AppointmentRow,
    pub outside_hours: bool,
}

pub async fn appointment(ctx: &Context, actor: &Actor, id: Uuid) -> Result<MemberAppointment> {
    let row = member_appointment(ctx, actor, id).await?;
    let mut conn = ctx.pool.acquire().await?;
    let calendar = repo::provider_calendar(&mut conn, actor.org_id, row.provider_id).await?;
    let availability =
        repo::availability(&mut conn, actor.org_id, &calendar, calendar.zone.date_at(row.starts_at)).await?;
    let outside_hours = !availability.covers(Span::new(row.starts_at, row.ends_at));
    Ok(MemberAppointment { row, outside_hours })
}

/// Moves an appointment to another time (the member's zone); outside hours is allowed.
pub async fn reschedule_by_member(ctx: &Context, actor: &Actor, id: Uuid, date: &str, time: &str) -> Result<Booked> {
    let mut errors = FieldErrors::new();
    let Some(starts_at) = parse_when(actor.time_zone, date, time, &mut errors) else {
        return Err(Error::Validation(errors));
    };
    let row = member_appointment(ctx, actor, id).await?;
    let now = ctx.now();
    let mut tx = ctx.pool.begin().await?;
    let t = repo::get_type(&mut tx, actor.org_id, row.type_id).await?;
    let calendar = repo::provider_calendar(&mut tx, actor.org_id, row.provider_id).await?;
    let availability = repo::availability(&mut tx, actor.org_id, &calendar, calendar.zone.date_at(starts_at)).await?;
    repo::lock_provider(&mut tx, row.provider_id).await?;
    let ends_at = starts_at + Duration::minutes(i64::from(t.duration_minutes));
    repo::move_appointment(&mut tx, actor.org_id, id, starts_at, ends_at, busy_of(&t, starts_at, ends_at), now).await?;
    after_change(&mut tx, ctx, actor.org_id, id, Some(Change::Moved)).await?;
    tx.commit().await?;
    Ok(Booked { id, outside_hours: !availability.covers(Span::new(starts_at, ends_at)) })
}

/// Sets a status; a status that takes the time back (e.g. from Cancelled to None yet) is
/// refused when the time was given to someone else.
pub async fn set_status(ctx: &Context, actor: &Actor, id: Uuid, status: AppointmentStatus) -> Result<()> {
    let row = member_appointment(ctx, actor, id).await?;
    let mut tx = ctx.pool.begin().await?;
    repo::lock_provider(&mut tx, row.provider_id).await?;
    repo::set_status(&mut tx, actor.org_id, id, status, ctx.now()).await?;
    // The client hears when the time is given up or taken back, not about Occurred or No-Show.
    let change = match (row.status().holds_time(), status.holds_time()) {
        (true, false) => Some(Change::Cancelled),
        (false, true) => Some(Change::Booked),
        _ => None,
    };
    after_change(&mut tx, ctx, actor.org_id, id, change).await?;
    tx.commit().await?;
    Ok(())
}

/// Deleting removes the appointment from the calendar and the reports (cancelling keeps it).
pub async fn delete(ctx: &Context, actor: &Actor, id: Uuid) -> Result<()> {
    let row = member_appointment(ctx, actor, id).await?;
    let mut tx = ctx.pool.begin().await?;
    let before = notice(&mut tx, actor.org_id, id).await?;
    repo::delete_appointment(&mut tx, actor.org_id, id).await?;
    // Nobody needs to hear that a cancelled appointment was tidied away.
    if let Some(n) = before.filter(|_| row.status().holds_time()) {
        notify::changed(&mut tx, ctx, &n, Change::Cancelled, n.sequence + 1).await?;
    }
    notify::schedule_reminders(&mut tx, ctx, actor.org_id, id).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(starts_in_hours: i64, now: DateTime<Utc>) -> AppointmentRow {
        AppointmentRow {
            id: Uuid::nil(),
            client_id: Uuid::nil(),
            client_name: "Ann Lee".into(),
            client_phone: None,
            client_email: None,
            client_primary_provider_id: None,
            client_is_test: false,
            provider_id: Uuid::nil(),
            provider_name: "Paula".into(),
            type_id: Uuid::nil(),
            type_name: "Follow-up".into(),
            location_kind: "phone".into(),
            client_link: None,
            host_link: None,
            location: None,
            starts_at: now + Duration::hours(starts_in_hours),
            ends_at: now + Duration::hours(starts_in_hours + 1),
            status: "booked".into(),
            notes: String::new(),
        }
    }

    #[test]
    fn inside_the_cancel_window_the_client_reads_the_practices_message() {
        let now = Utc::now();
        let rules = BookingRules { cancel_refusal: "Call us to cancel within a day.".into(), ..Default::default() };
        let (may_cancel, message, may_reschedule, _) = client_may(&rules, &row(30, now), now);
        assert!(may_cancel && may_reschedule);
        let (may_cancel, message_late, _, _) = client_may(&rules, &row(23, now), now);
        assert!(!may_cancel);
        assert_eq!(message, message_late);
        assert_eq!(message_late, "Call us to cancel within a day.");
    }

    #[test]
    fn without_a_message_the_rule_itself_is_explained() {
        let now = Utc::now();
        let rules = BookingRules { clients_may_reschedule: false, ..Default::default() };
        let (_, cancel, may_reschedule, reschedule) = client_may(&rules, &row(100, now), now);
        assert!(!may_reschedule);
        assert_eq!(cancel, "Appointments can be cancelled online up to 24 hours before they start.");
        assert_eq!(reschedule, "Appointments cannot be rescheduled online.");
    }

    #[test]
    fn reminder_hours_are_read_latest_first() {
        assert_eq!(parse_reminder_hours("1, 24"), Ok(vec![1440, 60]));
        assert_eq!(parse_reminder_hours(""), Ok(vec![]));
        assert!(parse_reminder_hours("1,2,3,4,5").is_err());
        assert!(parse_reminder_hours("soon").is_err());
    }

    #[test]
    fn overlapping_hours_on_one_day_are_refused() {
        let block = |weekday: &str, starts: &str, ends: &str| HoursForm {
            weekday: weekday.into(),
            starts: starts.into(),
            ends: ends.into(),
        };
        let ok = parse_weekly_hours(&[block("1", "13:00", "17:00"), block("1", "09:00", "12:00"), block("2", "", "")]);
        assert_eq!(ok.unwrap().len(), 2);
        assert!(parse_weekly_hours(&[block("1", "09:00", "12:00"), block("1", "11:00", "13:00")]).is_err());
        assert!(parse_weekly_hours(&[block("3", "12:00", "09:00")]).is_err());
    }
}
