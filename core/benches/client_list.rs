//! How fast the client list is with 10,000 clients: one page, a deep page, a search, and a
//! provider's own list. Prints p50/p99 per query; never asserts a time.
//!
//! `DATABASE_URL=postgres://postgres@127.0.0.1:55433/postgres cargo bench -p tend-core --bench client_list`
//! (scripts/bench starts the private cluster and sets it).

mod support;

use sqlx::PgPool;
use tend_core::{
    Actor,
    clients::{
        repo::PageStart,
        service::{self, PageAt},
    },
    orgs::{Permission, Role},
};
use uuid::Uuid;

const CLIENTS: i64 = 10_000;
const RUNS: usize = 300;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    support::with_database("tend_bench", |url| async move { run(&url).await }).await
}

async fn run(url: &str) -> anyhow::Result<()> {
    let pool = tend_core::db::connect(url).await?;
    tend_core::db::migrate(&pool).await?;
    let (owner, provider) = seed(&pool).await?;
    let settings = std::sync::Arc::new(tend_core::settings::Settings::from_lookup(|_| None)?);
    let ctx = tend_core::Context::new(pool.clone(), settings);
    let pool = &ctx;
    println!("client list with {CLIENTS} clients, {RUNS} runs each (server-side time of one service call):");
    let at = PageAt::number;
    measure("page 1, everyone", || service::list_clients(pool, &owner, "", false, at(1))).await?;
    measure("page 200 by number (OFFSET)", || service::list_clients(pool, &owner, "", false, at(200))).await?;
    // What the "Next" link of page 199 asks for.
    let page_199 = service::list_clients(pool, &owner, "", false, at(199)).await?;
    let after = PageStart::After(page_199.rows.last().expect("page 199 has rows").id);
    let next = PageAt { number: 200, start: Some(after) };
    measure("page 200 after page 199 (keyset)", || service::list_clients(pool, &owner, "", false, next)).await?;
    measure("search \"ann\"", || service::list_clients(pool, &owner, "ann", false, at(1))).await?;
    measure("search an email", || service::list_clients(pool, &owner, "client4242@", false, at(1))).await?;
    measure("page 1, one provider's clients", || service::list_clients(pool, &provider, "", false, at(1))).await?;
    Ok(())
}

async fn measure<F, Fut, T>(label: &str, call: F) -> anyhow::Result<()>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = tend_core::Result<T>>,
{
    let (p50, p99) = support::p50_p99(RUNS, call).await?;
    println!("  {label:<34} p50 {p50:>7.3} ms   p99 {p99:>7.3} ms");
    Ok(())
}

/// One practice, an owner and a provider, and CLIENTS clients split between them.
async fn seed(pool: &PgPool) -> anyhow::Result<(Actor, Actor)> {
    let org_id = Uuid::new_v4();
    let mut tx = pool.begin().await?;
    sqlx::query("INSERT INTO organizations (id, name, slug, time_zone) VALUES ($1, 'Bench', 'bench', 'UTC')")
        .bind(org_id)
        .execute(&mut *tx)
        .await?;
    let mut actors = Vec::new();
    for (n, role) in [(0, Role::Owner), (1, Role::Provider)] {
        let user_id = Uuid::new_v4();
        let membership_id = Uuid::new_v4();
        sqlx::query("INSERT INTO users (id, email, full_name) VALUES ($1, $2, 'Member')")
            .bind(user_id)
            .bind(format!("member{n}@bench.test"))
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO memberships (id, org_id, user_id, role) VALUES ($1, $2, $3, $4)")
            .bind(membership_id)
            .bind(org_id)
            .bind(user_id)
            .bind(role.as_str())
            .execute(&mut *tx)
            .await?;
        actors.push(Actor {
            user_id,
            membership_id,
            full_name: "Member".into(),
            email: format!("member{n}@bench.test"),
            org_id,
            org_name: "Bench".into(),
            org_slug: "bench".into(),
            org_time_zone: tend_core::clock::TimeZone::UTC,
            time_zone: tend_core::clock::TimeZone::UTC,
            role,
            permissions: if role == Role::Owner { Permission::ALL.to_vec() } else { vec![] },
        });
    }
    let firsts = "{Ann,Ben,Cara,Dev,Eli,Fay,Gus,Hana,Ivan,Joy,Kai,Lena,Milo,Nia,Omar,Pia}";
    let lasts = "{Smith,Lopez,Chen,Okafor,Berg,Kim,Novak,Haddad,Moreau,Rossi,Singh,Walsh}";
    sqlx::query(
        "INSERT INTO clients (id, org_id, first_name, last_name, email, time_zone, primary_provider_id)
         SELECT gen_random_uuid(), $1,
                ($3::text[])[1 + n % 16], ($4::text[])[1 + (n / 16) % 12] || n,
                'client' || n || '@bench.test', 'UTC',
                CASE WHEN n % 2 = 0 THEN $5 ELSE $6 END
         FROM generate_series(1, $2) AS n",
    )
    .bind(org_id)
    .bind(CLIENTS)
    .bind(firsts)
    .bind(lasts)
    .bind(actors[0].membership_id)
    .bind(actors[1].membership_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    sqlx::query("ANALYZE clients").execute(pool).await?;
    let provider = actors.pop().expect("provider");
    let owner = actors.pop().expect("owner");
    Ok((owner, provider))
}
