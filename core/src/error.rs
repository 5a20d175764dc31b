//! The one error type of the domain; the app maps it to user-facing messages at the edge.

use std::fmt;

/// Messages for fields of a form, in the order the form shows them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<(String, String)>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push((field.to_owned(), message.into()));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Records the error of a parse and gives back the value when it parsed.
    pub fn check<T>(&mut self, field: &str, parsed: std::result::Result<T, String>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(message) => {
                self.add(field, message);
                None
            }
        }
    }

    /// Turns the collected messages into an error when there are any.
    pub fn into_result(self) -> Result<()> {
        if self.is_empty() { Ok(()) } else { Err(Error::Validation(self)) }
    }

    pub fn single(field: &str, message: impl Into<String>) -> Error {
        let mut errors = Self::new();
        errors.add(field, message);
        Error::Validation(errors)
    }
}

impl fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fields: Vec<&str> = self.0.iter().map(|(field, _)| field.as_str()).collect();
        write!(f, "invalid fields: {}", fields.join(", "))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("not signed in")]
    Unauthenticated,
    #[error("not found")]
    NotFound,
    /// The actor lacks a permission; carries the permission's label for the message.
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("{0}")]
    Validation(FieldErrors),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("too many attempts")]
    RateLimited,
    /// A mail-sending action went over its hourly limit ([`crate::email::limit`]).
    #[error("too much mail")]
    MailLimited,
    /// The request cannot be read (e.g. text holding a NUL byte, which PostgreSQL refuses).
    #[error("bad request")]
    BadRequest,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<sqlx::Error> for Error {
    fn from(error: sqlx::Error) -> Self {
        // PostgreSQL refuses text it cannot store (a NUL byte from a hand-made request):
        // the caller's mistake, not ours.
        const UNSTORABLE_TEXT: [&str; 2] = ["22021", "22P05"];
        let unstorable = error
            .as_database_error()
            .and_then(|e| e.code())
            .is_some_and(|code| UNSTORABLE_TEXT.contains(&code.as_ref()));
        match error {
            sqlx::Error::RowNotFound => Error::NotFound,
            _ if unstorable => Error::BadRequest,
            other => Error::Unexpected(other.into()),
        }
    }
}

impl From<lettre::error::Error> for Error {
    fn from(error: lettre::error::Error) -> Self {
        Error::Unexpected(error.into())
    }
}

/// The name of the constraint a database error violated, if any.
pub fn violated_constraint(error: &sqlx::Error) -> Option<&str> {
    error.as_database_error().and_then(|e| e.constraint())
}

/// Re-exported so crates above can build an unexpected error without depending on anyhow.
pub use anyhow::Error as AnyError;
