//! Organizations (practices), their members, roles and permissions.

pub mod repo;
pub mod service;

use std::str::FromStr;

/// What a member is to the practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Owner,
    Provider,
    Staff,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Provider => "provider",
            Role::Staff => "staff",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Owner => "Owner",
            Role::Provider => "Provider",
            Role::Staff => "Staff",
        }
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "owner" => Ok(Role::Owner),
            "provider" => Ok(Role::Provider),
            "staff" => Ok(Role::Staff),
            other => Err(format!("unknown role `{other}`")),
        }
    }
}

/// A thing a member may be allowed to do. Owners have all of them, always.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    ManagePrograms,
    EnrollClients,
    SeeAllClients,
    ManageSchedulingForOthers,
    ChargeClients,
    IssueRefunds,
    ManageSettings,
    ManageMembers,
    ManageGroups,
}

impl Permission {
    pub const ALL: [Permission; 9] = [
        Permission::ManagePrograms,
        Permission::EnrollClients,
        Permission::SeeAllClients,
        Permission::ManageSchedulingForOthers,
        Permission::ChargeClients,
        Permission::IssueRefunds,
        Permission::ManageSettings,
        Permission::ManageMembers,
        Permission::ManageGroups,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Permission::ManagePrograms => "manage_programs",
            Permission::EnrollClients => "enroll_clients",
            Permission::SeeAllClients => "see_all_clients",
            Permission::ManageSchedulingForOthers => "manage_scheduling_for_others",
            Permission::ChargeClients => "charge_clients",
            Permission::IssueRefunds => "issue_refunds",
            Permission::ManageSettings => "manage_settings",
            Permission::ManageMembers => "manage_members",
            Permission::ManageGroups => "manage_groups",
        }
    }

    /// The words shown next to the toggle and in "you need ..." messages.
    pub fn label(self) -> &'static str {
        match self {
            Permission::ManagePrograms => "Can create, edit, archive, and delete programs",
            Permission::EnrollClients => "Can enroll and remove clients from programs",
            Permission::SeeAllClients => "Can see all clients",
            Permission::ManageSchedulingForOthers => "Can manage scheduling for other members",
            Permission::ChargeClients => "Can charge clients",
            Permission::IssueRefunds => "Can issue refunds",
            Permission::ManageSettings => "Can manage organization settings",
            Permission::ManageMembers => "Can manage members",
            Permission::ManageGroups => "Can create, rename and delete client groups, and place clients in them",
        }
    }

    /// What a new member of a role starts with; the owner edits it afterwards.
    pub fn defaults_for(role: Role) -> Vec<Permission> {
        match role {
            Role::Owner => Permission::ALL.to_vec(),
            Role::Provider => vec![
                Permission::ManagePrograms,
                Permission::EnrollClients,
                Permission::ChargeClients,
                Permission::ManageGroups,
            ],
            Role::Staff => {
                vec![Permission::SeeAllClients, Permission::ManageSchedulingForOthers, Permission::ManageGroups]
            }
        }
    }
}

impl FromStr for Permission {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Permission::ALL.into_iter().find(|p| p.as_str() == s).ok_or_else(|| format!("unknown permission `{s}`"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permissions_round_trip_through_their_names() {
        for permission in Permission::ALL {
            assert_eq!(permission.as_str().parse::<Permission>().unwrap(), permission);
        }
    }

    #[test]
    fn owners_start_with_every_permission() {
        assert_eq!(Permission::defaults_for(Role::Owner).len(), Permission::ALL.len());
    }
}
