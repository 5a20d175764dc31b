//! Booking rules the server enforces whoever calls: free slots only, notice, horizon, buffers,
//! portal booking off, the cancel window; double booking refused by the database, also under
//! 200 simultaneous requests; nothing across clients, providers or practices.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{
    PgPool,
    postgres::{PgConnectOptions, PgPoolOptions},
};
use tend_core::{
    Actor, Context, Error,
    auth::repo as users,
    clients::{ClientForm, repo as clients},
    clock::{ManualClock, TimeZone},
    orgs::{Permission, Role, repo as orgs},
    portal::ClientActor,
    scheduling::{
        AppointmentStatus, RulesForm, TAKEN, TypeForm, notify, public,
        service::{self as scheduling, AppointmentForm, HoursForm, SettingsForm},
    },
    settings::Settings,
};
use uuid::Uuid;

struct Practice {
    ctx: Context,
    clock: Arc<ManualClock>,
    owner: Actor,
}

/// A practice in New York whose clock reads Monday 2026-12-07, 08:00 there.
async fn practice(pool: &PgPool, slug: &str) -> Practice {
    let mut conn = pool.acquire().await.unwrap();
    let zone = TimeZone::parse("America/New_York").unwrap();
    let org_id = orgs::insert_organization(&mut conn, slug, slug, zone).await.unwrap();
    let owner = member(pool, org_id, &format!("owner@{slug}.example.com"), Role::Owner, &Permission::ALL).await;
    let clock = ManualClock::starting_at(utc("2026-12-07T13:00:00Z"));
    let settings = Settings::from_lookup(|_| None).unwrap();
    Practice { ctx: Context::with_clock(pool.clone(), Arc::new(settings), clock.clone()), clock, owner }
}

async fn member(pool: &PgPool, org_id: Uuid, email: &str, role: Role, permissions: &[Permission]) -> Actor {
    let mut conn = pool.acquire().await.unwrap();
    let user_id = users::insert_user(&mut conn, email, email, None, None).await.unwrap();
    orgs::insert_membership(&mut conn, org_id, user_id, role, permissions).await.unwrap();
    orgs::load_actor(&mut conn, user_id, org_id, 1).await.unwrap().unwrap()
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

async fn client(p: &Practice, first: &str) -> ClientActor {
    let form = ClientForm {
        first_name: first.into(),
        last_name: "Client".into(),
        time_zone: "Europe/London".into(),
        primary_provider_id: p.owner.membership_id.to_string(),
        ..ClientForm::default()
    };
    let details = form.parse(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()).unwrap();
    let mut conn = p.ctx.pool.acquire().await.unwrap();
    let id = clients::insert_client(&mut conn, p.owner.org_id, &details, false, None).await.unwrap();
    ClientActor {
        client_id: id,
        user_id: Uuid::new_v4(),
        org_id: p.owner.org_id,
        first_name: first.into(),
        last_name: "Client".into(),
        email: None,
        phone: None,
        time_zone: TimeZone::parse("Europe/London").unwrap(),
        provider_name: None,
        is_test: false,
    }
}

/// A 50-minute type with 10-minute buffers after, offered by the given providers.
async fn follow_up(p: &Practice, providers: &[Uuid], rules: RulesForm) -> Uuid {
    let form = TypeForm {
        name: "Follow-up".into(),
        duration_minutes: "50".into(),
        price: "80".into(),
        location_kind: "phone".into(),
        buffer_after_minutes: "10".into(),
        client_bookable: true,
        provider_ids: providers.iter().map(Uuid::to_string).collect(),
        rules,
        ..TypeForm::default()
    };
    scheduling::create_type(&p.ctx, &p.owner, &form).await.unwrap()
}

fn conflict_message(error: Error) -> String {
    match error {
        Error::Conflict(message) => message,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

const NOT_OPEN: &str = "That time is not open for booking. Please pick one of the times shown.";

#[sqlx::test(migrations = "../migrations")]
async fn a_client_books_only_the_slots_offered(pool: PgPool) {
    let p = practice(&pool, "green").await;
    let ann = client(&p, "Ann").await;
    let provider = p.owner.membership_id;
    let type_id = follow_up(&p, &[provider], RulesForm::default()).await;
    // Default hours 9-17 New York; 24 h notice from Monday 08:00: Tuesday is the first day.
    let tuesday = NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
    let zone = ann.time_zone;
    let slots = scheduling::client_slots(&p.ctx, &ann, type_id, provider, zone, tuesday, 1).await.unwrap();
    assert_eq!(slots.first(), Some(&utc("2026-12-08T14:00:00Z")), "9:00 New York is 14:00 London");
    // 15-minute interval; 50 minutes must end by 17:00: the last start is 16:00.
    assert_eq!(slots.last(), Some(&utc("2026-12-08T21:00:00Z")));
    assert_eq!(slots.len(), 29);

    let monday_noon = utc("2026-12-07T17:00:00Z");
    let off_interval = utc("2026-12-08T14:05:00Z");
    let after_hours = utc("2026-12-08T22:30:00Z");
    let beyond_horizon = utc("2027-03-01T15:00:00Z");
    for refused in [monday_noon, off_interval, after_hours, beyond_horizon] {
        let error = scheduling::book_as_client(&p.ctx, &ann, type_id, provider, refused).await.unwrap_err();
        assert_eq!(conflict_message(error), NOT_OPEN, "{refused}");
    }

    let id = scheduling::book_as_client(&p.ctx, &ann, type_id, provider, slots[0]).await.unwrap();
    // Its buffer takes 9:50-10:00 too: the next slot is 10:00, and a second booking at 9:00 is taken.
    let after = scheduling::client_slots(&p.ctx, &ann, type_id, provider, zone, tuesday, 1).await.unwrap();
    assert_eq!(after.first(), Some(&utc("2026-12-08T15:00:00Z")));
    let error = scheduling::book_as_client(&p.ctx, &ann, type_id, provider, slots[0]).await.unwrap_err();
    assert_eq!(conflict_message(error), TAKEN);

    let mine = scheduling::client_appointments(&p.ctx, &ann).await.unwrap();
    assert_eq!(mine.upcoming.iter().map(|a| a.row.id).collect::<Vec<_>>(), [id]);
}

#[sqlx::test(migrations = "../migrations")]
async fn with_portal_booking_off_or_an_unbookable_type_the_client_is_refused(pool: PgPool) {
    let p = practice(&pool, "green").await;
    let ann = client(&p, "Ann").await;
    let provider = p.owner.membership_id;
    let type_id = follow_up(&p, &[provider], RulesForm::default()).await;
    let slot = utc("2026-12-08T14:00:00Z");

    scheduling::set_portal_booking(&p.ctx, &p.owner, false).await.unwrap();
    assert!(!scheduling::booking_choices(&p.ctx, &ann).await.unwrap().portal_booking);
    let error = scheduling::book_as_client(&p.ctx, &ann, type_id, provider, slot).await.unwrap_err();
    assert!(conflict_message(error).contains("switched off"));
    // The provider can still book for them.
    let form = AppointmentForm {
        client_id: ann.client_id.to_string(),
        provider_id: provider.to_string(),
        type_id: type_id.to_string(),
        date: "2026-12-08".into(),
        time: "09:00".into(),
        notes: String::new(),
    };
    let booked = scheduling::book_for_client(&p.ctx, &p.owner, &form).await.unwrap();
    assert!(!booked.outside_hours, "the owner's zone is the practice's: 9:00 New York is inside the hours");

    scheduling::set_portal_booking(&p.ctx, &p.owner, true).await.unwrap();
    let other = p.owner.membership_id;
    let hidden = TypeForm {
        name: "Intake".into(),
        duration_minutes: "60".into(),
        location_kind: "phone".into(),
        client_bookable: false,
        provider_ids: vec![other.to_string()],
        ..TypeForm::default()
    };
    let hidden_id = scheduling::create_type(&p.ctx, &p.owner, &hidden).await.unwrap();
    let error =
        scheduling::book_as_client(&p.ctx, &ann, hidden_id, provider, utc("2026-12-09T14:00:00Z")).await.unwrap_err();
    assert!(matches!(error, Error::NotFound), "{error:?}");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_cancel_window_and_rescheduling_are_enforced(pool: PgPool) {
    let p = practice(&pool, "green").await;
    let ann = client(&p, "Ann").await;
    let provider = p.owner.membership_id;
    let rules = RulesForm {
        cancel_notice_hours: "48".into(),
        reschedule_notice_hours: "12".into(),
        cancel_refusal: "Please call us to cancel within two days.".into(),
        ..RulesForm::default()
    };
    let type_id = follow_up(&p, &[provider], rules).await;
    let wednesday_nine = utc("2026-12-09T14:00:00Z");
    let id = scheduling::book_as_client(&p.ctx, &ann, type_id, provider, wednesday_nine).await.unwrap();

    // Monday 08:00: 49 hours ahead, may cancel and reschedule. Move it to Thursday.
    let thursday_ten = utc("2026-12-10T15:00:00Z");
    scheduling::reschedule_as_client(&p.ctx, &ann, id, thursday_ten).await.unwrap();
    let moved = scheduling::client_appointment(&p.ctx, &ann, id).await.unwrap();
    assert_eq!(moved.row.starts_at, thursday_ten);
    // The old time is free again.
    let slots = scheduling::client_slots(
        &p.ctx,
        &ann,
        type_id,
        provider,
        ann.time_zone,
        NaiveDate::from_ymd_opt(2026, 12, 9).unwrap(),
        1,
    )
    .await
    .unwrap();
    assert!(slots.contains(&wednesday_nine));

    // Wednesday 16:00 New York: 23 hours before, inside the 48-hour window.
    p.clock.set(utc("2026-12-09T21:00:00Z"));
    let appointment = scheduling::client_appointment(&p.ctx, &ann, id).await.unwrap();
    assert!(!appointment.may_cancel && appointment.may_reschedule);
    let error = scheduling::cancel_as_client(&p.ctx, &ann, id).await.unwrap_err();
    assert_eq!(conflict_message(error), "Please call us to cancel within two days.");

    p.clock.set(utc("2026-12-07T13:00:00Z"));
    scheduling::cancel_as_client(&p.ctx, &ann, id).await.unwrap();
    let mine = scheduling::client_appointments(&p.ctx, &ann).await.unwrap();
    assert!(mine.upcoming.is_empty());
    assert_eq!(mine.past[0].status(), AppointmentStatus::Cancelled, "a cancelled appointment stays listed");
}

#[sqlx::test(migrations = "../migrations")]
async fn nothing_crosses_clients_providers_or_practices(pool: PgPool) {
    let green = practice(&pool, "green").await;
    let blue = practice(&pool, "blue").await;
    let ann = client(&green, "Ann").await;
    let bob = client(&green, "Bob").await;
    let provider = green.owner.membership_id;
    let type_id = follow_up(&green, &[provider], RulesForm::default()).await;
    let id =
        scheduling::book_as_client(&green.ctx, &ann, type_id, provider, utc("2026-12-08T14:00:00Z")).await.unwrap();

    // Another client of the same practice.
    assert!(matches!(scheduling::client_appointment(&green.ctx, &bob, id).await, Err(Error::NotFound)));
    assert!(matches!(scheduling::cancel_as_client(&green.ctx, &bob, id).await, Err(Error::NotFound)));
    assert!(matches!(
        scheduling::reschedule_as_client(&green.ctx, &bob, id, utc("2026-12-08T16:00:00Z")).await,
        Err(Error::NotFound)
    ));
    // The owner of another practice.
    assert!(matches!(scheduling::appointment(&blue.ctx, &blue.owner, id).await, Err(Error::NotFound)));
    assert!(matches!(scheduling::delete(&blue.ctx, &blue.owner, id).await, Err(Error::NotFound)));
    assert!(matches!(
        scheduling::set_status(&blue.ctx, &blue.owner, id, AppointmentStatus::NoShow).await,
        Err(Error::NotFound)
    ));
    // Another practice's type and provider.
    let blue_client = client(&blue, "Cy").await;
    let error = scheduling::book_as_client(&blue.ctx, &blue_client, type_id, provider, utc("2026-12-08T15:00:00Z"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::NotFound), "{error:?}");
    assert!(matches!(scheduling::hours(&blue.ctx, &blue.owner, provider).await, Err(Error::NotFound)));

    // A provider of the practice without "manage scheduling for others".
    let paula =
        member(&pool, green.owner.org_id, "paula@green.example.com", Role::Provider, &[Permission::SeeAllClients])
            .await;
    assert!(matches!(scheduling::appointment(&green.ctx, &paula, id).await, Err(Error::Forbidden(_))));
    assert!(matches!(scheduling::hours(&green.ctx, &paula, provider).await, Err(Error::Forbidden(_))));
    let form = AppointmentForm {
        client_id: ann.client_id.to_string(),
        provider_id: provider.to_string(),
        type_id: type_id.to_string(),
        date: "2026-12-08".into(),
        time: "12:00".into(),
        notes: String::new(),
    };
    assert!(matches!(scheduling::book_for_client(&green.ctx, &paula, &form).await, Err(Error::Forbidden(_))));
    // With it, she may.
    let mut conn = pool.acquire().await.unwrap();
    orgs::set_permission(
        &mut conn,
        green.owner.org_id,
        paula.membership_id,
        Permission::ManageSchedulingForOthers,
        true,
    )
    .await
    .unwrap();
    let paula = orgs::load_actor(&mut conn, paula.user_id, green.owner.org_id, 1).await.unwrap().unwrap();
    assert!(scheduling::book_for_client(&green.ctx, &paula, &form).await.is_ok());
}

#[sqlx::test(migrations = "../migrations")]
async fn the_database_refuses_overlaps_and_a_cancelled_time_can_be_given_again(pool: PgPool) {
    let p = practice(&pool, "green").await;
    let ann = client(&p, "Ann").await;
    let bob = client(&p, "Bob").await;
    let provider = p.owner.membership_id;
    let type_id = follow_up(&p, &[provider], RulesForm::default()).await;
    let form = |client: &ClientActor, time: &str| AppointmentForm {
        client_id: client.client_id.to_string(),
        provider_id: provider.to_string(),
        type_id: type_id.to_string(),
        date: "2026-12-08".into(),
        time: time.into(),
        notes: String::new(),
    };
    let first = scheduling::book_for_client(&p.ctx, &p.owner, &form(&ann, "09:00")).await.unwrap();
    // 9:55 starts inside the first one's 10-minute buffer after.
    let error = scheduling::book_for_client(&p.ctx, &p.owner, &form(&bob, "09:55")).await.err().unwrap();
    assert_eq!(conflict_message(error), TAKEN);
    let late = scheduling::book_for_client(&p.ctx, &p.owner, &form(&bob, "19:00")).await.unwrap();
    assert!(late.outside_hours, "a provider may book outside the hours, with a warning");

    scheduling::set_status(&p.ctx, &p.owner, first.id, AppointmentStatus::Cancelled).await.unwrap();
    let second = scheduling::book_for_client(&p.ctx, &p.owner, &form(&bob, "09:30")).await.unwrap();
    // Taking the time back for the cancelled one now collides.
    let error = scheduling::set_status(&p.ctx, &p.owner, first.id, AppointmentStatus::Booked).await.unwrap_err();
    assert_eq!(conflict_message(error), TAKEN);
    scheduling::delete(&p.ctx, &p.owner, second.id).await.unwrap();
    scheduling::set_status(&p.ctx, &p.owner, first.id, AppointmentStatus::Booked).await.unwrap();
}

/// 200 clients press "Book" for the same slot at once: one appointment, 199 clear refusals.
#[sqlx::test(migrations = "../migrations")]
async fn two_hundred_simultaneous_bookings_of_one_slot_make_one_appointment(
    _: PgPoolOptions,
    connect: PgConnectOptions,
) {
    // Enough connections that the requests really meet in PostgreSQL.
    let pool = PgPoolOptions::new().max_connections(40).connect_with(connect).await.unwrap();
    let p = practice(&pool, "green").await;
    let provider = p.owner.membership_id;
    let type_id = follow_up(&p, &[provider], RulesForm::default()).await;
    let mut clients = Vec::new();
    for n in 0..200 {
        clients.push(client(&p, &format!("C{n}")).await);
    }
    let slot = utc("2026-12-08T14:00:00Z");
    let barrier = Arc::new(tokio::sync::Barrier::new(clients.len()));
    let tasks: Vec<_> = clients
        .into_iter()
        .map(|c| {
            let ctx = p.ctx.clone();
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                scheduling::book_as_client(&ctx, &c, type_id, provider, slot).await
            })
        })
        .collect();
    let mut booked = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => booked += 1,
            Err(error) => assert_eq!(conflict_message(error), TAKEN),
        }
    }
    assert_eq!(booked, 1);
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM appointments").fetch_one(&pool).await.unwrap();
    assert_eq!(count, 1);
    pool.close().await;
}

#[sqlx::test(migrations = "../migrations")]
async fn saved_hours_and_a_day_off_shape_the_slots(pool: PgPool) {
    let p = practice(&pool, "green").await;
    let ann = client(&p, "Ann").await;
    let provider = p.owner.membership_id;
    let type_id = follow_up(&p, &[provider], RulesForm::default()).await;
    let block = |weekday: &str, starts: &str, ends: &str| HoursForm {
        weekday: weekday.into(),
        starts: starts.into(),
        ends: ends.into(),
    };
    // Tuesday mornings only, Wednesday evenings.
    let hours = [block("2", "08:00", "10:00"), block("3", "18:00", "20:00")];
    scheduling::save_weekly_hours(&p.ctx, &p.owner, provider, &hours).await.unwrap();
    scheduling::add_date_hours(&p.ctx, &p.owner, provider, "2026-12-09", "", "", true).await.unwrap();
    let from = NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
    let zone = TimeZone::parse("America/New_York").unwrap();
    let slots = scheduling::client_slots(&p.ctx, &ann, type_id, provider, zone, from, 2).await.unwrap();
    let local: Vec<String> = slots.iter().map(|s| s.with_timezone(&zone.tz()).format("%a %H:%M").to_string()).collect();
    assert_eq!(local.first().map(String::as_str), Some("Tue 08:00"));
    assert_eq!(local.last().map(String::as_str), Some("Tue 09:00"));
    assert!(local.iter().all(|s| s.starts_with("Tue")), "Wednesday is a day off: {local:?}");

    // The practice's rules: no same-day booking, 0 notice, 30-minute slots.
    let settings = SettingsForm {
        rules: RulesForm {
            book_notice_hours: "0".into(),
            cancel_notice_hours: "0".into(),
            reschedule_notice_hours: "0".into(),
            horizon_days: "30".into(),
            slot_interval_minutes: "30".into(),
            same_day: String::new(),
            clients_may_cancel: "true".into(),
            clients_may_reschedule: "true".into(),
            ..RulesForm::default()
        },
        reminder_hours: "24, 1".into(),
        contact_phone: "555-0100".into(),
        contact_email: "desk@green.example.com".into(),
    };
    scheduling::save_settings(&p.ctx, &p.owner, &settings).await.unwrap();
    p.clock.set(utc("2026-12-08T12:00:00Z"));
    let slots = scheduling::client_slots(&p.ctx, &ann, type_id, provider, zone, from, 8).await.unwrap();
    let local: Vec<String> =
        slots.iter().map(|s| s.with_timezone(&zone.tz()).format("%m-%d %H:%M").to_string()).collect();
    assert_eq!(
        local[..3],
        ["12-15 08:00", "12-15 08:30", "12-15 09:00"],
        "today (Tuesday the 8th) is closed; Wednesday the 9th is off"
    );
}

// ---- Email, calendar events and reminders ----

/// The messages written to the outbox so far, oldest first: (to, subject, text, calendar).
async fn outbox(pool: &PgPool) -> Vec<(String, String, String, Option<String>)> {
    sqlx::query_as("SELECT to_address, subject, body_text, calendar FROM emails ORDER BY created_at, to_address LIKE '%@clients.%' DESC")
        .fetch_all(pool)
        .await
        .unwrap()
}

/// The one event of an iCalendar text, read with the `ical` crate (not our writer), as
/// (property name, value) pairs, with the calendar's METHOD first.
fn read_event(text: &str) -> Vec<(String, String)> {
    let mut reader = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
    let calendar = reader.next().expect("one calendar").expect("a calendar that parses");
    let mut properties: Vec<(String, String)> =
        calendar.properties.iter().map(|p| (p.name.clone(), p.value.clone().unwrap_or_default())).collect();
    assert_eq!(calendar.events.len(), 1);
    properties
        .extend(calendar.events[0].properties.iter().map(|p| (p.name.clone(), p.value.clone().unwrap_or_default())));
    properties
}

fn value<'a>(event: &'a [(String, String)], name: &str) -> &'a str {
    event.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()).unwrap_or_else(|| panic!("no {name} in {event:?}"))
}

async fn client_with_email(p: &Practice, first: &str) -> ClientActor {
    let mut actor = client(p, first).await;
    let email = format!("{}@clients.example.com", first.to_lowercase());
    sqlx::query("UPDATE clients SET email = $2 WHERE id = $1")
        .bind(actor.client_id)
        .bind(&email)
        .execute(&p.ctx.pool)
        .await
        .unwrap();
    actor.email = Some(email);
    actor
}

#[sqlx::test(migrations = "../migrations")]
async fn both_people_get_email_with_one_calendar_event_that_updates(pool: PgPool) {
    let p = practice(&pool, "green").await;
    let ann = client_with_email(&p, "Ann").await;
    let provider = p.owner.membership_id;
    let form = TypeForm {
        name: "Video visit".into(),
        duration_minutes: "45".into(),
        location_kind: "external_video".into(),
        client_link: "https://zoom.example/j/123?pwd=client".into(),
        host_link: "https://zoom.example/s/123?zak=host".into(),
        client_bookable: true,
        provider_ids: vec![provider.to_string()],
        ..TypeForm::default()
    };
    let type_id = scheduling::create_type(&p.ctx, &p.owner, &form).await.unwrap();
    let first = utc("2026-12-08T14:00:00Z");
    let id = scheduling::book_as_client(&p.ctx, &ann, type_id, provider, first).await.unwrap();

    let mail = outbox(&pool).await;
    assert_eq!(mail.len(), 2);
    let (to, subject, text, calendar) = &mail[0];
    assert_eq!(to, "ann@clients.example.com");
    // Ann's zone is London: 14:00 UTC is 2:00 PM GMT.
    assert_eq!(subject, "Appointment booked: Video visit, Dec 8, 2026, 2:00 PM – 2:45 PM GMT");
    assert!(text.contains("zoom.example/j/123?pwd=client") && !text.contains("zak=host"), "{text}");
    assert!(text.contains("You can cancel online up to 24 hours before it starts."));
    let event = read_event(calendar.as_deref().unwrap());
    assert_eq!(value(&event, "METHOD"), "REQUEST");
    assert_eq!(value(&event, "UID"), format!("{id}@tend"));
    assert_eq!(value(&event, "DTSTART"), "20261208T140000Z");
    assert_eq!(value(&event, "DTEND"), "20261208T144500Z");
    assert_eq!(value(&event, "SEQUENCE"), "0");
    assert!(!calendar.as_deref().unwrap().contains("zak=host"), "the host link never reaches a client");
    let (to, subject, text, calendar) = &mail[1];
    assert_eq!(to, "owner@green.example.com");
    // The owner's zone is the practice's, New York: 9:00 AM EST.
    assert_eq!(subject, "New appointment: Ann Client, Dec 8, 2026, 9:00 AM – 9:45 AM EST");
    assert!(text.contains("zak=host"));
    assert_eq!(value(&read_event(calendar.as_deref().unwrap()), "LOCATION"), "https://zoom.example/s/123?zak=host");

    let moved = utc("2026-12-09T15:00:00Z");
    scheduling::reschedule_as_client(&p.ctx, &ann, id, moved).await.unwrap();
    scheduling::cancel_as_client(&p.ctx, &ann, id).await.unwrap();
    let mail = outbox(&pool).await;
    assert_eq!(mail.len(), 6, "{:#?}", mail.iter().map(|m| &m.1).collect::<Vec<_>>());
    let moved_event = read_event(mail[2].3.as_deref().unwrap());
    assert_eq!(mail[2].1, "Appointment moved: Video visit, Dec 9, 2026, 3:00 PM – 3:45 PM GMT");
    assert_eq!(value(&moved_event, "UID"), format!("{id}@tend"));
    assert_eq!(value(&moved_event, "DTSTART"), "20261209T150000Z");
    assert_eq!(value(&moved_event, "SEQUENCE"), "1");
    let cancelled = read_event(mail[4].3.as_deref().unwrap());
    assert!(mail[4].1.starts_with("Appointment cancelled: Video visit"));
    assert_eq!(value(&cancelled, "METHOD"), "CANCEL");
    assert_eq!(value(&cancelled, "STATUS"), "CANCELLED");
    assert_eq!(value(&cancelled, "UID"), format!("{id}@tend"));
    assert_eq!(value(&cancelled, "SEQUENCE"), "2");
}

async fn reminder_jobs(pool: &PgPool) -> Vec<(String, DateTime<Utc>, String)> {
    sqlx::query_as("SELECT unique_key, run_at, status FROM jobs WHERE kind = $1 ORDER BY unique_key")
        .bind(notify::REMINDER_KIND)
        .fetch_all(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn reminders_are_sent_once_move_with_the_appointment_and_go_with_it(pool: PgPool) {
    let p = practice(&pool, "green").await;
    let ann = client_with_email(&p, "Ann").await;
    let provider = p.owner.membership_id;
    let type_id = follow_up(&p, &[provider], RulesForm::default()).await;
    let start = utc("2026-12-09T14:00:00Z");
    let id = scheduling::book_as_client(&p.ctx, &ann, type_id, provider, start).await.unwrap();
    let jobs = reminder_jobs(&pool).await;
    assert_eq!(
        jobs.iter().map(|(key, at, _)| (key.clone(), *at)).collect::<Vec<_>>(),
        [
            (format!("reminder:{id}:1440"), start - chrono::Duration::days(1)),
            (format!("reminder:{id}:60"), start - chrono::Duration::hours(1)),
        ]
    );

    // Moved: the same two jobs, at the new times.
    let later = utc("2026-12-10T16:00:00Z");
    scheduling::reschedule_as_client(&p.ctx, &ann, id, later).await.unwrap();
    let jobs = reminder_jobs(&pool).await;
    assert_eq!(jobs.len(), 2);
    assert_eq!(jobs[0].1, later - chrono::Duration::days(1));

    // Due: two workers (or one job run twice) send one reminder.
    p.clock.set(later - chrono::Duration::hours(23));
    let before = outbox(&pool).await.len();
    let worker = tend_core::jobs::standard::worker(p.ctx.clone()).unwrap();
    let other = tend_core::jobs::standard::worker(p.ctx.clone()).unwrap();
    let (a, b) = tokio::join!(worker.run_due(), other.run_due());
    a.unwrap();
    b.unwrap();
    let mail = outbox(&pool).await;
    let reminders: Vec<_> =
        mail[before..].iter().filter(|(_, subject, _, _)| subject.starts_with("Reminder:")).collect();
    assert_eq!(reminders.len(), 1, "{mail:?}");
    assert_eq!(reminders[0].1, "Reminder: Follow-up, Dec 10, 2026, 4:00 PM – 4:50 PM GMT");
    assert!(reminders[0].2.contains("You can cancel online up to 24 hours before it starts."));
    // Running the same reminder again sends nothing more.
    sqlx::query("UPDATE jobs SET status = 'pending', run_at = $1 WHERE unique_key = $2")
        .bind(tend_core::clock::Clock::now(p.clock.as_ref()))
        .bind(format!("reminder:{id}:1440"))
        .execute(&pool)
        .await
        .unwrap();
    worker.run_due().await.unwrap();
    let again = outbox(&pool).await;
    assert_eq!(again.iter().filter(|(_, s, _, _)| s.starts_with("Reminder:")).count(), 1);

    // Cancelled: the reminders still waiting are dropped.
    p.clock.set(utc("2026-12-07T13:00:00Z"));
    scheduling::set_status(&p.ctx, &p.owner, id, AppointmentStatus::Cancelled).await.unwrap();
    let left: Vec<_> = reminder_jobs(&pool).await.into_iter().filter(|(_, _, status)| status == "pending").collect();
    assert!(left.is_empty(), "{left:?}");
}

// ---- Report and calendar feed ----

#[sqlx::test(migrations = "../migrations")]
async fn the_report_counts_statuses_leaves_out_test_clients_and_respects_permissions(pool: PgPool) {
    use tend_core::scheduling::report::{self, ReportForm, ReportPage};
    let p = practice(&pool, "green").await;
    let ann = client(&p, "Ann").await;
    let bob = client(&p, "Bob").await;
    let tess = client(&p, "Tess").await;
    sqlx::query("UPDATE clients SET is_test = true WHERE id = $1").bind(tess.client_id).execute(&pool).await.unwrap();
    let provider = p.owner.membership_id;
    let type_id = follow_up(&p, &[provider], RulesForm::default()).await;
    let book = |c: &ClientActor, time: &str| AppointmentForm {
        client_id: c.client_id.to_string(),
        provider_id: provider.to_string(),
        type_id: type_id.to_string(),
        date: "2026-12-08".into(),
        time: time.into(),
        notes: String::new(),
    };
    let a = scheduling::book_for_client(&p.ctx, &p.owner, &book(&ann, "09:00")).await.unwrap();
    let b = scheduling::book_for_client(&p.ctx, &p.owner, &book(&bob, "11:00")).await.unwrap();
    scheduling::book_for_client(&p.ctx, &p.owner, &book(&tess, "13:00")).await.unwrap();
    scheduling::set_status(&p.ctx, &p.owner, a.id, AppointmentStatus::NoShow).await.unwrap();
    scheduling::set_status(&p.ctx, &p.owner, b.id, AppointmentStatus::LateCancellation).await.unwrap();

    let december = ReportForm { from: "2026-12-01".into(), to: "2026-12-31".into(), ..ReportForm::default() };
    let found = report::appointments(&p.ctx, &p.owner, &december, ReportPage::First).await.unwrap();
    assert_eq!((found.rows.len(), found.total), (2, 2), "the test client is left out");
    let count = |s: AppointmentStatus| found.counts.iter().find(|(c, _)| *c == s).unwrap().1;
    assert_eq!((count(AppointmentStatus::NoShow), count(AppointmentStatus::LateCancellation)), (1, 1));
    let csv = report::to_csv(&report::export(&p.ctx, &p.owner, &december).await.unwrap()).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "Date,Start,End,Time zone,Client,Provider,Appointment type,Status");
    assert_eq!(
        lines[1],
        "2026-12-08,09:00,09:50,America/New_York,Ann Client,owner@green.example.com,Follow-up,No-Show"
    );

    let no_shows = ReportForm { status: "no_show".into(), ..december.clone() };
    assert_eq!(report::appointments(&p.ctx, &p.owner, &no_shows, ReportPage::First).await.unwrap().rows.len(), 1);
    let backwards = ReportForm { from: "2026-12-31".into(), to: "2026-12-01".into(), ..ReportForm::default() };
    assert!(matches!(
        report::appointments(&p.ctx, &p.owner, &backwards, ReportPage::First).await,
        Err(Error::Validation(_))
    ));

    // A provider without "manage scheduling for others" sees only their own appointments.
    let paula = member(&pool, p.owner.org_id, "paula@green.example.com", Role::Provider, &[]).await;
    assert!(report::appointments(&p.ctx, &paula, &december, ReportPage::First).await.unwrap().rows.is_empty());
    let others = ReportForm { provider: provider.to_string(), ..december };
    assert!(matches!(report::appointments(&p.ctx, &paula, &others, ReportPage::First).await, Err(Error::Forbidden(_))));
}

#[sqlx::test(migrations = "../migrations")]
async fn the_report_pages_a_hundred_at_a_time_and_counts_the_whole_range(pool: PgPool) {
    use tend_core::scheduling::report::{self, PAGE_SIZE, ReportForm, ReportPage};
    let p = practice(&pool, "green").await;
    let ann = client(&p, "Ann").await;
    let type_id = follow_up(&p, &[p.owner.membership_id], RulesForm::default()).await;
    // 250 appointments an hour apart from December 1, and one in November that is not counted.
    sqlx::query(
        "INSERT INTO appointments (id, org_id, client_id, provider_id, type_id, starts_at, ends_at, busy, status,
                                   booked_by, created_at, updated_at)
         SELECT gen_random_uuid(), $1, $2, $3, $4, t, t + interval '50 minutes', tstzrange(t, t + interval '1 hour'),
                CASE WHEN n % 10 = 0 THEN 'no_show' ELSE 'occurred' END, 'provider', now(), now()
         FROM generate_series(0, 250) AS n,
              LATERAL (SELECT timestamptz '2026-12-01 05:00+00' + (n - 1) * interval '1 hour' AS t) AS at",
    )
    .bind(p.owner.org_id)
    .bind(ann.client_id)
    .bind(p.owner.membership_id)
    .bind(type_id)
    .execute(&pool)
    .await
    .unwrap();
    let december = ReportForm { from: "2026-12-01".into(), to: "2026-12-31".into(), ..ReportForm::default() };
    let page = |page| report::appointments(&p.ctx, &p.owner, &december, page);

    let first = page(ReportPage::First).await.unwrap();
    assert_eq!((first.rows.len() as i64, first.total), (PAGE_SIZE, 250));
    assert!(!first.has_previous && first.has_next);
    let count = |s: AppointmentStatus| first.counts.iter().find(|(c, _)| *c == s).unwrap().1;
    assert_eq!((count(AppointmentStatus::NoShow), count(AppointmentStatus::Occurred)), (25, 225));
    let second = page(ReportPage::After(first.rows.last().unwrap().id)).await.unwrap();
    assert!(second.has_previous && second.has_next);
    assert!(second.rows[0].starts_at > first.rows.last().unwrap().starts_at);
    let third = page(ReportPage::After(second.rows.last().unwrap().id)).await.unwrap();
    assert_eq!(third.rows.len(), 50);
    assert!(third.has_previous && !third.has_next);
    let back = page(ReportPage::Before(third.rows[0].id)).await.unwrap();
    let ids = |r: &report::Report| r.rows.iter().map(|a| a.id).collect::<Vec<_>>();
    assert_eq!(ids(&back), ids(&second));
    assert!(back.has_previous && back.has_next);
    let back_to_first = page(ReportPage::Before(second.rows[0].id)).await.unwrap();
    assert_eq!(ids(&back_to_first), ids(&first));
    assert!(!back_to_first.has_previous);
    assert_eq!(report::export(&p.ctx, &p.owner, &december).await.unwrap().rows.len(), 250);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_calendar_feed_holds_the_providers_appointments_until_reset(pool: PgPool) {
    use tend_core::scheduling::feed;
    let p = practice(&pool, "green").await;
    let ann = client(&p, "Ann").await;
    let provider = p.owner.membership_id;
    let type_id = follow_up(&p, &[provider], RulesForm::default()).await;
    let id = scheduling::book_as_client(&p.ctx, &ann, type_id, provider, utc("2026-12-08T14:00:00Z")).await.unwrap();

    assert_eq!(feed::address_of(&p.ctx, &p.owner, provider).await.unwrap(), None);
    let address = feed::reset(&p.ctx, &p.owner, provider).await.unwrap();
    let token = address.rsplit('/').next().unwrap().trim_end_matches(".ics").to_owned();
    let text = feed::calendar(&p.ctx, &token).await.unwrap();
    let mut reader = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
    let calendar = reader.next().unwrap().unwrap();
    assert_eq!(calendar.events.len(), 1);
    let event: Vec<(String, String)> =
        calendar.events[0].properties.iter().map(|p| (p.name.clone(), p.value.clone().unwrap_or_default())).collect();
    assert_eq!(value(&event, "UID"), format!("{id}@tend"));
    assert_eq!(value(&event, "DTSTART"), "20261208T140000Z");
    assert_eq!(value(&event, "SUMMARY"), "Follow-up with Ann Client");

    // Reset: the old address stops working at once.
    let newer = feed::reset(&p.ctx, &p.owner, provider).await.unwrap();
    assert_ne!(newer, address);
    assert!(matches!(feed::calendar(&p.ctx, &token).await, Err(Error::NotFound)));
    assert!(matches!(feed::calendar(&p.ctx, "../../etc/passwd").await, Err(Error::NotFound)));
    // Another provider's feed needs the permission.
    let paula = member(&pool, p.owner.org_id, "paula@green.example.com", Role::Provider, &[]).await;
    assert!(matches!(feed::reset(&p.ctx, &paula, provider).await, Err(Error::Forbidden(_))));
}

// ---- The public booking page ----

fn visitor(first: &str, email: &str) -> public::VisitorForm {
    public::VisitorForm {
        first_name: first.into(),
        last_name: "Visitor".into(),
        email: email.into(),
        phone: "+1 312 555 0142".into(),
        time_zone: "America/Chicago".into(),
    }
}

const TUESDAY_9_NEW_YORK: &str = "2026-12-08T14:00:00Z";

async fn book_publicly(
    p: &Practice,
    type_id: Uuid,
    form: &public::VisitorForm,
    at: &str,
    address: &str,
) -> Result<(), Error> {
    let request = public::Request { type_id, provider_id: p.owner.membership_id, starts_at: utc(at) };
    public::book_as_visitor(&p.ctx, "green", form, request, address).await
}

fn invitation_token(text: &str) -> String {
    let start = text.find("/p/green/welcome?token=").expect("an invitation link") + "/p/green/welcome?token=".len();
    text[start..].split_whitespace().next().unwrap().to_owned()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_new_person_books_on_the_public_page_and_is_invited_to_the_portal(pool: PgPool) {
    let p = practice(&pool, "green").await;
    let provider = p.owner.membership_id;
    let type_id = follow_up(&p, &[provider], RulesForm::default()).await;
    let offer = public::choices(&p.ctx, "green").await.unwrap();
    assert_eq!(offer.choices.types.iter().map(|t| t.id).collect::<Vec<_>>(), [type_id]);
    let chicago = TimeZone::parse("America/Chicago").unwrap();
    let tuesday = NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
    let slots = public::slots(&p.ctx, offer.practice.id, type_id, provider, chicago, tuesday, 1).await.unwrap();
    assert_eq!(slots.first(), Some(&utc(TUESDAY_9_NEW_YORK)));

    book_publicly(&p, type_id, &visitor("Nora", "Nora@Example.com"), TUESDAY_9_NEW_YORK, "203.0.113.9").await.unwrap();

    let (client_id, primary, zone, phone): (Uuid, Option<Uuid>, String, Option<String>) = sqlx::query_as(
        "SELECT id, primary_provider_id, time_zone, phone FROM clients WHERE email = 'nora@example.com'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (primary, zone.as_str(), phone.as_deref()),
        (Some(provider), "America/Chicago", Some("+1 312 555 0142"))
    );
    let (starts_at, booked_by): (DateTime<Utc>, String) =
        sqlx::query_as("SELECT starts_at, booked_by FROM appointments WHERE client_id = $1")
            .bind(client_id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((starts_at, booked_by.as_str()), (utc(TUESDAY_9_NEW_YORK), "public"));
    let after = public::slots(&p.ctx, offer.practice.id, type_id, provider, chicago, tuesday, 1).await.unwrap();
    assert!(!after.contains(&utc(TUESDAY_9_NEW_YORK)));

    let mail = outbox(&pool).await;
    let subjects: Vec<(&str, &str)> = mail.iter().map(|m| (m.0.as_str(), m.1.as_str())).collect();
    assert_eq!(
        subjects,
        [
            ("nora@example.com", "Appointment booked: Follow-up, Dec 8, 2026, 8:00 AM – 8:50 AM CST"),
            ("owner@green.example.com", "New appointment: Nora Visitor, Dec 8, 2026, 9:00 AM – 9:50 AM EST"),
            ("nora@example.com", "green invites you to your client portal"),
        ]
    );
    assert_eq!(value(&read_event(mail[0].3.as_deref().unwrap()), "DTSTART"), "20261208T140000Z");
    let invitation = &mail[2].2;
    assert!(
        invitation.contains(
            "Thank you for booking Follow-up with owner@green.example.com, Dec 8, 2026, 8:00 AM – 8:50 AM CST."
        ),
        "{invitation}"
    );
    let token = invitation_token(invitation);
    let signed_in = tend_core::clients::service::accept_portal_invitation(
        &p.ctx,
        "green",
        &token,
        "a long enough passphrase",
        "203.0.113.9",
    )
    .await
    .unwrap();
    assert_eq!(signed_in.client_id, client_id);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_clients_email_books_nothing_and_that_client_is_asked_to_log_in(pool: PgPool) {
    let p = practice(&pool, "green").await;
    let ann = client_with_email(&p, "Ann").await;
    let type_id = follow_up(&p, &[p.owner.membership_id], RulesForm::default()).await;
    sqlx::query("UPDATE organizations SET contact_phone = '312 555 0100'").execute(&pool).await.unwrap();

    // The same answer as a new person gets: Ok, and nothing on the page tells them apart.
    let form = visitor("Someone", "ANN@clients.example.com");
    book_publicly(&p, type_id, &form, TUESDAY_9_NEW_YORK, "203.0.113.9").await.unwrap();
    let counts: (i64, i64) =
        sqlx::query_as("SELECT (SELECT count(*) FROM clients), (SELECT count(*) FROM appointments)")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(counts, (1, 0), "no client added, nothing booked");
    let mail = outbox(&pool).await;
    assert_eq!(mail.len(), 1);
    let (to, subject, text, calendar) = &mail[0];
    assert_eq!((to.as_str(), subject.as_str()), ("ann@clients.example.com", "Booking with green: please log in"));
    assert!(text.starts_with("Hello Ann,"), "their name on file, not what was typed: {text}");
    assert!(text.contains("so nothing was booked") && text.contains("Please contact green to book (312 555 0100)."));
    assert!(!text.contains("token=") && calendar.is_none());

    // With a portal login, the email leads to it.
    let mut conn = pool.acquire().await.unwrap();
    let user_id = users::insert_user(&mut conn, "ann@clients.example.com", "Ann Client", None, None).await.unwrap();
    clients::link_login(&mut conn, ann.org_id, ann.client_id, user_id).await.unwrap();
    book_publicly(&p, type_id, &form, TUESDAY_9_NEW_YORK, "203.0.113.9").await.unwrap();
    let text = &outbox(&pool).await[1].2;
    assert!(text.contains("Log in to your client portal to book: ") && text.contains("/p/green/login"), "{text}");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_public_page_checks_fields_times_the_switch_and_the_mail_limits(pool: PgPool) {
    let mut p = practice(&pool, "green").await;
    let type_id = follow_up(&p, &[p.owner.membership_id], RulesForm::default()).await;
    let address = "203.0.113.9";

    let empty = public::VisitorForm { time_zone: "America/Chicago".into(), ..public::VisitorForm::default() };
    match book_publicly(&p, type_id, &empty, TUESDAY_9_NEW_YORK, address).await {
        Err(Error::Validation(fields)) => {
            let mut names: Vec<&str> = fields.0.iter().map(|(f, _)| f.as_str()).collect();
            names.sort_unstable();
            assert_eq!(names, ["email", "first_name", "last_name", "phone"]);
        }
        other => panic!("expected field errors, got {other:?}"),
    }
    let monday_noon = "2026-12-07T17:00:00Z";
    let error = book_publicly(&p, type_id, &visitor("Nora", "nora@example.com"), monday_noon, address).await;
    assert_eq!(conflict_message(error.unwrap_err()), NOT_OPEN, "inside the notice window");
    book_publicly(&p, type_id, &visitor("Nora", "nora@example.com"), TUESDAY_9_NEW_YORK, address).await.unwrap();
    let error = book_publicly(&p, type_id, &visitor("Omar", "omar@example.com"), TUESDAY_9_NEW_YORK, address).await;
    assert_eq!(conflict_message(error.unwrap_err()), TAKEN);
    let request = public::Request { type_id, provider_id: p.owner.membership_id, starts_at: utc(TUESDAY_9_NEW_YORK) };
    let omar = visitor("Omar", "o@example.com");
    let error = public::book_as_visitor(&p.ctx, "no-such-practice", &omar, request, address).await;
    assert!(matches!(error, Err(Error::NotFound)));

    // Per address: three an hour here; the fourth is refused, and another address goes on.
    let settings =
        Settings::from_lookup(|key| (key == "TEND_MAIL_PER_ADDRESS_PER_HOUR").then(|| "3".to_owned())).unwrap();
    p.ctx = Context::with_clock(pool.clone(), Arc::new(settings), p.clock.clone());
    let times = ["2026-12-08T15:00:00Z", "2026-12-08T16:00:00Z", "2026-12-08T17:00:00Z", "2026-12-08T18:00:00Z"];
    for (n, at) in times.iter().enumerate().take(2) {
        book_publicly(&p, type_id, &visitor("Pat", &format!("pat{n}@example.com")), at, address).await.unwrap();
    }
    let error = book_publicly(&p, type_id, &visitor("Pat", "pat3@example.com"), times[2], address).await;
    assert!(matches!(error, Err(Error::MailLimited)), "{error:?}");
    book_publicly(&p, type_id, &visitor("Pat", "pat3@example.com"), times[2], "198.51.100.7").await.unwrap();
    // Per email (five an hour): Nora has one; four more from anywhere, then no more.
    for n in 0..4 {
        book_publicly(&p, type_id, &visitor("Nora", "nora@example.com"), times[3], &format!("192.0.2.{n}"))
            .await
            .unwrap();
    }
    let error = book_publicly(&p, type_id, &visitor("Nora", "nora@example.com"), times[3], "192.0.2.99").await;
    assert!(matches!(error, Err(Error::MailLimited)), "{error:?}");
    let appointments: i64 = sqlx::query_scalar("SELECT count(*) FROM appointments").fetch_one(&pool).await.unwrap();
    assert_eq!(appointments, 4, "Nora, two Pats and the third Pat; Nora's later requests booked nothing");

    scheduling::set_portal_booking(&p.ctx, &p.owner, false).await.unwrap();
    let error = book_publicly(&p, type_id, &visitor("Quinn", "quinn@example.com"), times[3], "192.0.2.200").await;
    assert!(conflict_message(error.unwrap_err()).starts_with("Online booking is switched off"));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_months_calendar_reads_the_first_of_each_day_in_the_members_zone_and_counts_them_all(pool: PgPool) {
    let p = practice(&pool, "green").await;
    let ann = client(&p, "Ann").await;
    let provider = p.owner.membership_id;
    let type_id = follow_up(&p, &[provider], RulesForm::default()).await;
    // Seven on December 8 in New York, the owner's zone: six from 9:00, and one at 21:00, which
    // is December 9 in UTC. One on December 10.
    sqlx::query(
        "INSERT INTO appointments (id, org_id, client_id, provider_id, type_id, starts_at, ends_at, busy, status,
                                   booked_by, created_at, updated_at)
         SELECT gen_random_uuid(), $1, $2, $3, $4, t, t + interval '50 minutes', tstzrange(t, t + interval '1 hour'),
                'booked', 'provider', now(), now()
         FROM unnest(ARRAY['2026-12-08 14:00+00', '2026-12-08 15:00+00', '2026-12-08 16:00+00', '2026-12-08 17:00+00',
                           '2026-12-08 18:00+00', '2026-12-08 19:00+00', '2026-12-09 02:00+00',
                           '2026-12-10 15:00+00']::timestamptz[]) AS t",
    )
    .bind(p.owner.org_id)
    .bind(ann.client_id)
    .bind(provider)
    .bind(type_id)
    .execute(&pool)
    .await
    .unwrap();
    let at = |s: &str| s.parse::<chrono::DateTime<chrono::Utc>>().unwrap();
    let (from, to) = (at("2026-12-01T05:00:00Z"), at("2027-01-01T05:00:00Z"));

    let (rows, totals) = scheduling::calendar_month(&p.ctx, &p.owner, &[provider], from, to, 4).await.unwrap();
    let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
    assert_eq!(totals.into_iter().collect::<Vec<_>>(), vec![(day(8), 7), (day(10), 1)]);
    let starts: Vec<_> = rows.iter().map(|r| r.starts_at).collect();
    assert_eq!(
        starts,
        [
            "2026-12-08T14:00:00Z",
            "2026-12-08T15:00:00Z",
            "2026-12-08T16:00:00Z",
            "2026-12-08T17:00:00Z",
            "2026-12-10T15:00:00Z"
        ]
        .map(at)
    );

    // Another provider's month needs "manage scheduling for others".
    let paula = member(&pool, p.owner.org_id, "paula@green.example.com", Role::Provider, &[]).await;
    assert!(matches!(
        scheduling::calendar_month(&p.ctx, &paula, &[provider], from, to, 4).await,
        Err(Error::Forbidden(_))
    ));
}
