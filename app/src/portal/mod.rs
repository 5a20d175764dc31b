//! The branded client portal at `/p/{slug}`.

pub mod api;
pub mod pages;
