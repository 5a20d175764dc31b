//! The email outbox page: what Tend sent for the practice and what is waiting.

pub mod api;
mod page;

pub use page::OutboxPage;
