//! The database itself keeps a client's links inside its practice.

use chrono::NaiveDate;
use sqlx::PgPool;
use tend_core::{
    auth::repo as users,
    clients::{ClientDetails, ClientForm, groups, repo as clients},
    clock::TimeZone,
    error::violated_constraint,
    orgs::{Permission, Role, repo as orgs},
};
use uuid::Uuid;

/// The name of the database constraint that refused a write.
fn refused_by(error: tend_core::Error) -> String {
    match error {
        tend_core::Error::Unexpected(error) => error
            .downcast_ref::<sqlx::Error>()
            .and_then(violated_constraint)
            .unwrap_or_else(|| panic!("not a constraint violation: {error}"))
            .to_owned(),
        other => panic!("not a database refusal: {other:?}"),
    }
}

async fn practice(pool: &PgPool, slug: &str) -> (Uuid, Uuid) {
    let mut conn = pool.acquire().await.unwrap();
    let org_id = orgs::insert_organization(&mut conn, slug, slug, TimeZone::UTC).await.unwrap();
    let user_id =
        users::insert_user(&mut conn, &format!("owner@{slug}.example.com"), "Owner", None, None).await.unwrap();
    let membership = orgs::insert_membership(&mut conn, org_id, user_id, Role::Owner, &Permission::ALL).await.unwrap();
    (org_id, membership)
}

fn details(provider: Uuid) -> ClientDetails {
    let form = ClientForm {
        first_name: "Ana".into(),
        last_name: "Lopez".into(),
        time_zone: "UTC".into(),
        primary_provider_id: provider.to_string(),
        ..ClientForm::default()
    };
    form.parse(NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()).unwrap()
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_client_cannot_be_given_another_practices_provider(pool: PgPool) {
    let (a, _) = practice(&pool, "a").await;
    let (_, b_owner) = practice(&pool, "b").await;
    let mut conn = pool.acquire().await.unwrap();

    let error = clients::insert_client(&mut conn, a, &details(b_owner), false, None).await.unwrap_err();

    assert_eq!(refused_by(error), "clients_provider_in_practice");
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_client_cannot_join_another_practices_group(pool: PgPool) {
    let (a, a_owner) = practice(&pool, "a").await;
    let (b, _) = practice(&pool, "b").await;
    let mut conn = pool.acquire().await.unwrap();
    let client = clients::insert_client(&mut conn, a, &details(a_owner), false, None).await.unwrap();
    let b_group = groups::repo::insert(&mut conn, b, "B group").await.unwrap();

    let error = clients::set_group(&mut conn, a, client, Some(b_group), chrono::Utc::now()).await.unwrap_err();

    assert_eq!(refused_by(error), "clients_group_in_practice");
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn deleting_a_group_or_a_member_keeps_the_client(pool: PgPool) {
    let (a, _) = practice(&pool, "a").await;
    let mut conn = pool.acquire().await.unwrap();
    let user = users::insert_user(&mut conn, "paul@a.example.com", "Paul", None, None).await.unwrap();
    let provider = orgs::insert_membership(&mut conn, a, user, Role::Provider, &[]).await.unwrap();
    let client = clients::insert_client(&mut conn, a, &details(provider), false, None).await.unwrap();
    let group = groups::repo::insert(&mut conn, a, "Group").await.unwrap();
    clients::set_group(&mut conn, a, client, Some(group), chrono::Utc::now()).await.unwrap();

    groups::repo::delete(&mut conn, a, group).await.unwrap();
    orgs::delete_membership(&mut conn, a, provider).await.unwrap();

    let record = clients::get_client(&mut conn, a, client).await.unwrap();
    assert_eq!(record.group_id, None);
    assert_eq!(record.primary_provider_id, None);
}
