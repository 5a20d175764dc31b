//! What the benchmarks share: a database of their own, and the p50/p99 of a call.

use std::time::{Duration, Instant};

use sqlx::{Connection, Executor, PgConnection};

/// Creates a database named `{prefix}_{pid}` next to `DATABASE_URL`'s, hands its URL to `run`,
/// and drops it afterwards (TEND_BENCH_KEEP=1 keeps it for EXPLAIN ANALYZE).
pub async fn with_database<F, Fut>(prefix: &str, run: F) -> anyhow::Result<()>
where
    F: FnOnce(String) -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    let admin_url = std::env::var("DATABASE_URL").expect("DATABASE_URL of a PostgreSQL you may create databases on");
    let database = format!("{prefix}_{}", std::process::id());
    let mut admin = PgConnection::connect(&admin_url).await?;
    admin.execute(format!("CREATE DATABASE {database}").as_str()).await?;
    let url = match admin_url.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{database}"),
        None => anyhow::bail!("DATABASE_URL has no database name"),
    };
    let result = run(url).await;
    if std::env::var("TEND_BENCH_KEEP").is_ok() {
        println!("kept {database}");
    } else {
        admin.execute(format!("DROP DATABASE {database} WITH (FORCE)").as_str()).await?;
    }
    result
}

/// The p50 and p99, in milliseconds, of `runs` calls after a few to warm up.
pub async fn p50_p99<F, Fut, T>(runs: usize, call: F) -> anyhow::Result<(f64, f64)>
where
    F: Fn() -> Fut,
    Fut: Future<Output = tend_core::Result<T>>,
{
    for _ in 0..10 {
        call().await?;
    }
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        call().await?;
        times.push(started.elapsed());
    }
    times.sort();
    let p = |q: f64| times[((times.len() as f64 - 1.0) * q) as usize].as_secs_f64() * 1000.0;
    Ok((p(0.5), p(0.99)))
}
