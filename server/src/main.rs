//! `tend-server`: serves Tend. With no `DATABASE_URL` it starts a private PostgreSQL,
//! migrates it, and seeds the demo practice on first start.

use std::{process::ExitCode, sync::Arc};

use leptos::prelude::get_configuration;
use tend_core::{
    db, seed,
    settings::{Environment, Settings},
};
use tend_server::{postgres, startup, telemetry};

// mimalloc, not glibc's malloc: under load a page render allocates and frees many small strings
// across threads, and glibc's malloc and free took 9% of the machine (README, "profile").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("tend: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> anyhow::Result<()> {
    let settings = Arc::new(Settings::from_env()?);
    telemetry::init(settings.environment == Environment::Production);
    let mut leptos_options = get_configuration(None)?.leptos_options;
    tend_server::assets::detect_hashed_names(&mut leptos_options);
    settings.check_listen_address(leptos_options.site_addr)?;

    let database_url = match &settings.database_url {
        Some(url) => url.expose().to_owned(),
        None => {
            let port =
                std::env::var("TEND_PG_PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(postgres::DEFAULT_PORT);
            postgres::ensure_cluster(&settings.data_dir.join("postgres"), port).await?
        }
    };
    let pool = db::connect(&database_url).await?;
    db::migrate(&pool).await?;
    if settings.seed_demo && seed::seed_demo_practice(&pool).await? {
        tracing::info!("seeded the demo practice");
    }

    let listener = tokio::net::TcpListener::bind(leptos_options.site_addr).await?;
    let context = tend_core::Context::new(pool, settings.clone());
    let instance = startup::launch(context, leptos_options, listener).await?;
    print_welcome(&settings, instance.local_addr);

    shutdown_signal().await;
    tracing::info!("shutting down: finishing requests in flight");
    instance.shutdown.cancel();
    instance.wait().await;
    Ok(())
}

fn print_welcome(settings: &Settings, addr: std::net::SocketAddr) {
    println!("\nTend is running at http://{addr}");
    if settings.seed_demo {
        println!("Demo practice logins (password: {}):", seed::DEMO_PASSWORD);
        for login in seed::DEMO_LOGINS {
            println!("  {:<9} {}", login.role, login.email);
        }
        println!("  {:<9} {}  (client portal: http://{addr}/p/{})", "client", seed::DEMO_CLIENT_EMAIL, seed::DEMO_SLUG);
    }
    if settings.smtp_url.is_none() {
        println!("No SMTP_URL: email is kept in the app (Settings → Email outbox, as an owner).");
    }
    println!("Press Ctrl-C to stop.\n");
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = ctrl_c => {}
        _ = terminate => {}
    }
}
