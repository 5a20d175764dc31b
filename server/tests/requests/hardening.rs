//! Regression tests for what security reviews found: account takeover through invitations,
//! portal resets, the outbox, shared browsers and self-granted permissions; throttles that a
//! proxy or concurrency defeats; mail without limits; leaks past "see all clients"; headers.
//! Each names the item of the hardening issue it proves.

use std::time::Duration;

use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::Value;
use sqlx::{PgPool, postgres::PgPoolOptions};

use crate::support::{
    Browser, PASSWORD, TestSmtp, field_errors,
    practice::{client, fixture},
    settings, spawn_app, token_of, wait_until,
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

/// Item 1: an invitation never carries a permission its sender lacks.
#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn an_invitation_carries_only_permissions_its_sender_has(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let f = fixture(&app, &pool).await;
    let provider = f.provider_membership.to_string();
    let grant = [("id", provider.as_str()), ("permission", "manage_members"), ("enabled", "true")];
    assert_eq!(f.a.owner.call(&app, "set_member_permission", &grant).await.status(), StatusCode::OK);

    // Staff start with "see all clients", which this provider does not have.
    let invited = f.provider.call(&app, "invite_member", &[("email", "eve@example.com"), ("role", "staff")]).await;

    assert_eq!(invited.status(), StatusCode::OK);
    let permissions: Vec<String> =
        sqlx::query_scalar("SELECT permissions FROM member_invitations WHERE email = 'eve@example.com'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(permissions, vec!["manage_groups".to_owned()], "only what the provider holds");
}

async fn log_in_from(app: &crate::support::TestApp, email: &str, forwarded_for: &str) -> StatusCode {
    Browser::new()
        .http
        .post(format!("{}/api/log_in", app.base))
        .header("sec-fetch-site", "same-origin")
        .header("accept", "application/json")
        .header("x-forwarded-for", forwarded_for)
        .form(&[("email", email), ("password", "not the password")])
        .send()
        .await
        .unwrap()
        .status()
}

/// Item 2: behind a trusted proxy each caller has their own limit; without the setting the
/// header is ignored, so nobody escapes the limit by writing it.
#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn the_address_limit_is_per_caller_behind_a_trusted_proxy(pool: PgPool) {
    let proxied = spawn_app(pool.clone(), settings(None, &[("TRUSTED_PROXIES", "127.0.0.1/32")])).await;
    for n in 0..30 {
        assert_eq!(
            log_in_from(&proxied, &format!("p{n}@example.com"), "203.0.113.1").await,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    assert_eq!(log_in_from(&proxied, "last@example.com", "203.0.113.1").await, StatusCode::TOO_MANY_REQUESTS);
    // The caller's own hop is believed only where the proxy wrote it (right-most).
    assert_eq!(
        log_in_from(&proxied, "last@example.com", "198.51.100.9, 203.0.113.1").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(log_in_from(&proxied, "last@example.com", "203.0.113.2").await, StatusCode::UNPROCESSABLE_ENTITY);

    let direct = spawn_app(pool.clone(), settings(None, &[])).await;
    sqlx::query("DELETE FROM login_failures").execute(&pool).await.unwrap();
    for n in 0..30 {
        log_in_from(&direct, &format!("d{n}@example.com"), "203.0.113.3").await;
    }
    assert_eq!(log_in_from(&direct, "last@example.com", "203.0.113.4").await, StatusCode::TOO_MANY_REQUESTS);
}

/// Item 3: mail that a request triggers is limited per recipient and per client address.
#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn mail_is_limited_per_recipient_and_per_address(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[("TEND_MAIL_PER_ADDRESS_PER_HOUR", "8")])).await;
    let ask = |email: &'static str| {
        let app = &app;
        async move { Browser::new().call(app, "request_password_reset", &[("email", email)]).await.status() }
    };
    for _ in 0..5 {
        assert_eq!(ask("dana@example.com").await, StatusCode::OK);
    }
    let sixth = Browser::new().call(&app, "request_password_reset", &[("email", "dana@example.com")]).await;
    assert_eq!(sixth.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(sixth.json::<Value>().await.unwrap(), Value::String("MailLimited".into()));

    for email in ["a@example.com", "b@example.com", "c@example.com"] {
        assert_eq!(ask(email).await, StatusCode::OK);
    }
    assert_eq!(ask("d@example.com").await, StatusCode::TOO_MANY_REQUESTS, "nine from one address");
    let jobs: i64 = sqlx::query_scalar("SELECT count(*) FROM jobs WHERE kind = 'send_password_reset'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(jobs, 8, "refused requests leave nothing behind");
}

/// Item 3: names and practice names cannot carry links into our mail.
#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn names_with_web_addresses_are_refused(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let form = [
        ("full_name", "Dana Rivers"),
        ("email", "dana@example.com"),
        ("password", PASSWORD),
        ("practice_name", "Pay at evil.example now"),
        ("time_zone", "America/Chicago"),
    ];

    let errors = field_errors(Browser::new().call(&app, "sign_up", &form).await).await;

    assert_eq!(errors, vec![("practice_name".into(), "Names cannot contain web or email addresses.".into())]);
}

/// Items 5 and 14: concurrent guesses at one email get five tries between them, not twenty.
#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn concurrent_guesses_get_no_more_than_the_limit(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    Browser::new().sign_up(&app, "Dana Rivers", "dana@example.com", "Rivers Nutrition").await;
    let guesses = (0..20).map(|n| {
        let app = &app;
        async move {
            let guess = format!("guess number {n}");
            Browser::new().log_in(app, "dana@example.com", &guess).await.status()
        }
    });

    let answers = join_all(guesses).await;

    let mut checked = answers.iter().filter(|s| **s == StatusCode::UNPROCESSABLE_ENTITY).count();
    assert!(checked <= 5, "{checked} guesses were checked at once: {answers:?}");
    // Guesses refused in the rush do not count: whatever is left of the five can still be used,
    // and not one more.
    loop {
        match Browser::new().log_in(&app, "dana@example.com", "one more guess").await.status() {
            StatusCode::UNPROCESSABLE_ENTITY => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => break,
            other => panic!("unexpected answer {other}"),
        }
        assert!(checked <= 5, "more than five guesses were checked");
    }
    assert_eq!(checked, 5);
}

/// Item 5: the password asked when accepting an invitation counts like a log-in.
#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn guessing_through_an_invitation_is_throttled(pool: PgPool) {
    let smtp = TestSmtp::start().await;
    let app = spawn_app(pool.clone(), settings(Some(&smtp), &[])).await;
    let f = fixture(&app, &pool).await;
    // Bob owns practice B; practice A invites his address.
    f.a.owner.call(&app, "invite_member", &[("email", "bob@b.example.com"), ("role", "staff")]).await;
    let token = token_of(&smtp.wait_for("bob@b.example.com", "join?token").await.first_link().unwrap());
    let guess = |n: usize| {
        let (app, token) = (&app, token.clone());
        async move {
            let password = format!("guess number {n}");
            let form = [("token", token.as_str()), ("full_name", "Bob"), ("password", password.as_str())];
            Browser::new().call(app, "accept_member_invitation", &form).await.status()
        }
    };
    for n in 0..5 {
        assert_eq!(guess(n).await, StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert_eq!(guess(5).await, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        Browser::new().log_in(&app, "bob@b.example.com", PASSWORD).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
}

/// Item 14: a log-in holds no pooled connection while argon2 runs, so slow log-ins cannot
/// take the whole pool. With one connection for requests, sixteen log-ins at once would wait
/// for each other's hashing (and time out) if each held it.
#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn log_ins_do_not_hold_a_connection_while_hashing(pool: PgPool) {
    // Two connections: the job worker's LISTEN keeps one, the requests share the other.
    let one = PgPoolOptions::new()
        .max_connections(2)
        .acquire_timeout(Duration::from_millis(500))
        .connect_with(pool.connect_options().as_ref().clone())
        .await
        .unwrap();
    let app = spawn_app(one, settings(None, &[])).await;
    let attempts = (0..16).map(|n| {
        let app = &app;
        async move { Browser::new().log_in(app, &format!("n{n}@example.com"), "not the password").await.status() }
    });

    let answers = join_all(attempts).await;

    assert!(answers.iter().all(|s| *s == StatusCode::UNPROCESSABLE_ENTITY), "{answers:?}");
}

async fn reset_token(app: &crate::support::TestApp, smtp: &TestSmtp, email: &str, nth: usize) -> String {
    Browser::new().call(app, "request_password_reset", &[("email", email)]).await;
    wait_until("the reset email arrived", || async {
        smtp.received()
            .iter()
            .filter(|m| m.recipients.contains(&email.to_owned()) && m.data.contains("reset-password"))
            .count()
            >= nth
    })
    .await;
    let mails: Vec<_> = smtp.received().into_iter().filter(|m| m.data.contains("reset-password")).collect();
    token_of(&mails[nth - 1].first_link().unwrap())
}

/// Item 7: a new link voids the older ones, and so does a password change.
#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn reset_links_die_with_a_newer_link_and_a_password_change(pool: PgPool) {
    let smtp = TestSmtp::start().await;
    let app = spawn_app(pool.clone(), settings(Some(&smtp), &[])).await;
    let dana = Browser::new();
    dana.sign_up(&app, "Dana Rivers", "dana@example.com", "Rivers Nutrition").await;
    let first = reset_token(&app, &smtp, "dana@example.com", 1).await;
    let second = reset_token(&app, &smtp, "dana@example.com", 2).await;

    let with_first = [("token", first.as_str()), ("password", "harbor violet sparrow")];
    assert_eq!(field_errors(Browser::new().call(&app, "reset_password", &with_first).await).await[0].0, "token");

    let change = [("current_password", PASSWORD), ("new_password", "copper lantern drifts east")];
    assert_eq!(dana.call(&app, "change_password", &change).await.status(), StatusCode::OK);
    let with_second = [("token", second.as_str()), ("password", "harbor violet sparrow")];
    assert_eq!(field_errors(Browser::new().call(&app, "reset_password", &with_second).await).await[0].0, "token");
}

/// Item 6: forgot-password does the same work for a known and an unknown address: one job.
#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn forgot_password_does_the_same_work_for_any_address(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    Browser::new().sign_up(&app, "Dana Rivers", "dana@example.com", "Rivers Nutrition").await;

    for email in ["dana@example.com", "nobody@example.com"] {
        let response = Browser::new().call(&app, "request_password_reset", &[("email", email)]).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.text().await.unwrap(), "null");
    }

    let jobs: Vec<Value> = sqlx::query_scalar("SELECT payload FROM jobs WHERE kind = 'send_password_reset'")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(jobs.len(), 2);
    wait_until("the known address got its link", || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT count(*) FROM emails WHERE to_address = 'dana@example.com' AND subject = 'Reset your Tend password'",
        )
        .fetch_one(&pool)
        .await
        .unwrap()
            == 1
    })
    .await;
}

/// Item 8: an owner never reads a member's private link in the outbox, even on a laptop with
/// no mail server; the member who was sent it can.
#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn the_outbox_shows_a_private_link_only_to_its_recipient(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let f = fixture(&app, &pool).await;
    for email in ["paul@a.example.com", "ann@a.example.com"] {
        Browser::new().call(&app, "request_password_reset", &[("email", email)]).await;
    }
    wait_until("both links are kept", || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT count(*) FROM emails WHERE subject = 'Reset your Tend password' AND status = 'kept'",
        )
        .fetch_one(&pool)
        .await
        .unwrap()
            >= 2
    })
    .await;

    let outbox: Value = f.a.owner.call(&app, "list_outbox", &[]).await.json().await.unwrap();

    let body_to = |to: &str| {
        outbox.as_array().unwrap().iter().find(|m| m["to"] == to && m["subject"] == "Reset your Tend password").unwrap()
            ["body"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert!(!body_to("paul@a.example.com").contains("token="), "the owner cannot read the provider's link");
    assert!(body_to("ann@a.example.com").contains("token="), "the owner reads their own");
}

/// Item 9: security headers on pages, on other responses, and HSTS behind https.
#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn every_response_carries_the_security_headers(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let f = fixture(&app, &pool).await;

    let login = Browser::new().http.get(format!("{}/login", app.base)).send().await.unwrap();
    let headers = login.headers().clone();
    let body = login.text().await.unwrap();
    let policy = headers["content-security-policy"].to_str().unwrap().to_owned();
    let nonce = policy.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap().to_owned();
    assert!(body.contains(&format!("nonce=\"{nonce}\"")), "the hydration script carries the header's nonce");
    assert!(!policy.contains("'unsafe-inline' ") && policy.contains("script-src 'self' 'nonce-"), "{policy}");
    assert!(policy.contains("frame-ancestors 'none'"));
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "same-origin");
    assert!(headers.get("strict-transport-security").is_none(), "no HSTS over plain http");

    let clients = f.a.owner.http.get(format!("{}/app/clients", app.base)).send().await.unwrap();
    assert_eq!(clients.headers()["cache-control"], "no-store");
    let policy = clients.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(policy.contains("'nonce-"), "an in-order page has the page policy too: {policy}");
    let record =
        f.a.owner
            .http
            .get(format!("{}/app/programs/{}", app.base, f.a_program))
            .header("accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
            .header("sec-fetch-mode", "navigate")
            .header("sec-fetch-dest", "document")
            .header("sec-fetch-site", "same-origin")
            .header("upgrade-insecure-requests", "1")
            .send()
            .await
            .unwrap();
    let policy = record.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(policy.contains("'nonce-"), "a record page (blocking resource) too: {policy}");
    let api = f.a.owner.call(&app, "list_clients", &[("search", ""), ("archived", "false"), ("page", "1")]).await;
    assert_eq!(api.headers()["cache-control"], "no-store");
    assert!(api.headers()["content-security-policy"].to_str().unwrap().contains("default-src 'none'"));
    let missing = Browser::new().http.get(format!("{}/no/such/page", app.base)).send().await.unwrap();
    assert!(missing.headers()["content-security-policy"].to_str().unwrap().contains("'nonce-"));

    let https = spawn_app(pool, settings(None, &[("PUBLIC_URL", "https://tend.example.com")])).await;
    let response = Browser::new().http.get(format!("{}/login", https.base)).send().await.unwrap();
    assert_eq!(response.headers()["strict-transport-security"], "max-age=31536000");
}

/// Item 10: a member who sees only their own clients learns nothing of the others.
#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn members_who_see_only_their_clients_learn_nothing_of_the_others(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let f = fixture(&app, &pool).await;
    let form = [
        ("client[first_name]", "Copy"),
        ("client[last_name]", "Cat"),
        ("client[email]", "two@clients.example.com"),
        ("client[phone]", ""),
        ("client[date_of_birth]", ""),
        ("client[time_zone]", "UTC"),
        ("client[primary_provider_id]", ""),
    ];
    let errors = field_errors(f.provider.call(&app, "add_client", &form).await).await;
    assert_eq!(errors[0].0, "email");
    assert!(!errors[0].1.contains("Another client"), "{}", errors[0].1);

    let group = f.a_group.to_string();
    for id in [f.client_one_id, f.client_two_id] {
        let id = id.to_string();
        f.a.owner.call(&app, "add_client_to_group", &[("group_id", &group), ("client_id", &id)]).await;
    }
    let groups: Value = f.provider.call(&app, "list_groups", &[]).await.json().await.unwrap();
    assert_eq!(groups[0]["client_count"], 1, "only the provider's own client counts");
    let groups: Value = f.a.owner.call(&app, "list_groups", &[]).await.json().await.unwrap();
    assert_eq!(groups[0]["client_count"], 2);

    let staff = f.staff_membership.to_string();
    let revoke = [("id", staff.as_str()), ("permission", "manage_groups"), ("enabled", "false")];
    assert_eq!(f.a.owner.call(&app, "set_member_permission", &revoke).await.status(), StatusCode::OK);
    let refused = f.staff.call(&app, "delete_group", &[("id", &group)]).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(refused.text().await.unwrap().contains("client groups"));
    let kept: i64 = sqlx::query_scalar("SELECT count(*) FROM client_groups").fetch_one(&pool).await.unwrap();
    assert_eq!(kept, 2);
}

/// Item 11: display-name forms of an address are refused, not rewritten.
#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn display_name_addresses_are_refused(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let f = fixture(&app, &pool).await;

    let invited = f.a.owner.call(&app, "invite_member", &[("email", "ann<eve@evil.example>"), ("role", "staff")]).await;

    assert_eq!(field_errors(invited).await[0].0, "email");
}

/// Item 12: the logo message on the settings page comes from a code, never from the address.
#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn page_messages_come_from_codes_not_from_the_address(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let f = fixture(&app, &pool).await;
    let page = |query: &'static str| {
        let (app, owner) = (&app, &f.a.owner);
        async move {
            owner
                .http
                .get(format!("{}/app/settings/practice?{query}", app.base))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };

    assert!(!page("logo_error=Your+card+was+declined.+Pay+at+evil.example").await.contains("declined"));
    assert!(page("logo_error=too_large").await.contains("The logo must be smaller than 2 MB."));
    for problem in tend_core::orgs::service::LogoProblem::ALL {
        assert_eq!(tend_app::orgs::logo_problem_message(problem.code()), Some(problem.message()));
    }
}

/// Item 13: a request id sent in is replaced by one of ours.
#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn an_incoming_request_id_is_replaced(pool: PgPool) {
    let app = spawn_app(pool, settings(None, &[])).await;

    let response = Browser::new()
        .http
        .get(format!("{}/healthz", app.base))
        .header("x-request-id", "forged-id")
        .send()
        .await
        .unwrap();

    let id = response.headers()["x-request-id"].to_str().unwrap();
    assert_ne!(id, "forged-id");
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
}
