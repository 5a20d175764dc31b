//! Members of the practice: invitations, permissions, removal; and practice settings.

pub mod api;
mod pages;

pub use pages::{JoinPage, MembersPage, PracticeSettingsPage};
