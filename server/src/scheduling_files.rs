//! Scheduling over plain HTTP: the appointments report as CSV (for the signed-in member) and
//! each provider's private calendar feed (for whoever holds its secret address).

use axum::{
    extract::{Path, Query, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use tend_app::{auth::session::load_member, error::AppError};
use tend_core::scheduling::{feed, report};
use tower_sessions::Session;

use crate::router::AppState;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReportQuery {
    from: String,
    to: String,
    provider: String,
    status: String,
    type_id: String,
}

pub async fn appointments_csv(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<ReportQuery>,
) -> Response {
    let csv = async {
        let actor = load_member(&state.context, &session).await?.ok_or(AppError::Unauthenticated)?;
        let form =
            report::ReportForm { from: q.from, to: q.to, provider: q.provider, status: q.status, type_id: q.type_id };
        let found = report::export(&state.context, &actor, &form).await?;
        let name = format!("appointments-{}-to-{}.csv", found.from, found.to);
        Ok::<_, AppError>((name, report::to_csv(&found)?))
    };
    match csv.await {
        Ok((name, body)) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            ],
            body,
        )
            .into_response(),
        Err(AppError::Unauthenticated) => (StatusCode::UNAUTHORIZED, "Please log in to continue.").into_response(),
        Err(AppError::Forbidden(permission)) => {
            (StatusCode::FORBIDDEN, format!("You need the permission “{permission}” to do this.")).into_response()
        }
        Err(AppError::Validation(_) | AppError::BadRequest) => {
            (StatusCode::BAD_REQUEST, "Check the dates and filters of the report, then try again.").into_response()
        }
        Err(error) => {
            tracing::error!(%error, "the report could not be written");
            (StatusCode::INTERNAL_SERVER_ERROR, "The report could not be written. Try again.").into_response()
        }
    }
}

/// `/calendar/{token}.ics`
pub async fn calendar_feed(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(token) = file.strip_suffix(".ics") else {
        return not_found();
    };
    match feed::calendar(&state.context, token).await {
        Ok(body) => (
            [(header::CONTENT_TYPE, "text/calendar; charset=utf-8"), (header::CACHE_CONTROL, "private, max-age=300")],
            body,
        )
            .into_response(),
        Err(tend_core::Error::NotFound) => not_found(),
        Err(error) => {
            tracing::error!(%error, "a calendar feed could not be written");
            (StatusCode::INTERNAL_SERVER_ERROR, "The calendar could not be read. Try again.").into_response()
        }
    }
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "There is no calendar at this address. It may have been reset.").into_response()
}
