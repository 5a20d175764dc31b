//! Each provider's private calendar feed: an `.ics` address to subscribe to in Google or Apple
//! Calendar, holding their appointments from a month ago to a year ahead. The address carries
//! a secret token; resetting it makes the old address stop working at once.

use chrono::{DateTime, Duration, Utc};
use icalendar::{Calendar, Component, EventLike, EventStatus};
use uuid::Uuid;

use super::{
    LocationKind,
    repo::{self, AppointmentFilter, AppointmentRow},
};
use crate::{Actor, Context, Error, Result, orgs::Permission, tokens};

/// The feed's address for a token.
fn address(ctx: &Context, token: &str) -> String {
    ctx.settings.link(&format!("/calendar/{token}.ics"))
}

fn require_calendar(actor: &Actor, provider_id: Uuid) -> Result<()> {
    if provider_id == actor.membership_id { Ok(()) } else { actor.require(Permission::ManageSchedulingForOthers) }
}

/// The provider's feed address, when they made one.
pub async fn address_of(ctx: &Context, actor: &Actor, provider_id: Uuid) -> Result<Option<String>> {
    require_calendar(actor, provider_id)?;
    let mut conn = ctx.pool.acquire().await?;
    let token = repo::feed_token(&mut conn, actor.org_id, provider_id).await?;
    Ok(token.map(|t| address(ctx, &t)))
}

/// Makes a new address; the old one stops working.
pub async fn reset(ctx: &Context, actor: &Actor, provider_id: Uuid) -> Result<String> {
    require_calendar(actor, provider_id)?;
    let token = tokens::generate();
    let mut conn = ctx.pool.acquire().await?;
    repo::provider_calendar(&mut conn, actor.org_id, provider_id).await?;
    repo::set_feed_token(&mut conn, actor.org_id, provider_id, &token).await?;
    Ok(address(ctx, &token))
}

/// The feed behind a token, or not found. The token is the only key: it is checked in full by
/// the database's unique index, never logged.
pub async fn calendar(ctx: &Context, token: &str) -> Result<String> {
    if token.len() != 43 || !token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Err(Error::NotFound);
    }
    let mut conn = ctx.pool.acquire().await?;
    let (org_id, provider_id) = repo::provider_of_feed(&mut conn, token).await?.ok_or(Error::NotFound)?;
    let now = ctx.now();
    let filter = AppointmentFilter {
        provider_ids: Some(vec![provider_id]),
        statuses: Some(vec!["booked".into(), "occurred".into(), "no_show".into()]),
        include_test_clients: true,
        ..AppointmentFilter::default()
    };
    let rows = repo::list_appointments(&mut conn, org_id, now - Duration::days(31), now + Duration::days(366), &filter)
        .await?;
    Ok(write(&rows, now))
}

fn write(rows: &[AppointmentRow], now: DateTime<Utc>) -> String {
    let mut calendar = Calendar::new();
    calendar.name("Tend appointments");
    for r in rows {
        let mut event = icalendar::Event::new();
        event
            .uid(&format!("{}@tend", r.id))
            .summary(&format!("{} with {}", r.type_name, r.client_name))
            .starts(r.starts_at)
            .ends(r.ends_at)
            .timestamp(now)
            .status(EventStatus::Confirmed);
        let place = match LocationKind::from_db(&r.location_kind) {
            LocationKind::InPerson => r.location.clone().unwrap_or_default(),
            LocationKind::Phone => {
                r.client_phone.clone().map_or("Phone call".to_owned(), |p| format!("Phone call: {p}"))
            }
            LocationKind::ExternalVideo => r.host_link.clone().unwrap_or_default(),
        };
        if !place.is_empty() {
            event.location(&place);
        }
        calendar.push(event.done());
    }
    calendar.done().to_string()
}
