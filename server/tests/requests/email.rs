//! Email through the outbox: delivered by SMTP, retried when SMTP is down, sent once by
//! several workers, readable by owners of the practice only.

use std::{collections::HashSet, time::Duration};

use reqwest::StatusCode;
use serde_json::Value;
use sqlx::PgPool;
use tend_core::email::{OutgoingEmail, repo, worker};

use crate::support::{Browser, TestSmtp, settings, spawn_app};

async fn enqueue(pool: &PgPool, to: &str) {
    let mut conn = pool.acquire().await.unwrap();
    let email = OutgoingEmail {
        org_id: None,
        to: to.into(),
        subject: "Hello".into(),
        body: "Body".into(),
        html: None,
        carries_secret: false,
    };
    repo::enqueue(&mut conn, &email).await.unwrap();
}

async fn status_of(pool: &PgPool, to: &str) -> (String, i32) {
    sqlx::query_as("SELECT status, attempts FROM emails WHERE to_address = $1").bind(to).fetch_one(pool).await.unwrap()
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn the_welcome_email_goes_out_through_smtp(pool: PgPool) {
    let smtp = TestSmtp::start().await;
    let app = spawn_app(pool.clone(), settings(Some(&smtp), &[])).await;

    Browser::new().sign_up(&app, "Dana Rivers", "dana@example.com", "Rivers Nutrition").await;

    let mail = smtp.wait_for("dana@example.com", "Welcome to Tend").await;
    assert!(mail.data.contains("http://tend.test/app"));
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(status_of(&pool, "dana@example.com").await.0, "sent");
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn mail_waits_and_retries_while_smtp_is_down(pool: PgPool) {
    let reserved = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = reserved.local_addr().unwrap().port();
    drop(reserved);
    let url = format!("smtp://127.0.0.1:{port}");
    let mailer = worker::Mailer::from_settings(&settings(None, &[("SMTP_URL", url.as_str())])).unwrap();
    enqueue(&pool, "dana@example.com").await;

    assert!(worker::deliver_next(&pool, &mailer).await.unwrap());
    assert_eq!(status_of(&pool, "dana@example.com").await, ("pending".to_owned(), 1));
    assert!(!worker::deliver_next(&pool, &mailer).await.unwrap(), "not due again before its backoff");

    let smtp = TestSmtp::serve(tokio::net::TcpListener::bind(("127.0.0.1", port)).await.unwrap()).await;
    sqlx::query("UPDATE emails SET next_attempt_at = now()").execute(&pool).await.unwrap();
    assert!(worker::deliver_next(&pool, &mailer).await.unwrap());

    assert_eq!(status_of(&pool, "dana@example.com").await, ("sent".to_owned(), 2));
    assert_eq!(smtp.received().len(), 1);
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn two_workers_deliver_each_message_once(pool: PgPool) {
    let smtp = TestSmtp::start().await;
    for n in 0..30 {
        enqueue(&pool, &format!("client{n}@example.com")).await;
    }
    let drain = |pool: PgPool, smtp: TestSmtp| async move {
        let mailer = worker::Mailer::from_settings(&settings(Some(&smtp), &[])).unwrap();
        while worker::deliver_next(&pool, &mailer).await.unwrap() {}
    };

    tokio::join!(drain(pool.clone(), smtp.clone()), drain(pool.clone(), smtp.clone()));

    let received = smtp.received();
    let recipients: HashSet<String> = received.iter().flat_map(|m| m.recipients.clone()).collect();
    assert_eq!(received.len(), 30);
    assert_eq!(recipients.len(), 30);
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn without_smtp_mail_is_kept_in_the_owners_outbox(pool: PgPool) {
    let app = spawn_app(pool, settings(None, &[])).await;
    let owner = Browser::new();
    owner.sign_up(&app, "Dana Rivers", "dana@example.com", "Rivers Nutrition").await;
    let other_owner = Browser::new();
    other_owner.sign_up(&app, "Eli Stone", "eli@example.com", "Stone Therapy").await;

    let mut outbox = Value::Null;
    for _ in 0..50 {
        outbox = owner.call(&app, "list_outbox", &[]).await.json().await.unwrap();
        if outbox[0]["status"] != "Pending" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

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
    let staff_id = tend_core::auth::repo::insert_user(&mut conn, "sam@example.com", "Sam Staff", None).await.unwrap();
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
}
