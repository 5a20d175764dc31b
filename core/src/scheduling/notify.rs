//! Appointment email: booked, moved and cancelled, to the client and the provider, each with
//! an iCalendar event (same UID, rising SEQUENCE, so calendars update one event); and the
//! reminders, one job per appointment and offset, sent exactly once per start time.

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use icalendar::{Calendar, Component, EventLike, EventStatus};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use uuid::Uuid;

use super::{
    AppointmentStatus, LocationKind,
    repo::{self, Notice},
};
use crate::{
    Context, Result,
    clock::format_range,
    email::{self, templates},
    jobs::{self, Job, JobError, JobHandler},
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Booked,
    Moved,
    Cancelled,
}

impl Change {
    fn as_str(self) -> &'static str {
        match self {
            Change::Booked => "booked",
            Change::Moved => "moved",
            Change::Cancelled => "cancelled",
        }
    }
}

/// The appointment as an iCalendar event. Times are UTC (`Z`), which every calendar shows in
/// its owner's zone; the UID is the appointment's, so an update or a cancellation replaces the
/// event the first email added.
pub fn event(n: &Notice, cancelled: bool, for_provider: bool, now: DateTime<Utc>, sequence: i32) -> String {
    let with = if for_provider { &n.client_name } else { &n.provider_name };
    let mut event = icalendar::Event::new();
    event
        .uid(&format!("{}@tend", n.id))
        .summary(&format!("{} with {with}", n.type_name))
        .starts(n.starts_at)
        .ends(n.ends_at)
        .timestamp(now)
        .sequence(u32::try_from(sequence).unwrap_or(0))
        .status(if cancelled { EventStatus::Cancelled } else { EventStatus::Confirmed });
    let place = place(n, for_provider);
    if !place.is_empty() {
        event.location(&place);
    }
    let mut calendar = Calendar::new();
    calendar
        .append_property(icalendar::Property::new("METHOD", if cancelled { "CANCEL" } else { "REQUEST" }))
        .push(event.done());
    calendar.done().to_string()
}

/// Where it happens, for this reader: only a provider ever sees the host link.
fn place(n: &Notice, for_provider: bool) -> String {
    match LocationKind::from_db(&n.location_kind) {
        LocationKind::InPerson => n.location.clone().unwrap_or_default(),
        LocationKind::Phone => "Phone call".to_owned(),
        LocationKind::ExternalVideo => {
            let link = if for_provider { &n.host_link } else { &n.client_link };
            link.clone().unwrap_or_else(|| "Video call".to_owned())
        }
    }
}

/// Writes the client's and the provider's email about a change, in the caller's transaction.
/// `sequence` is the event's version after the change (a deleted appointment has no row left
/// to bump, so its caller passes one more than the last).
pub async fn changed(conn: &mut PgConnection, ctx: &Context, n: &Notice, change: Change, sequence: i32) -> Result<()> {
    let now = ctx.now();
    let cancelled = change == Change::Cancelled;
    if let Some(to) = n.client_email.as_deref() {
        let when = format_range(n.starts_at, n.ends_at, n.client_zone);
        let manage = ctx.settings.link(&format!("/p/{}/appointments", n.practice_slug));
        let rule = (!cancelled).then(|| n.cancel_rule.clone());
        let message = templates::appointment(
            n.org_id,
            to,
            templates::AppointmentEmail {
                change: change.as_str(),
                to_provider: false,
                name: &n.client_first_name,
                type_name: &n.type_name,
                with_name: &n.provider_name,
                when: &when,
                place: &place(n, false),
                join: n.client_link.as_deref().filter(|_| !cancelled),
                rule: rule.as_deref(),
                manage: &manage,
                practice: &n.practice_name,
                calendar: Some(event(n, cancelled, false, now, sequence)),
            },
        )?;
        email::enqueue(conn, now, &message).await?;
    }
    let when = format_range(n.starts_at, n.ends_at, n.provider_zone);
    let manage = ctx.settings.link(&format!("/app/appointments/{}", n.id));
    let message = templates::appointment(
        n.org_id,
        &n.provider_email,
        templates::AppointmentEmail {
            change: change.as_str(),
            to_provider: true,
            name: &n.provider_name,
            type_name: &n.type_name,
            with_name: &n.client_name,
            when: &when,
            place: &place(n, true),
            join: n.host_link.as_deref().filter(|_| !cancelled),
            rule: None,
            manage: &manage,
            practice: &n.practice_name,
            calendar: Some(event(n, cancelled, true, now, sequence)),
        },
    )?;
    email::enqueue(conn, now, &message).await?;
    Ok(())
}

// ---- Reminders ----

pub const REMINDER_KIND: &str = "send_appointment_reminder";

#[derive(Debug, Serialize, Deserialize)]
struct ReminderPayload {
    org_id: Uuid,
    appointment_id: Uuid,
    minutes_before: i32,
    starts_at: DateTime<Utc>,
}

fn reminder_key(appointment_id: Uuid, minutes_before: i32) -> String {
    format!("reminder:{appointment_id}:{minutes_before}")
}

/// Puts the appointment's reminders on the queue at the practice's offsets (replacing those
/// of an earlier time), or drops them when the appointment no longer holds its time.
pub async fn schedule_reminders(conn: &mut PgConnection, ctx: &Context, org_id: Uuid, id: Uuid) -> Result<()> {
    let (_, offsets) = repo::practice_rules(conn, org_id).await?;
    let appointment = repo::get_appointment(conn, org_id, id).await.ok();
    let now = ctx.now();
    for minutes_before in offsets {
        let key = reminder_key(id, minutes_before);
        let due = appointment
            .as_ref()
            .filter(|a| a.status() == AppointmentStatus::Booked)
            .map(|a| (a.starts_at, a.starts_at - Duration::minutes(i64::from(minutes_before))))
            .filter(|(_, run_at)| *run_at > now);
        match due {
            Some((starts_at, run_at)) => {
                let payload = ReminderPayload { org_id, appointment_id: id, minutes_before, starts_at };
                let job = jobs::NewJob::new(
                    REMINDER_KIND,
                    serde_json::json!(payload),
                    format!("Reminder of an appointment, {minutes_before} minutes before"),
                    run_at,
                )
                .for_org(Some(org_id))
                .keyed(key);
                jobs::repo::replace(conn, &job).await?;
            }
            None => {
                jobs::repo::cancel(conn, &key).await?;
            }
        }
    }
    Ok(())
}

/// Sends one reminder unless it was sent already for this start time, or the appointment moved
/// or was cancelled since the job was written. Returns whether an email was queued.
async fn remind(ctx: &Context, payload: &ReminderPayload) -> Result<bool> {
    let mut tx = ctx.pool.begin().await?;
    let Some(n) = super::service::notice(&mut tx, payload.org_id, payload.appointment_id).await? else {
        return Ok(false);
    };
    if n.status != AppointmentStatus::Booked.as_str() || n.starts_at != payload.starts_at {
        return Ok(false);
    }
    if !repo::record_reminder(&mut tx, payload.appointment_id, payload.minutes_before, n.starts_at, ctx.now()).await? {
        return Ok(false);
    }
    let Some(to) = n.client_email.as_deref() else { return Ok(false) };
    let when = format_range(n.starts_at, n.ends_at, n.client_zone);
    let manage = ctx.settings.link(&format!("/p/{}/appointments", n.practice_slug));
    let message = templates::appointment(
        n.org_id,
        to,
        templates::AppointmentEmail {
            change: "reminder",
            to_provider: false,
            name: &n.client_first_name,
            type_name: &n.type_name,
            with_name: &n.provider_name,
            when: &when,
            place: &place(&n, false),
            join: n.client_link.as_deref(),
            rule: Some(&n.cancel_rule),
            manage: &manage,
            practice: &n.practice_name,
            calendar: None,
        },
    )?;
    email::enqueue(&mut tx, ctx.now(), &message).await?;
    tx.commit().await?;
    Ok(true)
}

pub struct SendReminder {
    pub ctx: Context,
}

#[async_trait]
impl JobHandler for SendReminder {
    fn kind(&self) -> &'static str {
        REMINDER_KIND
    }

    async fn run(&self, job: &Job) -> std::result::Result<(), JobError> {
        let payload: ReminderPayload = serde_json::from_value(job.payload.clone())
            .map_err(|_| JobError::Permanent("The job does not name an appointment.".into()))?;
        remind(&self.ctx, &payload).await.map(|_| ()).map_err(|error| {
            tracing::warn!(%error, "appointment reminder failed");
            JobError::Retry("The database could not be reached.".into())
        })
    }
}
