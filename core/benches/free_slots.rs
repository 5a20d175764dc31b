//! Free slots for a busy provider: a year of appointments (about eight a weekday), among 200
//! other providers of the practice with a year of their own. Prints p50/p99 of computing 30
//! days of free slots for a client (the service call behind the portal's booking page) and
//! the SQL statements it ran; never asserts a time.
//!
//! `DATABASE_URL=postgres://postgres@127.0.0.1:55433/postgres cargo bench -p tend-core --bench free_slots`
//! (scripts/bench starts the private cluster and sets it).

#[path = "support/statements.rs"]
mod statements;
mod support;

use chrono::{Duration, Utc};
use sqlx::PgPool;
use tend_core::{clock::TimeZone, portal::ClientActor, scheduling::service};
use uuid::Uuid;

const OTHER_PROVIDERS: i64 = 200;
const RUNS: usize = 300;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    statements::start_counting()?;
    support::with_database("tend_bench_slots", |url| async move { run(&url).await }).await
}

async fn run(url: &str) -> anyhow::Result<()> {
    let pool = tend_core::db::connect(url).await?;
    tend_core::db::migrate(&pool).await?;
    let (client, type_id, provider) = seed(&pool).await?;
    let appointments: i64 = sqlx::query_scalar("SELECT count(*) FROM appointments").fetch_one(&pool).await?;
    let settings = std::sync::Arc::new(tend_core::settings::Settings::from_lookup(|_| None)?);
    let ctx = tend_core::Context::new(pool.clone(), settings);
    let zone = TimeZone::parse("America/Chicago").map_err(anyhow::Error::msg)?;
    let from = zone.date_at(Utc::now()) + Duration::days(2);
    let call = || service::client_slots(&ctx, &client, type_id, provider, zone, from, 30);
    let (slots, statements) = statements::count(call).await?;
    let (p50, p99) = support::p50_p99(RUNS, call).await?;
    println!(
        "free slots, 30 days, one provider with a year of bookings among {OTHER_PROVIDERS} others \
         ({appointments} appointments in all), {RUNS} runs:"
    );
    println!("  {} free slots   p50 {p50:>7.3} ms   p99 {p99:>7.3} ms   {statements} statements", slots.len());
    Ok(())
}

/// A practice in Chicago, its owner (the busy provider), 200 more providers, a 50-minute type
/// with 10-minute buffers, one client, and for every provider a year of appointments: eight a
/// weekday on the hour from 9:00, every third one left free.
async fn seed(pool: &PgPool) -> anyhow::Result<(ClientActor, Uuid, Uuid)> {
    let (org_id, type_id, client_id) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO organizations (id, name, slug, time_zone) VALUES ($1, 'Bench', 'bench', 'America/Chicago')",
    )
    .bind(org_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO users (id, email, full_name)
         SELECT gen_random_uuid(), 'provider' || n || '@bench.test', 'Provider ' || n FROM generate_series(0, $1) AS n",
    )
    .bind(OTHER_PROVIDERS)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO memberships (id, org_id, user_id, role)
         SELECT gen_random_uuid(), $1, id, CASE WHEN email = 'provider0@bench.test' THEN 'owner' ELSE 'provider' END
         FROM users WHERE email LIKE '%@bench.test'",
    )
    .bind(org_id)
    .execute(&mut *tx)
    .await?;
    let provider: Uuid = sqlx::query_scalar(
        "SELECT m.id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = 'provider0@bench.test'",
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO appointment_types (id, org_id, name, duration_minutes, location_kind, buffer_after_minutes, created_at)
         VALUES ($1, $2, 'Follow-up', 50, 'phone', 10, now())",
    )
    .bind(type_id)
    .bind(org_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO appointment_type_providers (org_id, type_id, provider_id)
         SELECT $1, $2, id FROM memberships WHERE org_id = $1",
    )
    .bind(org_id)
    .bind(type_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO clients (id, org_id, first_name, last_name, time_zone) VALUES ($1, $2, 'Ann', 'Lee', 'America/Chicago')",
    )
    .bind(client_id)
    .bind(org_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO appointments (id, org_id, client_id, provider_id, type_id, starts_at, ends_at, busy, booked_by,
                                   created_at, updated_at)
         SELECT gen_random_uuid(), $1, $2, m.id, $3, s, s + interval '50 minutes', tstzrange(s, s + interval '60 minutes'),
                'provider', now(), now()
         FROM memberships m,
              generate_series(date_trunc('day', now() AT TIME ZONE 'America/Chicago') - interval '180 days',
                              date_trunc('day', now() AT TIME ZONE 'America/Chicago') + interval '185 days',
                              interval '1 day') AS d,
              generate_series(0, 7) AS h,
              LATERAL (SELECT (d + make_interval(hours => 9 + h)) AT TIME ZONE 'America/Chicago' AS s) AS start
         WHERE m.org_id = $1 AND extract(isodow FROM d) < 6 AND h % 3 <> 2",
    )
    .bind(org_id)
    .bind(client_id)
    .bind(type_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    sqlx::query("ANALYZE").execute(pool).await?;
    let zone = TimeZone::parse("America/Chicago").map_err(anyhow::Error::msg)?;
    let client = ClientActor {
        client_id,
        user_id: Uuid::new_v4(),
        org_id,
        first_name: "Ann".into(),
        last_name: "Lee".into(),
        email: None,
        phone: None,
        time_zone: zone,
        provider_name: None,
        is_test: false,
    };
    Ok((client, type_id, provider))
}
