//! Counting the SQL statements a call runs: sqlx reports each as a `sqlx::query` tracing event.
//! Included by the benchmarks that print a statement count (`#[path]`, so the others do not
//! carry it unused).

use std::sync::atomic::{AtomicUsize, Ordering};

use tracing_subscriber::{Layer, filter::filter_fn, layer::SubscriberExt};

static STATEMENTS: AtomicUsize = AtomicUsize::new(0);

struct CountStatements;

impl<S: tracing::Subscriber> Layer<S> for CountStatements {
    fn on_event(&self, _event: &tracing::Event<'_>, _ctx: tracing_subscriber::layer::Context<'_, S>) {
        STATEMENTS.fetch_add(1, Ordering::Relaxed);
    }
}

/// Installs the counter as the process's subscriber; call once at the start of `main`.
pub fn start_counting() -> anyhow::Result<()> {
    let counting = CountStatements.with_filter(filter_fn(|meta| meta.target() == "sqlx::query"));
    tracing::subscriber::set_global_default(tracing_subscriber::registry().with(counting))?;
    Ok(())
}

/// The statements `call` ran.
pub async fn count<F, Fut, T>(call: F) -> anyhow::Result<(T, usize)>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = tend_core::Result<T>>,
{
    STATEMENTS.store(0, Ordering::Relaxed);
    let value = call().await?;
    Ok((value, STATEMENTS.load(Ordering::Relaxed)))
}
