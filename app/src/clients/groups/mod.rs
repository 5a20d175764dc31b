//! Client groups: list, create, rename, delete, and their members.

pub mod api;
mod pages;

pub use pages::{GroupPage, GroupsPage};
