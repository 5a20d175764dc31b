//! The provider's program pages: the list, a new program, the editor (details, modules, "Add
//! Clients and Groups", history), a module's editor, and the Clients tab.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{
    api::{
        AddModule, ChangeEnrollmentDates, CreateProgram, DeleteModule, DeleteProgram, EnrollInProgram, ModuleView,
        MoveModule, ProgramClientsView, ProgramDetailView, ProgramFields, RemoveProgramClient, RemoveProgramCover,
        RemoveProgramGroup, SetProgramStatus, UnlockModuleEarly, UpdateModule, UpdateProgram, get_program,
        list_program_clients, list_programs, preview_program,
    },
    combobox::{EnrollPicker, PickerState},
    uploads::{CoverUpload, DocumentUpload},
};
use crate::{
    error::AppError,
    ui::{
        CheckboxField, EmptyState, ErrorNotice, FormMessage, LoadError, Loading, SearchBox, SelectField, SubmitButton,
        TextAreaField, TextField, error_for, last_error, message_for, successes,
    },
};

#[component]
pub fn ProgramsPage() -> impl IntoView {
    let programs = Resource::new(|| (), |_| list_programs());
    view! {
        <Title text="Programs · Tend" />
        <h1>"Programs"</h1>
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match programs.await {
                    Ok(view) => {
                        let can_create = view.can_create;
                        let sections = [("active", "Active"), ("draft", "Drafts"), ("archived", "Archived")];
                        let empty = view.programs.is_empty();
                        view! {
                            {can_create.then(|| view! { <p><a class="button" href="/app/programs/new">"New program"</a></p> })}
                            {empty.then(|| view! {
                                <EmptyState title="No programs yet">
                                    <p>"Courses of modules you release to clients over time will be listed here."</p>
                                </EmptyState>
                            })}
                            {sections.into_iter().map(|(status, heading)| {
                                let items: Vec<_> = view.programs.iter().filter(|p| p.status == status).cloned().collect();
                                (!items.is_empty()).then(|| view! {
                                    <section class="card">
                                        <h2>{heading}</h2>
                                        <ul class="client-list">
                                            {items.into_iter().map(|p| view! {
                                                <li class="client-item">
                                                    <a class="client-name" href=format!("/app/programs/{}", p.id)>{p.title}</a>
                                                    <span class="client-meta">
                                                        {format!("{} · {}", if p.kind == "fixed" { "Fixed start" } else { "Rolling start" },
                                                            if p.module_count == 1 { "1 module".to_owned() } else { format!("{} modules", p.module_count) })}
                                                    </span>
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                    </section>
                                })
                            }).collect_view()}
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorNotice message=error.to_string() /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Title, description, start rule and access length: the new-program form and the editor's.
#[component]
fn ProgramFieldsForm(fields: ProgramFields, error: Signal<Option<AppError>>) -> impl IntoView {
    let kinds = vec![
        ("rolling".to_owned(), "Rolling: each client starts on their own start date".to_owned()),
        ("fixed".to_owned(), "Fixed: everyone starts on one date".to_owned()),
    ];
    let kind = if fields.kind.is_empty() { "rolling".to_owned() } else { fields.kind.clone() };
    view! {
        <TextField label="Title" name="program[title]" value=fields.title.clone() error=message_for(error, "title") />
        <TextAreaField label="Description" name="program[description]" value=fields.description.clone()
            hint="Up to 700 characters." rows=4 error=message_for(error, "description") />
        <SelectField label="When clients start" name="program[kind]" options=kinds value=kind error=message_for(error, "kind") />
        <TextField label="Fixed start date" name="program[fixed_start_date]" kind="date" value=fields.fixed_start_date.clone()
            hint="For a fixed program only." error=message_for(error, "fixed_start_date") />
        <CheckboxField label="Allow late enrollment (late joiners get every module already released)"
            name="program[allow_late_enrollment]" checked=fields.allow_late_enrollment.is_some() />
        <TextField label="End access after (days)" name="program[access_days]" kind="number" value=fields.access_days.clone()
            hint="Counted from each client's start date. Leave empty to keep access open." error=message_for(error, "access_days") />
    }
}

#[component]
pub fn NewProgramPage() -> impl IntoView {
    let create = ServerAction::<CreateProgram>::new();
    let value = create.value();
    let fields = ProgramFields { allow_late_enrollment: Some("on".into()), ..ProgramFields::default() };
    view! {
        <Title text="New program · Tend" />
        <p class="breadcrumb"><a href="/app/programs">"Programs"</a></p>
        <h1>"New program"</h1>
        <section class="card narrow">
            <ActionForm action=create attr:novalidate=true attr:class="stack">
                <FormMessage value=value />
                <ProgramFieldsForm fields error=last_error(value) />
                <SubmitButton label="Create program" pending=create.pending() />
            </ActionForm>
        </section>
    }
}

/// Every action of the editor, so the page reloads its data after any of them succeeds.
#[derive(Clone, Copy)]
struct EditorActions {
    update: ServerAction<UpdateProgram>,
    status: ServerAction<SetProgramStatus>,
    add_module: ServerAction<AddModule>,
    move_module: ServerAction<MoveModule>,
    delete_module: ServerAction<DeleteModule>,
    enroll: ServerAction<EnrollInProgram>,
    dates: ServerAction<ChangeEnrollmentDates>,
    remove_group: ServerAction<RemoveProgramGroup>,
    remove_cover: ServerAction<RemoveProgramCover>,
    picker: PickerState,
    reloads: Memo<usize>,
}

impl EditorActions {
    fn new() -> Self {
        let update = ServerAction::<UpdateProgram>::new();
        let status = ServerAction::<SetProgramStatus>::new();
        let add_module = ServerAction::<AddModule>::new();
        let move_module = ServerAction::<MoveModule>::new();
        let delete_module = ServerAction::<DeleteModule>::new();
        let enroll = ServerAction::<EnrollInProgram>::new();
        let dates = ServerAction::<ChangeEnrollmentDates>::new();
        let remove_group = ServerAction::<RemoveProgramGroup>::new();
        let remove_cover = ServerAction::<RemoveProgramCover>::new();
        let counts = [
            successes(update.version(), update.value()),
            successes(status.version(), status.value()),
            successes(add_module.version(), add_module.value()),
            successes(move_module.version(), move_module.value()),
            successes(delete_module.version(), delete_module.value()),
            successes(enroll.version(), enroll.value()),
            successes(dates.version(), dates.value()),
            successes(remove_group.version(), remove_group.value()),
            successes(remove_cover.version(), remove_cover.value()),
        ];
        Self {
            update,
            status,
            add_module,
            move_module,
            delete_module,
            enroll,
            dates,
            remove_group,
            remove_cover,
            picker: PickerState::new(),
            reloads: Memo::new(move |_| counts.iter().map(|c| c.get()).sum()),
        }
    }

    /// Changes after an action succeeds, never after a refusal: reloading the editor renders its
    /// forms afresh, which would throw away what the member typed next to the error.
    fn version(&self) -> usize {
        self.reloads.get()
    }
}

fn use_program_id() -> Signal<String> {
    let params = use_params_map();
    Signal::derive(move || params.with(|p| p.get("id").unwrap_or_default()))
}

#[component]
pub fn ProgramPage() -> impl IntoView {
    let id = use_program_id();
    let actions = EditorActions::new();
    let program = Resource::new_blocking(move || (id.get(), actions.version()), |(id, _)| get_program(id));
    view! {
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match program.await {
                    Ok(program) => view! { <ProgramEditor program actions /> }.into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ProgramEditor(program: ProgramDetailView, actions: EditorActions) -> impl IntoView {
    let id = program.id.clone();
    let title = program.fields.title.clone();
    view! {
        <Title text=format!("{title} · Tend") />
        <p class="breadcrumb"><a href="/app/programs">"Programs"</a></p>
        <h1>{title.clone()}</h1>
        <p class="lead">
            <span class="badge">{program.status_label.clone()}</span>
            " " <a href=format!("/app/programs/{id}/clients")>{format!("Clients tab ({} with access)", program.client_count)}</a>
            " · " <a href=format!("/app/programs/{id}/preview")>"Preview as a client"</a>
        </p>
        {program.can_enroll.then(|| view! { <AddClientsAndGroups program=program.clone() actions /> })}
        <Modules program=program.clone() actions />
        {program.can_edit.then(|| view! {
            <CoverUpload program_id=id.clone() title=title.clone() has_cover=program.has_cover remove=actions.remove_cover />
            <Details program=program.clone() actions />
        })}
        <History program=program.clone() />
    }
}

#[component]
fn Details(program: ProgramDetailView, actions: EditorActions) -> impl IntoView {
    let delete = ServerAction::<DeleteProgram>::new();
    let confirm = RwSignal::new(false);
    let id = program.id.clone();
    let (status_id, delete_id) = (id.clone(), id.clone());
    let update = actions.update;
    let losing = match program.client_count {
        0 => "No client has access to it now.".to_owned(),
        1 => "1 client will lose access to it at once.".to_owned(),
        n => format!("{n} clients will lose access to it at once."),
    };
    let status_buttons: Vec<(&'static str, &'static str)> = match program.status.as_str() {
        "draft" => vec![("active", "Publish"), ("archived", "Archive")],
        "active" => vec![("draft", "Unpublish"), ("archived", "Archive")],
        _ => vec![("draft", "Restore")],
    };
    view! {
        <section class="card narrow">
            <h2>"Details"</h2>
            <ActionForm action=update attr:novalidate=true attr:class="stack">
                <FormMessage value=update.value() success="Program saved." />
                <input type="hidden" name="id" value=id.clone() />
                <ProgramFieldsForm fields=program.fields.clone() error=last_error(update.value()) />
                <SubmitButton label="Save program" pending=update.pending() />
            </ActionForm>
        </section>
        <section class="card narrow">
            <h2>"Publishing"</h2>
            <p>"Clients see active programs only. Archived programs keep their clients and progress, hidden."</p>
            <FormMessage value=actions.status.value() />
            <div class="button-row">
                {status_buttons.into_iter().map(|(status, label)| {
                    let id = status_id.clone();
                    view! {
                        <ActionForm action=actions.status attr:class="inline-form">
                            <input type="hidden" name="id" value=id />
                            <input type="hidden" name="status" value=status />
                            <button type="submit" class="button button-quiet">{label}</button>
                        </ActionForm>
                    }
                }).collect_view()}
            </div>
        </section>
        <section class="card narrow">
            <h2>"Delete"</h2>
            <Show when=move || !confirm.get() fallback=move || {
                let id = delete_id.clone();
                let losing = losing.clone();
                view! {
                    <div role="alertdialog" aria-labelledby="delete-program-question" class="stack">
                        <p id="delete-program-question"><strong>"Delete this program for good? "</strong>{losing}</p>
                        <ActionForm action=delete attr:class="inline-form">
                            <FormMessage value=delete.value() />
                            <input type="hidden" name="id" value=id />
                            <button type="submit" class="button button-danger">"Yes, delete the program"</button>
                        </ActionForm>
                        <button type="button" class="button button-quiet" on:click=move |_| confirm.set(false)>"Keep it"</button>
                    </div>
                }
            }>
                <button type="button" class="button button-quiet" on:click=move |_| confirm.set(true)>"Delete program"</button>
            </Show>
        </section>
    }
}

#[component]
fn Modules(program: ProgramDetailView, actions: EditorActions) -> impl IntoView {
    let id = program.id.clone();
    let can_edit = program.can_edit;
    let empty = program.modules.is_empty();
    let zone = program.time_zone.clone();
    view! {
        <section class="card">
            <h2>"Modules"</h2>
            <p class="field-hint">{format!("Release days count from each client's start date (day 0 is the start date); times are in {zone}.")}</p>
            <FormMessage value=actions.move_module.value() />
            <FormMessage value=actions.delete_module.value() />
            {empty.then(|| view! { <p>"No modules yet."</p> })}
            <ol class="module-list">
                {program.modules.into_iter().map(|m| {
                    let program_id = id.clone();
                    view! { <ModuleItem module=m program_id can_edit actions /> }
                }).collect_view()}
            </ol>
            {can_edit.then(|| view! { <NewModule program_id=id.clone() actions /> })}
        </section>
    }
}

#[component]
fn ModuleItem(module: ModuleView, program_id: String, can_edit: bool, actions: EditorActions) -> impl IntoView {
    let when = format!("Day {} at {}", module.release_day, module.release_time);
    let (up, down, delete) = (module.id.clone(), module.id.clone(), module.id.clone());
    let title = module.title.clone();
    let (earlier, later, delete_label) =
        (format!("Move {title} earlier"), format!("Move {title} later"), format!("Delete module {title}"));
    view! {
        <li class="module-item">
            <span class="module-title">
                {if can_edit {
                    view! { <a href=format!("/app/programs/{program_id}/modules/{}", module.id)>{module.title.clone()}</a> }.into_any()
                } else {
                    module.title.clone().into_any()
                }}
            </span>
            <span class="client-meta">
                {format!("{} · {when}{}", module.kind_label, if module.requires_previous { " · after the previous one" } else { "" })}
            </span>
            {can_edit.then(|| view! {
                <span class="button-row">
                    <ActionForm action=actions.move_module attr:class="inline-form">
                        <input type="hidden" name="id" value=up />
                        <input type="hidden" name="direction" value="up" />
                        <button type="submit" class="button button-quiet" aria-label=earlier>"↑"</button>
                    </ActionForm>
                    <ActionForm action=actions.move_module attr:class="inline-form">
                        <input type="hidden" name="id" value=down />
                        <input type="hidden" name="direction" value="down" />
                        <button type="submit" class="button button-quiet" aria-label=later>"↓"</button>
                    </ActionForm>
                    <ActionForm action=actions.delete_module attr:class="inline-form">
                        <input type="hidden" name="id" value=delete />
                        <button type="submit" class="button button-quiet" aria-label=delete_label>"Delete"</button>
                    </ActionForm>
                </span>
            })}
        </li>
    }
}

/// The fields of a module, for adding one and for editing one.
#[component]
fn ModuleFieldsForm(module: Option<ModuleView>, error: Signal<Option<AppError>>) -> impl IntoView {
    let module = module.unwrap_or(ModuleView {
        id: String::new(),
        kind: "lesson".into(),
        kind_label: String::new(),
        title: String::new(),
        body: String::new(),
        video_url: String::new(),
        release_day: 0,
        release_time: "09:00".into(),
        requires_previous: false,
        document_name: None,
    });
    let kinds = vec![
        ("lesson".to_owned(), "Lesson (text)".to_owned()),
        ("video".to_owned(), "Video (YouTube or Vimeo)".to_owned()),
        ("document".to_owned(), "Document (a file clients open)".to_owned()),
        ("email".to_owned(), "Email (sent on its release day)".to_owned()),
    ];
    view! {
        <SelectField label="Kind" name="module[kind]" options=kinds value=module.kind.clone() error=message_for(error, "kind") />
        <TextField label="Module title" name="module[title]" value=module.title.clone() error=message_for(error, "title") />
        <TextAreaField label="Text" name="module[body]" value=module.body.clone() rows=8
            hint="Markdown: **bold**, *italic*, # headings, - lists, [links](https://…). For a video or a document: notes shown with it." error=message_for(error, "body") />
        <TextField label="Video link" name="module[video_url]" kind="url" value=module.video_url.clone()
            hint="For a video module: a YouTube or Vimeo address." error=message_for(error, "video_url") />
        <TextField label="Release day" name="module[release_day]" kind="number" value=module.release_day.to_string()
            hint="0 is the client's start date." error=message_for(error, "release_day") />
        <TextField label="Release time" name="module[release_time]" kind="time" value=module.release_time.clone()
            error=message_for(error, "release_time") />
        <CheckboxField label="Complete the previous module first" name="module[requires_previous]" checked=module.requires_previous />
    }
}

#[component]
fn NewModule(program_id: String, actions: EditorActions) -> impl IntoView {
    let add = actions.add_module;
    view! {
        <details class="add-module">
            <summary>"Add a module"</summary>
            <ActionForm action=add attr:novalidate=true attr:class="stack">
                <FormMessage value=add.value() success="Module added." />
                <input type="hidden" name="program_id" value=program_id />
                <ModuleFieldsForm module=None error=last_error(add.value()) />
                <SubmitButton label="Add module" pending=add.pending() />
            </ActionForm>
        </details>
    }
}

#[component]
pub fn ModulePage() -> impl IntoView {
    let params = use_params_map();
    let program_id = move || params.with(|p| p.get("id").unwrap_or_default());
    let module_id = move || params.with(|p| p.get("module_id").unwrap_or_default());
    let update = ServerAction::<UpdateModule>::new();
    // Reload after a save only: a refused form keeps what was typed.
    let saved = successes(update.version(), update.value());
    let program = Resource::new_blocking(move || (program_id(), saved.get()), |(id, _)| get_program(id));
    view! {
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                let wanted = module_id();
                match program.await {
                    Ok(program) => match program.modules.iter().find(|m| m.id == wanted).cloned() {
                        Some(module) => {
                        let document = (module.kind == "document").then(|| view! {
                            <DocumentUpload program_id=program.id.clone() module_id=module.id.clone() document_name=module.document_name.clone() />
                        });
                        view! {
                            <Title text=format!("{} · Tend", module.title) />
                            <p class="breadcrumb"><a href=format!("/app/programs/{}", program.id)>{program.fields.title.clone()}</a></p>
                            <h1>{module.title.clone()}</h1>
                            <section class="card narrow">
                                <ActionForm action=update attr:novalidate=true attr:class="stack">
                                    <FormMessage value=update.value() success="Module saved." />
                                    <input type="hidden" name="id" value=module.id.clone() />
                                    <ModuleFieldsForm module=Some(module) error=last_error(update.value()) />
                                    <SubmitButton label="Save module" pending=update.pending() />
                                </ActionForm>
                            </section>
                            {document}
                        }.into_any()
                    }
                        None => view! { <LoadError error=AppError::NotFound /> }.into_any(),
                    },
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The one search box, "Add Clients and Groups", then a start date for the chosen one.
#[component]
fn AddClientsAndGroups(program: ProgramDetailView, actions: EditorActions) -> impl IntoView {
    let enroll = actions.enroll;
    let chosen = actions.picker.chosen;
    let fixed = program.fields.kind == "fixed";
    let today = program.today.clone();
    let program_id = program.id.clone();
    let groups = program.groups.clone();
    view! {
        <section class="card">
            <h2>"Clients and groups"</h2>
            <EnrollPicker state=actions.picker />
            <FormMessage value=enroll.value() success="Added to the program." />
            {move || chosen.get().map(|choice| {
                let (program_id, today) = (program_id.clone(), today.clone());
                let is_group = choice.kind == "group";
                let label = format!("Add {}", choice.name);
                view! {
                    <ActionForm action=enroll attr:novalidate=true attr:class="stack enroll-form">
                        <input type="hidden" name="program_id" value=program_id.clone() />
                        <input type="hidden" name="kind" value=choice.kind.clone() />
                        <input type="hidden" name="target_id" value=choice.id.clone() />
                        {if fixed {
                            view! { <p>"Everyone starts on the program's fixed start date."</p> }.into_any()
                        } else {
                            view! { <TextField label="Start date" name="start_date" kind="date" value=today.clone()
                                error=error_for(enroll.value(), "start_date") /> }.into_any()
                        }}
                        {is_group.then(|| view! {
                            <fieldset class="field">
                                <legend>"Clients who join the group later start"</legend>
                                <label><input type="radio" name="newcomer_start" value="group_start" checked=true />" on the group's start date"</label>
                                <label><input type="radio" name="newcomer_start" value="join_date" />" on the day they join"</label>
                            </fieldset>
                        })}
                        <SubmitButton label=label pending=enroll.pending() />
                    </ActionForm>
                }
            })}
            {(!groups.is_empty()).then(|| view! {
                <h3>"Groups with access"</h3>
                <ul class="client-list">
                    {groups.into_iter().map(|g| {
                        let remove_label = format!("Remove the group {}", g.name);
                        let (dates_id, remove_id, field_id) =
                            (g.enrollment_id.clone(), g.enrollment_id.clone(), format!("start-{}", g.enrollment_id));
                        view! {
                            <li class="client-item">
                                <a class="client-name" href=format!("/app/groups/{}", g.group_id)>{g.name.clone()}</a>
                                <span class="client-meta">{format!("Starts {}{}", g.start_date,
                                    if g.newcomers_start_on_join { " · newcomers start on the day they join" } else { "" })}</span>
                                <ActionForm action=actions.dates attr:class="inline-form">
                                    <input type="hidden" name="id" value=dates_id />
                                    <label class="visually-hidden" for=field_id.clone()>{format!("Start date of {}", g.name)}</label>
                                    <input id=field_id type="date" name="start_date" value=g.start_date.clone() />
                                    <button type="submit" class="button button-quiet">"Change start"</button>
                                </ActionForm>
                                <ActionForm action=actions.remove_group attr:class="inline-form">
                                    <input type="hidden" name="enrollment_id" value=remove_id />
                                    <button type="submit" class="button button-quiet" aria-label=remove_label>"×"</button>
                                </ActionForm>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            <FormMessage value=actions.dates.value() success="Start date changed." />
            <FormMessage value=actions.remove_group.value() success="The group no longer has access." />
        </section>
    }
}

#[component]
fn History(program: ProgramDetailView) -> impl IntoView {
    view! {
        <section class="card">
            <h2>"History"</h2>
            {if program.history.is_empty() {
                view! { <p>"Nothing has happened yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="history">
                        {program.history.into_iter().map(|e| view! { <li><span class="client-meta">{e.when}</span>" " {e.text}</li> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// The Clients tab: everyone with access, where it comes from, start date and progress.
#[component]
pub fn ProgramClientsPage() -> impl IntoView {
    let id = use_program_id();
    let query = use_query_map();
    let search = Signal::derive(move || query.with(|q| q.get("q").unwrap_or_default()));
    let page = Signal::derive(move || query.with(|q| q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1usize)));
    let remove = ServerAction::<RemoveProgramClient>::new();
    let dates = ServerAction::<ChangeEnrollmentDates>::new();
    let unlock = ServerAction::<UnlockModuleEarly>::new();
    // One call: the tab's page brings the program's title and modules with it.
    let clients = Resource::new_blocking(
        move || {
            (id.get(), search.get(), page.get(), remove.version().get(), dates.version().get(), unlock.version().get())
        },
        |(id, search, page, ..)| list_program_clients(id, search, page),
    );
    view! {
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match clients.await {
                    Ok(list) => view! { <ClientsTab program_id=id.get_untracked() list search remove dates unlock /> }.into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ClientsTab(
    program_id: String,
    list: ProgramClientsView,
    search: Signal<String>,
    remove: ServerAction<RemoveProgramClient>,
    dates: ServerAction<ChangeEnrollmentDates>,
    unlock: ServerAction<UnlockModuleEarly>,
) -> impl IntoView {
    let ProgramClientsView { title, modules, can_enroll, rows, total, page, page_count } = list;
    let base = format!("/app/programs/{program_id}/clients");
    let list = if rows.is_empty() {
        view! { <p>"No clients have access."</p> }.into_any()
    } else {
        let q = crate::ui::url_encode(&search.get_untracked());
        view! {
            <p class="client-meta">{format!("{total} with access")}</p>
            <ul class="client-list">
                {rows.into_iter().map(|row| {
                    let program_id = program_id.clone();
                    let modules = modules.clone();
                    view! { <ClientRow row program_id modules can_enroll remove dates unlock /> }
                }).collect_view()}
            </ul>
            <nav class="pager" aria-label="Pages">
                {(page > 1).then(|| view! { <a href=format!("{base}?q={q}&page={}", page - 1)>"Previous page"</a> })}
                <span>{format!("Page {page} of {page_count}")}</span>
                {(page < page_count).then(|| view! { <a href=format!("{base}?q={q}&page={}", page + 1)>"Next page"</a> })}
            </nav>
        }
        .into_any()
    };
    view! {
        <Title text=format!("Clients of {title} · Tend") />
        <p class="breadcrumb"><a href=format!("/app/programs/{program_id}")>{title.clone()}</a></p>
        <h1>"Clients"</h1>
        <section class="card">
            <SearchBox id="program-client-search" label="Find a client in this program" button="Find" value=search />
            <FormMessage value=remove.value() success="Removed: they no longer have access to this program." />
            <FormMessage value=dates.value() success="Dates saved." />
            <FormMessage value=unlock.value() success="Module unlocked for this client." />
            {list}
        </section>
    }
}

#[component]
fn ClientRow(
    row: super::api::ProgramClientView,
    program_id: String,
    modules: Vec<(String, String)>,
    can_enroll: bool,
    remove: ServerAction<RemoveProgramClient>,
    dates: ServerAction<ChangeEnrollmentDates>,
    unlock: ServerAction<UnlockModuleEarly>,
) -> impl IntoView {
    let explain = RwSignal::new(false);
    let remove_label = format!("Remove {}", row.name);
    let source = match &row.via_group {
        Some((_, group)) => format!("Through group {group}"),
        None => "Directly".to_owned(),
    };
    let via_group = row.via_group.clone();
    let enrollment_id = row.enrollment_id.clone();
    let direct = via_group.is_none();
    let unlock_client = row.client_id.clone();
    let unlock_label = format!("Module to unlock early for {}", row.name);
    view! {
        <li class="client-item program-client">
            <a class="client-name" href=format!("/app/clients/{}", row.client_id)>{row.name.clone()}</a>
            <span class="client-meta">
                {format!("{source} · started {} · {}{}", row.start_date, row.progress,
                    row.last_activity.as_ref().map(|a| format!(" · last activity {a}")).unwrap_or_default())}
                {row.ends.as_ref().map(|e| format!(" · access ends {e}"))}
            </span>
            {(can_enroll && direct).then(|| {
                let id = enrollment_id.clone();
                let label = format!("Start date of {}", row.name);
                let end_label = format!("Access of {} ends after", row.name);
                view! {
                    <details class="client-dates">
                        <summary>"Dates"</summary>
                        <ActionForm action=dates attr:class="stack">
                            <input type="hidden" name="id" value=id.clone() />
                            <label for=format!("start-{id}")>{label}</label>
                            <input id=format!("start-{id}") type="date" name="start_date" value=row.start_date.clone() />
                            <label for=format!("end-{id}")>{end_label}</label>
                            <input id=format!("end-{id}") type="date" name="ends_on" value=row.ends_on.clone().unwrap_or_default() />
                            <p class="field-hint">"Leave the end empty to follow the program's rule."</p>
                            <button type="submit" class="button button-quiet">"Save dates"</button>
                        </ActionForm>
                    </details>
                }
            })}
            {(can_enroll && !modules.is_empty()).then(|| {
                let select_id = format!("unlock-{unlock_client}");
                view! {
                    <ActionForm action=unlock attr:class="inline-form">
                        <input type="hidden" name="client_id" value=unlock_client.clone() />
                        <label class="visually-hidden" for=select_id.clone()>{unlock_label.clone()}</label>
                        <select id=select_id name="module_id">
                            {modules.iter().map(|(id, title)| view! { <option value=id.clone()>{title.clone()}</option> }).collect_view()}
                        </select>
                        <button type="submit" class="button button-quiet">"Unlock early"</button>
                    </ActionForm>
                }
            })}
            {can_enroll.then(|| match via_group.clone() {
                None => view! {
                    <ActionForm action=remove attr:class="inline-form">
                        <input type="hidden" name="program_id" value=program_id.clone() />
                        <input type="hidden" name="client_id" value=row.client_id.clone() />
                        <button type="submit" class="button button-quiet icon-button" aria-label=remove_label.clone()
                            on:click=|ev| {
                                let sure = window()
                                    .confirm_with_message("Remove this client from the program? They lose access to every module at once.")
                                    .unwrap_or(true);
                                if !sure {
                                    ev.prevent_default();
                                }
                            }>"×"</button>
                    </ActionForm>
                }.into_any(),
                Some((group_id, group)) => view! {
                    <button type="button" class="button button-quiet icon-button" aria-label=remove_label.clone()
                        aria-expanded=move || explain.get().to_string() on:click=move |_| explain.update(|e| *e = !*e)>"×"</button>
                    <Show when=move || explain.get()>
                        <p class="notice notice-info" role="status">
                            {format!("{} has access through the group {group}. To remove their access, remove them from ", row.name)}
                            <a href=format!("/app/groups/{group_id}")>{format!("the group {group}")}</a>"."
                        </p>
                    </Show>
                }.into_any(),
            })}
        </li>
    }
}

/// Preview: the program as a client who starts today would see it on a chosen day.
#[component]
pub fn ProgramPreviewPage() -> impl IntoView {
    let id = use_program_id();
    let query = use_query_map();
    let day = Signal::derive(move || query.with(|q| q.get("day").and_then(|d| d.parse().ok()).unwrap_or(0u32)));
    let preview = Resource::new_blocking(move || (id.get(), day.get()), |(id, day)| preview_program(id, day));
    view! {
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match preview.await {
                    Ok(p) => view! {
                        <Title text=format!("Preview of {} · Tend", p.title) />
                        <p class="breadcrumb"><a href=format!("/app/programs/{}", p.id)>{p.title.clone()}</a></p>
                        <h1>{format!("Preview: {}", p.title)}</h1>
                        <form method="get" class="search-form">
                            <label for="preview-day">"Day of the program (0 is the start date)"</label>
                            <div class="search-row">
                                <input id="preview-day" type="number" name="day" min="0" max="3650" value=p.day.to_string() />
                                <button type="submit" class="button button-quiet">"Show"</button>
                            </div>
                        </form>
                        <p class="field-hint">{format!("What a client who starts today sees at the end of day {}.", p.day)}</p>
                        <ol class="module-list">
                            {p.modules.into_iter().map(|m| view! {
                                <li class="module-item preview-module">
                                    <strong>{m.title.clone()}</strong>
                                    <span class="client-meta">{format!("{} · {}", m.kind_label, m.state)}</span>
                                    {m.video_embed.clone().map(|src| view! {
                                        <div class="video-frame"><iframe src=src title=format!("Video: {}", m.title)></iframe></div>
                                    })}
                                    {m.html.clone().map(|html| view! { <div class="module-body" inner_html=html></div> })}
                                </li>
                            }).collect_view()}
                        </ol>
                    }.into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Transition>
    }
}
