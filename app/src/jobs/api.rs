//! Server functions of the failed-jobs page (owners only, checked in core).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    crate::{auth::session::require_member, context::parse_id},
    tend_core::{clock::format_date_time, jobs::service},
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedJobView {
    pub id: String,
    pub summary: String,
    pub attempts: i32,
    pub last_error: String,
    pub failed_at: String,
}

#[server(endpoint = "list_failed_jobs")]
pub async fn list_failed_jobs() -> Result<Vec<FailedJobView>, AppError> {
    let (context, actor) = require_member().await?;
    let jobs = service::failed_jobs(&context, &actor).await?;
    Ok(jobs
        .into_iter()
        .map(|job| FailedJobView {
            id: job.id.to_string(),
            summary: job.summary,
            attempts: job.attempts,
            last_error: job.last_error.unwrap_or_default(),
            failed_at: format_date_time(job.finished_at.unwrap_or(job.created_at), actor.time_zone),
        })
        .collect())
}

#[server(endpoint = "retry_failed_job")]
pub async fn retry_failed_job(id: String) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    service::retry_failed_job(&context, &actor, parse_id(&id)?).await?;
    Ok(())
}
