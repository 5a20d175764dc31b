//! The error every server function returns, safe to show: library and database text never
//! reaches a person. Unexpected errors are logged once with a reference the person can quote.

use serde::{Deserialize, Serialize};
use server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};

/// A message for one input of a form (`field` is the input's `name`; `form` for the whole form).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please log in to continue.")]
    Unauthenticated,
    #[error("You need the permission “{0}” to do this. Ask the owner of the practice.")]
    Forbidden(String),
    #[error("We could not find that. It may have been removed, or it belongs to someone else.")]
    NotFound,
    #[error("Please correct the fields marked below.")]
    Validation(Vec<FieldError>),
    #[error("{0}")]
    Conflict(String),
    #[error("Too many attempts. Wait 15 minutes, then try again.")]
    RateLimited,
    #[error("We could not read that request. Reload the page and try again.")]
    BadRequest,
    #[error("Something went wrong on our side. If it happens again, quote reference {0}.")]
    Unexpected(String),
    #[error("We have sent enough email to this address for now. Wait an hour, then try again.")]
    MailLimited,
    /// The call itself failed (network, an unreadable answer): fixed words, never the library's
    /// text, which can quote the request.
    #[error("We could not reach Tend. Check your connection and try again.")]
    Request,
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// Arguments that are missing, mistyped or out of range (a hand-made request, an old page)
    /// are the caller's mistake: 400 with words of our own, never the library's and never 500.
    fn from_server_fn_error(error: ServerFnErrorErr) -> Self {
        match error {
            // On the server, `Deserialization` is a body that is not text or is too large.
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) | ServerFnErrorErr::Deserialization(_) => {
                #[cfg(feature = "ssr")]
                from_core::set_status_for_api_callers(http::StatusCode::BAD_REQUEST);
                AppError::BadRequest
            }
            _ => AppError::Request,
        }
    }
}

impl AppError {
    /// The message for one field, if this error has one.
    pub fn for_field(&self, field: &str) -> Option<String> {
        match self {
            AppError::Validation(errors) => errors.iter().find(|e| e.field == field).map(|e| e.message.clone()),
            _ => None,
        }
    }

    /// The message shown above a form: everything except per-field messages.
    pub fn for_form(&self) -> Option<String> {
        match self {
            AppError::Validation(errors) => match errors.iter().find(|e| e.field == "form") {
                Some(e) => Some(e.message.clone()),
                None => Some(self.to_string()),
            },
            other => Some(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
mod from_core {
    use super::{AppError, FieldError};
    use http::{StatusCode, header::ACCEPT, request::Parts};
    use leptos::prelude::use_context;
    use leptos_axum::ResponseOptions;
    use tend_core::Error;

    impl From<Error> for AppError {
        fn from(error: Error) -> Self {
            let (status, app_error) = match error {
                Error::Unauthenticated => (StatusCode::UNAUTHORIZED, AppError::Unauthenticated),
                Error::NotFound => (StatusCode::NOT_FOUND, AppError::NotFound),
                Error::Forbidden(permission) => (StatusCode::FORBIDDEN, AppError::Forbidden(permission)),
                Error::Validation(fields) => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    AppError::Validation(
                        fields.0.into_iter().map(|(field, message)| FieldError { field, message }).collect(),
                    ),
                ),
                Error::Conflict(reason) => (StatusCode::CONFLICT, AppError::Conflict(reason)),
                Error::RateLimited => (StatusCode::TOO_MANY_REQUESTS, AppError::RateLimited),
                Error::MailLimited => (StatusCode::TOO_MANY_REQUESTS, AppError::MailLimited),
                Error::BadRequest => (StatusCode::BAD_REQUEST, AppError::BadRequest),
                Error::Unexpected(error) => {
                    let reference = uuid::Uuid::new_v4().simple().to_string()[..8].to_owned();
                    tracing::error!(%reference, error = format!("{error:#}"), "unexpected error");
                    (StatusCode::INTERNAL_SERVER_ERROR, AppError::Unexpected(reference))
                }
            };
            set_status_for_api_callers(status);
            app_error
        }
    }

    impl From<sqlx::Error> for AppError {
        fn from(error: sqlx::Error) -> Self {
            Error::from(error).into()
        }
    }

    /// Scripts and fetches get a meaningful status. A plain browser form post keeps the
    /// redirect back to its page, which shows the message.
    pub(super) fn set_status_for_api_callers(status: StatusCode) {
        let plain_form_post = use_context::<Parts>()
            .and_then(|parts| parts.headers.get(ACCEPT).and_then(|v| v.to_str().ok()).map(|v| v.contains("text/html")))
            .unwrap_or(false);
        if let Some(response) = use_context::<ResponseOptions>()
            && !plain_form_post
        {
            response.set_status(status);
        }
    }
}
