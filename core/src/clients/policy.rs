//! Who may see and change which client.

use uuid::Uuid;

use crate::{Actor, orgs::Permission};

/// The provider filter for listing: `None` sees every client, `Some(id)` only that
/// provider's own clients.
pub fn visible_provider(actor: &Actor) -> Option<Uuid> {
    if actor.can(Permission::SeeAllClients) { None } else { Some(actor.membership_id) }
}

/// May `actor` see a client whose primary provider is `primary_provider_id`?
pub fn can_see(actor: &Actor, primary_provider_id: Option<Uuid>) -> bool {
    match visible_provider(actor) {
        None => true,
        Some(own) => primary_provider_id == Some(own),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orgs::Role;

    fn actor(role: Role, permissions: Vec<Permission>) -> Actor {
        Actor {
            user_id: Uuid::new_v4(),
            membership_id: Uuid::new_v4(),
            full_name: "Paul".into(),
            email: "paul@example.com".into(),
            org_id: Uuid::new_v4(),
            org_name: "Green Leaf".into(),
            org_slug: "green-leaf".into(),
            org_time_zone: crate::clock::TimeZone::UTC,
            time_zone: crate::clock::TimeZone::UTC,
            role,
            permissions,
        }
    }

    #[test]
    fn a_provider_without_see_all_sees_only_their_own_clients() {
        let provider = actor(Role::Provider, vec![]);
        assert!(can_see(&provider, Some(provider.membership_id)));
        assert!(!can_see(&provider, Some(Uuid::new_v4())));
        assert!(!can_see(&provider, None));
    }

    #[test]
    fn see_all_and_owners_see_every_client() {
        assert!(can_see(&actor(Role::Staff, vec![Permission::SeeAllClients]), Some(Uuid::new_v4())));
        assert!(can_see(&actor(Role::Owner, vec![]), None));
    }
}
