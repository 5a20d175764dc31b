//! The public booking page (`/p/{slug}/book` for someone not signed in): the practice's
//! bookable types and free slots, and a booking by name, email and phone that creates the
//! client and sends the portal invitation with the confirmation.
//!
//! The page answers everyone alike: an address that already belongs to a client books
//! nothing, and that client is emailed to log in instead. Every request spends the visitor's
//! mail limit, by client address and by recipient.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::{
    repo,
    service::{self, BookingChoices, Offer},
};
use crate::{
    Context, Error, FieldErrors, Result,
    clients::{self, ClientForm},
    clock::{TimeZone, format_range},
    email::{self, limit, templates},
    orgs::repo::{Brand, brand_by_slug},
};

/// The practice behind a booking page, and what it offers.
pub struct PublicBooking {
    pub practice: Brand,
    pub choices: BookingChoices,
}

pub async fn choices(ctx: &Context, slug: &str) -> Result<PublicBooking> {
    let mut conn = ctx.pool.acquire().await?;
    let practice = brand_by_slug(&mut conn, slug).await?;
    let choices = service::choices_of(&mut conn, practice.id).await?;
    Ok(PublicBooking { practice, choices })
}

/// Free slots offered online (the public page, and a signed-in client's through
/// `service::client_slots`), `days` local days from `from` in `zone`.
pub async fn slots(
    ctx: &Context,
    org_id: Uuid,
    type_id: Uuid,
    provider_id: Uuid,
    zone: TimeZone,
    from: NaiveDate,
    days: i64,
) -> Result<Vec<DateTime<Utc>>> {
    let mut conn = ctx.pool.acquire().await?;
    service::slots_of(&mut conn, ctx.now(), org_id, type_id, provider_id, service::day_range(zone, from, days)).await
}

/// What a visitor types to book.
#[derive(Debug, Clone, Default)]
pub struct VisitorForm {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub time_zone: String,
}

/// The slot a visitor asks for.
#[derive(Debug, Clone, Copy)]
pub struct Request {
    pub type_id: Uuid,
    pub provider_id: Uuid,
    pub starts_at: DateTime<Utc>,
}

/// Name, email and phone are all needed: the practice calls and writes to the people it sees.
fn parse_visitor(form: &VisitorForm, today: NaiveDate, provider_id: Uuid) -> Result<clients::ClientDetails> {
    let client = ClientForm {
        first_name: form.first_name.clone(),
        last_name: form.last_name.clone(),
        email: form.email.clone(),
        phone: form.phone.clone(),
        date_of_birth: String::new(),
        time_zone: form.time_zone.clone(),
        primary_provider_id: provider_id.to_string(),
    };
    let mut missing = FieldErrors::new();
    if form.email.trim().is_empty() {
        missing.add("email", "Enter your email address: the confirmation goes there.");
    }
    if form.phone.trim().is_empty() {
        missing.add("phone", "Enter a phone number the practice can reach you at.");
    }
    match client.parse(today) {
        Ok(details) if missing.is_empty() => Ok(details),
        Ok(_) => Err(Error::Validation(missing)),
        Err(Error::Validation(mut errors)) => {
            for (field, message) in missing.0 {
                if !errors.0.iter().any(|(taken, _)| *taken == field) {
                    errors.add(&field, message);
                }
            }
            Err(Error::Validation(errors))
        }
        Err(other) => Err(other),
    }
}

/// Books `request` for a visitor on the practice's page `slug`. `Ok` whether the visitor was
/// booked or the address belongs to a client (who is emailed instead): the caller shows one
/// answer for both. Refuses a taken or closed time, and a visitor over the mail limits.
pub async fn book_as_visitor(
    ctx: &Context,
    slug: &str,
    form: &VisitorForm,
    request: Request,
    client_address: &str,
) -> Result<()> {
    let now = ctx.now();
    let mut tx = ctx.pool.begin().await?;
    let practice = brand_by_slug(&mut tx, slug).await?;
    let details = parse_visitor(form, practice.time_zone.date_at(now), request.provider_id)?;
    let email = details.email.clone().map(|e| e.as_str().to_owned()).unwrap_or_default();
    let bookable =
        service::bookable_for_client(&mut tx, practice.id, request.type_id, request.provider_id, request.starts_at)
            .await?;
    repo::lock_provider(&mut tx, request.provider_id).await?;
    let offer = Offer { b: &bookable, provider_id: request.provider_id, now };
    service::require_free(&mut tx, &offer, request.starts_at, None).await?;
    let t = &bookable.t;
    limit::spend(&mut tx, ctx, limit::Source::Visitor(client_address), &email).await?;
    let provider_name = repo::provider_names(&mut tx, practice.id)
        .await?
        .into_iter()
        .find_map(|(id, name)| (id == request.provider_id).then_some(name))
        .unwrap_or_default();
    let ends_at = request.starts_at + chrono::Duration::minutes(i64::from(t.duration_minutes));
    let booked =
        format!("{} with {provider_name}, {}", t.name, format_range(request.starts_at, ends_at, details.time_zone));

    if let Some(existing) = clients::repo::client_by_email(&mut tx, practice.id, &email).await? {
        let message = ask_to_log_in(&mut tx, ctx, &practice, &existing, &email, &booked).await?;
        email::enqueue(&mut tx, now, &message).await?;
        tx.commit().await?;
        return Ok(());
    }
    let client_id = match clients::repo::insert_client(&mut tx, practice.id, &details, false, None).await {
        Ok(id) => id,
        // The same address was booked a moment ago by another request: that one wins, and
        // this answer stays the same as ever.
        Err(Error::Validation(fields)) if fields.0.iter().any(|(field, _)| field == "email") => return Ok(()),
        Err(other) => return Err(other),
    };
    let new = service::new_appointment(
        practice.id,
        client_id,
        request.provider_id,
        t,
        request.starts_at,
        "public",
        String::new(),
    );
    let id = repo::insert_appointment(&mut tx, &new, now).await?;
    service::after_change(&mut tx, ctx, practice.id, id, Some(super::notify::Change::Booked)).await?;
    let invitation = clients::service::Invitation {
        org_slug: &practice.slug,
        client_id,
        email: &email,
        first_name: details.first_name.as_str(),
        inviter: &provider_name,
        booked: Some(&booked),
    };
    clients::service::send_invitation(&mut tx, ctx, &invitation).await?;
    tx.commit().await?;
    Ok(())
}

/// The email to a client whose address was used on the booking page.
async fn ask_to_log_in(
    conn: &mut sqlx::PgConnection,
    ctx: &Context,
    practice: &Brand,
    client: &clients::repo::ClientByEmail,
    email: &str,
    booked: &str,
) -> Result<email::OutgoingEmail> {
    let (_, phone, contact_email) = repo::practice_contact(conn, practice.id).await?;
    let contact = [phone, contact_email].into_iter().flatten().collect::<Vec<_>>().join(", ");
    let login_link = ctx.settings.link(&format!("/p/{}/login", practice.slug));
    let forgot_link = ctx.settings.link(&format!("/p/{}/forgot-password", practice.slug));
    templates::booking_by_a_client(
        practice.id,
        email,
        &templates::BookingByAClient {
            first_name: &client.first_name,
            practice: &practice.name,
            booked,
            login_link: client.can_log_in.then_some(login_link.as_str()),
            forgot_link: &forgot_link,
            contact: &contact,
        },
    )
}
