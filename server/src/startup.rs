//! Starts one instance: the job worker and the HTTP server, stopped together.

use std::net::SocketAddr;

use leptos::prelude::LeptosOptions;
use tend_core::{Context, jobs};
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
    /// Waits until in-flight requests and the jobs in hand have finished.
    pub async fn wait(self) {
        for task in self.tasks {
            let _ = task.await;
        }
    }
}

pub async fn launch(
    context: Context,
    leptos_options: LeptosOptions,
    listener: TcpListener,
) -> anyhow::Result<Instance> {
    let shutdown = CancellationToken::new();
    let worker = jobs::standard::worker(context.clone())?;
    let app = router::build(context, leptos_options).await?;
    let local_addr = listener.local_addr()?;

    let worker_task = tokio::spawn(worker.run(shutdown.clone()));
    let stop = shutdown.clone();
    let http_task = tokio::spawn(async move {
        let service = app.into_make_service_with_connect_info::<SocketAddr>();
        if let Err(error) = axum::serve(listener, service).with_graceful_shutdown(stop.cancelled_owned()).await {
            tracing::error!(%error, "http server stopped");
        }
    });
    Ok(Instance { local_addr, shutdown, tasks: vec![http_task, worker_task] })
}
