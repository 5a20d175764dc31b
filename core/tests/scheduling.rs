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
        AppointmentStatus, RulesForm, TAKEN, TypeForm,
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
