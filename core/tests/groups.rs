//! A group's page reads its members fifty at a time from a cursor, in name order, both ways,
//! and counts only the members the reader may see.

use std::sync::Arc;

use sqlx::PgPool;
use tend_core::{
    Actor, Context,
    auth::repo as users,
    clients::groups::{self, repo::MemberPage},
    clock::TimeZone,
    orgs::{Permission, Role, repo as orgs},
    settings::Settings,
};
use uuid::Uuid;

async fn member(pool: &PgPool, org_id: Uuid, email: &str, role: Role, permissions: &[Permission]) -> Actor {
    let mut conn = pool.acquire().await.unwrap();
    let user_id = users::insert_user(&mut conn, email, email, None, None).await.unwrap();
    orgs::insert_membership(&mut conn, org_id, user_id, role, permissions).await.unwrap();
    orgs::load_actor(&mut conn, user_id, org_id, 1).await.unwrap().unwrap()
}

/// Every name on the pages walked from the first with Next, then back with Previous.
async fn walk(ctx: &Context, actor: &Actor, group: Uuid) -> (Vec<String>, Vec<String>, Vec<usize>, i64) {
    let (mut forward, mut sizes, mut page) = (Vec::new(), Vec::new(), MemberPage::First);
    let total = loop {
        let detail = groups::detail(ctx, actor, group, page).await.unwrap();
        assert_eq!(detail.previous.is_some(), page != MemberPage::First, "Previous only after the first page");
        sizes.push(detail.members.len());
        forward.extend(detail.members.iter().map(|m| m.last_name.clone()));
        match detail.next {
            Some(last) => page = MemberPage::After(last),
            None => break detail.total,
        }
    };
    let mut backward = Vec::new();
    let mut detail = groups::detail(ctx, actor, group, page).await.unwrap();
    loop {
        backward.splice(0..0, detail.members.iter().map(|m| m.last_name.clone()));
        let Some(first) = detail.previous else { break };
        detail = groups::detail(ctx, actor, group, MemberPage::Before(first)).await.unwrap();
        assert!(detail.next.is_some());
    }
    (forward, backward, sizes, total)
}

#[sqlx::test(migrations = "../migrations")]
async fn a_groups_members_page_by_name_both_ways_and_only_visible_ones_count(pool: PgPool) {
    let mut conn = pool.acquire().await.unwrap();
    let org_id = orgs::insert_organization(&mut conn, "Green", "green", TimeZone::parse("UTC").unwrap()).await.unwrap();
    let owner = member(&pool, org_id, "owner@example.com", Role::Owner, &Permission::ALL).await;
    let provider = member(&pool, org_id, "paula@example.com", Role::Provider, &[]).await;
    let group = groups::repo::insert(&mut conn, org_id, "Spring cohort").await.unwrap();
    // 120 members with shuffled names (every third is Paula's), one archived, one outside.
    for n in 0..122 {
        let last = format!("Member{:03}", (n * 37) % 122);
        let primary = if n % 3 == 0 { provider.membership_id } else { owner.membership_id };
        sqlx::query(
            "INSERT INTO clients (id, org_id, first_name, last_name, time_zone, primary_provider_id, group_id, archived_at)
             VALUES ($1, $2, 'Ann', $3, 'UTC', $4, $5, CASE WHEN $6 THEN now() END)",
        )
        .bind(Uuid::new_v4())
        .bind(org_id)
        .bind(&last)
        .bind(primary)
        .bind((n != 121).then_some(group))
        .bind(n == 120)
        .execute(&mut *conn)
        .await
        .unwrap();
    }
    let ctx = Context::new(pool.clone(), Arc::new(Settings::from_lookup(|_| None).unwrap()));

    let (forward, backward, sizes, total) = walk(&ctx, &owner, group).await;
    let mut expected: Vec<String> =
        (0..122).filter(|n| *n < 120).map(|n| format!("Member{:03}", (n * 37) % 122)).collect();
    expected.sort();
    assert_eq!(sizes, [50, 50, 20]);
    assert_eq!(total, 120);
    assert_eq!(forward, expected);
    assert_eq!(backward, expected, "Previous pages hold the same names");

    let (forward, _, sizes, total) = walk(&ctx, &provider, group).await;
    assert_eq!((sizes, total), (vec![40], 40), "a provider without 'see all clients' sees their own");
    assert!(forward.is_sorted());
}
