//! Regression tests for account-takeover paths found in review: invitations, portal resets,
//! the outbox, shared browsers and self-granted permissions.

use reqwest::StatusCode;
use serde_json::Value;
use sqlx::PgPool;

use crate::support::{
    Browser, PASSWORD, TestSmtp, field_errors,
    practice::{client, fixture},
    settings, spawn_app, token_of,
};

fn edit_email<'a>(id: &'a str, email: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("id", id),
        ("client[first_name]", "Mal"),
        ("client[last_name]", "Lory"),
        ("client[email]", email),
        ("client[phone]", ""),
        ("client[date_of_birth]", ""),
        ("client[time_zone]", "UTC"),
        ("client[primary_provider_id]", ""),
    ]
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn changing_a_clients_email_voids_the_invitation_sent_to_the_old_one(pool: PgPool) {
    let smtp = TestSmtp::start().await;
    let app = spawn_app(pool.clone(), settings(Some(&smtp), &[])).await;
    let f = fixture(&app, &pool).await;
    let id = client(&pool, f.a.org_id, "Mal", "mallory@example.com", f.provider_membership).await.to_string();
    f.provider.call(&app, "invite_client", &[("id", &id)]).await;
    let token = token_of(&smtp.wait_for("mallory@example.com", "client portal").await.first_link().unwrap());

    f.provider.call(&app, "update_client", &edit_email(&id, "ann@a.example.com")).await;
    let accept = [("slug", f.a.slug.as_str()), ("token", &token), ("password", "harbor violet sparrow")];
    let response = Browser::new().call(&app, "accept_client_invitation", &accept).await;

    assert_eq!(field_errors(response).await[0].0, "token");
    let owner = Browser::new();
    assert_eq!(owner.log_in(&app, "ann@a.example.com", PASSWORD).await.status(), StatusCode::OK);
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn an_invitation_to_an_existing_account_needs_that_accounts_password(pool: PgPool) {
    let smtp = TestSmtp::start().await;
    let app = spawn_app(pool.clone(), settings(Some(&smtp), &[])).await;
    let f = fixture(&app, &pool).await;
    // Practice B's owner is also a client of practice A.
    let id = client(&pool, f.a.org_id, "Bob", "bob@b.example.com", f.a.owner_membership).await.to_string();
    f.a.owner.call(&app, "invite_client", &[("id", &id)]).await;
    let token = token_of(&smtp.wait_for("bob@b.example.com", "client portal").await.first_link().unwrap());

    let wrong = [("slug", f.a.slug.as_str()), ("token", token.as_str()), ("password", "harbor violet sparrow")];
    let refused = Browser::new().call(&app, "accept_client_invitation", &wrong).await;
    let right = [("slug", f.a.slug.as_str()), ("token", token.as_str()), ("password", PASSWORD)];
    let bob = Browser::new();
    let accepted = bob.call(&app, "accept_client_invitation", &right).await;

    assert_eq!(field_errors(refused).await[0].0, "password");
    assert_eq!(accepted.status(), StatusCode::OK);
    assert_eq!(Browser::new().log_in(&app, "bob@b.example.com", PASSWORD).await.status(), StatusCode::OK);
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_portal_reset_goes_to_the_logins_address_not_an_edited_client_email(pool: PgPool) {
    let smtp = TestSmtp::start().await;
    let app = spawn_app(pool.clone(), settings(Some(&smtp), &[])).await;
    let f = fixture(&app, &pool).await;
    let one = f.client_one_id.to_string();
    f.staff.call(&app, "update_client", &edit_email(&one, "mallory@example.com")).await;

    Browser::new().call(&app, "portal_request_reset", &[("slug", &f.a.slug), ("email", "mallory@example.com")]).await;
    Browser::new()
        .call(&app, "portal_request_reset", &[("slug", &f.a.slug), ("email", "one@clients.example.com")])
        .await;

    smtp.wait_for("one@clients.example.com", "reset-password?token").await;
    assert!(smtp.received().iter().all(|m| !m.recipients.contains(&"mallory@example.com".to_owned())));
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn the_outbox_hides_private_links_once_sent(pool: PgPool) {
    let smtp = TestSmtp::start().await;
    let app = spawn_app(pool.clone(), settings(Some(&smtp), &[])).await;
    let f = fixture(&app, &pool).await;
    Browser::new().call(&app, "request_password_reset", &[("email", "paul@a.example.com")]).await;
    smtp.wait_for("paul@a.example.com", "reset-password?token").await;

    let outbox: Value = f.a.owner.call(&app, "list_outbox", &[]).await.json().await.unwrap();

    let reset = outbox.as_array().unwrap().iter().find(|m| m["subject"] == "Reset your Tend password").unwrap();
    assert!(!reset["body"].as_str().unwrap().contains("token="), "{reset}");
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_client_logging_in_on_a_members_browser_ends_the_members_session(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let f = fixture(&app, &pool).await;
    let front_desk = &f.staff;

    let login = [("slug", f.a.slug.as_str()), ("email", "one@clients.example.com"), ("password", PASSWORD)];
    assert_eq!(front_desk.call(&app, "portal_log_in", &login).await.status(), StatusCode::OK);

    assert_eq!(front_desk.current_member(&app).await, Value::Null);
    let me: Value = front_desk.call(&app, "portal_client", &[("slug", &f.a.slug)]).await.json().await.unwrap();
    assert_eq!(me["first_name"], "One");
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_member_manager_cannot_raise_themself_or_grant_what_they_lack(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let f = fixture(&app, &pool).await;
    let staff = f.staff_membership.to_string();
    let provider = f.provider_membership.to_string();
    let grant = [("id", staff.as_str()), ("permission", "manage_members"), ("enabled", "true")];
    f.a.owner.call(&app, "set_member_permission", &grant).await;

    let own = [("id", staff.as_str()), ("permission", "manage_settings"), ("enabled", "true")];
    let beyond = [("id", provider.as_str()), ("permission", "issue_refunds"), ("enabled", "true")];
    let within = [("id", provider.as_str()), ("permission", "see_all_clients"), ("enabled", "true")];

    assert_eq!(f.staff.call(&app, "set_member_permission", &own).await.status(), StatusCode::CONFLICT);
    let response = f.staff.call(&app, "set_member_permission", &beyond).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response.text().await.unwrap().contains("Can issue refunds"));
    assert_eq!(f.staff.call(&app, "set_member_permission", &within).await.status(), StatusCode::OK);
}
