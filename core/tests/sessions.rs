//! The session store reads a session and whoever it names in one statement, brings nobody the
//! session no longer names, and never writes the caller it read back into the session.

use std::{collections::HashMap, sync::Arc, time::Duration};

use serde_json::{Value, json};
use sqlx::PgPool;
use tend_core::{
    actor::MemberCaller,
    auth::repo as users,
    clock::{SystemClock, TimeZone},
    orgs::{Role, repo as orgs},
    portal::ClientCaller,
    sessions::{
        PgSessionStore,
        keys::{
            AUTH_VERSION, CLIENT_CALLER, MEMBER_CALLER, ORG_ID, PORTAL_AUTH_VERSION, PORTAL_CLIENT_ID, PORTAL_USER_ID,
            USER_ID,
        },
    },
};
use tower_sessions::{
    SessionStore,
    session::{Id, Record},
};
use uuid::Uuid;

fn store(pool: &PgPool) -> PgSessionStore {
    PgSessionStore::new(pool.clone(), Arc::new(SystemClock), Duration::from_secs(1800))
}

async fn new_session(store: &PgSessionStore, data: &[(&str, Value)]) -> Id {
    let mut record = Record {
        id: Id::default(),
        data: data.iter().map(|(key, value)| ((*key).to_owned(), value.clone())).collect::<HashMap<_, _>>(),
        expiry_date: time::OffsetDateTime::now_utc() + time::Duration::minutes(30),
    };
    store.create(&mut record).await.unwrap();
    record.id
}

async fn stored_data(pool: &PgPool, id: Id) -> Value {
    sqlx::query_scalar("SELECT data FROM sessions WHERE id = $1").bind(id.to_string()).fetch_one(pool).await.unwrap()
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_session_brings_its_member_until_the_password_changes(pool: PgPool) {
    let mut conn = pool.acquire().await.unwrap();
    let org_id = orgs::insert_organization(&mut conn, "Green Leaf", "green-leaf", TimeZone::UTC).await.unwrap();
    let user_id = users::insert_user(&mut conn, "olivia@example.com", "Olivia Owner", None, None).await.unwrap();
    orgs::insert_membership(&mut conn, org_id, user_id, Role::Owner, &[]).await.unwrap();
    let store = store(&pool);
    let id = new_session(&store, &[(USER_ID, json!(user_id)), (ORG_ID, json!(org_id)), (AUTH_VERSION, json!(1))]).await;

    let loaded = store.load(&id).await.unwrap().expect("the session is live");
    let caller: MemberCaller = serde_json::from_value(loaded.data[MEMBER_CALLER].clone()).unwrap();
    assert!(caller.is_for(user_id, org_id, 1));
    assert!(!caller.is_for(user_id, org_id, 2), "another auth version is someone else's session");
    let actor = caller.into_actor().unwrap();
    assert_eq!(
        (actor.role, actor.org_slug.as_str(), actor.full_name.as_str()),
        (Role::Owner, "green-leaf", "Olivia Owner")
    );
    assert!(!loaded.data.contains_key(CLIENT_CALLER), "no portal client in this session");

    store.save(&loaded).await.unwrap();
    let stored = stored_data(&pool, id).await;
    assert_eq!(stored[USER_ID], json!(user_id), "the session's own data is kept");
    assert!(stored.get(MEMBER_CALLER).is_none(), "the caller read with the session is never stored: {stored}");

    sqlx::query("UPDATE users SET auth_version = 2 WHERE id = $1").bind(user_id).execute(&pool).await.unwrap();
    let loaded = store.load(&id).await.unwrap().expect("the session row is still there");
    assert!(!loaded.data.contains_key(MEMBER_CALLER), "a changed password names nobody");
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_portal_session_brings_its_client_until_the_client_is_archived(pool: PgPool) {
    let mut conn = pool.acquire().await.unwrap();
    let org_id = orgs::insert_organization(&mut conn, "Green Leaf", "green-leaf", TimeZone::UTC).await.unwrap();
    let user_id = users::insert_user(&mut conn, "maya@example.com", "Maya Chen", None, None).await.unwrap();
    let client_id = Uuid::new_v4();
    sqlx::query(
        "INSERT INTO clients (id, org_id, first_name, last_name, email, time_zone, user_id)
         VALUES ($1, $2, 'Maya', 'Chen', 'maya@example.com', 'Europe/Lisbon', $3)",
    )
    .bind(client_id)
    .bind(org_id)
    .bind(user_id)
    .execute(&pool)
    .await
    .unwrap();
    let store = store(&pool);
    let id = new_session(
        &store,
        &[(PORTAL_CLIENT_ID, json!(client_id)), (PORTAL_USER_ID, json!(user_id)), (PORTAL_AUTH_VERSION, json!(1))],
    )
    .await;

    let loaded = store.load(&id).await.unwrap().expect("the session is live");
    assert!(!loaded.data.contains_key(MEMBER_CALLER), "no member in this session");
    let caller: ClientCaller = serde_json::from_value(loaded.data[CLIENT_CALLER].clone()).unwrap();
    assert!(caller.is_for(client_id, user_id, "green-leaf", 1));
    assert!(!caller.is_for(client_id, user_id, "another-practice", 1), "a client is a client of one practice");
    let actor = caller.into_actor().unwrap();
    assert_eq!((actor.first_name.as_str(), actor.time_zone.name()), ("Maya", "Europe/Lisbon"));

    sqlx::query("UPDATE clients SET archived_at = now() WHERE id = $1").bind(client_id).execute(&pool).await.unwrap();
    let loaded = store.load(&id).await.unwrap().expect("the session row is still there");
    assert!(!loaded.data.contains_key(CLIENT_CALLER), "an archived client names nobody");
}
