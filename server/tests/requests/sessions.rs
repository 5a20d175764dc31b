//! Sessions: shared across instances, idle timeout, log out, guarded functions.

use reqwest::StatusCode;
use serde_json::Value;
use sqlx::PgPool;

use crate::support::{Browser, settings, spawn_app, spawn_app_at};

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_session_made_on_one_instance_works_on_another(pool: PgPool) {
    let first = spawn_app(pool.clone(), settings(None, &[])).await;
    let second = spawn_app(pool, settings(None, &[])).await;
    let browser = Browser::new();
    browser.sign_up(&first, "Dana Rivers", "dana@example.com", "Rivers Nutrition").await;

    // Same host (127.0.0.1) and cookie name, so the cookie travels to the second instance.
    let member = browser.current_member(&second).await;

    assert_eq!(member["email"], "dana@example.com");
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_session_idle_past_its_timeout_is_refused(pool: PgPool) {
    let (app, clock) = spawn_app_at(pool, settings(None, &[])).await;
    let browser = Browser::new();
    browser.sign_up(&app, "Dana Rivers", "dana@example.com", "Rivers Nutrition").await;
    clock.advance(chrono::Duration::minutes(29));
    assert_eq!(browser.call(&app, "list_outbox", &[]).await.status(), StatusCode::OK, "still inside 30 minutes");

    clock.advance(chrono::Duration::minutes(31));
    let response = browser.call(&app, "list_outbox", &[]).await;

    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_session_older_than_the_absolute_timeout_is_refused_even_when_busy(pool: PgPool) {
    let (app, clock) = spawn_app_at(pool, settings(None, &[])).await;
    let browser = Browser::new();
    browser.sign_up(&app, "Dana Rivers", "dana@example.com", "Rivers Nutrition").await;
    for _ in 0..24 {
        clock.advance(chrono::Duration::minutes(29));
        assert_eq!(browser.current_member(&app).await["email"], "dana@example.com");
    }

    clock.advance(chrono::Duration::minutes(29));

    assert_eq!(browser.current_member(&app).await, Value::Null, "past 12 hours, busy or not");
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn logging_out_ends_the_session(pool: PgPool) {
    let app = spawn_app(pool, settings(None, &[])).await;
    let browser = Browser::new();
    browser.sign_up(&app, "Dana Rivers", "dana@example.com", "Rivers Nutrition").await;

    browser.call(&app, "log_out", &[]).await;

    assert_eq!(browser.current_member(&app).await, Value::Null);
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn the_session_cookie_is_http_only_and_same_site_lax(pool: PgPool) {
    let app = spawn_app(pool, settings(None, &[])).await;

    let response = Browser::new().sign_up(&app, "Dana Rivers", "dana@example.com", "Rivers Nutrition").await;

    let cookie = response.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
    assert!(cookie.starts_with("tend_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http on a laptop: {cookie}");
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn health_check_answers_when_the_database_does(pool: PgPool) {
    let app = spawn_app(pool, settings(None, &[])).await;

    let response = reqwest::get(format!("{}/healthz", app.base)).await.unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().contains_key("x-request-id"));
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn member_functions_refuse_visitors(pool: PgPool) {
    let app = spawn_app(pool, settings(None, &[])).await;
    let visitor = Browser::new();

    for function in ["list_outbox", "change_password"] {
        let response = visitor.call(&app, function, &[("current_password", "x"), ("new_password", "y")]).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{function}");
    }
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn pages_are_compressed_for_browsers_that_accept_it(pool: PgPool) {
    let app = spawn_app(pool, settings(None, &[])).await;

    let response = reqwest::Client::new()
        .get(format!("{}/login", app.base))
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-encoding"], "br");
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_busy_session_outlives_its_idle_timeout(pool: PgPool) {
    let (app, clock) = spawn_app_at(pool, settings(None, &[("SESSION_IDLE_TIMEOUT_SECS", "60")])).await;
    let browser = Browser::new();
    browser.sign_up(&app, "Dana Rivers", "dana@example.com", "Rivers Nutrition").await;

    // Ten minutes of a request every 40 seconds, with an idle timeout of one minute.
    for _ in 0..15 {
        clock.advance(chrono::Duration::seconds(40));
        assert_eq!(browser.current_member(&app).await["email"], "dana@example.com");
    }
}
