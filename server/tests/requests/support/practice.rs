//! A fixture of two practices for access tests: members with different permissions, portal
//! clients, groups and an open invitation. Later features add their rows here.

use sqlx::PgPool;
use tend_core::{
    auth::{password, repo as users},
    clients::{ClientForm, groups, repo as clients},
    fields::NewPassword,
    orgs::{Permission, Role, repo as orgs},
};
use uuid::Uuid;

use super::{Browser, PASSWORD, TestApp};

pub struct Practice {
    pub org_id: Uuid,
    pub slug: String,
    pub owner: Browser,
    pub owner_membership: Uuid,
}

pub struct Fixture {
    pub a: Practice,
    pub b: Practice,
    /// Practice A's provider: default provider permissions (no "see all", no "manage members").
    pub provider: Browser,
    pub provider_membership: Uuid,
    /// Practice A's staff: default staff permissions ("see all", no "manage members").
    pub staff: Browser,
    pub staff_membership: Uuid,
    /// Practice A's client of the provider, with a portal login, signed in to the portal.
    pub client_one: Browser,
    pub client_one_id: Uuid,
    /// Practice A's client of the owner, with a portal login, signed in to the portal.
    pub client_two: Browser,
    pub client_two_id: Uuid,
    pub b_client_id: Uuid,
    pub a_group: Uuid,
    pub b_group: Uuid,
    pub a_invitation: Uuid,
    /// An active program of practice A whose first module (day 0) is open to client one,
    /// enrolled directly; practice B has one too.
    pub a_program: Uuid,
    pub a_module: Uuid,
    pub b_program: Uuid,
    pub b_module: Uuid,
    /// Practice A's appointment type (offered by the provider and the owner) and client one's
    /// appointment with the provider, a week from now.
    pub a_type: Uuid,
    pub a_appointment: Uuid,
    pub visitor: Browser,
}

/// An appointment type offered by `providers`, and an appointment of `client` with the first
/// of them a week from now.
pub async fn appointment(pool: &PgPool, org_id: Uuid, providers: &[Uuid], client: Uuid) -> (Uuid, Uuid) {
    let (type_id, id) = (Uuid::new_v4(), Uuid::new_v4());
    sqlx::query(
        "INSERT INTO appointment_types (id, org_id, name, duration_minutes, location_kind, created_at)
         VALUES ($1, $2, 'Follow-up', 50, 'phone', now())",
    )
    .bind(type_id)
    .bind(org_id)
    .execute(pool)
    .await
    .unwrap();
    for provider in providers {
        sqlx::query("INSERT INTO appointment_type_providers (org_id, type_id, provider_id) VALUES ($1, $2, $3)")
            .bind(org_id)
            .bind(type_id)
            .bind(provider)
            .execute(pool)
            .await
            .unwrap();
    }
    sqlx::query(
        "INSERT INTO appointments (id, org_id, client_id, provider_id, type_id, starts_at, ends_at, busy, booked_by,
             created_at, updated_at)
         SELECT $1, $2, $3, $4, $5, t, t + interval '50 minutes', tstzrange(t, t + interval '50 minutes'), 'provider',
                now(), now()
         FROM (SELECT date_trunc('hour', now()) + interval '7 days' AS t) AS start",
    )
    .bind(id)
    .bind(org_id)
    .bind(client)
    .bind(providers[0])
    .bind(type_id)
    .execute(pool)
    .await
    .unwrap();
    (type_id, id)
}

/// An active rolling program with one lesson released on day 0, and its module.
pub async fn program(pool: &PgPool, org_id: Uuid, title: &str) -> (Uuid, Uuid) {
    let (program, module) = (Uuid::new_v4(), Uuid::new_v4());
    sqlx::query(
        "INSERT INTO programs (id, org_id, title, kind, status, created_at, updated_at)
         VALUES ($1, $2, $3, 'rolling', 'active', now(), now())",
    )
    .bind(program)
    .bind(org_id)
    .bind(title)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO program_modules (id, org_id, program_id, position, kind, title, body, release_day, release_time)
         VALUES ($1, $2, $3, 1, 'lesson', 'Welcome', 'Hello **there**', 0, '00:00')",
    )
    .bind(module)
    .bind(org_id)
    .bind(program)
    .execute(pool)
    .await
    .unwrap();
    (program, module)
}

/// Enrolls a client directly, starting yesterday (so day 0 is open).
pub async fn enroll(pool: &PgPool, org_id: Uuid, program: Uuid, client: Uuid) {
    sqlx::query(
        "INSERT INTO program_enrollments (id, org_id, program_id, client_id, start_date, created_at)
         VALUES ($1, $2, $3, $4, current_date - 1, now())",
    )
    .bind(Uuid::new_v4())
    .bind(org_id)
    .bind(program)
    .bind(client)
    .execute(pool)
    .await
    .unwrap();
}

async fn hash() -> String {
    password::hash(NewPassword::parse(PASSWORD, &[]).unwrap()).await.unwrap()
}

async fn practice(app: &TestApp, pool: &PgPool, name: &str, email: &str, practice: &str) -> Practice {
    let owner = Browser::new();
    owner.sign_up(app, name, email, practice).await;
    let row: (Uuid, String, Uuid) = sqlx::query_as(
        "SELECT o.id, o.slug, m.id FROM organizations o JOIN memberships m ON m.org_id = o.id
         JOIN users u ON u.id = m.user_id WHERE u.email = $1",
    )
    .bind(email)
    .fetch_one(pool)
    .await
    .unwrap();
    Practice { org_id: row.0, slug: row.1, owner, owner_membership: row.2 }
}

async fn member(app: &TestApp, pool: &PgPool, org_id: Uuid, email: &str, role: Role) -> (Browser, Uuid) {
    let mut conn = pool.acquire().await.unwrap();
    let user_id = users::insert_user(&mut conn, email, "Member Person", Some(&hash().await), None).await.unwrap();
    let membership =
        orgs::insert_membership(&mut conn, org_id, user_id, role, &Permission::defaults_for(role)).await.unwrap();
    let browser = Browser::new();
    assert_eq!(browser.log_in(app, email, PASSWORD).await.status(), 200);
    (browser, membership)
}

pub async fn client(pool: &PgPool, org_id: Uuid, first: &str, email: &str, provider: Uuid) -> Uuid {
    let form = ClientForm {
        first_name: first.into(),
        last_name: "Client".into(),
        email: email.into(),
        time_zone: "America/Chicago".into(),
        primary_provider_id: provider.to_string(),
        ..ClientForm::default()
    };
    let mut conn = pool.acquire().await.unwrap();
    clients::insert_client(
        &mut conn,
        org_id,
        &form.parse(chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()).unwrap(),
        false,
        None,
    )
    .await
    .unwrap()
}

/// Gives a client a portal login and signs a browser in to the portal with it.
pub async fn portal_login(app: &TestApp, pool: &PgPool, client_id: Uuid, email: &str, slug: &str) -> Browser {
    let mut conn = pool.acquire().await.unwrap();
    let user_id = users::insert_user(&mut conn, email, "Portal Client", Some(&hash().await), None).await.unwrap();
    let org_id: Uuid =
        sqlx::query_scalar("SELECT org_id FROM clients WHERE id = $1").bind(client_id).fetch_one(pool).await.unwrap();
    clients::link_login(&mut conn, org_id, client_id, user_id).await.unwrap();
    let browser = Browser::new();
    let response =
        browser.call(app, "portal_log_in", &[("slug", slug), ("email", email), ("password", PASSWORD)]).await;
    assert_eq!(response.status(), 200, "portal log-in of {email}");
    browser
}

pub async fn fixture(app: &TestApp, pool: &PgPool) -> Fixture {
    let a = practice(app, pool, "Ann Owner", "ann@a.example.com", "Practice A").await;
    let b = practice(app, pool, "Bob Owner", "bob@b.example.com", "Practice B").await;
    let (provider, provider_membership) = member(app, pool, a.org_id, "paul@a.example.com", Role::Provider).await;
    let (staff, staff_membership) = member(app, pool, a.org_id, "sam@a.example.com", Role::Staff).await;
    let client_one_id = client(pool, a.org_id, "One", "one@clients.example.com", provider_membership).await;
    let client_two_id = client(pool, a.org_id, "Two", "two@clients.example.com", a.owner_membership).await;
    let b_client_id = client(pool, b.org_id, "Bea", "bea@clients.example.com", b.owner_membership).await;
    let client_one = portal_login(app, pool, client_one_id, "one@clients.example.com", &a.slug).await;
    let client_two = portal_login(app, pool, client_two_id, "two@clients.example.com", &a.slug).await;
    let mut conn = pool.acquire().await.unwrap();
    let a_group = groups::repo::insert(&mut conn, a.org_id, "A group").await.unwrap();
    let b_group = groups::repo::insert(&mut conn, b.org_id, "B group").await.unwrap();
    let invited = a.owner.call(app, "invite_member", &[("email", "new@a.example.com"), ("role", "staff")]).await;
    assert_eq!(invited.status(), 200);
    let a_invitation: Uuid = sqlx::query_scalar("SELECT id FROM member_invitations WHERE email = 'new@a.example.com'")
        .fetch_one(pool)
        .await
        .unwrap();
    let (a_program, a_module) = program(pool, a.org_id, "A program").await;
    let (b_program, b_module) = program(pool, b.org_id, "B program").await;
    enroll(pool, a.org_id, a_program, client_one_id).await;
    let (a_type, a_appointment) =
        appointment(pool, a.org_id, &[provider_membership, a.owner_membership], client_one_id).await;
    Fixture {
        a_type,
        a_appointment,
        a_program,
        a_module,
        b_program,
        b_module,
        a,
        b,
        provider,
        provider_membership,
        staff,
        staff_membership,
        client_one,
        client_one_id,
        client_two,
        client_two_id,
        b_client_id,
        a_group,
        b_group,
        a_invitation,
        visitor: Browser::new(),
    }
}
