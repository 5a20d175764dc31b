//! Members of the practice: invitations, permissions, removal; practice settings; a
//! member's own name, time zone and practices.

pub mod api;
mod me;
mod pages;

pub use me::{PracticesPage, ProfilePage};
pub use pages::{JoinPage, MembersPage, PracticeSettingsPage, logo_problem_message};
