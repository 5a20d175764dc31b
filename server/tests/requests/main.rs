//! Request tests: real server instances on port 0, each test with its own database.

mod accounts;
mod email;
mod sessions;
mod support;
