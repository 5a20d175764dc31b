//! Background jobs an owner looks after: the ones that failed, with a way to retry them.

pub mod api;
mod page;

pub use page::FailedJobsPage;
