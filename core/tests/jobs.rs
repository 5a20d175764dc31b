//! The job queue's rules on a real database: keys, due times on the clock, leases, retries
//! with backoff, giving up, an owner's retry, and recurring work that runs once per turn.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::Duration;
use serde_json::json;
use sqlx::PgPool;
use tend_core::{
    Context,
    clock::ManualClock,
    jobs::{Job, JobError, JobHandler, NewJob, Recurring, repo, worker::Worker},
    settings::Settings,
};
use uuid::Uuid;

/// Records each run's payload; fails the first `failures` runs.
#[derive(Clone, Default)]
struct Recorder {
    runs: Arc<Mutex<Vec<serde_json::Value>>>,
    failures: Arc<Mutex<usize>>,
    gave_up: Arc<Mutex<Vec<String>>>,
}

impl Recorder {
    fn failing(times: usize) -> Self {
        let recorder = Self::default();
        *recorder.failures.lock().unwrap() = times;
        recorder
    }

    fn runs(&self) -> usize {
        self.runs.lock().unwrap().len()
    }
}

#[async_trait]
impl JobHandler for Recorder {
    fn kind(&self) -> &'static str {
        "record"
    }

    async fn run(&self, job: &Job) -> Result<(), JobError> {
        self.runs.lock().unwrap().push(job.payload.clone());
        let mut failures = self.failures.lock().unwrap();
        if *failures > 0 {
            *failures -= 1;
            return Err(JobError::Retry("The test server is down.".into()));
        }
        Ok(())
    }

    async fn gave_up(&self, _job: &Job, error: &str) -> tend_core::Result<()> {
        self.gave_up.lock().unwrap().push(error.to_owned());
        Ok(())
    }
}

fn context(pool: &PgPool) -> (Context, Arc<ManualClock>) {
    let clock = ManualClock::starting_now();
    let settings = Arc::new(Settings::from_lookup(|_| None).unwrap());
    (Context::with_clock(pool.clone(), settings, clock.clone()), clock)
}

fn job(ctx: &Context, payload: serde_json::Value) -> NewJob {
    NewJob::new("record", payload, "A test job", ctx.now())
}

async fn status(pool: &PgPool) -> Vec<(String, i32)> {
    sqlx::query_as("SELECT status, attempts FROM jobs WHERE kind = 'record' ORDER BY created_at")
        .fetch_all(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn enqueueing_a_key_twice_leaves_one_job(pool: PgPool) {
    let (ctx, _) = context(&pool);
    let mut conn = pool.acquire().await.unwrap();

    let first = repo::enqueue(&mut conn, &job(&ctx, json!(1)).keyed("reminder:a:24h")).await.unwrap();
    let second = repo::enqueue(&mut conn, &job(&ctx, json!(2)).keyed("reminder:a:24h")).await.unwrap();

    assert!(first.is_some());
    assert_eq!(second, None);
    let payloads: Vec<serde_json::Value> =
        sqlx::query_scalar("SELECT payload FROM jobs").fetch_all(&pool).await.unwrap();
    assert_eq!(payloads, [json!(1)]);
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_keyed_job_moves_when_replaced_and_goes_when_cancelled(pool: PgPool) {
    let (ctx, clock) = context(&pool);
    let recorder = Recorder::default();
    let worker = Worker::new(ctx.clone()).handle(recorder.clone());
    let mut conn = pool.acquire().await.unwrap();
    let tomorrow = NewJob { run_at: ctx.now() + Duration::days(1), ..job(&ctx, json!("old")) }.keyed("reminder:a");
    repo::enqueue(&mut conn, &tomorrow).await.unwrap();

    let in_two_days = NewJob { run_at: ctx.now() + Duration::days(2), ..job(&ctx, json!("moved")) }.keyed("reminder:a");
    repo::replace(&mut conn, &in_two_days).await.unwrap();
    clock.advance(Duration::days(1));
    worker.run_due().await.unwrap();
    assert_eq!(recorder.runs(), 0, "not due at its old time");
    clock.advance(Duration::days(1));
    worker.run_due().await.unwrap();
    assert_eq!(*recorder.runs.lock().unwrap(), [json!("moved")]);

    repo::enqueue(&mut conn, &job(&ctx, json!("cancelled")).keyed("reminder:b")).await.unwrap();
    assert!(repo::cancel(&mut conn, "reminder:b").await.unwrap());
    worker.run_due().await.unwrap();
    assert_eq!(recorder.runs(), 1, "a cancelled job never runs");
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_failing_job_is_retried_with_backoff_then_left_failed_for_an_owner_to_retry(pool: PgPool) {
    let (ctx, clock) = context(&pool);
    let recorder = Recorder::failing(3);
    let worker = Worker::new(ctx.clone()).handle(recorder.clone());
    let org_id: Uuid = sqlx::query_scalar(
        "INSERT INTO organizations (id, name, slug, time_zone) VALUES (gen_random_uuid(), 'A', 'a', 'UTC') RETURNING id",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let mut conn = pool.acquire().await.unwrap();
    let three_tries = NewJob { max_attempts: 3, ..job(&ctx, json!("x")) }.for_org(Some(org_id));
    repo::enqueue(&mut conn, &three_tries).await.unwrap();

    worker.run_due().await.unwrap();
    assert_eq!(status(&pool).await, [("pending".to_owned(), 1)]);
    clock.advance(Duration::seconds(4));
    assert_eq!(worker.run_due().await.unwrap(), 0, "backoff: 5 seconds after the first failure");
    clock.advance(Duration::seconds(1));
    worker.run_due().await.unwrap();
    clock.advance(Duration::seconds(10));
    worker.run_due().await.unwrap();

    assert_eq!(status(&pool).await, [("failed".to_owned(), 3)]);
    assert_eq!(*recorder.gave_up.lock().unwrap(), ["The test server is down."]);
    let failed = repo::list_failed(&mut conn, org_id, 10).await.unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].last_error.as_deref(), Some("The test server is down."));
    assert!(repo::list_failed(&mut conn, Uuid::new_v4(), 10).await.unwrap().is_empty(), "only its practice sees it");

    assert!(repo::retry_failed(&mut conn, org_id, failed[0].id, ctx.now()).await.unwrap());
    worker.run_due().await.unwrap();
    assert_eq!(status(&pool).await, [("done".to_owned(), 1)]);
    assert_eq!(recorder.runs(), 4);
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_job_whose_worker_stopped_answering_is_taken_again_after_its_lease(pool: PgPool) {
    let (ctx, clock) = context(&pool);
    let recorder = Recorder::default();
    let survivor = Worker::new(ctx.clone()).handle(recorder.clone());
    let mut conn = pool.acquire().await.unwrap();
    repo::enqueue(&mut conn, &job(&ctx, json!("x"))).await.unwrap();
    let vanished = Uuid::new_v4();
    let claimed = repo::claim(&mut conn, vanished, ctx.now(), 300.0, 10).await.unwrap();
    assert_eq!(claimed.len(), 1);

    assert_eq!(survivor.run_due().await.unwrap(), 0, "held by its lease");
    clock.advance(Duration::seconds(301));
    let successor = Uuid::new_v4();
    assert_eq!(repo::claim(&mut conn, successor, ctx.now(), 300.0, 10).await.unwrap().len(), 1, "taken again");

    let late = repo::record_success(&mut conn, claimed[0].id, vanished, ctx.now()).await.unwrap();

    assert!(!late, "the worker that lost its lease records nothing");
    let holder: Option<Uuid> = sqlx::query_scalar("SELECT leased_by FROM jobs").fetch_one(&pool).await.unwrap();
    assert_eq!(holder, Some(successor));
    assert_eq!(status(&pool).await, [("running".to_owned(), 2)]);
    clock.advance(Duration::seconds(301));
    survivor.run_due().await.unwrap();
    assert_eq!(recorder.runs(), 1);
    assert_eq!(status(&pool).await, [("done".to_owned(), 3)]);
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn recurring_work_runs_once_per_turn_however_many_instances_run(pool: PgPool) {
    let (ctx, clock) = context(&pool);
    let every_minute = Recurring { kind: "record", every: std::time::Duration::from_secs(60), summary: "Sweep" };
    let recorder = Recorder::default();
    let workers: Vec<Worker> =
        (0..3).map(|_| Worker::new(ctx.clone()).handle(recorder.clone()).every(every_minute)).collect();
    for worker in &workers {
        worker.schedule_recurring().await.unwrap();
    }

    for _ in 0..3 {
        for worker in &workers {
            worker.run_due().await.unwrap();
        }
        clock.advance(Duration::seconds(60));
    }

    assert_eq!(recorder.runs(), 3, "once a minute for three minutes");
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM jobs").fetch_one(&pool).await.unwrap();
    assert_eq!(rows, 1);
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn recurring_work_keeps_its_turns_however_often_it_fails(pool: PgPool) {
    let (ctx, clock) = context(&pool);
    let every_minute = Recurring { kind: "record", every: std::time::Duration::from_secs(60), summary: "Sweep" };
    let recorder = Recorder::failing(20);
    let worker = Worker::new(ctx.clone()).handle(recorder.clone()).every(every_minute);
    worker.schedule_recurring().await.unwrap();

    for _ in 0..25 {
        worker.run_due().await.unwrap();
        clock.advance(Duration::seconds(60));
    }

    assert_eq!(recorder.runs(), 25, "twenty failed turns, then it works again");
    assert_eq!(status(&pool).await, [("pending".to_owned(), 0)]);
}
