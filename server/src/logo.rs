//! The practice logo: uploaded as a plain multipart form (works without JavaScript) and
//! served to every portal page.

use axum::{
    extract::{Multipart, Path, State},
    http::{StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use tend_app::{auth::session::load_member, error::AppError};
use tend_core::orgs::service::{self, LogoProblem};
use tower_sessions::Session;

use crate::router::AppState;

const SETTINGS_PAGE: &str = "/app/settings/practice";

pub async fn serve(State(state): State<AppState>, Path(slug): Path<String>) -> Response {
    match tend_core::portal::logo(&state.context, &slug).await {
        Ok(Some((bytes, content_type))) => {
            ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=60".to_owned())], bytes)
                .into_response()
        }
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

pub async fn upload(State(state): State<AppState>, session: Session, multipart: Multipart) -> Response {
    match save(&state, &session, multipart).await {
        Ok(()) => Redirect::to(&format!("{SETTINGS_PAGE}?logo=saved")).into_response(),
        Err(AppError::Unauthenticated) => Redirect::to("/login").into_response(),
        Err(error) => {
            let code = match &error {
                AppError::Forbidden(_) => "forbidden",
                other => other
                    .for_field("logo")
                    .and_then(|message| LogoProblem::from_message(&message))
                    .map_or("failed", LogoProblem::code),
            };
            Redirect::to(&format!("{SETTINGS_PAGE}?logo_error={code}")).into_response()
        }
    }
}

async fn save(state: &AppState, session: &Session, mut multipart: Multipart) -> Result<(), AppError> {
    let actor = load_member(&state.context, session).await?.ok_or(AppError::Unauthenticated)?;
    let mut bytes = Vec::new();
    let too_big = || AppError::from(tend_core::Error::from(LogoProblem::TooLarge));
    while let Some(field) = multipart.next_field().await.map_err(|_| too_big())? {
        if field.name() == Some("logo") {
            bytes = field.bytes().await.map_err(|_| too_big())?.to_vec();
        }
    }
    service::set_logo(&state.context, &actor, &bytes).await?;
    Ok(())
}
