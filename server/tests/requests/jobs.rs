//! The job queue across instances: with two instances on one database each job runs once,
//! and a worker process killed in the middle of a job loses nothing.

use std::{
    collections::HashMap,
    process::{Command, Stdio},
    time::Duration,
};

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use tend_core::email::{self, OutgoingEmail};

use crate::support::{TestSmtp, settings, spawn_app, wait_until, wait_until_within};

async fn enqueue_emails(pool: &PgPool, count: usize) {
    let mut tx = pool.begin().await.unwrap();
    for n in 0..count {
        let message = OutgoingEmail {
            org_id: None,
            to: format!("client{n}@example.com"),
            subject: format!("Message {n}"),
            body: "Body".into(),
            html: None,
            carries_secret: false,
            calendar: None,
        };
        email::enqueue(&mut tx, Utc::now(), &message).await.unwrap();
    }
    tx.commit().await.unwrap();
}

async fn jobs_in(pool: &PgPool, status: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM jobs WHERE kind = 'send_email' AND status = $1")
        .bind(status)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_thousand_jobs_run_exactly_once_across_two_instances(pool: PgPool) {
    let smtp = TestSmtp::start().await;
    let _first = spawn_app(pool.clone(), settings(Some(&smtp), &[])).await;
    let _second = spawn_app(pool.clone(), settings(Some(&smtp), &[])).await;

    enqueue_emails(&pool, 1000).await;

    wait_until_within(Duration::from_secs(120), "every job is done", || async { jobs_in(&pool, "done").await == 1000 })
        .await;
    let mut times_received: HashMap<String, usize> = HashMap::new();
    for mail in smtp.received() {
        for recipient in mail.recipients {
            *times_received.entry(recipient).or_default() += 1;
        }
    }
    assert_eq!(times_received.len(), 1000, "every recipient got their message");
    assert!(times_received.values().all(|&n| n == 1), "nobody got a message twice");
    let claimed_again: i64 =
        sqlx::query_scalar("SELECT count(*) FROM jobs WHERE kind = 'send_email' AND attempts <> 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(claimed_again, 0, "no job was claimed twice");
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn an_owner_retries_only_their_own_practices_failed_jobs(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let f = crate::support::practice::fixture(&app, &pool).await;
    let job_id: uuid::Uuid = sqlx::query_scalar(
        "INSERT INTO jobs (id, org_id, kind, summary, status, run_at, attempts, last_error, finished_at)
         VALUES (gen_random_uuid(), $1, 'send_email', 'Email “Hello” to a@example.com', 'failed', now(), 12,
                 'The mail server refused the message.', now())
         RETURNING id",
    )
    .bind(f.a.org_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    let id = job_id.to_string();

    let elsewhere = f.b.owner.call(&app, "retry_failed_job", &[("id", &id)]).await;
    let b_list: serde_json::Value = f.b.owner.call(&app, "list_failed_jobs", &[]).await.json().await.unwrap();
    let a_list: serde_json::Value = f.a.owner.call(&app, "list_failed_jobs", &[]).await.json().await.unwrap();

    assert_eq!(elsewhere.status(), reqwest::StatusCode::NOT_FOUND);
    assert_eq!(b_list.as_array().unwrap().len(), 0);
    assert_eq!(a_list[0]["summary"], "Email “Hello” to a@example.com");
    let status: String =
        sqlx::query_scalar("SELECT status FROM jobs WHERE id = $1").bind(job_id).fetch_one(&pool).await.unwrap();
    assert_eq!(status, "failed", "another practice's owner changed nothing");
    let retried = f.a.owner.call(&app, "retry_failed_job", &[("id", &id)]).await;
    assert_eq!(retried.status(), reqwest::StatusCode::OK);
}

/// A SMTP server that accepts connections and never answers: a job sending to it hangs.
async fn silent_smtp() -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    port
}

fn database_url(pool: &PgPool) -> String {
    let options = pool.connect_options();
    format!(
        "postgres://{}@{}:{}/{}",
        options.get_username(),
        options.get_host(),
        options.get_port(),
        options.get_database().unwrap()
    )
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_worker_killed_in_the_middle_of_a_job_loses_nothing(pool: PgPool) {
    let hanging_smtp = silent_smtp().await;
    enqueue_emails(&pool, 1).await;
    let mut doomed = Command::new(env!("CARGO_BIN_EXE_tend-server"))
        .env("DATABASE_URL", database_url(&pool))
        .env("SMTP_URL", format!("smtp://127.0.0.1:{hanging_smtp}"))
        .env("TEND_JOB_LEASE_SECS", "4")
        .env("TEND_SEED_DEMO", "false")
        .env("LEPTOS_OUTPUT_NAME", "tend")
        .env("LEPTOS_SITE_ROOT", "target/site")
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("start tend-server");
    wait_until("the other process holds the job", || async { jobs_in(&pool, "running").await == 1 }).await;
    let lease_expires_at: DateTime<Utc> =
        sqlx::query_scalar("SELECT lease_expires_at FROM jobs WHERE kind = 'send_email'")
            .fetch_one(&pool)
            .await
            .unwrap();

    doomed.kill().unwrap(); // SIGKILL: no chance to clean up
    doomed.wait().unwrap();
    let smtp = TestSmtp::start().await;
    let _survivor = spawn_app(pool.clone(), settings(Some(&smtp), &[])).await;

    smtp.wait_for("client0@example.com", "Message 0").await;
    wait_until("the job is done", || async { jobs_in(&pool, "done").await == 1 }).await;
    let (attempts, finished_at): (i32, DateTime<Utc>) =
        sqlx::query_as("SELECT attempts, finished_at FROM jobs WHERE kind = 'send_email'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(attempts, 2, "the killed attempt counts");
    assert!(finished_at >= lease_expires_at, "taken again only once the dead worker's lease ran out");
    assert_eq!(smtp.received().len(), 1);
}
