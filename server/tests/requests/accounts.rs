//! Sign-up, log-in, throttling, password reset and change, cross-site refusal.

use reqwest::StatusCode;
use serde_json::Value;
use sqlx::PgPool;

use crate::support::{Browser, PASSWORD, TestSmtp, field_errors, settings, sign_up_token, spawn_app, wait_until};

const BAD_CREDENTIALS: &str = "That email and password don't match an account.";

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn sign_up_creates_the_practice_and_signs_the_owner_in(pool: PgPool) {
    let app = spawn_app(pool, settings(None, &[])).await;
    let browser = Browser::new();

    let response = browser.sign_up(&app, "Dana Rivers", "Dana@Example.com", "Rivers Nutrition").await;

    assert_eq!(response.status(), StatusCode::OK);
    let member = browser.current_member(&app).await;
    assert_eq!(member["practice_name"], "Rivers Nutrition");
    assert_eq!(member["practice_slug"], "rivers-nutrition");
    assert_eq!(member["email"], "dana@example.com");
    assert_eq!(member["is_owner"], true);
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_second_practice_with_the_same_name_gets_its_own_slug(pool: PgPool) {
    let app = spawn_app(pool, settings(None, &[])).await;
    Browser::new().sign_up(&app, "Dana Rivers", "dana@example.com", "Rivers Nutrition").await;
    let second = Browser::new();

    second.sign_up(&app, "Eli Rivers", "eli@example.com", "Rivers Nutrition").await;

    assert_eq!(second.current_member(&app).await["practice_slug"], "rivers-nutrition-2");
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn sign_up_with_bad_input_names_every_bad_field(pool: PgPool) {
    let app = spawn_app(pool, settings(None, &[])).await;
    let form = [
        ("full_name", " "),
        ("email", "not-an-email"),
        ("password", "password1234"),
        ("practice_name", ""),
        ("time_zone", "Mars/Olympus"),
    ];

    let errors = field_errors(Browser::new().call(&app, "sign_up", &form).await).await;

    let fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(fields, ["full_name", "email", "practice_name", "time_zone", "password"]);
}

/// Hardening item 6: the sign-up form answers the same whether or not the address has an
/// account; its owner gets an email saying so, and nothing changes.
#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn sign_up_answers_the_same_for_a_taken_email_and_tells_its_owner(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    Browser::new().sign_up(&app, "Dana Rivers", "dana@example.com", "Rivers Nutrition").await;

    let taken = Browser::new().start_sign_up(&app, "Dana Other", "DANA@example.com", "Other Practice").await;
    let free = Browser::new().start_sign_up(&app, "Eli Stone", "eli@example.com", "Stone Therapy").await;

    let answer = |r: reqwest::Response| async move {
        (r.status(), r.headers().get("serverfnredirect").cloned(), r.text().await.unwrap())
    };
    assert_eq!(answer(taken).await, answer(free).await);
    let practices: i64 = sqlx::query_scalar("SELECT count(*) FROM organizations").fetch_one(&pool).await.unwrap();
    assert_eq!(practices, 1, "nothing exists until a link is opened");
    let notice: String = sqlx::query_scalar(
        "SELECT subject FROM emails WHERE to_address = 'dana@example.com' ORDER BY created_at DESC LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(notice, "You already have a Tend account");
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_sign_up_link_works_once_and_not_after_a_day(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    Browser::new().start_sign_up(&app, "Dana Rivers", "dana@example.com", "Rivers Nutrition").await;
    let token = sign_up_token(&app, "dana@example.com").await;
    Browser::new().start_sign_up(&app, "Eli Stone", "eli@example.com", "Stone Therapy").await;
    let late = sign_up_token(&app, "eli@example.com").await;
    sqlx::query("UPDATE sign_ups SET expires_at = now() - interval '1 minute' WHERE email = 'eli@example.com'")
        .execute(&pool)
        .await
        .unwrap();

    let first = Browser::new().call(&app, "confirm_sign_up", &[("token", &token)]).await;
    let again = Browser::new().call(&app, "confirm_sign_up", &[("token", &token)]).await;
    let expired = Browser::new().call(&app, "confirm_sign_up", &[("token", &late)]).await;

    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(field_errors(again).await[0].0, "token");
    assert_eq!(field_errors(expired).await[0].0, "token");
    assert_eq!(Browser::new().log_in(&app, "dana@example.com", PASSWORD).await.status(), StatusCode::OK);
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn log_in_with_the_right_password_starts_a_session(pool: PgPool) {
    let app = spawn_app(pool, settings(None, &[])).await;
    Browser::new().sign_up(&app, "Dana Rivers", "dana@example.com", "Rivers Nutrition").await;
    let browser = Browser::new();

    let response = browser.log_in(&app, "dana@example.com", PASSWORD).await;

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(browser.current_member(&app).await["full_name"], "Dana Rivers");
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn wrong_password_and_unknown_email_get_the_same_answer(pool: PgPool) {
    let app = spawn_app(pool, settings(None, &[])).await;
    Browser::new().sign_up(&app, "Dana Rivers", "dana@example.com", "Rivers Nutrition").await;
    let browser = Browser::new();

    let wrong_password = field_errors(browser.log_in(&app, "dana@example.com", "not the password").await).await;
    let unknown_email = field_errors(browser.log_in(&app, "nobody@example.com", "not the password").await).await;

    assert_eq!(wrong_password, vec![("form".to_owned(), BAD_CREDENTIALS.to_owned())]);
    assert_eq!(unknown_email, wrong_password);
    assert_eq!(browser.current_member(&app).await, Value::Null);
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn repeated_failures_lock_the_email_even_on_another_instance(pool: PgPool) {
    let first = spawn_app(pool.clone(), settings(None, &[])).await;
    let second = spawn_app(pool, settings(None, &[])).await;
    Browser::new().sign_up(&first, "Dana Rivers", "dana@example.com", "Rivers Nutrition").await;
    let attacker = Browser::new();
    for _ in 0..5 {
        attacker.log_in(&first, "dana@example.com", "guess guess guess").await;
    }

    let response = Browser::new().log_in(&second, "dana@example.com", PASSWORD).await;

    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body, Value::String("RateLimited".into()));
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_cross_site_post_is_refused_and_changes_nothing(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let form = [
        ("full_name", "Mallory"),
        ("email", "mallory@example.com"),
        ("password", PASSWORD),
        ("practice_name", "Forged Practice"),
        ("time_zone", "UTC"),
    ];

    let by_fetch_metadata = Browser::new()
        .http
        .post(format!("{}/api/sign_up", app.base))
        .header("sec-fetch-site", "cross-site")
        .form(&form)
        .send()
        .await
        .unwrap();
    let by_origin = Browser::new()
        .http
        .post(format!("{}/api/sign_up", app.base))
        .header("origin", "https://evil.example")
        .form(&form)
        .send()
        .await
        .unwrap();

    assert_eq!(by_fetch_metadata.status(), StatusCode::FORBIDDEN);
    assert_eq!(by_origin.status(), StatusCode::FORBIDDEN);
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(&pool).await.unwrap();
    assert_eq!(users, 0);
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_reset_link_works_once(pool: PgPool) {
    let smtp = TestSmtp::start().await;
    let app = spawn_app(pool, settings(Some(&smtp), &[])).await;
    Browser::new().sign_up(&app, "Dana Rivers", "dana@example.com", "Rivers Nutrition").await;
    let browser = Browser::new();
    browser.call(&app, "request_password_reset", &[("email", "dana@example.com")]).await;
    let link = smtp.wait_for("dana@example.com", "reset-password?token").await.first_link().unwrap();
    let token = link.split("token=").nth(1).unwrap().to_owned();

    let first = browser.call(&app, "reset_password", &[("token", &token), ("password", "harbor violet sparrow")]).await;
    let second =
        browser.call(&app, "reset_password", &[("token", &token), ("password", "another fresh passphrase")]).await;

    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(field_errors(second).await[0].0, "token");
    assert_eq!(browser.log_in(&app, "dana@example.com", "harbor violet sparrow").await.status(), StatusCode::OK);
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn an_expired_reset_link_is_refused(pool: PgPool) {
    let smtp = TestSmtp::start().await;
    let app = spawn_app(pool.clone(), settings(Some(&smtp), &[])).await;
    Browser::new().sign_up(&app, "Dana Rivers", "dana@example.com", "Rivers Nutrition").await;
    let browser = Browser::new();
    browser.call(&app, "request_password_reset", &[("email", "dana@example.com")]).await;
    let link = smtp.wait_for("dana@example.com", "reset-password?token").await.first_link().unwrap();
    let token = link.split("token=").nth(1).unwrap().to_owned();
    sqlx::query("UPDATE password_reset_tokens SET expires_at = now() - interval '1 minute'")
        .execute(&pool)
        .await
        .unwrap();

    let response =
        browser.call(&app, "reset_password", &[("token", &token), ("password", "harbor violet sparrow")]).await;

    let errors = field_errors(response).await;
    assert_eq!(errors[0].0, "token");
    assert!(errors[0].1.contains("expired"));
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn asking_for_a_reset_says_the_same_for_unknown_emails_and_sends_nothing(pool: PgPool) {
    let smtp = TestSmtp::start().await;
    let app = spawn_app(pool.clone(), settings(Some(&smtp), &[])).await;

    let response = Browser::new().call(&app, "request_password_reset", &[("email", "nobody@example.com")]).await;

    assert_eq!(response.status(), StatusCode::OK);
    wait_until("the request was answered", || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM jobs WHERE kind = 'send_password_reset' AND status = 'done'")
            .fetch_one(&pool)
            .await
            .unwrap()
            == 1
    })
    .await;
    let emails: i64 = sqlx::query_scalar("SELECT count(*) FROM emails").fetch_one(&pool).await.unwrap();
    assert_eq!(emails, 0);
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn changing_the_password_ends_every_other_session(pool: PgPool) {
    let app = spawn_app(pool, settings(None, &[])).await;
    let laptop = Browser::new();
    laptop.sign_up(&app, "Dana Rivers", "dana@example.com", "Rivers Nutrition").await;
    let phone = Browser::new();
    phone.log_in(&app, "dana@example.com", PASSWORD).await;

    let response = laptop
        .call(&app, "change_password", &[("current_password", PASSWORD), ("new_password", "harbor violet sparrow")])
        .await;

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(phone.current_member(&app).await, Value::Null);
    assert_eq!(laptop.current_member(&app).await["email"], "dana@example.com");
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn changing_the_password_needs_the_current_one(pool: PgPool) {
    let app = spawn_app(pool, settings(None, &[])).await;
    let browser = Browser::new();
    browser.sign_up(&app, "Dana Rivers", "dana@example.com", "Rivers Nutrition").await;

    let response = browser
        .call(
            &app,
            "change_password",
            &[("current_password", "wrong wrong wrong"), ("new_password", "harbor violet sparrow")],
        )
        .await;

    assert_eq!(field_errors(response).await[0].0, "current_password");
}
