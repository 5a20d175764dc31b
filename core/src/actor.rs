//! Who is asking: a signed-in member of one organization, loaded fresh on every request so
//! removed members and changed permissions take effect at once.

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
}
