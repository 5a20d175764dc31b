//! The client counts kept by trigger match a real count after every kind of change.

use sqlx::PgPool;
use tend_core::{
    auth::repo as users,
    clients::{ClientForm, repo as clients},
    orgs::{Permission, Role, repo as orgs},
};
use uuid::Uuid;

async fn assert_counts_match(pool: &PgPool) {
    let drift: Vec<(Uuid, Option<Uuid>, bool, bool, i64, i64)> = sqlx::query_as(
        "WITH real AS (
             SELECT org_id, primary_provider_id AS provider_id, archived_at IS NOT NULL AS archived, is_test,
                    count(*) AS n
             FROM clients GROUP BY 1, 2, 3, 4)
         SELECT coalesce(r.org_id, c.org_id), coalesce(r.provider_id, c.provider_id),
                coalesce(r.archived, c.archived), coalesce(r.is_test, c.is_test),
                coalesce(r.n, 0), coalesce(c.n, 0)
         FROM real r FULL JOIN client_counts c
           ON c.org_id = r.org_id AND c.provider_id IS NOT DISTINCT FROM r.provider_id
          AND c.archived = r.archived AND c.is_test = r.is_test
         WHERE coalesce(r.n, 0) <> coalesce(c.n, 0)",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    assert!(drift.is_empty(), "counts drifted: {drift:?}");
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn counts_follow_inserts_archiving_reassignment_and_member_removal(pool: PgPool) {
    let mut conn = pool.acquire().await.unwrap();
    let org = orgs::insert_organization(&mut conn, "A", "a", tend_core::clock::TimeZone::UTC).await.unwrap();
    let owner_user = users::insert_user(&mut conn, "owner@a.example.com", "Owner", None, None).await.unwrap();
    let owner = orgs::insert_membership(&mut conn, org, owner_user, Role::Owner, &Permission::ALL).await.unwrap();
    let paul_user = users::insert_user(&mut conn, "paul@a.example.com", "Paul", None, None).await.unwrap();
    let paul = orgs::insert_membership(&mut conn, org, paul_user, Role::Provider, &[]).await.unwrap();
    let mut ids = Vec::new();
    for n in 0..6 {
        let provider = if n % 2 == 0 { owner } else { paul };
        let form = ClientForm {
            first_name: format!("C{n}"),
            last_name: "Client".into(),
            time_zone: "UTC".into(),
            primary_provider_id: provider.to_string(),
            ..ClientForm::default()
        };
        ids.push(
            clients::insert_client(
                &mut conn,
                org,
                &form.parse(chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()).unwrap(),
                n == 5,
                None,
            )
            .await
            .unwrap(),
        );
    }
    assert_counts_match(&pool).await;

    clients::set_archived(&mut conn, org, ids[0], true, chrono::Utc::now()).await.unwrap();
    clients::set_archived(&mut conn, org, ids[0], true, chrono::Utc::now()).await.unwrap();
    assert_counts_match(&pool).await;
    clients::set_archived(&mut conn, org, ids[0], false, chrono::Utc::now()).await.unwrap();
    clients::set_archived(&mut conn, org, ids[1], true, chrono::Utc::now()).await.unwrap();
    assert_counts_match(&pool).await;

    orgs::delete_membership(&mut conn, org, paul).await.unwrap();
    assert_counts_match(&pool).await;
    let unassigned: i64 =
        sqlx::query_scalar("SELECT n FROM client_counts WHERE provider_id IS NULL AND NOT archived AND NOT is_test")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(unassigned, 1, "C3 lost its provider; C1 is archived and C5 is a test client");
}
