//! Request tests: real server instances on port 0, each test with its own database.

mod access;
mod accounts;
mod email;
mod hardening;
mod jobs;
mod me;
mod practice;
mod program_files;
mod robustness;
mod scheduling;
mod sessions;
mod statements;
mod support;
