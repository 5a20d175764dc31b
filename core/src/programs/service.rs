//! Program use cases for members (build, enroll, remove, follow progress) and for portal
//! clients (their programs, modules and progress). Each checks its permission and that every
//! row belongs to the actor's practice.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::{
    ModuleDetails, ModuleForm, ModuleKind, ProgramForm, ProgramKind, ProgramStatus,
    access::{self, Access},
    render_markdown,
    repo::{self, ModuleRow, NewEvent, ProgramRow},
    schedule::{self, ModuleRule, ModuleState, Release},
    video_embed_url,
};
use crate::{
    Actor, Context, Error, FieldErrors, Result,
    clients::{self, like_pattern, policy},
    clock::TimeZone,
    files,
    orgs::Permission,
    portal::ClientActor,
};

pub const CLIENTS_PAGE_SIZE: usize = 25;

/// Adding and removing clients is allowed with either program permission (as the seed says).
fn require_enroll(actor: &Actor) -> Result<()> {
    if actor.can(Permission::ManagePrograms) || actor.can(Permission::EnrollClients) {
        Ok(())
    } else {
        Err(Error::Forbidden(Permission::EnrollClients.label().to_owned()))
    }
}

pub async fn list(ctx: &Context, actor: &Actor) -> Result<Vec<repo::ProgramSummary>> {
    let mut conn = ctx.pool.acquire().await?;
    repo::list_programs(&mut conn, actor.org_id).await
}

pub async fn create(ctx: &Context, actor: &Actor, form: &ProgramForm) -> Result<Uuid> {
    actor.require(Permission::ManagePrograms)?;
    let details = form.parse()?;
    let mut conn = ctx.pool.acquire().await?;
    repo::insert_program(&mut conn, actor.org_id, &details, ctx.now()).await
}

pub async fn update(ctx: &Context, actor: &Actor, id: Uuid, form: &ProgramForm) -> Result<()> {
    actor.require(Permission::ManagePrograms)?;
    let details = form.parse()?;
    let mut conn = ctx.pool.acquire().await?;
    repo::update_program(&mut conn, actor.org_id, id, &details, ctx.now()).await
}

/// Publish (active), archive or restore to draft. Clients see active programs only.
pub async fn set_status(ctx: &Context, actor: &Actor, id: Uuid, status: ProgramStatus) -> Result<()> {
    actor.require(Permission::ManagePrograms)?;
    let mut conn = ctx.pool.acquire().await?;
    repo::set_status(&mut conn, actor.org_id, id, status, ctx.now()).await
}

pub async fn delete(ctx: &Context, actor: &Actor, id: Uuid) -> Result<()> {
    actor.require(Permission::ManagePrograms)?;
    let mut tx = ctx.pool.begin().await?;
    let file_ids = repo::files_of_program(&mut tx, actor.org_id, id).await?;
    repo::delete_program(&mut tx, actor.org_id, id).await?;
    files::repo::delete(&mut tx, actor.org_id, &file_ids).await?;
    tx.commit().await?;
    files::discard(ctx.files.as_ref(), actor.org_id, &file_ids).await;
    Ok(())
}

/// A program as its editor shows it.
pub struct ProgramDetail {
    pub program: ProgramRow,
    pub modules: Vec<ModuleRow>,
    /// Groups enrolled: (enrollment id, group id, group name, start date, newcomer rule).
    pub groups: Vec<(Uuid, Uuid, String, NaiveDate, String)>,
    /// How many clients the actor may see have access now (what deleting takes away).
    pub client_count: usize,
    /// What was done to the program, newest first.
    pub history: Vec<repo::EventRow>,
    pub can_edit: bool,
    pub can_enroll: bool,
}

pub async fn detail(ctx: &Context, actor: &Actor, id: Uuid) -> Result<ProgramDetail> {
    let mut conn = ctx.pool.acquire().await?;
    let program = repo::get_program(&mut conn, actor.org_id, id).await?;
    let modules = repo::modules(&mut conn, actor.org_id, id).await?;
    // Their names come with them: listing the practice's groups would count every client.
    let groups = repo::group_enrollments(&mut conn, actor.org_id, id)
        .await?
        .into_iter()
        .map(|e| (e.id, e.group_id, e.group_name, e.start_date, e.newcomer_start))
        .collect();
    let today = program.org_time_zone.date_at(ctx.now());
    let visible = policy::visible_provider(actor);
    let (_, client_count) =
        repo::live_clients_of_program(&mut conn, actor.org_id, id, visible, None, program.org_time_zone, today, (1, 0))
            .await?;
    let history = repo::events(&mut conn, actor.org_id, id).await?;
    Ok(ProgramDetail {
        program,
        modules,
        groups,
        client_count,
        history,
        can_edit: actor.can(Permission::ManagePrograms),
        can_enroll: require_enroll(actor).is_ok(),
    })
}

pub async fn add_module(ctx: &Context, actor: &Actor, program_id: Uuid, form: &ModuleForm) -> Result<Uuid> {
    actor.require(Permission::ManagePrograms)?;
    let details = form.parse()?;
    let mut tx = ctx.pool.begin().await?;
    repo::get_program(&mut tx, actor.org_id, program_id).await?;
    let id = repo::insert_module(&mut tx, actor.org_id, program_id, &details).await?;
    tx.commit().await?;
    Ok(id)
}

/// Saves a module; a document module turned into another kind lets go of its file.
pub async fn update_module(ctx: &Context, actor: &Actor, id: Uuid, form: &ModuleForm) -> Result<()> {
    actor.require(Permission::ManagePrograms)?;
    let details: ModuleDetails = form.parse()?;
    let mut tx = ctx.pool.begin().await?;
    let (_, document) = repo::document_of_module(&mut tx, actor.org_id, id).await?;
    repo::update_module(&mut tx, actor.org_id, id, &details).await?;
    let freed: Vec<Uuid> = document.filter(|_| details.kind != ModuleKind::Document).into_iter().collect();
    files::repo::delete(&mut tx, actor.org_id, &freed).await?;
    tx.commit().await?;
    files::discard(ctx.files.as_ref(), actor.org_id, &freed).await;
    Ok(())
}

pub async fn delete_module(ctx: &Context, actor: &Actor, id: Uuid) -> Result<()> {
    actor.require(Permission::ManagePrograms)?;
    let mut tx = ctx.pool.begin().await?;
    let (_, document) = repo::document_of_module(&mut tx, actor.org_id, id).await?;
    repo::delete_module(&mut tx, actor.org_id, id).await?;
    let freed: Vec<Uuid> = document.into_iter().collect();
    files::repo::delete(&mut tx, actor.org_id, &freed).await?;
    tx.commit().await?;
    files::discard(ctx.files.as_ref(), actor.org_id, &freed).await;
    Ok(())
}

/// Moves a module before (or after) the one next to it among those released the same day.
pub async fn move_module(ctx: &Context, actor: &Actor, id: Uuid, earlier: bool) -> Result<()> {
    actor.require(Permission::ManagePrograms)?;
    let mut tx = ctx.pool.begin().await?;
    repo::program_of_module(&mut tx, actor.org_id, id).await?;
    repo::move_module(&mut tx, actor.org_id, id, earlier).await?;
    tx.commit().await?;
    Ok(())
}

/// A client or a group to enroll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Client(Uuid),
    Group(Uuid),
}

impl Target {
    pub fn ids(self) -> (Option<Uuid>, Option<Uuid>) {
        match self {
            Target::Client(id) => (Some(id), None),
            Target::Group(id) => (None, Some(id)),
        }
    }
}

/// One option of the "Add Clients and Groups" search.
pub struct Enrollable {
    pub target: Target,
    pub name: String,
}

pub async fn search_enrollables(ctx: &Context, actor: &Actor, term: &str) -> Result<Vec<Enrollable>> {
    require_enroll(actor)?;
    if term.trim().is_empty() {
        return Ok(Vec::new());
    }
    let mut conn = ctx.pool.acquire().await?;
    let rows =
        repo::search_enrollables(&mut conn, actor.org_id, policy::visible_provider(actor), &like_pattern(term)).await?;
    Ok(rows
        .into_iter()
        .map(|(kind, id, name)| Enrollable {
            target: if kind == "group" { Target::Group(id) } else { Target::Client(id) },
            name,
        })
        .collect())
}

/// Gives a client or a group access from `start_date` (a fixed program uses its own date).
/// A group's newcomers start on the group's date or on the day they join (`join_date`).
pub async fn enroll(
    ctx: &Context,
    actor: &Actor,
    program_id: Uuid,
    target: Target,
    start_date: &str,
    newcomer_start: &str,
) -> Result<()> {
    require_enroll(actor)?;
    let mut tx = ctx.pool.begin().await?;
    let program = repo::get_program(&mut tx, actor.org_id, program_id).await?;
    let today = program.org_time_zone.date_at(ctx.now());
    let start = match (ProgramKind::from_db(&program.kind), program.fixed_start_date) {
        (ProgramKind::Fixed, Some(fixed)) => {
            if !program.allow_late_enrollment && today > fixed {
                return Err(Error::Conflict(
                    "This program started on a fixed date and does not allow late enrollment.".into(),
                ));
            }
            fixed
        }
        _ if start_date.trim().is_empty() => today,
        _ => super::parse_date(start_date).map_err(|m| FieldErrors::single("start_date", m))?,
    };
    let newcomer = if newcomer_start == "join_date" { "join_date" } else { "group_start" };
    let subject = match target {
        Target::Client(id) => {
            let client = clients::service::visible_client(&mut tx, actor, id).await?;
            if client.archived_at.is_some() {
                return Err(Error::Conflict("Archived clients cannot be enrolled. Restore them first.".into()));
            }
            format!("{} {}", client.first_name, client.last_name)
        }
        Target::Group(id) => format!("group {}", clients::groups::repo::name_of(&mut tx, actor.org_id, id).await?),
    };
    let added = repo::upsert_enrollment(&mut tx, actor.org_id, program_id, target, start, newcomer, ctx.now()).await?;
    if !added {
        return Err(Error::Conflict(format!("{subject} is already enrolled in this program.")));
    }
    let (client_id, group_id) = target.ids();
    record(&mut tx, actor, ctx.now(), program_id, client_id, group_id, "added", format!("starting {start}")).await?;
    tx.commit().await?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn record(
    conn: &mut sqlx::PgConnection,
    actor: &Actor,
    at: DateTime<Utc>,
    program_id: Uuid,
    client_id: Option<Uuid>,
    group_id: Option<Uuid>,
    kind: &str,
    detail: String,
) -> Result<()> {
    let event = NewEvent {
        org_id: actor.org_id,
        program_id,
        client_id,
        group_id,
        actor_membership_id: Some(actor.membership_id),
        kind,
        detail,
        at,
    };
    repo::record_event(conn, &event).await
}

/// Changes an enrollment's start date and, optionally, its own end date (empty: the program's rule).
pub async fn change_dates(
    ctx: &Context,
    actor: &Actor,
    enrollment_id: Uuid,
    start_date: &str,
    ends_on: &str,
) -> Result<()> {
    require_enroll(actor)?;
    let mut errors = FieldErrors::new();
    let start = errors.check("start_date", super::parse_date(start_date));
    let ends_on = match ends_on.trim() {
        "" => Some(None),
        raw => errors.check("ends_on", super::parse_date(raw)).map(Some),
    };
    errors.into_result()?;
    let (Some(start), Some(ends_on)) = (start, ends_on) else { return Err(Error::NotFound) };
    if ends_on.is_some_and(|end| end < start) {
        return Err(FieldErrors::single("ends_on", "Access cannot end before it starts."));
    }
    let mut tx = ctx.pool.begin().await?;
    let enrollment = repo::enrollment(&mut tx, actor.org_id, enrollment_id).await?;
    if let Some(client_id) = enrollment.client_id {
        clients::service::visible_client(&mut tx, actor, client_id).await?;
    }
    repo::set_dates(&mut tx, actor.org_id, enrollment_id, start, ends_on).await?;
    let (client_id, group_id) = (enrollment.client_id, enrollment.group_id);
    if start != enrollment.start_date {
        let detail = format!("from {} to {start}", enrollment.start_date);
        record(&mut tx, actor, ctx.now(), enrollment.program_id, client_id, group_id, "start_date_changed", detail)
            .await?;
    }
    if ends_on != enrollment.ends_on {
        let detail =
            ends_on.map_or("access follows the program's rule".to_owned(), |d| format!("access ends after {d}"));
        record(&mut tx, actor, ctx.now(), enrollment.program_id, client_id, group_id, "end_date_changed", detail)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Removes a directly enrolled client: they lose every module at once. A client who has access
/// through a group is not removed: the answer names the group they must leave.
pub async fn remove_client(ctx: &Context, actor: &Actor, program_id: Uuid, client_id: Uuid) -> Result<()> {
    require_enroll(actor)?;
    let mut tx = ctx.pool.begin().await?;
    let client = clients::service::visible_client(&mut tx, actor, client_id).await?;
    repo::get_program(&mut tx, actor.org_id, program_id).await?;
    let rows = repo::access_rows_of_client(&mut tx, actor.org_id, client_id, Some(program_id)).await?;
    match rows.iter().find(|r| r.via_group_id.is_none()) {
        Some(direct) => {
            repo::remove_enrollment(&mut tx, actor.org_id, direct.enrollment_id, ctx.now()).await?;
            record(&mut tx, actor, ctx.now(), program_id, Some(client_id), None, "removed", String::new()).await?;
            tx.commit().await?;
            Ok(())
        }
        None => match rows.first().and_then(|r| r.via_group_name.clone()) {
            Some(group) => Err(Error::Conflict(format!(
                "{} {} has access through the group {group}. Remove them from that group to end their access.",
                client.first_name, client.last_name
            ))),
            None => Err(Error::NotFound),
        },
    }
}

/// Ends a group's access: its members lose the program unless enrolled directly.
pub async fn remove_group(ctx: &Context, actor: &Actor, enrollment_id: Uuid) -> Result<()> {
    require_enroll(actor)?;
    let mut tx = ctx.pool.begin().await?;
    let enrollment = repo::enrollment(&mut tx, actor.org_id, enrollment_id).await?;
    let Some(group_id) = enrollment.group_id else { return Err(Error::NotFound) };
    repo::remove_enrollment(&mut tx, actor.org_id, enrollment_id, ctx.now()).await?;
    record(&mut tx, actor, ctx.now(), enrollment.program_id, None, Some(group_id), "removed", String::new()).await?;
    tx.commit().await?;
    Ok(())
}

/// Opens one module for one client before its release.
pub async fn unlock_early(ctx: &Context, actor: &Actor, client_id: Uuid, module_id: Uuid) -> Result<()> {
    require_enroll(actor)?;
    let mut tx = ctx.pool.begin().await?;
    clients::service::visible_client(&mut tx, actor, client_id).await?;
    let program_id = repo::program_of_module(&mut tx, actor.org_id, module_id).await?;
    let rows = repo::access_rows_of_client(&mut tx, actor.org_id, client_id, Some(program_id)).await?;
    let zone = repo::org_time_zone(&mut tx, actor.org_id).await?;
    if access::effective(&rows, zone, ctx.now()).is_none() {
        return Err(Error::Conflict("This client does not have access to the program.".into()));
    }
    repo::unlock_module(&mut tx, client_id, module_id, ctx.now()).await?;
    let title = repo::modules(&mut tx, actor.org_id, program_id)
        .await?
        .into_iter()
        .find(|m| m.id == module_id)
        .map(|m| m.title)
        .unwrap_or_default();
    record(&mut tx, actor, ctx.now(), program_id, Some(client_id), None, "unlocked", title).await?;
    tx.commit().await?;
    Ok(())
}

/// One row of a program's Clients tab.
pub struct ClientRow {
    pub client_id: Uuid,
    pub name: String,
    pub enrollment_id: Uuid,
    pub via_group: Option<(Uuid, String)>,
    pub start: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub ends_at: Option<DateTime<Utc>>,
    pub completed: usize,
    pub released: usize,
    pub last_activity: Option<DateTime<Utc>>,
}

/// The Clients tab whole: the program's title and modules come with the page, so the tab reads
/// them once (not again through the editor's `detail`, which also counts every client).
pub struct ClientsTab {
    pub title: String,
    /// (module id, title), in order: what may be unlocked early.
    pub modules: Vec<(Uuid, String)>,
    pub can_enroll: bool,
    pub rows: Vec<ClientRow>,
    pub total: usize,
    pub page: usize,
    pub page_count: usize,
}

/// Every client with access (those the actor may see), where it comes from, their start date
/// and progress; 25 a page, with search.
pub async fn clients_tab(
    ctx: &Context,
    actor: &Actor,
    program_id: Uuid,
    search: &str,
    page: usize,
) -> Result<ClientsTab> {
    let mut conn = ctx.pool.acquire().await?;
    let program = repo::get_program(&mut conn, actor.org_id, program_id).await?;
    let modules = repo::modules(&mut conn, actor.org_id, program_id).await?;
    let pattern = (!search.trim().is_empty()).then(|| like_pattern(search));
    let zone = program.org_time_zone;
    let today = zone.date_at(ctx.now());
    let visible = policy::visible_provider(actor);
    let mut read_page = async |page: usize| {
        let offset = i64::try_from((page - 1) * CLIENTS_PAGE_SIZE).unwrap_or(i64::MAX);
        let limit = CLIENTS_PAGE_SIZE as i64;
        repo::live_clients_of_program(
            &mut conn,
            actor.org_id,
            program_id,
            visible,
            pattern.as_deref(),
            zone,
            today,
            (limit, offset),
        )
        .await
    };
    let mut page = page.max(1);
    let (mut rows, mut total) = read_page(page).await?;
    if rows.is_empty() && page > 1 {
        // Past the last page (an old link, or clients left since): show the last page.
        let (_, all) = read_page(1).await?;
        page = all.div_ceil(CLIENTS_PAGE_SIZE).max(1);
        (rows, total) = read_page(page).await?;
    }
    let page_count = total.div_ceil(CLIENTS_PAGE_SIZE).max(1);
    // The statement chose each client's way in by the same rules; here they give its dates.
    let shown: Vec<(Access, String)> =
        rows.into_iter().filter_map(|(row, name)| access::access_of(&row, zone).map(|a| (a, name))).collect();
    let ids: Vec<Uuid> = shown.iter().map(|(a, _)| a.client_id).collect();
    let completions = repo::completions(&mut conn, program_id, &ids).await?;
    let now = ctx.now();
    let rows = shown
        .into_iter()
        .map(|(access, name)| {
            let mine: Vec<&(Uuid, Uuid, DateTime<Utc>)> =
                completions.iter().filter(|c| c.0 == access.client_id).collect();
            let released = modules
                .iter()
                .filter(|m| schedule::release_at(access.start, release_of(m), program.org_time_zone) <= now)
                .count();
            ClientRow {
                client_id: access.client_id,
                name,
                enrollment_id: access.enrollment_id,
                via_group: access.via_group,
                start: access.start,
                ends_on: access.ends_on,
                ends_at: access.ends_at,
                completed: mine.len(),
                released,
                last_activity: mine.iter().map(|c| c.2).max(),
            }
        })
        .collect();
    Ok(ClientsTab {
        title: program.title,
        modules: modules.into_iter().map(|m| (m.id, m.title)).collect(),
        can_enroll: require_enroll(actor).is_ok(),
        rows,
        total,
        page,
        page_count,
    })
}

fn release_of(module: &ModuleRow) -> Release {
    Release { day: u32::try_from(module.release_day).unwrap_or(0), time: module.release_time }
}

// ----- The portal -----

/// One of a client's programs, with progress.
pub struct ClientProgramSummary {
    pub id: Uuid,
    pub title: String,
    pub has_cover: bool,
    pub completed: usize,
    pub released: usize,
    pub total: usize,
}

/// A module as a client sees it in the program page.
pub struct ClientModule {
    pub id: Uuid,
    pub title: String,
    pub kind: ModuleKind,
    pub state: ModuleState,
}

pub struct ClientProgram {
    pub id: Uuid,
    pub title: String,
    pub has_cover: bool,
    pub description: String,
    pub start: NaiveDate,
    pub ends_at: Option<DateTime<Utc>>,
    pub modules: Vec<ClientModule>,
}

/// The client's programs they have access to now.
pub async fn programs_of_client(ctx: &Context, client: &ClientActor) -> Result<Vec<ClientProgramSummary>> {
    let mut conn = ctx.pool.acquire().await?;
    let zone = repo::org_time_zone(&mut conn, client.org_id).await?;
    let rows = repo::access_rows_of_client(&mut conn, client.org_id, client.client_id, None).await?;
    let mut by_program: Vec<(Uuid, Vec<repo::AccessRow>)> = Vec::new();
    for row in rows {
        match by_program.last_mut() {
            Some((program, list)) if *program == row.program_id => list.push(row),
            _ => by_program.push((row.program_id, vec![row])),
        }
    }
    let mut summaries = Vec::new();
    for (program_id, rows) in by_program {
        let Some(access) = access::effective(&rows, zone, ctx.now()) else { continue };
        let program = client_program_of(&mut conn, ctx, client, program_id, &access, zone).await?;
        let released = program.modules.iter().filter(|m| !matches!(m.state, ModuleState::Upcoming { .. })).count();
        let completed = program.modules.iter().filter(|m| m.state == ModuleState::Open { completed: true }).count();
        summaries.push(ClientProgramSummary {
            id: program.id,
            title: program.title,
            has_cover: program.has_cover,
            completed,
            released,
            total: program.modules.len(),
        });
    }
    summaries.sort_by_key(|s| s.title.to_lowercase());
    Ok(summaries)
}

/// The client's access to a program, or `NotFound` (removed, expired, archived or not theirs).
async fn client_access(
    conn: &mut sqlx::PgConnection,
    ctx: &Context,
    client: &ClientActor,
    program_id: Uuid,
) -> Result<(Access, TimeZone)> {
    let zone = repo::org_time_zone(conn, client.org_id).await?;
    let rows = repo::access_rows_of_client(conn, client.org_id, client.client_id, Some(program_id)).await?;
    let access = access::effective(&rows, zone, ctx.now()).ok_or(Error::NotFound)?;
    Ok((access, zone))
}

async fn client_program_of(
    conn: &mut sqlx::PgConnection,
    ctx: &Context,
    client: &ClientActor,
    program_id: Uuid,
    access: &Access,
    zone: TimeZone,
) -> Result<ClientProgram> {
    let program = repo::get_program(conn, client.org_id, program_id).await?;
    let modules = repo::modules(conn, client.org_id, program_id).await?;
    let completed: HashSet<Uuid> =
        repo::completions(conn, program_id, &[client.client_id]).await?.into_iter().map(|c| c.1).collect();
    let unlocked: HashSet<Uuid> = repo::unlocks(conn, program_id, client.client_id).await?.into_iter().collect();
    let rules: Vec<ModuleRule> = modules
        .iter()
        .map(|m| ModuleRule {
            release: release_of(m),
            requires_previous: m.requires_previous,
            completed: completed.contains(&m.id),
            unlocked_early: unlocked.contains(&m.id),
        })
        .collect();
    let states = schedule::module_states(access.start, &rules, ctx.now(), zone);
    Ok(ClientProgram {
        id: program.id,
        title: program.title,
        has_cover: program.cover_file_id.is_some(),
        description: program.description,
        start: access.start,
        ends_at: access.ends_at,
        modules: modules
            .into_iter()
            .zip(states)
            .map(|(m, state)| ClientModule { id: m.id, title: m.title, kind: ModuleKind::from_db(&m.kind), state })
            .collect(),
    })
}

pub async fn client_program(ctx: &Context, client: &ClientActor, program_id: Uuid) -> Result<ClientProgram> {
    let mut conn = ctx.pool.acquire().await?;
    let (access, zone) = client_access(&mut conn, ctx, client, program_id).await?;
    client_program_of(&mut conn, ctx, client, program_id, &access, zone).await
}

/// An open module's content, safe to show: Markdown rendered and sanitized, a video's
/// privacy-enhanced player address.
pub struct ModuleContent {
    pub id: Uuid,
    pub program_id: Uuid,
    pub program_title: String,
    pub title: String,
    pub kind: ModuleKind,
    pub html: String,
    pub video_embed: Option<String>,
    /// A document module's file name, once one is uploaded.
    pub document_name: Option<String>,
    pub completed: bool,
}

/// A module of a program the client has access to, once it is open for them; `NotFound`
/// otherwise (a locked module's content is not sent).
pub async fn client_module(ctx: &Context, client: &ClientActor, module_id: Uuid) -> Result<ModuleContent> {
    let mut conn = ctx.pool.acquire().await?;
    let program_id = repo::program_of_module(&mut conn, client.org_id, module_id).await?;
    let (access, zone) = client_access(&mut conn, ctx, client, program_id).await?;
    let program = client_program_of(&mut conn, ctx, client, program_id, &access, zone).await?;
    let state = program.modules.iter().find(|m| m.id == module_id).map(|m| m.state).ok_or(Error::NotFound)?;
    let ModuleState::Open { completed } = state else {
        return Err(Error::Conflict("This module is not open yet.".into()));
    };
    let module = repo::modules(&mut conn, client.org_id, program_id)
        .await?
        .into_iter()
        .find(|m| m.id == module_id)
        .ok_or(Error::NotFound)?;
    Ok(ModuleContent {
        id: module.id,
        program_id,
        program_title: program.title,
        title: module.title,
        kind: ModuleKind::from_db(&module.kind),
        html: render_markdown(&module.body),
        video_embed: module.video_url.as_deref().and_then(|u| video_embed_url(u).ok()),
        document_name: module.document_name,
        completed,
    })
}

pub async fn complete_module(ctx: &Context, client: &ClientActor, module_id: Uuid) -> Result<()> {
    // Only an open module of a program they have access to.
    client_module(ctx, client, module_id).await?;
    let mut conn = ctx.pool.acquire().await?;
    repo::complete_module(&mut conn, client.client_id, module_id, ctx.now()).await
}

/// A module as a client would see it on the previewed day: its state, and its content when open.
pub struct PreviewModule {
    pub title: String,
    pub kind: ModuleKind,
    pub state: ModuleState,
    pub html: Option<String>,
    pub video_embed: Option<String>,
    pub document_name: Option<String>,
}

/// The program as a client who starts today would see it at the end of day `day` of their
/// program (day 0 is the start), before completing anything.
pub async fn preview(
    ctx: &Context,
    actor: &Actor,
    program_id: Uuid,
    day: u32,
) -> Result<(ProgramRow, Vec<PreviewModule>)> {
    let mut conn = ctx.pool.acquire().await?;
    let program = repo::get_program(&mut conn, actor.org_id, program_id).await?;
    let modules = repo::modules(&mut conn, actor.org_id, program_id).await?;
    let zone = program.org_time_zone;
    let start = zone.date_at(ctx.now());
    let end_of_day = Release { day, time: chrono::NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default() };
    let seen_at = schedule::release_at(start, end_of_day, zone);
    let rules: Vec<ModuleRule> = modules
        .iter()
        .map(|m| ModuleRule {
            release: release_of(m),
            requires_previous: m.requires_previous,
            completed: false,
            unlocked_early: false,
        })
        .collect();
    let states = schedule::module_states(start, &rules, seen_at, zone);
    let shown = modules
        .into_iter()
        .zip(states)
        .map(|(m, state)| {
            let open = matches!(state, ModuleState::Open { .. });
            PreviewModule {
                kind: ModuleKind::from_db(&m.kind),
                state,
                html: open.then(|| render_markdown(&m.body)),
                video_embed: if open { m.video_url.as_deref().and_then(|u| video_embed_url(u).ok()) } else { None },
                document_name: if open { m.document_name } else { None },
                title: m.title,
            }
        })
        .collect();
    Ok((program, shown))
}
