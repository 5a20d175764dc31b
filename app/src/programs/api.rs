//! Server functions of programs: building them, enrolling and removing clients and groups, and
//! the portal's view of a client's programs. Each checks who asks, their permission and that
//! every row belongs to their practice (in `tend_core::programs::service`).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    crate::{
        auth::session::{require_client, require_member},
        context::parse_id,
        portal::api::portal_path,
    },
    tend_core::{
        clock::format_date_time,
        programs::{
            ModuleForm, ModuleKind, ProgramForm, ProgramKind, ProgramStatus,
            schedule::ModuleState,
            service::{self as programs, Target},
        },
    },
};

/// What the program form sends (inputs named `program[title]`...).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProgramFields {
    pub title: String,
    pub description: String,
    pub kind: String,
    pub fixed_start_date: String,
    /// A checkbox: present ("on") when ticked.
    pub allow_late_enrollment: Option<String>,
    pub access_days: String,
}

#[cfg(feature = "ssr")]
impl From<ProgramFields> for ProgramForm {
    fn from(f: ProgramFields) -> Self {
        ProgramForm {
            title: f.title,
            description: f.description,
            kind: f.kind,
            fixed_start_date: f.fixed_start_date,
            allow_late_enrollment: f.allow_late_enrollment.is_some(),
            access_days: f.access_days,
        }
    }
}

/// What the module form sends (inputs named `module[title]`...).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ModuleFields {
    pub kind: String,
    pub title: String,
    pub body: String,
    pub video_url: String,
    pub release_day: String,
    pub release_time: String,
    pub requires_previous: Option<String>,
}

#[cfg(feature = "ssr")]
impl From<ModuleFields> for ModuleForm {
    fn from(f: ModuleFields) -> Self {
        ModuleForm {
            kind: f.kind,
            title: f.title,
            body: f.body,
            video_url: f.video_url,
            release_day: f.release_day,
            release_time: f.release_time,
            requires_previous: f.requires_previous.is_some(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramSummaryView {
    pub id: String,
    pub title: String,
    /// `active`, `draft` or `archived`.
    pub status: String,
    pub kind: String,
    pub module_count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramsView {
    pub programs: Vec<ProgramSummaryView>,
    pub can_create: bool,
}

#[server(endpoint = "list_programs")]
pub async fn list_programs() -> Result<ProgramsView, AppError> {
    let (context, actor) = require_member().await?;
    let list = programs::list(&context, &actor).await?;
    Ok(ProgramsView {
        programs: list
            .into_iter()
            .map(|p| ProgramSummaryView {
                id: p.id.to_string(),
                title: p.title,
                status: p.status,
                kind: p.kind,
                module_count: p.module_count,
            })
            .collect(),
        can_create: actor.can(tend_core::orgs::Permission::ManagePrograms),
    })
}

#[server(endpoint = "create_program")]
pub async fn create_program(program: ProgramFields) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    let id = programs::create(&context, &actor, &program.into()).await?;
    leptos_axum::redirect(&format!("/app/programs/{id}"));
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleView {
    pub id: String,
    pub kind: String,
    pub kind_label: String,
    pub title: String,
    pub body: String,
    pub video_url: String,
    pub release_day: i32,
    pub release_time: String,
    pub requires_previous: bool,
    /// A document module's file name, once uploaded.
    pub document_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolledGroupView {
    pub enrollment_id: String,
    pub group_id: String,
    pub name: String,
    pub start_date: String,
    pub newcomers_start_on_join: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    pub when: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramDetailView {
    pub id: String,
    pub fields: ProgramFields,
    pub status: String,
    pub status_label: String,
    pub has_cover: bool,
    pub modules: Vec<ModuleView>,
    pub groups: Vec<EnrolledGroupView>,
    pub client_count: usize,
    pub history: Vec<EventView>,
    pub can_edit: bool,
    pub can_enroll: bool,
    /// Today in the practice, the default start date.
    pub today: String,
    pub time_zone: String,
}

#[server(endpoint = "get_program")]
pub async fn get_program(id: String) -> Result<ProgramDetailView, AppError> {
    let (context, actor) = require_member().await?;
    let id = parse_id(&id)?;
    let detail = programs::detail(&context, &actor, id).await?;
    let p = detail.program;
    let status = ProgramStatus::from_db(&p.status);
    Ok(ProgramDetailView {
        id: id.to_string(),
        fields: ProgramFields {
            title: p.title,
            description: p.description,
            kind: ProgramKind::from_db(&p.kind).as_str().to_owned(),
            fixed_start_date: p.fixed_start_date.map(|d| d.to_string()).unwrap_or_default(),
            allow_late_enrollment: p.allow_late_enrollment.then(|| "on".to_owned()),
            access_days: p.access_days.map(|d| d.to_string()).unwrap_or_default(),
        },
        status: status.as_str().to_owned(),
        status_label: status.label().to_owned(),
        has_cover: p.cover_file_id.is_some(),
        modules: detail
            .modules
            .into_iter()
            .map(|m| {
                let kind = ModuleKind::from_db(&m.kind);
                ModuleView {
                    id: m.id.to_string(),
                    kind: kind.as_str().to_owned(),
                    kind_label: kind.label().to_owned(),
                    title: m.title,
                    body: m.body,
                    video_url: m.video_url.unwrap_or_default(),
                    release_day: m.release_day,
                    release_time: m.release_time.format("%H:%M").to_string(),
                    requires_previous: m.requires_previous,
                    document_name: m.document_name,
                }
            })
            .collect(),
        groups: detail
            .groups
            .into_iter()
            .map(|(enrollment_id, group_id, name, start, newcomer)| EnrolledGroupView {
                enrollment_id: enrollment_id.to_string(),
                group_id: group_id.to_string(),
                name,
                start_date: start.to_string(),
                newcomers_start_on_join: newcomer == "join_date",
            })
            .collect(),
        client_count: detail.client_count,
        history: detail
            .history
            .into_iter()
            .map(|e| EventView {
                when: format_date_time(e.at, actor.time_zone),
                text: describe_event(&e.kind, e.actor_name.as_deref(), e.subject.as_deref(), &e.detail),
            })
            .collect(),
        can_edit: detail.can_edit,
        can_enroll: detail.can_enroll,
        today: p.org_time_zone.date_at(context.now()).to_string(),
        time_zone: p.org_time_zone.name().to_owned(),
    })
}

#[cfg(feature = "ssr")]
fn describe_event(kind: &str, actor: Option<&str>, subject: Option<&str>, detail: &str) -> String {
    let who = actor.unwrap_or("Tend");
    let whom = subject.unwrap_or("a client");
    let what = match kind {
        "added" => format!("added {whom}"),
        "removed" => format!("removed {whom}"),
        "start_date_changed" => format!("changed the start date of {whom}"),
        "end_date_changed" => format!("changed when access ends for {whom}"),
        "unlocked" => format!("unlocked a module early for {whom}"),
        "expired" => format!("access ended for {whom}"),
        other => other.to_owned(),
    };
    if detail.is_empty() { format!("{who} {what}") } else { format!("{who} {what} ({detail})") }
}

#[server(endpoint = "update_program")]
pub async fn update_program(id: String, program: ProgramFields) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    programs::update(&context, &actor, parse_id(&id)?, &program.into()).await?;
    Ok(())
}

/// `status` is `active` (publish or restore), `draft` or `archived`.
#[server(endpoint = "set_program_status")]
pub async fn set_program_status(id: String, status: String) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    let status = match status.as_str() {
        "active" => ProgramStatus::Active,
        "draft" => ProgramStatus::Draft,
        "archived" => ProgramStatus::Archived,
        _ => return Err(tend_core::Error::BadRequest.into()),
    };
    programs::set_status(&context, &actor, parse_id(&id)?, status).await?;
    Ok(())
}

#[server(endpoint = "delete_program")]
pub async fn delete_program(id: String) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    programs::delete(&context, &actor, parse_id(&id)?).await?;
    leptos_axum::redirect("/app/programs");
    Ok(())
}

#[server(endpoint = "add_module")]
pub async fn add_module(program_id: String, module: ModuleFields) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    programs::add_module(&context, &actor, parse_id(&program_id)?, &module.into()).await?;
    Ok(())
}

#[server(endpoint = "update_module")]
pub async fn update_module(id: String, module: ModuleFields) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    programs::update_module(&context, &actor, parse_id(&id)?, &module.into()).await?;
    Ok(())
}

#[server(endpoint = "delete_module")]
pub async fn delete_module(id: String) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    programs::delete_module(&context, &actor, parse_id(&id)?).await?;
    Ok(())
}

/// `direction` is `up` or `down`.
#[server(endpoint = "move_module")]
pub async fn move_module(id: String, direction: String) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    programs::move_module(&context, &actor, parse_id(&id)?, direction == "up").await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollableView {
    /// `client` or `group`.
    pub kind: String,
    pub id: String,
    pub name: String,
}

#[server(endpoint = "search_enrollables")]
pub async fn search_enrollables(term: String) -> Result<Vec<EnrollableView>, AppError> {
    let (context, actor) = require_member().await?;
    let found = programs::search_enrollables(&context, &actor, &term).await?;
    Ok(found
        .into_iter()
        .map(|e| {
            let (kind, id) = match e.target {
                Target::Client(id) => ("client", id),
                Target::Group(id) => ("group", id),
            };
            EnrollableView { kind: kind.to_owned(), id: id.to_string(), name: e.name }
        })
        .collect())
}

/// Enrolls a client (`kind` = `client`) or a group; `newcomer_start` is `join_date` or
/// `group_start` for a group.
#[server(endpoint = "enroll_in_program")]
pub async fn enroll_in_program(
    program_id: String,
    kind: String,
    target_id: String,
    #[server(default)] start_date: String,
    #[server(default)] newcomer_start: String,
) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    let target_id = parse_id(&target_id)?;
    let target = if kind == "group" { Target::Group(target_id) } else { Target::Client(target_id) };
    programs::enroll(&context, &actor, parse_id(&program_id)?, target, &start_date, &newcomer_start).await?;
    Ok(())
}

#[server(endpoint = "change_enrollment_dates")]
pub async fn change_enrollment_dates(
    id: String,
    start_date: String,
    #[server(default)] ends_on: String,
) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    programs::change_dates(&context, &actor, parse_id(&id)?, &start_date, &ends_on).await?;
    Ok(())
}

#[server(endpoint = "remove_program_client")]
pub async fn remove_program_client(program_id: String, client_id: String) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    programs::remove_client(&context, &actor, parse_id(&program_id)?, parse_id(&client_id)?).await?;
    Ok(())
}

#[server(endpoint = "remove_program_group")]
pub async fn remove_program_group(enrollment_id: String) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    programs::remove_group(&context, &actor, parse_id(&enrollment_id)?).await?;
    Ok(())
}

#[server(endpoint = "unlock_module_early")]
pub async fn unlock_module_early(client_id: String, module_id: String) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    programs::unlock_early(&context, &actor, parse_id(&client_id)?, parse_id(&module_id)?).await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramClientView {
    pub client_id: String,
    pub name: String,
    pub enrollment_id: String,
    /// `(group id, group name)` when the access comes through a group.
    pub via_group: Option<(String, String)>,
    pub start_date: String,
    /// The enrollment's own last day, when it has one.
    pub ends_on: Option<String>,
    pub ends: Option<String>,
    pub progress: String,
    pub last_activity: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramClientsView {
    pub title: String,
    /// (module id, title): what may be unlocked early.
    pub modules: Vec<(String, String)>,
    pub can_enroll: bool,
    pub rows: Vec<ProgramClientView>,
    pub total: usize,
    pub page: usize,
    pub page_count: usize,
}

#[server(endpoint = "list_program_clients")]
pub async fn list_program_clients(
    program_id: String,
    #[server(default)] search: String,
    #[server(default)] page: usize,
) -> Result<ProgramClientsView, AppError> {
    let (context, actor) = require_member().await?;
    let tab = programs::clients_tab(&context, &actor, parse_id(&program_id)?, &search, page).await?;
    Ok(ProgramClientsView {
        title: tab.title,
        modules: tab.modules.into_iter().map(|(id, title)| (id.to_string(), title)).collect(),
        can_enroll: tab.can_enroll,
        rows: tab
            .rows
            .into_iter()
            .map(|r| ProgramClientView {
                client_id: r.client_id.to_string(),
                name: r.name,
                enrollment_id: r.enrollment_id.to_string(),
                via_group: r.via_group.map(|(id, name)| (id.to_string(), name)),
                start_date: r.start.to_string(),
                ends_on: r.ends_on.map(|d| d.to_string()),
                ends: r.ends_at.map(|at| format_date_time(at, actor.time_zone)),
                progress: format!("{} of {} released modules completed", r.completed, r.released),
                last_activity: r.last_activity.map(|at| format_date_time(at, actor.time_zone)),
            })
            .collect(),
        total: tab.total,
        page: tab.page,
        page_count: tab.page_count,
    })
}

// ----- The portal -----

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalProgramSummaryView {
    pub href: String,
    pub title: String,
    /// The cover image's address, when the program has one.
    pub cover: Option<String>,
    pub progress: String,
}

#[server(endpoint = "portal_programs")]
pub async fn portal_programs(slug: String) -> Result<Vec<PortalProgramSummaryView>, AppError> {
    let (context, client) = require_client(&slug).await?;
    let list = programs::programs_of_client(&context, &client).await?;
    Ok(list
        .into_iter()
        .map(|p| PortalProgramSummaryView {
            href: portal_path(&slug, &format!("/programs/{}", p.id)),
            cover: p.has_cover.then(|| portal_path(&slug, &format!("/programs/{}/cover", p.id))),
            title: p.title,
            progress: format!("{} of {} modules completed, {} released so far", p.completed, p.total, p.released),
        })
        .collect())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalModuleView {
    pub title: String,
    pub kind_label: String,
    /// A link when the module is open.
    pub href: Option<String>,
    /// "Completed", "Open", "Opens Dec 8, 2026, 9:00 AM CST", "Complete the previous module first".
    pub state: String,
    pub completed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalProgramView {
    pub title: String,
    pub cover: Option<String>,
    pub description: String,
    pub access_ends: Option<String>,
    pub modules: Vec<PortalModuleView>,
}

#[server(endpoint = "portal_program")]
pub async fn portal_program(slug: String, id: String) -> Result<PortalProgramView, AppError> {
    let (context, client) = require_client(&slug).await?;
    let program = programs::client_program(&context, &client, parse_id(&id)?).await?;
    let zone = client.time_zone;
    Ok(PortalProgramView {
        cover: program.has_cover.then(|| portal_path(&slug, &format!("/programs/{}/cover", program.id))),
        title: program.title,
        description: program.description,
        access_ends: program.ends_at.map(|at| format_date_time(at, zone)),
        modules: program
            .modules
            .into_iter()
            .map(|m| {
                let open = matches!(m.state, ModuleState::Open { .. });
                PortalModuleView {
                    title: m.title,
                    kind_label: m.kind.label().to_owned(),
                    href: open.then(|| portal_path(&slug, &format!("/programs/{id}/modules/{}", m.id))),
                    state: match m.state {
                        ModuleState::Open { completed: true } => "Completed".to_owned(),
                        ModuleState::Open { completed: false } => "Open".to_owned(),
                        ModuleState::WaitingForPrevious => "Complete the previous module first".to_owned(),
                        ModuleState::Upcoming { opens_at } => format!("Opens {}", format_date_time(opens_at, zone)),
                    },
                    completed: m.state == ModuleState::Open { completed: true },
                }
            })
            .collect(),
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalModuleContentView {
    pub id: String,
    pub title: String,
    pub program_title: String,
    pub program_href: String,
    pub kind: String,
    /// Sanitized HTML rendered from the module's Markdown.
    pub html: String,
    pub video_embed: Option<String>,
    /// A document module's file: its name and where to open it.
    pub document: Option<(String, String)>,
    pub completed: bool,
}

#[server(endpoint = "portal_module")]
pub async fn portal_module(slug: String, id: String) -> Result<PortalModuleContentView, AppError> {
    let (context, client) = require_client(&slug).await?;
    let module = programs::client_module(&context, &client, parse_id(&id)?).await?;
    Ok(PortalModuleContentView {
        id: module.id.to_string(),
        title: module.title,
        program_href: portal_path(&slug, &format!("/programs/{}", module.program_id)),
        program_title: module.program_title,
        kind: module.kind.as_str().to_owned(),
        html: module.html,
        video_embed: module.video_embed,
        document: module.document_name.map(|name| {
            (name, portal_path(&slug, &format!("/programs/{}/modules/{}/document", module.program_id, module.id)))
        }),
        completed: module.completed,
    })
}

#[server(endpoint = "remove_program_cover")]
pub async fn remove_program_cover(id: String) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    tend_core::programs::files::remove_cover(&context, &actor, parse_id(&id)?).await?;
    Ok(())
}

#[server(endpoint = "complete_module")]
pub async fn complete_module(slug: String, id: String) -> Result<(), AppError> {
    let (context, client) = require_client(&slug).await?;
    programs::complete_module(&context, &client, parse_id(&id)?).await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewModuleView {
    pub title: String,
    pub kind_label: String,
    pub state: String,
    pub html: Option<String>,
    pub video_embed: Option<String>,
    pub document_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewView {
    pub id: String,
    pub title: String,
    pub day: u32,
    pub modules: Vec<PreviewModuleView>,
}

/// The program as a client who starts today sees it on day `day` of their program.
#[server(endpoint = "preview_program")]
pub async fn preview_program(id: String, #[server(default)] day: u32) -> Result<PreviewView, AppError> {
    let (context, actor) = require_member().await?;
    let day = day.min(3650);
    let (program, modules) = programs::preview(&context, &actor, parse_id(&id)?, day).await?;
    Ok(PreviewView {
        id: program.id.to_string(),
        title: program.title,
        day,
        modules: modules
            .into_iter()
            .map(|m| PreviewModuleView {
                title: m.title,
                kind_label: m.kind.label().to_owned(),
                state: match m.state {
                    ModuleState::Open { .. } => "Open".to_owned(),
                    ModuleState::WaitingForPrevious => "After the previous module is completed".to_owned(),
                    ModuleState::Upcoming { opens_at } => {
                        format!("Opens {}", format_date_time(opens_at, actor.time_zone))
                    }
                },
                html: m.html,
                video_embed: m.video_embed,
                document_name: m.document_name,
            })
            .collect(),
    })
}
