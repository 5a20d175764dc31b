//! Members, clients, groups, portal invitations, the test client and the logo.

use reqwest::StatusCode;
use serde_json::Value;
use sqlx::PgPool;

use crate::support::{
    Browser, PASSWORD, TestSmtp, field_errors,
    practice::{client, fixture},
    settings, spawn_app, spawn_app_at, token_of,
};

fn client_form<'a>(first: &'a str, email: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("client[first_name]", first),
        ("client[last_name]", "Lopez"),
        ("client[email]", email),
        ("client[phone]", ""),
        ("client[date_of_birth]", "1990-02-03"),
        ("client[time_zone]", "America/Chicago"),
        ("client[primary_provider_id]", ""),
    ]
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn two_clients_of_one_practice_cannot_share_an_email_but_two_practices_can(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let f = fixture(&app, &pool).await;

    let duplicate = f.a.owner.call(&app, "add_client", &client_form("Ana", "One@Clients.example.com")).await;
    let elsewhere = f.b.owner.call(&app, "add_client", &client_form("Ana", "one@clients.example.com")).await;

    let errors = field_errors(duplicate).await;
    assert_eq!(errors[0].0, "email");
    assert_eq!(elsewhere.status(), StatusCode::OK);
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_provider_adding_a_client_becomes_their_provider(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let f = fixture(&app, &pool).await;

    f.provider.call(&app, "add_client", &client_form("Ana", "ana@example.com")).await;

    let list = f.provider.list_clients(&app, "ana@", false, 1).await;
    assert_eq!(list["rows"][0]["name"], "Ana Lopez");
    assert_eq!(list["rows"][0]["provider"], "Member Person");
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn search_and_pages_cover_the_whole_list(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let f = fixture(&app, &pool).await;
    for n in 0..30 {
        client(&pool, f.a.org_id, &format!("Zed{n:02}"), &format!("zed{n}@example.com"), f.a.owner_membership).await;
    }

    let first = f.a.owner.list_clients(&app, "zed", false, 1).await;
    let second = f.a.owner.list_clients(&app, "zed", false, 2).await;

    assert_eq!(first["total"], 30);
    assert_eq!(first["page_count"], 2);
    assert_eq!(first["rows"].as_array().unwrap().len(), 25);
    assert_eq!(second["rows"].as_array().unwrap().len(), 5);
    assert_eq!(second["total"], 30, "the count comes with the page, on every page");

    // Next and Previous name the client next to them (keyset): the same pages as by number.
    let ids = |page: &Value| -> Vec<String> {
        page["rows"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect()
    };
    let everyone_1 = f.a.owner.list_clients(&app, "", false, 1).await;
    let everyone_2 = f.a.owner.list_clients(&app, "", false, 2).await;
    let last_of_1 = ids(&everyone_1).last().unwrap().clone();
    let first_of_2 = ids(&everyone_2)[0].clone();
    let args = |side: &'static str, id: &str| -> Vec<(&'static str, String)> {
        vec![("search", String::new()), ("archived", "false".into()), ("page", "2".into()), (side, id.to_owned())]
    };
    let call = |args: Vec<(&'static str, String)>| {
        let owner = &f.a.owner;
        let app = &app;
        async move {
            let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            owner.call(app, "list_clients", &args).await.json::<Value>().await.unwrap()
        }
    };
    let next = call(args("after", &last_of_1)).await;
    assert_eq!(ids(&next), ids(&everyone_2));
    assert_eq!(next["page"], 2);
    let mut previous_args = args("before", &first_of_2);
    previous_args[2].1 = "1".into();
    // Page 1 is always the start of the list, whatever client is named.
    assert_eq!(ids(&call(previous_args).await), ids(&everyone_1));
    let mut back_from_3 = args("before", &first_of_2);
    back_from_3[2].1 = "2".into();
    assert_eq!(ids(&call(back_from_3).await), ids(&everyone_1)[..].to_vec(), "the 25 before page 2's first");
    // A client that is not (or no longer) in the list: the page by number.
    assert_eq!(ids(&call(args("after", &uuid::Uuid::new_v4().to_string())).await), ids(&everyone_2));

    // Past the last page: the last page, still counted.
    let beyond = f.a.owner.list_clients(&app, "zed", false, 9).await;
    assert_eq!((beyond["page"].clone(), beyond["total"].clone()), (2.into(), 30.into()));
    assert_eq!(beyond["rows"].as_array().unwrap().len(), 5);
    let none = f.a.owner.list_clients(&app, "nobody-has-this-name", false, 1).await;
    assert_eq!((none["total"].clone(), none["rows"].as_array().unwrap().len()), (0.into(), 0));
    // A very long term is cut to its first 100 characters rather than searched whole.
    let long = format!("zed{}", "x".repeat(2_000));
    let cut = f.a.owner.list_clients(&app, &long, false, 1).await;
    assert_eq!(cut["total"], 0);
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn archived_clients_leave_the_list_and_cannot_log_in_until_restored(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let f = fixture(&app, &pool).await;
    let id = f.client_one_id.to_string();

    f.a.owner.call(&app, "set_client_archived", &[("id", &id), ("archived", "true")]).await;

    let active = f.a.owner.list_clients(&app, "", false, 1).await;
    let archived = f.a.owner.list_clients(&app, "", true, 1).await;
    assert_eq!(active["total"], 1);
    assert_eq!(archived["rows"][0]["name"], "One Client");
    assert_eq!(
        f.client_one.call(&app, "portal_client", &[("slug", &f.a.slug)]).await.json::<Value>().await.unwrap(),
        Value::Null
    );
    let login = Browser::new()
        .call(
            &app,
            "portal_log_in",
            &[("slug", &f.a.slug), ("email", "one@clients.example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(login.status(), StatusCode::UNPROCESSABLE_ENTITY);

    f.a.owner.call(&app, "set_client_archived", &[("id", &id), ("archived", "false")]).await;
    let login = Browser::new()
        .call(
            &app,
            "portal_log_in",
            &[("slug", &f.a.slug), ("email", "one@clients.example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(login.status(), StatusCode::OK);
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn an_invited_client_sets_a_password_and_reaches_the_portal_once(pool: PgPool) {
    let smtp = TestSmtp::start().await;
    let app = spawn_app(pool.clone(), settings(Some(&smtp), &[])).await;
    let f = fixture(&app, &pool).await;
    let id = client(&pool, f.a.org_id, "Cora", "cora@example.com", f.a.owner_membership).await.to_string();

    assert_eq!(f.a.owner.call(&app, "invite_client", &[("id", &id)]).await.status(), StatusCode::OK);
    let mail = smtp.wait_for("cora@example.com", "client portal").await;
    let link = mail.first_link().unwrap();
    assert!(mail.data.contains("text/html"), "a branded HTML part");
    assert!(mail.data.contains("#2f6f5e"), "in the practice's accent colour");
    assert!(link.contains(&format!("/p/{}/welcome?token=", f.a.slug)), "{link}");
    let cora = Browser::new();
    let accept = [("slug", f.a.slug.as_str()), ("token", &token_of(&link)), ("password", "harbor violet sparrow")];
    let accepted = cora.call(&app, "accept_client_invitation", &accept).await;
    let again = Browser::new().call(&app, "accept_client_invitation", &accept).await;

    assert_eq!(accepted.status(), StatusCode::OK);
    let me: Value = cora.call(&app, "portal_client", &[("slug", &f.a.slug)]).await.json().await.unwrap();
    assert_eq!(me["first_name"], "Cora");
    assert_eq!(me["provider"], "Ann Owner");
    assert_eq!(field_errors(again).await[0].0, "token");
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn resending_a_client_invitation_voids_the_first_link(pool: PgPool) {
    let smtp = TestSmtp::start().await;
    let app = spawn_app(pool.clone(), settings(Some(&smtp), &[])).await;
    let f = fixture(&app, &pool).await;
    let id = client(&pool, f.a.org_id, "Cora", "cora@example.com", f.a.owner_membership).await.to_string();
    f.a.owner.call(&app, "invite_client", &[("id", &id)]).await;
    let first = token_of(&smtp.wait_for("cora@example.com", "client portal").await.first_link().unwrap());

    f.a.owner.call(&app, "invite_client", &[("id", &id)]).await;

    let response = Browser::new()
        .call(
            &app,
            "accept_client_invitation",
            &[("slug", &f.a.slug), ("token", &first), ("password", "harbor violet sparrow")],
        )
        .await;
    assert_eq!(field_errors(response).await[0].0, "token");
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn an_invited_member_joins_with_the_invited_role(pool: PgPool) {
    let smtp = TestSmtp::start().await;
    let app = spawn_app(pool.clone(), settings(Some(&smtp), &[])).await;
    let f = fixture(&app, &pool).await;
    f.a.owner.call(&app, "invite_member", &[("email", "nia@example.com"), ("role", "provider")]).await;
    let link = smtp.wait_for("nia@example.com", "Join Practice A").await.first_link().unwrap();
    let nia = Browser::new();

    let joined = nia
        .call(
            &app,
            "accept_member_invitation",
            &[("token", &token_of(&link)), ("full_name", "Nia Park"), ("password", "harbor violet sparrow")],
        )
        .await;

    assert_eq!(joined.status(), StatusCode::OK);
    let me = nia.current_member(&app).await;
    assert_eq!(me["practice_name"], "Practice A");
    assert_eq!(me["role"], "Provider");
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_revoked_member_invitation_cannot_be_accepted(pool: PgPool) {
    let smtp = TestSmtp::start().await;
    let app = spawn_app(pool.clone(), settings(Some(&smtp), &[])).await;
    let f = fixture(&app, &pool).await;
    let link = smtp.wait_for("new@a.example.com", "Join Practice A").await.first_link().unwrap();

    f.a.owner.call(&app, "revoke_member_invitation", &[("id", &f.a_invitation.to_string())]).await;

    let response = Browser::new()
        .call(
            &app,
            "accept_member_invitation",
            &[("token", &token_of(&link)), ("full_name", "New"), ("password", "harbor violet sparrow")],
        )
        .await;
    assert_eq!(field_errors(response).await[0].0, "token");
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn removing_a_member_ends_their_sessions_at_once(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let f = fixture(&app, &pool).await;
    assert_eq!(f.staff.current_member(&app).await["practice_name"], "Practice A");

    let removed = f.a.owner.call(&app, "remove_member", &[("id", &f.staff_membership.to_string())]).await;

    assert_eq!(removed.status(), StatusCode::OK);
    assert_eq!(f.staff.current_member(&app).await, Value::Null);
    let refused = f.staff.call(&app, "list_groups", &[]).await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_granted_permission_takes_effect_on_the_next_request(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let f = fixture(&app, &pool).await;
    let two = f.client_two_id.to_string();
    assert_eq!(f.provider.call(&app, "get_client", &[("id", &two)]).await.status(), StatusCode::NOT_FOUND);

    let membership = f.provider_membership.to_string();
    let args = [("id", membership.as_str()), ("permission", "see_all_clients"), ("enabled", "true")];
    assert_eq!(f.a.owner.call(&app, "set_member_permission", &args).await.status(), StatusCode::OK);

    assert_eq!(f.provider.call(&app, "get_client", &[("id", &two)]).await.status(), StatusCode::OK);
    let members: Value = f.a.owner.call(&app, "list_members", &[]).await.json().await.unwrap();
    let paul = members["members"].as_array().unwrap().iter().find(|m| m["id"] == membership.as_str()).unwrap();
    let see_all = paul["permissions"].as_array().unwrap().iter().find(|p| p["key"] == "see_all_clients").unwrap();
    assert_eq!(see_all["on"], true);
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_client_is_in_one_group_at_a_time(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let f = fixture(&app, &pool).await;
    let one = f.client_one_id.to_string();
    f.a.owner.call(&app, "create_group", &[("name", "Second")]).await;
    let second: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM client_groups WHERE name = 'Second'").fetch_one(&pool).await.unwrap();
    let first = f.a_group.to_string();

    f.a.owner.call(&app, "add_client_to_group", &[("group_id", &first), ("client_id", &one)]).await;
    f.a.owner.call(&app, "set_client_group", &[("id", &one), ("group_id", &second.to_string())]).await;

    let first_group: Value = f.a.owner.call(&app, "get_group", &[("id", &first)]).await.json().await.unwrap();
    let second_group: Value =
        f.a.owner.call(&app, "get_group", &[("id", &second.to_string())]).await.json().await.unwrap();
    assert!(first_group["members"].as_array().unwrap().is_empty());
    assert_eq!(second_group["members"][0]["name"], "One Client");
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn group_names_are_unique_within_a_practice(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let f = fixture(&app, &pool).await;

    let duplicate = f.a.owner.call(&app, "create_group", &[("name", "a GROUP")]).await;
    let other_practice = f.b.owner.call(&app, "create_group", &[("name", "A group")]).await;

    assert_eq!(field_errors(duplicate).await[0].0, "name");
    assert_eq!(other_practice.status(), StatusCode::OK);
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn the_test_client_opens_the_portal_and_stays_out_of_counts(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let f = fixture(&app, &pool).await;
    f.a.owner.call(&app, "add_test_client", &[]).await;
    f.a.owner.call(&app, "add_test_client", &[]).await;
    let test_id: uuid::Uuid =
        sqlx::query_scalar("SELECT id FROM clients WHERE is_test").fetch_one(&pool).await.unwrap();

    let opened = f.a.owner.call(&app, "open_test_portal", &[("id", &test_id.to_string())]).await;
    let someone_else = f.staff.call(&app, "open_test_portal", &[("id", &test_id.to_string())]).await;

    assert_eq!(opened.status(), StatusCode::OK);
    assert_eq!(someone_else.status(), StatusCode::NOT_FOUND);
    let me: Value = f.a.owner.call(&app, "portal_client", &[("slug", &f.a.slug)]).await.json().await.unwrap();
    assert_eq!(me["is_test"], true);
    assert_eq!(me["first_name"], "Ann");
    let list = f.a.owner.list_clients(&app, "", false, 1).await;
    assert_eq!(list["total"], 2, "two real clients; the test client is listed but not counted");
    assert_eq!(list["rows"].as_array().unwrap().len(), 3);
    assert_eq!(f.a.owner.current_member(&app).await["email"], "ann@a.example.com", "still a member too");
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_client_changes_their_own_phone_and_time_zone_only(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let f = fixture(&app, &pool).await;
    let args = [("slug", f.a.slug.as_str()), ("phone", "call me"), ("time_zone", "Mars/Base")];

    let errors = field_errors(f.client_one.call(&app, "update_portal_contact", &args).await).await;
    let saved = f
        .client_one
        .call(
            &app,
            "update_portal_contact",
            &[("slug", &f.a.slug), ("phone", "+44 20 7946 0958"), ("time_zone", "Europe/London")],
        )
        .await;

    assert_eq!(errors.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>(), ["phone", "time_zone"]);
    assert_eq!(saved.status(), StatusCode::OK);
    let client: Value =
        f.a.owner.call(&app, "get_client", &[("id", &f.client_one_id.to_string())]).await.json().await.unwrap();
    assert_eq!(client["phone"], "+44 20 7946 0958");
    assert_eq!(client["time_zone"], "Europe/London");
}

const PNG_1X1: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8,
    6, 0, 0, 0, 0x1F, 0x15, 0xC4, 0x89,
];

async fn upload_logo(browser: &Browser, base: &str, bytes: &[u8], name: &str) -> String {
    let part = reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_owned());
    let form = reqwest::multipart::Form::new().part("logo", part);
    let response = browser
        .http
        .post(format!("{base}/app/settings/logo"))
        .header("sec-fetch-site", "same-origin")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    response.headers()["location"].to_str().unwrap().to_owned()
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_real_image_becomes_the_portal_logo_and_anything_else_is_refused(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let f = fixture(&app, &pool).await;
    let base = format!("http://{}", app.base.trim_start_matches("http://"));

    let fake = upload_logo(&f.a.owner, &base, b"<svg onload=alert(1)>", "logo.png").await;
    let by_staff = upload_logo(&f.staff, &base, PNG_1X1, "logo.png").await;
    let real = upload_logo(&f.a.owner, &base, PNG_1X1, "logo.png").await;

    assert!(fake.ends_with("logo_error=not_an_image"), "{fake}");
    assert!(by_staff.ends_with("logo_error=forbidden"), "{by_staff}");
    assert_eq!(real, "/app/settings/practice?logo=saved");
    let logo = reqwest::get(format!("{base}/p/{}/logo", f.a.slug)).await.unwrap();
    assert_eq!(logo.headers()["content-type"], "image/png");
    assert_eq!(logo.bytes().await.unwrap().as_ref(), PNG_1X1);
    let brand: Value = Browser::new().call(&app, "portal_brand", &[("slug", &f.a.slug)]).await.json().await.unwrap();
    assert_eq!(brand["logo_url"], format!("/p/{}/logo", f.a.slug));
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn expired_invitations_are_refused(pool: PgPool) {
    let smtp = TestSmtp::start().await;
    let (app, clock) = spawn_app_at(pool.clone(), settings(Some(&smtp), &[])).await;
    let f = fixture(&app, &pool).await;
    let member_link = smtp.wait_for("new@a.example.com", "Join Practice A").await.first_link().unwrap();
    let id = client(&pool, f.a.org_id, "Cora", "cora@example.com", f.a.owner_membership).await.to_string();
    f.a.owner.call(&app, "invite_client", &[("id", &id)]).await;
    let client_link = smtp.wait_for("cora@example.com", "client portal").await.first_link().unwrap();
    clock.advance(chrono::Duration::days(7) + chrono::Duration::minutes(1));

    let member = Browser::new()
        .call(
            &app,
            "accept_member_invitation",
            &[("token", &token_of(&member_link)), ("full_name", "New"), ("password", "harbor violet sparrow")],
        )
        .await;
    let portal = Browser::new()
        .call(
            &app,
            "accept_client_invitation",
            &[("slug", &f.a.slug), ("token", &token_of(&client_link)), ("password", "harbor violet sparrow")],
        )
        .await;

    assert_eq!(field_errors(member).await[0].0, "token");
    assert_eq!(field_errors(portal).await[0].0, "token");
}
