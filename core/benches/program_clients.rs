//! How a program with 2,000 clients (all through one group) holds up: the Clients tab's first
//! and last page, a search, and one client's program and module pages. Prints p50/p99 of one
//! service call and how many SQL statements it ran (the same for 20 clients or 2,000: no
//! query per row); never asserts a time.
//!
//! `DATABASE_URL=postgres://postgres@127.0.0.1:55433/postgres cargo bench -p tend-core --bench program_clients`
//! (scripts/bench starts the private cluster and sets it).

#[path = "support/statements.rs"]
mod statements;
mod support;

use sqlx::PgPool;
use tend_core::{
    Actor,
    orgs::{Permission, Role},
    portal::ClientActor,
    programs::service,
};
use uuid::Uuid;

const CLIENTS: i64 = 2_000;
const MODULES: i64 = 12;
const RUNS: usize = 200;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    statements::start_counting()?;
    support::with_database("tend_bench_programs", |url| async move { run(&url).await }).await
}

async fn run(url: &str) -> anyhow::Result<()> {
    let pool = tend_core::db::connect(url).await?;
    tend_core::db::migrate(&pool).await?;
    let seeded = seed(&pool).await?;
    let settings = std::sync::Arc::new(tend_core::settings::Settings::from_lookup(|_| None)?);
    let ctx = tend_core::Context::new(pool.clone(), settings);
    let (ctx, owner, client, program, module) = (&ctx, &seeded.owner, &seeded.client, seeded.program, seeded.module);
    let last_page = (CLIENTS as usize).div_ceil(service::CLIENTS_PAGE_SIZE);
    println!(
        "a program with {CLIENTS} clients through one group and {MODULES} modules, {RUNS} runs each \
         (server-side time of one service call, and the SQL statements it ran):"
    );
    measure("Clients tab, page 1", || service::clients_tab(ctx, owner, program, "", 1)).await?;
    measure(&format!("Clients tab, page {last_page}"), || service::clients_tab(ctx, owner, program, "", last_page))
        .await?;
    measure("Clients tab, search \"ann\"", || service::clients_tab(ctx, owner, program, "ann", 1)).await?;
    measure("a client's program page", || service::client_program(ctx, client, program)).await?;
    measure("a client's module page", || service::client_module(ctx, client, module)).await?;
    Ok(())
}

async fn measure<F, Fut, T>(label: &str, call: F) -> anyhow::Result<()>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = tend_core::Result<T>>,
{
    let (_, statements) = statements::count(&call).await?;
    let (p50, p99) = support::p50_p99(RUNS, call).await?;
    println!("  {label:<32} p50 {p50:>7.3} ms   p99 {p99:>7.3} ms   {statements} statements");
    Ok(())
}

struct Seeded {
    owner: Actor,
    client: ClientActor,
    program: Uuid,
    module: Uuid,
}

/// One practice and its owner, CLIENTS clients in one group, a rolling program of MODULES
/// modules (one a day) that the group joined 30 days ago, and each client's first three
/// modules completed.
async fn seed(pool: &PgPool) -> anyhow::Result<Seeded> {
    let (org_id, user_id, membership_id) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
    let (group_id, program_id) = (Uuid::new_v4(), Uuid::new_v4());
    let mut tx = pool.begin().await?;
    sqlx::query("INSERT INTO organizations (id, name, slug, time_zone) VALUES ($1, 'Bench', 'bench', 'UTC')")
        .bind(org_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO users (id, email, full_name) VALUES ($1, 'owner@bench.test', 'Owner')")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO memberships (id, org_id, user_id, role) VALUES ($1, $2, $3, 'owner')")
        .bind(membership_id)
        .bind(org_id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO client_groups (id, org_id, name) VALUES ($1, $2, 'Spring cohort')")
        .bind(group_id)
        .bind(org_id)
        .execute(&mut *tx)
        .await?;
    let firsts = "{Ann,Ben,Cara,Dev,Eli,Fay,Gus,Hana,Ivan,Joy,Kai,Lena,Milo,Nia,Omar,Pia}";
    let lasts = "{Smith,Lopez,Chen,Okafor,Berg,Kim,Novak,Haddad,Moreau,Rossi,Singh,Walsh}";
    sqlx::query(
        "INSERT INTO clients (id, org_id, first_name, last_name, email, time_zone, primary_provider_id, group_id,
                              group_joined_at)
         SELECT gen_random_uuid(), $1, ($3::text[])[1 + n % 16], ($4::text[])[1 + (n / 16) % 12] || n,
                'client' || n || '@bench.test', 'UTC', $5, $6, now() - interval '40 days'
         FROM generate_series(1, $2) AS n",
    )
    .bind(org_id)
    .bind(CLIENTS)
    .bind(firsts)
    .bind(lasts)
    .bind(membership_id)
    .bind(group_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO programs (id, org_id, title, kind, status, created_at, updated_at)
         VALUES ($1, $2, 'Reset', 'rolling', 'active', now(), now())",
    )
    .bind(program_id)
    .bind(org_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO program_modules (id, org_id, program_id, position, kind, title, body, release_day, release_time)
         SELECT gen_random_uuid(), $1, $2, n, 'lesson', 'Week ' || n, '# Week ' || n || E'\n\nEat **more** greens.',
                n * 3, '09:00'
         FROM generate_series(0, $3 - 1) AS n",
    )
    .bind(org_id)
    .bind(program_id)
    .bind(MODULES)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO program_enrollments (id, org_id, program_id, group_id, start_date, created_at)
         VALUES (gen_random_uuid(), $1, $2, $3, current_date - 30, now())",
    )
    .bind(org_id)
    .bind(program_id)
    .bind(group_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO module_completions (client_id, module_id, completed_at)
         SELECT c.id, m.id, now() - interval '1 day' FROM clients c
         JOIN program_modules m ON m.program_id = $1 AND m.position < 3
         WHERE c.org_id = $2",
    )
    .bind(program_id)
    .bind(org_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    sqlx::query("ANALYZE").execute(pool).await?;
    let (client_id, first_name, last_name): (Uuid, String, String) =
        sqlx::query_as("SELECT id, first_name, last_name FROM clients WHERE org_id = $1 ORDER BY last_name LIMIT 1")
            .bind(org_id)
            .fetch_one(pool)
            .await?;
    let module: Uuid = sqlx::query_scalar("SELECT id FROM program_modules WHERE program_id = $1 AND position = 2")
        .bind(program_id)
        .fetch_one(pool)
        .await?;
    let zone = tend_core::clock::TimeZone::UTC;
    Ok(Seeded {
        owner: Actor {
            user_id,
            membership_id,
            full_name: "Owner".into(),
            email: "owner@bench.test".into(),
            org_id,
            org_name: "Bench".into(),
            org_slug: "bench".into(),
            org_time_zone: zone,
            time_zone: zone,
            role: Role::Owner,
            permissions: Permission::ALL.to_vec(),
        },
        client: ClientActor {
            client_id,
            user_id: Uuid::new_v4(),
            org_id,
            first_name,
            last_name,
            email: None,
            phone: None,
            time_zone: zone,
            provider_name: None,
            is_test: false,
        },
        program: program_id,
        module,
    })
}
