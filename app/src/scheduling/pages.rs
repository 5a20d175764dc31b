//! The provider's scheduling pages: Settings → Scheduling (booking rules, appointment types),
//! an appointment type's editor, Availability, the Calendar, a new appointment and one
//! appointment (status, reschedule, cancel, delete).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{
    AddDateHours, AppointmentFields, ArchiveAppointmentType, BLOCKS_PER_DAY, BookAppointment, CalendarDay,
    CalendarView, DeleteAppointment, RemoveDateHours, RescheduleAppointment, ResetCalendarFeed, RulesFields,
    SaveAppointmentType, SaveSchedulingSettings, SaveWeeklyHours, SetAppointmentStatus, SetPortalBooking,
    TypeEditorView, WEEKDAYS, appointment_type, appointments_report, calendar, get_appointment,
    new_appointment_options, provider_hours, scheduling_settings,
};
use crate::{
    error::AppError,
    ui::{
        CheckboxField, FormMessage, LoadError, Loading, PageLinks, SelectField, SubmitButton, TextAreaField, TextField,
        count, error_for, last_error, message_for, successes,
    },
};

fn interval_options(with_practice: bool) -> Vec<(String, String)> {
    let mut options: Vec<(String, String)> =
        if with_practice { vec![(String::new(), "The practice's rule".into())] } else { Vec::new() };
    options.extend(["5", "10", "15", "30", "60"].iter().map(|m| (m.to_string(), format!("Every {m} minutes"))));
    options
}

fn yes_no_options() -> Vec<(String, String)> {
    vec![(String::new(), "The practice's rule".into()), ("true".into(), "Yes".into()), ("false".into(), "No".into())]
}

/// The practice's booking rules (ticked boxes) or a type's overrides (empty keeps the practice's).
#[component]
fn RulesFieldsForm(rules: RulesFields, error: Signal<Option<AppError>>, for_type: bool) -> impl IntoView {
    let hint = for_type.then(|| "Leave empty to use the practice's rule.".to_owned());
    let number = move |label: &'static str, name: &'static str, value: String, field: &'static str| {
        view! { <TextField label=label name=name kind="number" value=value hint=hint.clone().unwrap_or_default() error=message_for(error, field) /> }
    };
    let switch = move |label: &'static str, name: &'static str, value: String| {
        if for_type {
            view! { <SelectField label=label name=name options=yes_no_options() value=value /> }.into_any()
        } else {
            view! { <CheckboxField label=label name=name checked=!value.is_empty() /> }.into_any()
        }
    };
    view! {
        {number("Minimum notice to book (hours)", "rules[book_notice_hours]", rules.book_notice_hours.clone(), "book_notice_hours")}
        {number("Minimum notice to cancel (hours)", "rules[cancel_notice_hours]", rules.cancel_notice_hours.clone(), "cancel_notice_hours")}
        {number("Minimum notice to reschedule (hours)", "rules[reschedule_notice_hours]", rules.reschedule_notice_hours.clone(), "reschedule_notice_hours")}
        {number("How far ahead clients may book (days)", "rules[horizon_days]", rules.horizon_days.clone(), "horizon_days")}
        <SelectField label="Slot interval" name="rules[slot_interval_minutes]" options=interval_options(for_type)
            value=rules.slot_interval_minutes.clone() error=message_for(error, "slot_interval_minutes") />
        {switch("Clients may book the same day", "rules[same_day]", rules.same_day.clone())}
        {switch("Clients may cancel", "rules[clients_may_cancel]", rules.clients_may_cancel.clone())}
        <TextAreaField label="Message when clients may not cancel" name="rules[cancel_refusal]" rows=2
            value=rules.cancel_refusal.clone() error=message_for(error, "cancel_refusal") />
        {switch("Clients may reschedule", "rules[clients_may_reschedule]", rules.clients_may_reschedule.clone())}
        <TextAreaField label="Message when clients may not reschedule" name="rules[reschedule_refusal]" rows=2
            value=rules.reschedule_refusal.clone() error=message_for(error, "reschedule_refusal") />
    }
}

#[component]
pub fn SchedulingSettingsPage() -> impl IntoView {
    let save = ServerAction::<SaveSchedulingSettings>::new();
    let portal = ServerAction::<SetPortalBooking>::new();
    let reloads = successes(portal.version(), portal.value());
    let settings = Resource::new_blocking(move || reloads.get(), |_| scheduling_settings());
    view! {
        <Title text="Scheduling · Tend" />
        <p class="breadcrumb"><a href="/app/settings">"Settings"</a></p>
        <h1>"Scheduling"</h1>
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                let settings = match settings.await {
                    Ok(settings) => settings,
                    Err(error) => return view! { <LoadError error /> }.into_any(),
                };
                let can_manage = settings.can_manage;
                view! {
                    <section class="card">
                        <h2>"Appointment types"</h2>
                        {settings.types.is_empty().then(|| view! { <p>"No appointment types yet. Clients can book once you add one."</p> })}
                        <ul class="client-list">
                            {settings.types.into_iter().map(|t| view! {
                                <li class="client-item">
                                    <a class="client-name" href=format!("/app/settings/appointment-types/{}", t.id)>{t.name}</a>
                                    <span class="client-meta">
                                        {t.summary}
                                        {(!t.client_bookable).then_some(" · Providers book it")}
                                        {t.archived.then_some(" · Archived")}
                                    </span>
                                </li>
                            }).collect_view()}
                        </ul>
                        {can_manage.then(|| view! { <p><a class="button" href="/app/settings/appointment-types/new">"New appointment type"</a></p> })}
                    </section>
                    <section class="card narrow">
                        <h2>"Client portal settings"</h2>
                        <ActionForm action=portal attr:class="stack">
                            <FormMessage value=portal.value() success="Saved." />
                            <CheckboxField label="Clients can book appointments in the portal" name="portal_booking" checked=settings.portal_booking />
                            {can_manage.then(|| view! { <SubmitButton label="Save portal booking" pending=portal.pending() /> })}
                        </ActionForm>
                        <p>"The same switch opens the public booking page, where people who are not clients yet book and get a portal invitation: "
                            <a href=settings.booking_page.clone()>"Public booking page"</a></p>
                        <p class="field-hint">{settings.booking_page.clone()}</p>
                    </section>
                    <section class="card narrow">
                        <h2>"Booking rules"</h2>
                        <p>"These apply to every appointment type unless the type sets its own."</p>
                        <ActionForm action=save attr:novalidate=true attr:class="stack">
                            <FormMessage value=save.value() success="Booking rules saved." />
                            <RulesFieldsForm rules=settings.rules error=last_error(save.value()) for_type=false />
                            <TextField label="Reminders (hours before)" name="reminder_hours" value=settings.reminder_hours
                                hint="For example 24, 1 — up to four reminders." error=error_for(save.value(), "reminder_hours") />
                            <TextField label="Practice phone for clients" name="contact_phone" kind="tel" value=settings.contact_phone
                                hint="Shown when a rule stops a client from cancelling or rescheduling online." error=error_for(save.value(), "contact_phone") />
                            <TextField label="Practice email for clients" name="contact_email" kind="email" value=settings.contact_email
                                error=error_for(save.value(), "contact_email") />
                            {can_manage.then(|| view! { <SubmitButton label="Save booking rules" pending=save.pending() /> })}
                        </ActionForm>
                    </section>
                }
                .into_any()
            })}
        </Transition>
    }
}

#[component]
pub fn AppointmentTypePage() -> impl IntoView {
    let params = use_params_map();
    let id = Signal::derive(move || params.with(|p| p.get("id").unwrap_or_default()));
    let archive = ServerAction::<ArchiveAppointmentType>::new();
    let reloads = successes(archive.version(), archive.value());
    let editor = Resource::new_blocking(
        move || (id.get(), reloads.get()),
        |(id, _)| appointment_type(if id == "new" { String::new() } else { id }),
    );
    view! {
        <Title text="Appointment type · Tend" />
        <p class="breadcrumb"><a href="/app/settings/scheduling">"Scheduling"</a></p>
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match editor.await {
                    Ok(editor) => view! { <TypeEditor editor archive /> }.into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn TypeEditor(editor: TypeEditorView, archive: ServerAction<ArchiveAppointmentType>) -> impl IntoView {
    let save = ServerAction::<SaveAppointmentType>::new();
    let error = last_error(save.value());
    let f = editor.fields;
    let is_new = editor.id.is_empty();
    let type_id = editor.id.clone();
    let archive_id = editor.id.clone();
    let kinds = vec![
        ("external_video".to_owned(), "Video link (Zoom or another service)".to_owned()),
        ("phone".to_owned(), "Phone call".to_owned()),
        ("in_person".to_owned(), "In person".to_owned()),
    ];
    view! {
        <h1>{if is_new { "New appointment type".to_owned() } else { f.name.clone() }}</h1>
        <section class="card narrow">
            <ActionForm action=save attr:novalidate=true attr:class="stack">
                <FormMessage value=save.value() />
                <input type="hidden" name="id" value=type_id />
                <TextField label="Name" name="kind[name]" value=f.name.clone() error=message_for(error, "name") />
                <TextField label="Length (minutes)" name="kind[duration_minutes]" kind="number" value=f.duration_minutes.clone()
                    error=message_for(error, "duration_minutes") />
                <TextField label="Price" name="kind[price]" value=f.price.clone() hint="In dollars, like 80 or 80.50. Leave empty for free."
                    error=message_for(error, "price") />
                <SelectField label="How it happens" name="kind[location_kind]" options=kinds value=f.location_kind.clone()
                    error=message_for(error, "location_kind") />
                <TextField label="Client link" name="kind[client_link]" kind="url" value=f.client_link.clone()
                    hint="For a video link: the link clients join with. Only this link is ever sent to clients."
                    error=message_for(error, "client_link") />
                <TextField label="Host link" name="kind[host_link]" kind="url" value=f.host_link.clone()
                    hint="For a video link: your own link to start the meeting. Clients never see it."
                    error=message_for(error, "host_link") />
                <TextField label="Location" name="kind[location]" value=f.location.clone() hint="For in-person appointments: the address."
                    error=message_for(error, "location") />
                <TextField label="Buffer before (minutes)" name="kind[buffer_before_minutes]" kind="number"
                    value=f.buffer_before_minutes.clone() error=message_for(error, "buffer_before_minutes") />
                <TextField label="Buffer after (minutes)" name="kind[buffer_after_minutes]" kind="number"
                    value=f.buffer_after_minutes.clone() error=message_for(error, "buffer_after_minutes") />
                <CheckboxField label="Clients can book it themselves" name="kind[client_bookable]" checked=f.client_bookable.is_some() />
                <fieldset class="stack">
                    <legend>"Providers who offer it"</legend>
                    {editor.providers.into_iter().map(|(id, name)| {
                        let checked = f.providers.contains_key(&format!("p-{id}"));
                        let field_id = format!("provider-{id}");
                        view! {
                            <div class="field field-checkbox">
                                <input id=field_id.clone() type="checkbox" name=format!("kind[providers][p-{id}]") checked=checked />
                                <label for=field_id>{name}</label>
                            </div>
                        }
                    }).collect_view()}
                    <p class="field-error" aria-live="polite">{move || message_for(error, "provider_ids").get()}</p>
                </fieldset>
                <fieldset class="stack">
                    <legend>"Booking rules for this type"</legend>
                    <RulesFieldsForm rules=editor.rules.clone() error for_type=true />
                </fieldset>
                {editor.can_manage.then(|| view! {
                    <SubmitButton label=if is_new { "Create appointment type" } else { "Save appointment type" } pending=save.pending() />
                })}
            </ActionForm>
            {(!is_new && editor.can_manage).then(|| view! {
                <ActionForm action=archive attr:class="inline-form">
                    <input type="hidden" name="id" value=archive_id />
                    <input type="hidden" name="archived" value=(!editor.archived).to_string() />
                    <button type="submit" class="button button-quiet">
                        {if editor.archived { "Restore appointment type" } else { "Archive appointment type" }}
                    </button>
                </ActionForm>
            })}
        </section>
    }
}

#[component]
pub fn AvailabilityPage() -> impl IntoView {
    let query = use_query_map();
    let provider = Signal::derive(move || query.with(|q| q.get("provider").unwrap_or_default()));
    let save = ServerAction::<SaveWeeklyHours>::new();
    let add = ServerAction::<AddDateHours>::new();
    let remove = ServerAction::<RemoveDateHours>::new();
    let reset = ServerAction::<ResetCalendarFeed>::new();
    let counts = [
        successes(add.version(), add.value()),
        successes(remove.version(), remove.value()),
        successes(reset.version(), reset.value()),
    ];
    let reloads = Memo::new(move |_| counts.iter().map(|c| c.get()).sum::<usize>());
    let hours = Resource::new_blocking(move || (provider.get(), reloads.get()), |(p, _)| provider_hours(p));
    view! {
        <Title text="Availability · Tend" />
        <p class="breadcrumb"><a href="/app/calendar">"Calendar"</a></p>
        <h1>"Availability"</h1>
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                let hours = match hours.await {
                    Ok(hours) => hours,
                    Err(error) => return view! { <LoadError error /> }.into_any(),
                };
                let (save_for, add_for, remove_for, feed_for) = (
                    hours.provider_id.clone(),
                    hours.provider_id.clone(),
                    hours.provider_id.clone(),
                    hours.provider_id.clone(),
                );
                view! {
                    {(hours.providers.len() > 1).then(|| view! {
                        <form method="get" action="/app/availability" class="search-form">
                            <SelectField label="Provider" name="provider" options=hours.providers.clone() value=hours.provider_id.clone() />
                            <button type="submit" class="button">"Show hours"</button>
                        </form>
                    })}
                    <section class="card">
                        <h2>{format!("Weekly hours of {}", hours.provider_name)}</h2>
                        <p>{format!("Times are in {}. Clients see them in their own time zone.", hours.zone)}</p>
                        <ActionForm action=save attr:novalidate=true attr:class="stack">
                            <FormMessage value=save.value() success="Weekly hours saved." />
                            <input type="hidden" name="provider" value=save_for />
                            {WEEKDAYS.iter().enumerate().map(|(day, name)| {
                                let blocks = hours.week[day].clone();
                                view! {
                                    <fieldset class="hours-day">
                                        <legend>{*name}</legend>
                                        {(0..BLOCKS_PER_DAY).map(|block| {
                                            let (starts, ends) = blocks.get(block).cloned().unwrap_or_default();
                                            let key = format!("{}-{block}", day + 1);
                                            let starts_name = format!("hours[d{key}-starts]");
                                            let ends_name = format!("hours[d{key}-ends]");
                                            let starts_id = format!("hours-{key}-starts");
                                            let ends_id = format!("hours-{key}-ends");
                                            let starts_error = format!("starts_{}", day * BLOCKS_PER_DAY + block);
                                            let ends_error = format!("ends_{}", day * BLOCKS_PER_DAY + block);
                                            let error = last_error(save.value());
                                            view! {
                                                <div class="field-row">
                                                    <div class="field">
                                                        <label for=starts_id.clone()>{format!("{name} from ({})", block + 1)}</label>
                                                        <input id=starts_id type="time" name=starts_name value=starts />
                                                    </div>
                                                    <div class="field">
                                                        <label for=ends_id.clone()>{format!("{name} until ({})", block + 1)}</label>
                                                        <input id=ends_id type="time" name=ends_name value=ends />
                                                    </div>
                                                    <p class="field-error" aria-live="polite">{move || {
                                                        let error = error.get();
                                                        error.as_ref().and_then(|e| e.for_field(&starts_error).or_else(|| e.for_field(&ends_error)))
                                                    }}</p>
                                                </div>
                                            }
                                        }).collect_view()}
                                    </fieldset>
                                }
                            }).collect_view()}
                            <SubmitButton label="Save weekly hours" pending=save.pending() />
                        </ActionForm>
                    </section>
                    <section class="card narrow">
                        <h2>"Days off and other hours"</h2>
                        <p>"Hours given for a date replace that day's weekly hours."</p>
                        <ul class="link-list">
                            {hours.dates.into_iter().map(|d| {
                                let provider = remove_for.clone();
                                view! {
                                <li>
                                    {d.text.clone()}" "
                                    <ActionForm action=remove attr:class="inline-form">
                                        <input type="hidden" name="provider" value=provider />
                                        <input type="hidden" name="id" value=d.id />
                                        <button type="submit" class="button button-quiet" aria-label=format!("Remove {}", d.text)>"Remove"</button>
                                    </ActionForm>
                                </li>
                            }}).collect_view()}
                        </ul>
                        <ActionForm action=add attr:novalidate=true attr:class="stack">
                            <FormMessage value=add.value() success="Saved." />
                            <input type="hidden" name="provider" value=add_for />
                            <TextField label="Date" name="date" kind="date" error=error_for(add.value(), "date") />
                            <CheckboxField label="Day off" name="day_off" />
                            <TextField label="From" name="starts" kind="time" error=error_for(add.value(), "starts") />
                            <TextField label="Until" name="ends" kind="time" error=error_for(add.value(), "ends") />
                            <SubmitButton label="Add date" pending=add.pending() />
                        </ActionForm>
                    </section>
                    <CalendarFeed provider_id=feed_for address=hours.feed.clone() reset />
                }
                .into_any()
            })}
        </Transition>
    }
}

fn calendar_href(view: &str, date: &str, providers: &str) -> String {
    let mut href = format!("/app/calendar?view={view}&date={date}");
    if !providers.is_empty() {
        href.push_str("&providers=");
        href.push_str(providers);
    }
    href
}

#[component]
pub fn CalendarPage() -> impl IntoView {
    let query = use_query_map();
    let key = Signal::derive(move || {
        query.with(|q| {
            let providers = q.get_all("p").map(|all| all.join(",")).filter(|s| !s.is_empty());
            (
                q.get("view").unwrap_or_default(),
                q.get("date").unwrap_or_default(),
                providers.or_else(|| q.get("providers")).unwrap_or_default(),
            )
        })
    });
    let view_data =
        Resource::new_blocking(move || key.get(), |(view, date, providers)| calendar(view, date, providers));
    view! {
        <Title text="Calendar · Tend" />
        <div class="page-head">
            <h1>"Calendar"</h1>
            <p class="button-row">
                <a class="button button-primary" href="/app/appointments/new">"New appointment"</a>
                <a class="button" href="/app/availability">"Availability"</a>
                <a class="button" href="/app/reports/appointments">"Appointments report"</a>
            </p>
        </div>
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match view_data.await {
                    Ok(data) => view! { <CalendarBody data /> }.into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CalendarBody(data: CalendarView) -> impl IntoView {
    let selected = data.selected.clone();
    let nav = |label: &'static str, date: &str| {
        view! { <a class="button" href=calendar_href(&data.view, date, &selected)>{label}</a> }
    };
    let view_link = |label: &'static str, view: &'static str| {
        let current = data.view == view;
        view! {
            <a class=if current { "tab current" } else { "tab" } aria-current=current.then_some("page")
                href=calendar_href(view, &data.date, &selected)>{label}</a>
        }
    };
    let several = data.providers.iter().filter(|p| p.2).count() > 1;
    let columns = if data.view == "day" && several {
        data.providers.iter().filter(|p| p.2).map(|p| p.1.clone()).collect::<Vec<_>>()
    } else {
        Vec::new()
    };
    view! {
        <nav class="tabs" aria-label="Calendar view">
            {view_link("Day", "day")}
            {view_link("Week", "week")}
            {view_link("Month", "month")}
        </nav>
        <div class="calendar-head">
            <h2>{data.title.clone()}</h2>
            <p class="button-row">
                {nav("Previous", &data.previous)}
                {nav("Today", &data.today)}
                {nav("Next", &data.next)}
            </p>
            <p class="client-meta">{format!("{} · times in {}", data.now, data.zone)}</p>
        </div>
        {(data.providers.len() > 1).then(|| view! {
            <form method="get" action="/app/calendar" class="calendar-providers">
                <input type="hidden" name="view" value=data.view.clone() />
                <input type="hidden" name="date" value=data.date.clone() />
                <fieldset>
                    <legend>"Providers"</legend>
                    {data.providers.iter().map(|(id, name, on)| {
                        let field_id = format!("calendar-provider-{id}");
                        view! {
                            <span class="field-checkbox">
                                <input id=field_id.clone() type="checkbox" name="p" value=id.clone() checked=*on />
                                <label for=field_id>{name.clone()}</label>
                            </span>
                        }
                    }).collect_view()}
                </fieldset>
                <button type="submit" class="button">"Show calendars"</button>
            </form>
        })}
        <div class=format!("calendar calendar-{}", data.view)>
            {data.days.into_iter().map(|day| view! { <DayCell day columns=columns.clone() now=data.now.clone() selected=selected.clone() /> }).collect_view()}
        </div>
    }
}

#[component]
fn DayCell(day: CalendarDay, columns: Vec<String>, now: String, selected: String) -> impl IntoView {
    let date = day.date.clone();
    let more = (day.more > 0).then(|| {
        view! {
            <a class="day-more" href=calendar_href("day", &date, &selected)
                aria-label=format!("{} more on {}", day.more, day.label)>{format!("{} more", day.more)}</a>
        }
    });
    let item = |i: super::api::CalendarItem| {
        view! {
            <li class=format!("appointment status-{}", i.status)>
                <a href=format!("/app/appointments/{}", i.id)>
                    <span class="appointment-time">{i.time}</span>
                    <span class="appointment-client">{i.client}</span>
                    <span class="appointment-type">{i.type_name}</span>
                    {(!i.provider.is_empty()).then(|| view! { <span class="appointment-provider">{i.provider.clone()}</span> })}
                    <span class="badge badge-quiet">{i.status_label}</span>
                </a>
            </li>
        }
    };
    let body = if columns.is_empty() {
        view! { <ul class="day-items">{day.items.into_iter().map(item).collect_view()}</ul> }.into_any()
    } else {
        view! {
            <div class="day-columns">
                {columns.into_iter().map(|provider| {
                    let items: Vec<_> = day.items.iter().filter(|i| i.provider == provider).cloned().collect();
                    view! {
                        <section class="day-column" aria-label=provider.clone()>
                            <h4>{provider.clone()}</h4>
                            <ul class="day-items">{items.into_iter().map(item).collect_view()}</ul>
                        </section>
                    }
                }).collect_view()}
            </div>
        }
        .into_any()
    };
    view! {
        <section class="day" class:today=day.is_today class:outside=day.outside aria-label=day.label.clone()>
            <h3>
                <a href=format!("/app/calendar?view=day&date={date}")>{day.label.clone()}</a>
                {day.is_today.then(|| view! { <span class="badge">"Today"</span> })}
            </h3>
            {day.is_today.then(|| view! { <p class="now-line">{now}</p> })}
            {body}
            {more}
            <a class="add-appointment" href=format!("/app/appointments/new?date={date}") aria-label=format!("New appointment on {}", day.label)>"+"</a>
        </section>
    }
}

#[component]
pub fn NewAppointmentPage() -> impl IntoView {
    let query = use_query_map();
    let key = Signal::derive(move || {
        query.with(|q| {
            (q.get("q").unwrap_or_default(), q.get("client").unwrap_or_default(), q.get("date").unwrap_or_default())
        })
    });
    let options =
        Resource::new_blocking(move || key.get(), |(q, client, date)| new_appointment_options(q, client, date));
    let book = ServerAction::<BookAppointment>::new();
    view! {
        <Title text="New appointment · Tend" />
        <p class="breadcrumb"><a href="/app/calendar">"Calendar"</a></p>
        <h1>"New appointment"</h1>
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                let options = match options.await {
                    Ok(options) => options,
                    Err(error) => return view! { <LoadError error /> }.into_any(),
                };
                let (q, _, date) = key.get_untracked();
                let fields: AppointmentFields = options.fields.clone();
                let error = last_error(book.value());
                view! {
                    <section class="card narrow">
                        <form method="get" action="/app/appointments/new" class="search-form" role="search">
                            <input type="hidden" name="date" value=date />
                            <TextField label="Find a client" name="q" value=q hint="Type part of a name or email, then search." />
                            <button type="submit" class="button">"Search clients"</button>
                        </form>
                        <ActionForm action=book attr:novalidate=true attr:class="stack">
                            <FormMessage value=book.value() />
                            {if options.clients.is_empty() {
                                view! { <p class="field-error">{move || message_for(error, "client_id").get()}</p><p>"Search for the client first."</p> }.into_any()
                            } else {
                                view! { <SelectField label="Client" name="appointment[client_id]" options=options.clients.clone()
                                    value=fields.client_id.clone() error=message_for(error, "client_id") /> }.into_any()
                            }}
                            <SelectField label="Provider" name="appointment[provider_id]" options=options.providers.clone()
                                value=fields.provider_id.clone() error=message_for(error, "provider_id") />
                            <SelectField label="Appointment type" name="appointment[type_id]" options=options.types.clone()
                                error=message_for(error, "type_id") />
                            <TextField label="Date" name="appointment[date]" kind="date" value=fields.date.clone() error=message_for(error, "date") />
                            <TextField label="Start time" name="appointment[time]" kind="time" hint=format!("In {}.", options.zone)
                                error=message_for(error, "time") />
                            <TextAreaField label="Notes" name="appointment[notes]" rows=3 error=message_for(error, "notes") />
                            <SubmitButton label="Book appointment" pending=book.pending() />
                        </ActionForm>
                    </section>
                }
                .into_any()
            })}
        </Transition>
    }
}

#[component]
pub fn AppointmentPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = Signal::derive(move || params.with(|p| p.get("id").unwrap_or_default()));
    let status = ServerAction::<SetAppointmentStatus>::new();
    let reschedule = ServerAction::<RescheduleAppointment>::new();
    let delete = ServerAction::<DeleteAppointment>::new();
    let counts = [successes(status.version(), status.value()), successes(reschedule.version(), reschedule.value())];
    let reloads = Memo::new(move |_| counts.iter().map(|c| c.get()).sum::<usize>());
    let appointment = Resource::new_blocking(move || (id.get(), reloads.get()), |(id, _)| get_appointment(id));
    view! {
        <Title text="Appointment · Tend" />
        <p class="breadcrumb"><a href="/app/calendar">"Calendar"</a></p>
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                let a = match appointment.await {
                    Ok(a) => a,
                    Err(error) => return view! { <LoadError error /> }.into_any(),
                };
                let (status_id, cancel_id, move_id, delete_id) = (a.id.clone(), a.id.clone(), a.id.clone(), a.id.clone());
                let warned = query.with_untracked(|q| q.get("outside").is_some())
                    || reschedule.value().with_untracked(|v| matches!(v, Some(Ok(true))));
                view! {
                    <h1>{format!("{} with {}", a.type_name, a.client)}</h1>
                    {(warned && a.outside_hours).then(|| view! {
                        <p class="notice notice-info" role="status">"Booked outside the provider's available hours."</p>
                    })}
                    <section class="card">
                        <dl class="details">
                            <dt>"When"</dt><dd>{a.when.clone()}</dd>
                            <dt>"Client"</dt><dd><a href=format!("/app/clients/{}", a.client_id)>{a.client.clone()}</a></dd>
                            <dt>"Phone"</dt><dd>{match a.client_phone.clone() {
                                Some(phone) => view! { <a href=format!("tel:{phone}")>{phone.clone()}</a> }.into_any(),
                                None => "—".into_any(),
                            }}</dd>
                            <dt>"Email"</dt><dd>{a.client_email.clone().unwrap_or_else(|| "—".into())}</dd>
                            <dt>"Provider"</dt><dd>{a.provider.clone()}</dd>
                            <dt>"Where"</dt><dd>{a.location.clone()}</dd>
                            {a.host_link.clone().map(|link| view! { <dt>"Your link"</dt><dd><a href=link.clone() rel="noopener noreferrer" target="_blank">{link.clone()}</a></dd> })}
                            {a.client_link.clone().map(|link| view! { <dt>"Client link"</dt><dd>{link}</dd> })}
                            <dt>"Status"</dt><dd>{a.status_label.clone()}</dd>
                            {(!a.notes.is_empty()).then(|| view! { <dt>"Notes"</dt><dd>{a.notes.clone()}</dd> })}
                        </dl>
                    </section>
                    <section class="card narrow">
                        <h2>"Status"</h2>
                        <ActionForm action=status attr:class="stack">
                            <FormMessage value=status.value() success="Status saved." />
                            <input type="hidden" name="id" value=status_id />
                            <SelectField label="Appointment status" name="status" options=a.statuses.clone() value=a.status.clone() />
                            <SubmitButton label="Save status" pending=status.pending() />
                        </ActionForm>
                        <ActionForm action=status attr:class="inline-form">
                            <input type="hidden" name="id" value=cancel_id />
                            <input type="hidden" name="status" value="cancelled" />
                            <button type="submit" class="button">"Cancel appointment"</button>
                        </ActionForm>
                    </section>
                    <section class="card narrow">
                        <h2>"Reschedule"</h2>
                        <ActionForm action=reschedule attr:novalidate=true attr:class="stack">
                            <FormMessage value=reschedule.value() success="Appointment moved." />
                            <input type="hidden" name="id" value=move_id />
                            <TextField label="New date" name="date" kind="date" value=a.date.clone() error=error_for(reschedule.value(), "date") />
                            <TextField label="New start time" name="time" kind="time" value=a.time.clone() error=error_for(reschedule.value(), "time") />
                            <SubmitButton label="Reschedule" pending=reschedule.pending() />
                        </ActionForm>
                    </section>
                    <section class="card narrow">
                        <h2>"Delete"</h2>
                        <p>"A deleted appointment leaves the calendar and the reports. To keep a record, cancel it instead."</p>
                        <ActionForm action=delete attr:class="inline-form">
                            <FormMessage value=delete.value() />
                            <input type="hidden" name="id" value=delete_id />
                            <button type="submit" class="button button-danger">"Delete appointment"</button>
                        </ActionForm>
                    </section>
                }
                .into_any()
            })}
        </Transition>
    }
}

#[component]
pub fn AppointmentsReportPage() -> impl IntoView {
    let query = use_query_map();
    let key = Signal::derive(move || {
        let get = |name: &str| query.with(|q| q.get(name).unwrap_or_default());
        (get("from"), get("to"), get("provider"), get("status"), get("type_id"), get("after"), get("before"))
    });
    let report = Resource::new_blocking(
        move || key.get(),
        |(from, to, provider, status, type_id, after, before)| {
            appointments_report(from, to, provider, status, type_id, after, before)
        },
    );
    view! {
        <Title text="Appointments report · Tend" />
        <p class="breadcrumb"><a href="/app/calendar">"Calendar"</a></p>
        <h1>"Appointments report"</h1>
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                let report = match report.await {
                    Ok(report) => report,
                    Err(AppError::Validation(errors)) => {
                        let message = errors.first().map(|e| e.message.clone()).unwrap_or_default();
                        return view! {
                            <p class="notice notice-error" role="alert">{message}</p>
                            <p><a href="/app/reports/appointments">"Show this month"</a></p>
                        }
                        .into_any();
                    }
                    Err(error) => return view! { <LoadError error /> }.into_any(),
                };
                view! {
                    <section class="card">
                        <form method="get" action="/app/reports/appointments" class="report-filters">
                            <TextField label="From" name="from" kind="date" value=report.from.clone() />
                            <TextField label="To" name="to" kind="date" value=report.to.clone() />
                            <SelectField label="Provider" name="provider" options=report.providers.clone() value=report.provider.clone() />
                            <SelectField label="Status" name="status" options=report.statuses.clone() value=report.status.clone() />
                            <SelectField label="Appointment type" name="type_id" options=report.types.clone() value=report.type_id.clone() />
                            <button type="submit" class="button">"Show report"</button>
                        </form>
                    </section>
                    <section class="card" aria-labelledby="counts-heading">
                        <h2 id="counts-heading">"By status"</h2>
                        <dl class="report-counts">
                            {report.counts.into_iter().map(|(label, n)| view! { <div><dt>{label}</dt><dd>{count(n)}</dd></div> }).collect_view()}
                        </dl>
                        <p><a class="button" href=format!("/app/reports/appointments.csv?{}", report.query) download="">"Download CSV"</a></p>
                        {report.export_limit.map(|limit| view! {
                            <p class="notice notice-info">{format!("The CSV holds the first {} appointments; choose fewer dates for the rest.", count(limit))}</p>
                        })}
                    </section>
                    <section class="card" aria-labelledby="rows-heading">
                        <h2 id="rows-heading">{format!("Appointments ({}, times in {})", count(report.total), report.zone)}</h2>
                        {(report.previous.is_some() || report.next.is_some()).then(|| view! {
                            <p class="client-meta">{format!("Showing {} of {}", count(report.rows.len() as i64), count(report.total))}</p>
                        })}
                        {report.rows.is_empty().then(|| view! { <p>"No appointments match."</p> })}
                        <div class="table-scroll">
                            <table class="report-table">
                                <thead><tr><th scope="col">"When"</th><th scope="col">"Client"</th><th scope="col">"Provider"</th><th scope="col">"Type"</th><th scope="col">"Status"</th></tr></thead>
                                <tbody>
                                    {report.rows.into_iter().map(|r| view! {
                                        <tr>
                                            <td><a href=format!("/app/appointments/{}", r.id)>{r.when}</a></td>
                                            <td>{r.client}</td>
                                            <td>{r.provider}</td>
                                            <td>{r.type_name}</td>
                                            <td>{r.status_label}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <PageLinks
                            previous=report.previous.map(|first| format!("/app/reports/appointments?{}&before={first}", report.query))
                            next=report.next.map(|last| format!("/app/reports/appointments?{}&after={last}", report.query))
                        />
                    </section>
                }
                .into_any()
            })}
        </Transition>
    }
}

/// The provider's private calendar feed: its address, and a button that makes a new one.
#[component]
fn CalendarFeed(provider_id: String, address: Option<String>, reset: ServerAction<ResetCalendarFeed>) -> impl IntoView {
    view! {
        <section class="card narrow">
            <h2>"Calendar feed"</h2>
            <p>"Subscribe to this private address in Google Calendar or Apple Calendar to see your appointments there. Anyone with the address can read it: make a new one if it is shared by mistake."</p>
            {match address {
                Some(link) => view! {
                    <p><label for="feed-address">"Feed address"</label></p>
                    <input id="feed-address" class="feed-address" readonly=true value=link />
                }.into_any(),
                None => view! { <p>"No feed address yet."</p> }.into_any(),
            }}
            <ActionForm action=reset attr:class="inline-form">
                <FormMessage value=reset.value() success="A new address was made; the old one no longer works." />
                <input type="hidden" name="provider" value=provider_id />
                <button type="submit" class="button">"Make a new feed address"</button>
            </ActionForm>
        </section>
    }
}
