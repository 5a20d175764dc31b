//! A member's own name and time zone, and a person in two practices choosing where to work.

use reqwest::StatusCode;
use serde_json::Value;
use sqlx::PgPool;

use crate::support::{Browser, PASSWORD, TestSmtp, field_errors, practice::fixture, settings, spawn_app, token_of};

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_member_sets_their_own_name_and_time_zone(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let f = fixture(&app, &pool).await;
    let before: Value = f.provider.call(&app, "get_my_profile", &[]).await.json().await.unwrap();

    let refused = f.provider.call(&app, "update_my_profile", &[("full_name", ""), ("time_zone", "Mars/Base")]).await;
    let saved =
        f.provider.call(&app, "update_my_profile", &[("full_name", "Paul P."), ("time_zone", "Europe/Paris")]).await;

    assert_eq!(before["time_zone"], "America/Chicago", "a new member starts in the practice's zone");
    let fields: Vec<String> = field_errors(refused).await.into_iter().map(|(field, _)| field).collect();
    assert_eq!(fields, ["full_name", "time_zone"]);
    assert_eq!(saved.status(), StatusCode::OK);
    let after: Value = f.provider.call(&app, "get_my_profile", &[]).await.json().await.unwrap();
    assert_eq!(after["full_name"], "Paul P.");
    assert_eq!(after["time_zone"], "Europe/Paris");
    let owner_sees: Value = f.a.owner.call(&app, "get_my_profile", &[]).await.json().await.unwrap();
    assert_eq!(owner_sees["time_zone"], "America/Chicago", "one member's zone is theirs alone");
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_new_member_chooses_their_time_zone_when_joining(pool: PgPool) {
    let smtp = TestSmtp::start().await;
    let app = spawn_app(pool.clone(), settings(Some(&smtp), &[])).await;
    let f = fixture(&app, &pool).await;
    f.a.owner.call(&app, "invite_member", &[("email", "nia@example.com"), ("role", "provider")]).await;
    let link = smtp.wait_for("nia@example.com", "Join Practice A").await.first_link().unwrap();
    let nia = Browser::new();

    let token = token_of(&link);
    let joined = nia
        .call(
            &app,
            "accept_member_invitation",
            &[
                ("token", token.as_str()),
                ("full_name", "Nia Park"),
                ("password", "harbor violet sparrow"),
                ("time_zone", "Asia/Tokyo"),
            ],
        )
        .await;

    assert_eq!(joined.status(), StatusCode::OK);
    let me: Value = nia.call(&app, "get_my_profile", &[]).await.json().await.unwrap();
    assert_eq!(me["time_zone"], "Asia/Tokyo");
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn someone_in_two_practices_chooses_after_logging_in_and_can_switch(pool: PgPool) {
    let smtp = TestSmtp::start().await;
    let app = spawn_app(pool.clone(), settings(Some(&smtp), &[])).await;
    let f = fixture(&app, &pool).await;
    let owner_a_email: String =
        sqlx::query_scalar("SELECT u.email FROM users u JOIN memberships m ON m.user_id = u.id WHERE m.id = $1")
            .bind(f.a.owner_membership)
            .fetch_one(&pool)
            .await
            .unwrap();
    f.b.owner.call(&app, "invite_member", &[("email", &owner_a_email), ("role", "provider")]).await;
    let link = smtp.wait_for(&owner_a_email, "Join Practice B").await.first_link().unwrap();
    let token = token_of(&link);
    let joined =
        f.a.owner
            .call(&app, "accept_member_invitation", &[("token", &token), ("full_name", ""), ("password", PASSWORD)])
            .await;
    assert_eq!(joined.status(), StatusCode::OK);
    let browser = Browser::new();

    let logged_in = browser.log_in(&app, &owner_a_email, PASSWORD).await;

    assert_eq!(logged_in.headers()["location"], "/app/practices");
    let practices: Value = browser.call(&app, "list_my_practices", &[]).await.json().await.unwrap();
    let names: Vec<&str> = practices.as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Practice A", "Practice B"]);
    assert_eq!(practices[0]["is_current"], true);
    let practice_b = practices[1]["id"].as_str().unwrap().to_owned();

    let switched = browser.call(&app, "switch_practice", &[("id", &practice_b)]).await;

    assert_eq!(switched.status(), StatusCode::OK);
    let member = browser.current_member(&app).await;
    assert_eq!(member["practice_name"], "Practice B");
    assert_eq!(member["role"], "Provider");
    let b_clients = browser.list_clients(&app, "", false, 1).await;
    assert!(b_clients["rows"].as_array().unwrap().iter().all(|c| c["name"] != "One Client"));
}
