//! Release emails: on a day when modules of a program open for a client, one email per client,
//! program and day, listing them (or, for an email module, its own text), from their provider.
//!
//! A recurring scan finds the (client, program, day) whose modules have all opened today or
//! yesterday (in the practice's zone) and enqueues a job keyed by the three: the job queue's
//! unique key makes it exactly one, whatever the number of instances and restarts. The job
//! checks access again when it runs, so a client removed in between gets nothing.

use std::{collections::HashMap, time::Duration};

use async_trait::async_trait;
use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{
    ModuleKind, access,
    repo::{self, ModuleRow},
    schedule::{self, Release},
};
use crate::{
    Context, Result,
    email::{self, templates},
    jobs::{self, Job, JobError, JobHandler, Recurring},
};

pub const SCAN: Recurring = Recurring {
    kind: "schedule_program_release_emails",
    every: Duration::from_secs(600),
    summary: "Schedule the emails of program modules released today",
};

pub const SEND_KIND: &str = "send_program_release_email";

#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    org_id: Uuid,
    client_id: Uuid,
    program_id: Uuid,
    /// The client's release day, in the practice's zone.
    day: NaiveDate,
}

fn release_of(module: &ModuleRow) -> Release {
    Release { day: u32::try_from(module.release_day).unwrap_or(0), time: module.release_time }
}

/// Enqueues the release email of every (client, program, day) whose modules have all opened,
/// today or yesterday. Returns how many new jobs it added.
pub async fn scan(ctx: &Context) -> Result<usize> {
    let now = ctx.now();
    let mut conn = ctx.pool.acquire().await?;
    let candidates = repo::release_candidates(&mut conn).await?;
    let modules = repo::modules_of_active_programs(&mut conn).await?;
    let mut by_program: HashMap<Uuid, Vec<ModuleRow>> = HashMap::new();
    for (program_id, module) in modules {
        by_program.entry(program_id).or_default().push(module);
    }
    let mut grouped: Vec<((Uuid, Uuid), Vec<repo::ReleaseCandidate>)> = Vec::new();
    for candidate in candidates {
        let key = (candidate.access.client_id, candidate.access.program_id);
        match grouped.last_mut() {
            Some((last, list)) if *last == key => list.push(candidate),
            _ => grouped.push((key, vec![candidate])),
        }
    }
    let mut added = 0;
    for ((client_id, program_id), candidates) in grouped {
        let (org_id, zone) = (candidates[0].org_id, candidates[0].org_time_zone);
        let rows: Vec<repo::AccessRow> = candidates.into_iter().map(|c| c.access).collect();
        let Some(access) = access::effective(&rows, zone, now) else { continue };
        let today = zone.date_at(now);
        let mut last_release_of_day: HashMap<NaiveDate, chrono::DateTime<Utc>> = HashMap::new();
        for module in by_program.get(&program_id).map(Vec::as_slice).unwrap_or_default() {
            let at = schedule::release_at(access.start, release_of(module), zone);
            let day = zone.date_at(at);
            let last = last_release_of_day.entry(day).or_insert(at);
            *last = (*last).max(at);
        }
        for (day, last) in last_release_of_day {
            let recent = day == today || day.succ_opt() == Some(today);
            if !recent || last > now {
                continue;
            }
            let payload = serde_json::json!(Payload { org_id, client_id, program_id, day });
            let job = jobs::NewJob::new(SEND_KIND, payload, format!("Release email of {day}"), now)
                .for_org(Some(org_id))
                .keyed(format!("program-release:{client_id}:{program_id}:{day}"));
            if jobs::repo::enqueue(&mut conn, &job).await?.is_some() {
                added += 1;
            }
        }
    }
    Ok(added)
}

/// Writes the release email of one (client, program, day), if the client still has access and
/// an email address.
pub async fn send(ctx: &Context, org_id: Uuid, client_id: Uuid, program_id: Uuid, day: NaiveDate) -> Result<bool> {
    let mut tx = ctx.pool.begin().await?;
    let Some(recipient) = repo::release_recipient(&mut tx, org_id, client_id).await? else { return Ok(false) };
    let zone = repo::org_time_zone(&mut tx, org_id).await?;
    let rows = repo::access_rows_of_client(&mut tx, org_id, client_id, Some(program_id)).await?;
    let Some(access) = access::effective(&rows, zone, ctx.now()) else { return Ok(false) };
    let program = repo::get_program(&mut tx, org_id, program_id).await?;
    let modules: Vec<ModuleRow> = repo::modules(&mut tx, org_id, program_id)
        .await?
        .into_iter()
        .filter(|m| zone.date_at(schedule::release_at(access.start, release_of(m), zone)) == day)
        .collect();
    if modules.is_empty() {
        return Ok(false);
    }
    let email_module = modules.iter().find(|m| ModuleKind::from_db(&m.kind) == ModuleKind::Email);
    let titles: Vec<String> =
        modules.iter().filter(|m| Some(m.id) != email_module.map(|e| e.id)).map(|m| m.title.clone()).collect();
    let link = ctx.settings.link(&format!("/p/{}/programs/{program_id}", recipient.org_slug));
    let release = templates::ProgramRelease {
        first_name: &recipient.first_name,
        program: &program.title,
        titles: &titles,
        email_module: email_module.map(|m| (m.title.as_str(), m.body.as_str())),
        provider: recipient.provider_name.as_deref().unwrap_or(&recipient.practice_name),
        practice: &recipient.practice_name,
        link: &link,
    };
    let message = templates::program_release(org_id, &recipient.email, &release)?;
    email::enqueue(&mut tx, ctx.now(), &message).await?;
    tx.commit().await?;
    Ok(true)
}

pub struct ScanReleases {
    pub ctx: Context,
}

#[async_trait]
impl JobHandler for ScanReleases {
    fn kind(&self) -> &'static str {
        SCAN.kind
    }

    async fn run(&self, _job: &Job) -> std::result::Result<(), JobError> {
        scan(&self.ctx).await.map(|_| ()).map_err(|error| {
            tracing::warn!(%error, "scanning program releases failed");
            JobError::Retry("The database could not be reached.".into())
        })
    }
}

pub struct SendReleaseEmail {
    pub ctx: Context,
}

#[async_trait]
impl JobHandler for SendReleaseEmail {
    fn kind(&self) -> &'static str {
        SEND_KIND
    }

    async fn run(&self, job: &Job) -> std::result::Result<(), JobError> {
        let payload: Payload = serde_json::from_value(job.payload.clone())
            .map_err(|_| JobError::Permanent("The job does not name a release.".into()))?;
        send(&self.ctx, payload.org_id, payload.client_id, payload.program_id, payload.day).await.map(|_| ()).map_err(
            |error| {
                tracing::warn!(%error, "program release email failed");
                JobError::Retry("The database could not be reached.".into())
            },
        )
    }
}
