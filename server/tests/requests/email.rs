//! Email on the job queue: delivered by SMTP, retried with backoff while SMTP is down, kept
//! in the owner's outbox without SMTP, readable by owners of the practice only.

use reqwest::StatusCode;
use serde_json::Value;
use sqlx::PgPool;
use tend_core::clock::Clock;

use crate::support::{Browser, TestSmtp, settings, spawn_app, spawn_app_at, wait_until};

/// Delivery of the welcome email to `to` (sign-up also mails its confirmation link).
async fn status_of(pool: &PgPool, to: &str) -> (String, i32) {
    sqlx::query_as("SELECT status, attempts FROM emails WHERE to_address = $1 AND subject LIKE 'Welcome to Tend%'")
        .bind(to)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn the_welcome_email_goes_out_through_smtp(pool: PgPool) {
    let smtp = TestSmtp::start().await;
    let app = spawn_app(pool.clone(), settings(Some(&smtp), &[])).await;

    Browser::new().sign_up(&app, "Dana Rivers", "dana@example.com", "Rivers Nutrition").await;

    let mail = smtp.wait_for("dana@example.com", "Welcome to Tend").await;
    assert!(mail.data.contains("http://tend.test/app"));
    wait_until("the message is marked sent", || async {
        status_of(&pool, "dana@example.com").await == ("sent".to_owned(), 1)
    })
    .await;
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn mail_waits_and_retries_with_backoff_while_smtp_is_down(pool: PgPool) {
    let reserved = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = reserved.local_addr().unwrap().port();
    drop(reserved);
    let url = format!("smtp://127.0.0.1:{port}");
    let (app, clock) = spawn_app_at(pool.clone(), settings(None, &[("SMTP_URL", url.as_str())])).await;
    Browser::new().sign_up(&app, "Dana Rivers", "dana@example.com", "Rivers Nutrition").await;
    wait_until("the first attempt failed", || async {
        status_of(&pool, "dana@example.com").await == ("pending".to_owned(), 1)
    })
    .await;
    let smtp = TestSmtp::serve(tokio::net::TcpListener::bind(("127.0.0.1", port)).await.unwrap()).await;
    let retry_at: chrono::DateTime<chrono::Utc> = sqlx::query_scalar(
        "SELECT j.run_at FROM jobs j JOIN emails e ON j.unique_key = 'email:' || e.id
             WHERE e.subject LIKE 'Welcome to Tend%'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();

    clock.advance(chrono::Duration::seconds(5));
    smtp.wait_for("dana@example.com", "Welcome to Tend").await;

    assert_eq!(
        retry_at.timestamp_micros(),
        clock.now().timestamp_micros(),
        "tried again 5 seconds after the first attempt, not before"
    );
    wait_until("the message is marked sent", || async {
        status_of(&pool, "dana@example.com").await == ("sent".to_owned(), 2)
    })
    .await;
    let welcomes = smtp.received().iter().filter(|m| m.data.contains("Welcome to Tend")).count();
    assert_eq!(welcomes, 1);
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn without_smtp_mail_is_kept_in_the_owners_outbox(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let owner = Browser::new();
    owner.sign_up(&app, "Dana Rivers", "dana@example.com", "Rivers Nutrition").await;
    let other_owner = Browser::new();
    other_owner.sign_up(&app, "Eli Stone", "eli@example.com", "Stone Therapy").await;
    wait_until("the welcome email is kept", || async { status_of(&pool, "dana@example.com").await.0 == "kept" }).await;

    let outbox: Value = owner.call(&app, "list_outbox", &[]).await.json().await.unwrap();

    let emails = outbox.as_array().unwrap();
    assert_eq!(emails.len(), 1, "only this practice's mail: {outbox}");
    assert_eq!(emails[0]["to"], "dana@example.com");
    assert_eq!(emails[0]["status"], "Kept here (no mail server set)");
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn staff_cannot_read_the_outbox(pool: PgPool) {
    use tend_core::orgs::{Permission, Role};
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let owner = Browser::new();
    owner.sign_up(&app, "Dana Rivers", "dana@example.com", "Rivers Nutrition").await;
    let mut conn = pool.acquire().await.unwrap();
    let org_id: uuid::Uuid = sqlx::query_scalar("SELECT id FROM organizations").fetch_one(&pool).await.unwrap();
    let staff_id =
        tend_core::auth::repo::insert_user(&mut conn, "sam@example.com", "Sam Staff", None, None).await.unwrap();
    tend_core::orgs::repo::insert_membership(&mut conn, org_id, staff_id, Role::Staff, &Permission::ALL).await.unwrap();
    let hash =
        tend_core::auth::password::hash(tend_core::fields::NewPassword::parse(crate::support::PASSWORD, &[]).unwrap())
            .await
            .unwrap();
    tend_core::auth::repo::set_password(&mut conn, staff_id, &hash).await.unwrap();
    let staff = Browser::new();
    staff.log_in(&app, "sam@example.com", crate::support::PASSWORD).await;

    let response = staff.call(&app, "list_outbox", &[]).await;

    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["Forbidden"], "Owner of the practice");
}
