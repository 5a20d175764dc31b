//! Clients: list, profile, add, edit, archive, portal invitation, test client.

pub mod api;
pub mod groups;
pub mod pages;
