//! Starts one instance: background workers and the HTTP server, stopped together.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use leptos::prelude::LeptosOptions;
use sqlx::PgPool;
use tend_core::sessions::PgSessionStore;
use tend_core::{email::worker, settings::Settings};
use tokio::{net::TcpListener, task::JoinHandle};
use tokio_util::sync::CancellationToken;

use crate::router;

/// A running instance. Cancel `shutdown` and `wait` to stop it gracefully.
pub struct Instance {
    pub local_addr: SocketAddr,
    pub shutdown: CancellationToken,
    tasks: Vec<JoinHandle<()>>,
}

impl Instance {
    /// Waits until in-flight requests and the current background work have finished.
    pub async fn wait(self) {
        for task in self.tasks {
            let _ = task.await;
        }
    }
}

pub async fn launch(
    settings: Arc<Settings>,
    pool: PgPool,
    leptos_options: LeptosOptions,
    listener: TcpListener,
) -> anyhow::Result<Instance> {
    let shutdown = CancellationToken::new();
    let mailer = worker::Mailer::from_settings(&settings)?;
    let app = router::build(settings, pool.clone(), leptos_options).await?;
    let local_addr = listener.local_addr()?;

    let mail_task = tokio::spawn(worker::run(pool.clone(), mailer, shutdown.clone()));
    let cleanup_task = tokio::spawn(delete_expired_sessions(pool, shutdown.clone()));
    let stop = shutdown.clone();
    let http_task = tokio::spawn(async move {
        let service = app.into_make_service_with_connect_info::<SocketAddr>();
        if let Err(error) = axum::serve(listener, service).with_graceful_shutdown(stop.cancelled_owned()).await {
            tracing::error!(%error, "http server stopped");
        }
    });
    Ok(Instance { local_addr, shutdown, tasks: vec![http_task, mail_task, cleanup_task] })
}

async fn delete_expired_sessions(pool: PgPool, shutdown: CancellationToken) {
    let store = PgSessionStore::new(pool);
    loop {
        if let Err(error) = store.delete_expired().await {
            tracing::warn!(%error, "expired-session cleanup failed");
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(Duration::from_secs(300)) => {}
        }
    }
}
