//! Who is asking: a signed-in member of one organization, loaded fresh on every request so
//! removed members and changed permissions take effect at once.

use std::sync::Arc;

use serde::Deserialize;
use uuid::Uuid;

use crate::{
    Error, Result,
    clock::TimeZone,
    orgs::{Permission, Role},
};

#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Uuid,
    /// The membership row: what clients point at as their primary provider.
    pub membership_id: Uuid,
    pub full_name: String,
    pub email: String,
    pub org_id: Uuid,
    pub org_name: String,
    pub org_slug: String,
    /// The practice's zone: the default for its members, clients and schedules.
    pub org_time_zone: TimeZone,
    /// The member's own zone (the practice's unless they chose another): times they see.
    pub time_zone: TimeZone,
    pub role: Role,
    pub permissions: Vec<Permission>,
}

impl Actor {
    pub fn is_owner(&self) -> bool {
        self.role == Role::Owner
    }

    pub fn can(&self, permission: Permission) -> bool {
        self.is_owner() || self.permissions.contains(&permission)
    }

    /// Refuses with the permission's name so the member knows what to ask for.
    pub fn require(&self, permission: Permission) -> Result<()> {
        if self.can(permission) { Ok(()) } else { Err(Error::Forbidden(permission.label().to_owned())) }
    }

    pub fn require_owner(&self) -> Result<()> {
        if self.is_owner() { Ok(()) } else { Err(Error::Forbidden("Owner of the practice".to_owned())) }
    }
}

/// A row of the `member_callers` view as `to_jsonb` gives it: the session store reads it with
/// the session (one statement for both), and [`crate::orgs::service::actor_for_session`] reads
/// it alone when the session changed during the request.
#[derive(Debug, Clone, Deserialize)]
pub struct MemberCaller {
    user_id: Uuid,
    org_id: Uuid,
    auth_version: i32,
    membership_id: Uuid,
    full_name: String,
    email: String,
    org_name: String,
    org_slug: String,
    org_time_zone: String,
    time_zone: String,
    role: String,
    permissions: Vec<String>,
}

impl MemberCaller {
    /// Whether this is the member a session's ids name now.
    pub fn is_for(&self, user_id: Uuid, org_id: Uuid, auth_version: i32) -> bool {
        (self.user_id, self.org_id, self.auth_version) == (user_id, org_id, auth_version)
    }

    pub fn into_actor(self) -> Result<Actor> {
        let zone = |name: &str| name.parse::<TimeZone>().map_err(anyhow::Error::msg);
        Ok(Actor {
            user_id: self.user_id,
            membership_id: self.membership_id,
            full_name: self.full_name,
            email: self.email,
            org_id: self.org_id,
            org_name: self.org_name,
            org_slug: self.org_slug,
            org_time_zone: zone(&self.org_time_zone)?,
            time_zone: zone(&self.time_zone)?,
            role: self.role.parse::<Role>().map_err(anyhow::Error::msg)?,
            // A permission this build does not know (a newer release wrote it) grants nothing.
            permissions: self.permissions.iter().filter_map(|p| p.parse::<Permission>().ok()).collect(),
        })
    }
}

/// One request's memory of who is asking. The parts of a page (and the page's layout) each
/// check the caller; with this, PostgreSQL is read once per request. Keyed by what the
/// session said, so a session that changes during the request (log-in, another practice) is
/// read afresh. Never outlives its request: a removed member is refused on their next one.
pub struct RequestMemo<K, V>(Arc<tokio::sync::Mutex<Option<(K, V)>>>);

impl<K, V> Clone for RequestMemo<K, V> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

impl<K, V> Default for RequestMemo<K, V> {
    fn default() -> Self {
        Self(Arc::new(tokio::sync::Mutex::new(None)))
    }
}

impl<K: PartialEq, V: Clone> RequestMemo<K, V> {
    /// The value remembered for `key`, or what `load` gives (remembered unless it fails).
    /// Concurrent callers wait for the first one's load rather than each running it.
    pub async fn get_or_load<F, Fut>(&self, key: K, load: F) -> Result<V>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V>>,
    {
        let mut slot = self.0.lock().await;
        if let Some((known, value)) = slot.as_ref()
            && *known == key
        {
            return Ok(value.clone());
        }
        let value = load().await?;
        *slot = Some((key, value.clone()));
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(role: Role, permissions: Vec<Permission>) -> Actor {
        Actor {
            user_id: Uuid::nil(),
            membership_id: Uuid::nil(),
            full_name: "Ann".into(),
            email: "ann@example.com".into(),
            org_id: Uuid::nil(),
            org_name: "Green Leaf".into(),
            org_slug: "green-leaf".into(),
            org_time_zone: TimeZone::parse("America/Chicago").unwrap(),
            time_zone: TimeZone::parse("America/Chicago").unwrap(),
            role,
            permissions,
        }
    }

    #[test]
    fn owner_may_do_anything_even_without_listed_permissions() {
        assert!(member(Role::Owner, vec![]).require(Permission::IssueRefunds).is_ok());
    }

    #[test]
    fn staff_without_the_permission_is_told_which_one_is_missing() {
        let error = member(Role::Staff, vec![]).require(Permission::ManagePrograms).unwrap_err();
        assert!(matches!(error, Error::Forbidden(p) if p == Permission::ManagePrograms.label()));
    }

    #[test]
    fn provider_with_the_permission_may_act() {
        assert!(member(Role::Provider, vec![Permission::EnrollClients]).require(Permission::EnrollClients).is_ok());
    }

    #[tokio::test]
    async fn a_request_memo_loads_once_per_key_and_again_for_another() {
        let memo: RequestMemo<u8, u32> = RequestMemo::default();
        let loads = std::sync::atomic::AtomicU32::new(0);
        let load = || async { Ok(loads.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1) };
        let (a, b) = tokio::join!(memo.get_or_load(1, load), memo.get_or_load(1, load));
        assert_eq!((a.unwrap(), b.unwrap()), (1, 1), "the second caller waits for the first load");
        assert_eq!(memo.get_or_load(2, load).await.unwrap(), 2, "another session key is read afresh");
        let failed = memo.get_or_load(3, || async { Err::<u32, _>(Error::NotFound) }).await;
        assert!(failed.is_err());
        assert_eq!(memo.get_or_load(3, load).await.unwrap(), 3, "a failure is not remembered");
    }
}
