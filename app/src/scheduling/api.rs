//! Server functions of scheduling: the practice's booking rules and appointment types, each
//! provider's hours, the calendar and its appointments, and the portal's booking pages. Each
//! checks who asks; the rules themselves are enforced in `tend_core::scheduling::service`.

use std::collections::BTreeMap;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
#[cfg(feature = "ssr")]
use {
    crate::{
        auth::session::{self, require_client, require_member},
        context::parse_id,
        portal::api::portal_path,
    },
    chrono::{DateTime, Datelike, Duration, NaiveDate, Utc},
    tend_core::{
        clock::{TimeZone, format_range, format_time},
        scheduling::{
            AppointmentStatus, LocationKind, RulesForm, TypeForm, format_price, public,
            repo::{AppointmentRow, TypeRow},
            service::{self as scheduling, AppointmentForm, HoursForm, SettingsForm},
            slots,
        },
    },
};

// ---- Settings ----

/// The booking rules as the forms send them (`rules[book_notice_hours]`...). Switches are
/// `true`/`false` in a type's form (or empty for the practice's rule) and ticked boxes
/// (`on`) in the practice's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RulesFields {
    pub book_notice_hours: String,
    pub cancel_notice_hours: String,
    pub reschedule_notice_hours: String,
    pub horizon_days: String,
    pub slot_interval_minutes: String,
    pub same_day: String,
    pub clients_may_cancel: String,
    pub cancel_refusal: String,
    pub clients_may_reschedule: String,
    pub reschedule_refusal: String,
}

#[cfg(feature = "ssr")]
impl From<RulesFields> for RulesForm {
    fn from(f: RulesFields) -> Self {
        RulesForm {
            book_notice_hours: f.book_notice_hours,
            cancel_notice_hours: f.cancel_notice_hours,
            reschedule_notice_hours: f.reschedule_notice_hours,
            horizon_days: f.horizon_days,
            slot_interval_minutes: f.slot_interval_minutes,
            same_day: f.same_day,
            clients_may_cancel: f.clients_may_cancel,
            cancel_refusal: f.cancel_refusal,
            clients_may_reschedule: f.clients_may_reschedule,
            reschedule_refusal: f.reschedule_refusal,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeSummary {
    pub id: String,
    pub name: String,
    /// "50 min · $80.00 · Phone call"
    pub summary: String,
    pub archived: bool,
    pub client_bookable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchedulingSettingsView {
    pub rules: RulesFields,
    pub reminder_hours: String,
    pub contact_phone: String,
    pub contact_email: String,
    pub portal_booking: bool,
    /// The public booking page, for the practice's website and emails.
    pub booking_page: String,
    pub types: Vec<TypeSummary>,
    pub can_manage: bool,
}

#[cfg(feature = "ssr")]
fn type_summary(t: &TypeRow) -> TypeSummary {
    TypeSummary {
        id: t.id.to_string(),
        name: t.name.clone(),
        summary: format!("{} min · {} · {}", t.duration_minutes, format_price(t.price_cents), t.location_kind.label()),
        archived: t.archived,
        client_bookable: t.client_bookable,
    }
}

#[cfg(feature = "ssr")]
fn hours_text(minutes: &[i32]) -> String {
    minutes
        .iter()
        .map(|m| if m % 60 == 0 { (m / 60).to_string() } else { format!("{:.2}", f64::from(*m) / 60.0) })
        .collect::<Vec<_>>()
        .join(", ")
}

#[server(endpoint = "scheduling_settings")]
pub async fn scheduling_settings() -> Result<SchedulingSettingsView, AppError> {
    let (context, actor) = require_member().await?;
    let settings = scheduling::settings(&context, &actor).await?;
    let types = scheduling::types(&context, &actor).await?;
    let r = settings.rules;
    let switch = |on: bool| if on { "on".to_owned() } else { String::new() };
    Ok(SchedulingSettingsView {
        rules: RulesFields {
            book_notice_hours: r.book_notice_hours.to_string(),
            cancel_notice_hours: r.cancel_notice_hours.to_string(),
            reschedule_notice_hours: r.reschedule_notice_hours.to_string(),
            horizon_days: r.horizon_days.to_string(),
            slot_interval_minutes: r.slot_interval_minutes.to_string(),
            same_day: switch(r.same_day),
            clients_may_cancel: switch(r.clients_may_cancel),
            cancel_refusal: r.cancel_refusal,
            clients_may_reschedule: switch(r.clients_may_reschedule),
            reschedule_refusal: r.reschedule_refusal,
        },
        reminder_hours: hours_text(&settings.reminder_minutes),
        contact_phone: settings.contact_phone.unwrap_or_default(),
        contact_email: settings.contact_email.unwrap_or_default(),
        portal_booking: settings.portal_booking,
        booking_page: context.settings.link(&portal_path(&actor.org_slug, "/book")),
        types: types.iter().map(type_summary).collect(),
        can_manage: settings.can_manage,
    })
}

#[server(endpoint = "save_scheduling_settings")]
pub async fn save_scheduling_settings(
    rules: RulesFields,
    #[server(default)] reminder_hours: String,
    #[server(default)] contact_phone: String,
    #[server(default)] contact_email: String,
) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    let form = SettingsForm { rules: rules.into(), reminder_hours, contact_phone, contact_email };
    scheduling::save_settings(&context, &actor, &form).await?;
    Ok(())
}

/// The client portal settings' switch; `portal_booking` is `on` when ticked.
#[server(endpoint = "set_portal_booking")]
pub async fn set_portal_booking(#[server(default)] portal_booking: Option<String>) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    scheduling::set_portal_booking(&context, &actor, portal_booking.is_some()).await?;
    Ok(())
}

// ---- Appointment types ----

/// What the appointment type form sends (`kind[name]`...). `providers` holds one entry per
/// ticked provider, keyed `p-{id}`: the form decoder reads a key starting with a digit as a
/// list index, and refuses the rest of a UUID.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TypeFields {
    pub name: String,
    pub duration_minutes: String,
    pub price: String,
    pub location_kind: String,
    pub client_link: String,
    pub host_link: String,
    pub location: String,
    pub buffer_before_minutes: String,
    pub buffer_after_minutes: String,
    pub client_bookable: Option<String>,
    pub providers: BTreeMap<String, String>,
}

/// The type's fields and its rule overrides (sent as `rules[...]`, as the practice's are).
#[cfg(feature = "ssr")]
fn type_form(f: TypeFields, rules: RulesFields) -> TypeForm {
    TypeForm {
        name: f.name,
        duration_minutes: f.duration_minutes,
        price: f.price,
        location_kind: f.location_kind,
        client_link: f.client_link,
        host_link: f.host_link,
        location: f.location,
        buffer_before_minutes: f.buffer_before_minutes,
        buffer_after_minutes: f.buffer_after_minutes,
        client_bookable: f.client_bookable.is_some(),
        provider_ids: f.providers.into_keys().map(|key| key.trim_start_matches("p-").to_owned()).collect(),
        rules: rules.into(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeEditorView {
    /// Empty for a new type.
    pub id: String,
    pub fields: TypeFields,
    pub rules: RulesFields,
    pub archived: bool,
    /// (membership id, name) of every owner and provider.
    pub providers: Vec<(String, String)>,
    pub can_manage: bool,
}

/// A type to edit, or (`id` empty) the fields of a new one.
#[server(endpoint = "appointment_type")]
pub async fn appointment_type(#[server(default)] id: String) -> Result<TypeEditorView, AppError> {
    let (context, actor) = require_member().await?;
    let providers = tend_core::orgs::service::providers(&context, &actor).await?;
    let providers: Vec<(String, String)> = providers.into_iter().map(|(id, name)| (id.to_string(), name)).collect();
    let can_manage = actor.can(tend_core::orgs::Permission::ManageSettings);
    if id.is_empty() {
        let fields = TypeFields {
            duration_minutes: "50".into(),
            location_kind: "external_video".into(),
            client_bookable: Some("on".into()),
            providers: BTreeMap::from([(format!("p-{}", actor.membership_id), "on".to_owned())]),
            ..TypeFields::default()
        };
        return Ok(TypeEditorView {
            id,
            fields,
            rules: RulesFields::default(),
            archived: false,
            providers,
            can_manage,
        });
    }
    let t = scheduling::get_type(&context, &actor, parse_id(&id)?).await?;
    let o = &t.overrides;
    let number = |n: Option<i32>| n.map(|n| n.to_string()).unwrap_or_default();
    let switch = |b: Option<bool>| b.map(|b| b.to_string()).unwrap_or_default();
    let fields = TypeFields {
        name: t.name.clone(),
        duration_minutes: t.duration_minutes.to_string(),
        price: if t.price_cents == 0 {
            String::new()
        } else {
            format!("{}.{:02}", t.price_cents / 100, t.price_cents % 100)
        },
        location_kind: t.location_kind.as_str().to_owned(),
        client_link: t.client_link.clone().unwrap_or_default(),
        host_link: t.host_link.clone().unwrap_or_default(),
        location: t.location.clone().unwrap_or_default(),
        buffer_before_minutes: t.buffer_before_minutes.to_string(),
        buffer_after_minutes: t.buffer_after_minutes.to_string(),
        client_bookable: t.client_bookable.then(|| "on".to_owned()),
        providers: t.provider_ids.iter().map(|id| (format!("p-{id}"), "on".to_owned())).collect(),
    };
    let rules = RulesFields {
        book_notice_hours: number(o.book_notice_hours),
        cancel_notice_hours: number(o.cancel_notice_hours),
        reschedule_notice_hours: number(o.reschedule_notice_hours),
        horizon_days: number(o.horizon_days),
        slot_interval_minutes: number(o.slot_interval_minutes),
        same_day: switch(o.same_day),
        clients_may_cancel: switch(o.clients_may_cancel),
        cancel_refusal: o.cancel_refusal.clone().unwrap_or_default(),
        clients_may_reschedule: switch(o.clients_may_reschedule),
        reschedule_refusal: o.reschedule_refusal.clone().unwrap_or_default(),
    };
    Ok(TypeEditorView { id, fields, rules, archived: t.archived, providers, can_manage })
}

#[server(endpoint = "save_appointment_type")]
pub async fn save_appointment_type(
    #[server(default)] id: String,
    kind: TypeFields,
    #[server(default)] rules: RulesFields,
) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    let form = type_form(kind, rules);
    if id.is_empty() {
        scheduling::create_type(&context, &actor, &form).await?;
    } else {
        scheduling::update_type(&context, &actor, parse_id(&id)?, &form).await?;
    }
    leptos_axum::redirect("/app/settings/scheduling");
    Ok(())
}

#[server(endpoint = "archive_appointment_type")]
pub async fn archive_appointment_type(id: String, archived: bool) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    scheduling::set_type_archived(&context, &actor, parse_id(&id)?, archived).await?;
    Ok(())
}

// ---- Hours ----

pub const WEEKDAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
/// Blocks of hours each day can hold on the form.
pub const BLOCKS_PER_DAY: usize = 3;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateHoursView {
    pub id: String,
    /// "Dec 24, 2026: day off" or "Dec 27, 2026: 10:00 – 14:00"
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursView {
    pub provider_id: String,
    pub provider_name: String,
    pub zone: String,
    /// Per weekday (0 Monday), its blocks as ("09:00", "17:00").
    pub week: Vec<Vec<(String, String)>>,
    pub dates: Vec<DateHoursView>,
    /// Providers whose hours the member may edit: (id, name).
    pub providers: Vec<(String, String)>,
    /// The provider's private calendar feed address, once made.
    pub feed: Option<String>,
}

/// A provider's hours; `provider` empty means the member's own.
#[server(endpoint = "provider_hours")]
pub async fn provider_hours(#[server(default)] provider: String) -> Result<HoursView, AppError> {
    let (context, actor) = require_member().await?;
    let provider_id = if provider.is_empty() { actor.membership_id } else { parse_id(&provider)? };
    let view = scheduling::hours(&context, &actor, provider_id).await?;
    let providers = scheduling::calendar_providers(&context, &actor).await?;
    let feed = tend_core::scheduling::feed::address_of(&context, &actor, provider_id).await?;
    let mut week = vec![Vec::new(); 7];
    for h in &view.weekly {
        week[usize::from(h.weekday - 1)]
            .push((h.starts.format("%H:%M").to_string(), h.ends.format("%H:%M").to_string()));
    }
    let dates = view
        .overrides
        .iter()
        .map(|o| {
            let day = o.on_date.format("%a, %b %-d, %Y");
            let text = match (o.starts, o.ends) {
                (Some(s), Some(e)) => format!("{day}: {} – {}", s.format("%H:%M"), e.format("%H:%M")),
                _ => format!("{day}: day off"),
            };
            DateHoursView { id: o.id.to_string(), text }
        })
        .collect();
    Ok(HoursView {
        provider_id: provider_id.to_string(),
        provider_name: view.calendar.full_name,
        zone: view.calendar.zone.name().to_owned(),
        week,
        dates,
        providers: providers.into_iter().map(|(id, name)| (id.to_string(), name)).collect(),
        feed,
    })
}

/// Saves the week: `hours` holds `d{weekday}-{block}-starts` and `-ends` (weekday 1 Monday;
/// the `d` keeps the form decoder from reading the key as a list index).
#[server(endpoint = "save_weekly_hours")]
pub async fn save_weekly_hours(
    provider: String,
    #[server(default)] hours: BTreeMap<String, String>,
) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    let mut blocks = Vec::new();
    for weekday in 1..=7 {
        for block in 0..BLOCKS_PER_DAY {
            let get = |end: &str| hours.get(&format!("d{weekday}-{block}-{end}")).cloned().unwrap_or_default();
            blocks.push(HoursForm { weekday: weekday.to_string(), starts: get("starts"), ends: get("ends") });
        }
    }
    scheduling::save_weekly_hours(&context, &actor, parse_id(&provider)?, &blocks).await?;
    Ok(())
}

#[server(endpoint = "add_date_hours")]
pub async fn add_date_hours(
    provider: String,
    #[server(default)] date: String,
    #[server(default)] starts: String,
    #[server(default)] ends: String,
    #[server(default)] day_off: Option<String>,
) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    scheduling::add_date_hours(&context, &actor, parse_id(&provider)?, &date, &starts, &ends, day_off.is_some())
        .await?;
    Ok(())
}

#[server(endpoint = "remove_date_hours")]
pub async fn remove_date_hours(provider: String, id: String) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    scheduling::remove_date_hours(&context, &actor, parse_id(&provider)?, parse_id(&id)?).await?;
    Ok(())
}

// ---- Calendar ----

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarItem {
    pub id: String,
    /// "9:00 AM – 9:50 AM"
    pub time: String,
    pub client: String,
    pub type_name: String,
    pub status: String,
    pub status_label: String,
    pub provider: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarDay {
    /// `YYYY-MM-DD`
    pub date: String,
    /// "Mon, Dec 7"
    pub label: String,
    pub is_today: bool,
    /// Month view: a day of a neighbouring month.
    pub outside: bool,
    pub items: Vec<CalendarItem>,
    /// Appointments of the day not listed (a month's cell lists `MONTH_CELL_ITEMS`).
    pub more: usize,
}

/// Appointments a day's cell in the month view lists; "N more" leads to the day.
pub const MONTH_CELL_ITEMS: usize = 4;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarView {
    /// `week`, `day` or `month`.
    pub view: String,
    /// "Dec 7 – 13, 2026", "Monday, Dec 7, 2026", "December 2026"
    pub title: String,
    pub date: String,
    pub previous: String,
    pub next: String,
    pub today: String,
    /// "Now: 10:32 AM EST" in the member's zone.
    pub now: String,
    pub zone: String,
    pub days: Vec<CalendarDay>,
    /// Selected providers' ids, comma-separated (for links).
    pub selected: String,
    /// Every provider the member may open: (id, name, selected).
    pub providers: Vec<(String, String, bool)>,
}

/// The calendar of the chosen providers (`providers`: ids joined by commas; empty: the
/// member's own) around `date` (`YYYY-MM-DD`, empty: today), in the member's zone.
#[server(endpoint = "calendar")]
pub async fn calendar(
    #[server(default)] view: String,
    #[server(default)] date: String,
    #[server(default)] providers: String,
) -> Result<CalendarView, AppError> {
    let (context, actor) = require_member().await?;
    let zone = actor.time_zone;
    let now = context.now();
    let today = zone.date_at(now);
    let date = NaiveDate::parse_from_str(&date, "%Y-%m-%d").unwrap_or(today);
    let view = match view.as_str() {
        "day" | "month" => view,
        _ => "week".to_owned(),
    };
    let choices = scheduling::calendar_providers(&context, &actor).await?;
    let mut selected: Vec<uuid::Uuid> = providers
        .split(',')
        .filter_map(|raw| uuid::Uuid::parse_str(raw.trim()).ok())
        .filter(|id| choices.iter().any(|(c, _)| c == id))
        .collect();
    if selected.is_empty() {
        selected.push(choices.first().map_or(actor.membership_id, |(id, _)| *id));
    }
    let (first, last, previous, next, title) = calendar_span(&view, date);
    let from = slots::instant(zone, first, chrono::NaiveTime::MIN);
    let to = slots::instant(zone, last + Duration::days(1), chrono::NaiveTime::MIN);
    let several = selected.len() > 1;
    let month = (view == "month").then(|| date.month());
    // A month reads only the appointments its cells list, and how many each day has.
    let (rows, totals) = if month.is_some() {
        scheduling::calendar_month(&context, &actor, &selected, from, to, MONTH_CELL_ITEMS as i64).await?
    } else {
        (scheduling::calendar(&context, &actor, &selected, from, to).await?, BTreeMap::new())
    };
    let days = calendar_days(&rows, zone, (first, last), today, month, &totals, several);
    Ok(CalendarView {
        view,
        title,
        date: date.format("%Y-%m-%d").to_string(),
        previous: previous.format("%Y-%m-%d").to_string(),
        next: next.format("%Y-%m-%d").to_string(),
        today: today.format("%Y-%m-%d").to_string(),
        now: format!("Now: {}", format_time(now, zone)),
        zone: zone.name().to_owned(),
        days,
        selected: selected.iter().map(uuid::Uuid::to_string).collect::<Vec<_>>().join(","),
        providers: choices.into_iter().map(|(id, name)| (id.to_string(), name, selected.contains(&id))).collect(),
    })
}

/// First and last date shown, the dates Previous and Next go to, and the title.
#[cfg(feature = "ssr")]
fn calendar_span(view: &str, date: NaiveDate) -> (NaiveDate, NaiveDate, NaiveDate, NaiveDate, String) {
    match view {
        "day" => {
            (date, date, date - Duration::days(1), date + Duration::days(1), date.format("%A, %b %-d, %Y").to_string())
        }
        "month" => {
            let first_of_month = date.with_day(1).unwrap_or(date);
            let next_month = (first_of_month + Duration::days(32)).with_day(1).unwrap_or(first_of_month);
            let previous_month = (first_of_month - Duration::days(1)).with_day(1).unwrap_or(first_of_month);
            let first = first_of_month - Duration::days(i64::from(first_of_month.weekday().num_days_from_monday()));
            let last_of_month = next_month - Duration::days(1);
            let last = last_of_month + Duration::days(6 - i64::from(last_of_month.weekday().num_days_from_monday()));
            (first, last, previous_month, next_month, first_of_month.format("%B %Y").to_string())
        }
        _ => {
            let monday = date - Duration::days(i64::from(date.weekday().num_days_from_monday()));
            let sunday = monday + Duration::days(6);
            let title = format!("{} – {}", monday.format("%b %-d"), sunday.format("%b %-d, %Y"));
            (monday, sunday, monday - Duration::days(7), monday + Duration::days(7), title)
        }
    }
}

/// The days from `first` to `last` with their appointments in the member's zone. In a month's
/// view (`month` is its number) a day's cell lists the first few; the day view shows them all.
/// `totals` holds each day's count when `rows` are only the first of each day.
#[cfg(feature = "ssr")]
fn calendar_days(
    rows: &[AppointmentRow],
    zone: TimeZone,
    (first, last): (NaiveDate, NaiveDate),
    today: NaiveDate,
    month: Option<u32>,
    totals: &BTreeMap<NaiveDate, i64>,
    several: bool,
) -> Vec<CalendarDay> {
    let mut by_day: BTreeMap<NaiveDate, Vec<&AppointmentRow>> = BTreeMap::new();
    for row in rows {
        by_day.entry(zone.date_at(row.starts_at)).or_default().push(row);
    }
    let shown = if month.is_some() { MONTH_CELL_ITEMS } else { usize::MAX };
    first
        .iter_days()
        .take_while(|d| *d <= last)
        .map(|day| {
            let all = by_day.get(&day).map_or(&[][..], Vec::as_slice);
            let items: Vec<CalendarItem> = all.iter().take(shown).map(|r| calendar_item(r, zone, several)).collect();
            let total = totals.get(&day).map_or(0, |n| usize::try_from(*n).unwrap_or(0)).max(all.len());
            CalendarDay {
                date: day.format("%Y-%m-%d").to_string(),
                label: day.format("%a, %b %-d").to_string(),
                is_today: day == today,
                outside: month.is_some_and(|m| day.month() != m),
                more: total - items.len(),
                items,
            }
        })
        .collect()
}

#[cfg(feature = "ssr")]
fn calendar_item(r: &AppointmentRow, zone: TimeZone, with_provider: bool) -> CalendarItem {
    let local = |at: DateTime<Utc>| zone.local(at).format("%-I:%M %p").to_string();
    CalendarItem {
        id: r.id.to_string(),
        time: format!("{} – {}", local(r.starts_at), local(r.ends_at)),
        client: r.client_name.clone(),
        type_name: r.type_name.clone(),
        status: r.status.clone(),
        status_label: r.status().label().to_owned(),
        provider: if with_provider { r.provider_name.clone() } else { String::new() },
    }
}

// ---- Appointments (provider) ----

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AppointmentFields {
    pub client_id: String,
    pub provider_id: String,
    pub type_id: String,
    pub date: String,
    pub time: String,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAppointmentView {
    /// Clients matching the search (or the one asked for): (id, name).
    pub clients: Vec<(String, String)>,
    pub providers: Vec<(String, String)>,
    /// Bookable (not archived) types: (id, "Follow-up (50 min)").
    pub types: Vec<(String, String)>,
    pub fields: AppointmentFields,
    pub zone: String,
}

/// The new-appointment form: clients found by `q` (or the client `client`), the providers
/// whose calendar the member manages, and the types.
#[server(endpoint = "new_appointment_options")]
pub async fn new_appointment_options(
    #[server(default)] q: String,
    #[server(default)] client: String,
    #[server(default)] date: String,
) -> Result<NewAppointmentView, AppError> {
    let (context, actor) = require_member().await?;
    let mut clients = Vec::new();
    if let Ok(id) = uuid::Uuid::parse_str(&client) {
        let record = tend_core::clients::service::get_client(&context, &actor, id).await?;
        clients.push((id.to_string(), format!("{} {}", record.first_name, record.last_name)));
    }
    if !q.trim().is_empty() {
        let first_page = tend_core::clients::service::PageAt::number(1);
        let page = tend_core::clients::service::list_clients(&context, &actor, &q, false, first_page).await?;
        clients.extend(
            page.rows
                .into_iter()
                .filter(|c| c.id.to_string() != client)
                .map(|c| (c.id.to_string(), format!("{} {}", c.first_name, c.last_name))),
        );
    }
    let providers = scheduling::calendar_providers(&context, &actor).await?;
    let types = scheduling::types(&context, &actor).await?;
    Ok(NewAppointmentView {
        fields: AppointmentFields {
            client_id: clients.first().map(|(id, _)| id.clone()).unwrap_or_default(),
            provider_id: actor.membership_id.to_string(),
            date,
            ..AppointmentFields::default()
        },
        clients,
        providers: providers.into_iter().map(|(id, name)| (id.to_string(), name)).collect(),
        types: types
            .into_iter()
            .filter(|t| !t.archived)
            .map(|t| (t.id.to_string(), format!("{} ({} min)", t.name, t.duration_minutes)))
            .collect(),
        zone: actor.time_zone.name().to_owned(),
    })
}

#[server(endpoint = "book_appointment")]
pub async fn book_appointment(appointment: AppointmentFields) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    let form = AppointmentForm {
        client_id: appointment.client_id,
        provider_id: appointment.provider_id,
        type_id: appointment.type_id,
        date: appointment.date,
        time: appointment.time,
        notes: appointment.notes,
    };
    let booked = scheduling::book_for_client(&context, &actor, &form).await?;
    leptos_axum::redirect(&format!(
        "/app/appointments/{}{}",
        booked.id,
        if booked.outside_hours { "?outside=1" } else { "" }
    ));
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppointmentView {
    pub id: String,
    pub client_id: String,
    pub client: String,
    pub client_phone: Option<String>,
    pub client_email: Option<String>,
    pub provider: String,
    pub type_name: String,
    /// "Dec 8, 2026, 9:00 AM – 9:50 AM EST"
    pub when: String,
    pub date: String,
    pub time: String,
    /// How it happens, for the provider: the host link, the address or "Phone call".
    pub location: String,
    pub host_link: Option<String>,
    pub client_link: Option<String>,
    pub status: String,
    pub status_label: String,
    pub notes: String,
    pub outside_hours: bool,
    /// (value, label) of every status.
    pub statuses: Vec<(String, String)>,
}

#[server(endpoint = "get_appointment")]
pub async fn get_appointment(id: String) -> Result<AppointmentView, AppError> {
    let (context, actor) = require_member().await?;
    let found = scheduling::appointment(&context, &actor, parse_id(&id)?).await?;
    let r = found.row;
    let zone = actor.time_zone;
    let kind = LocationKind::from_db(&r.location_kind);
    Ok(AppointmentView {
        id: r.id.to_string(),
        client_id: r.client_id.to_string(),
        client: r.client_name.clone(),
        client_phone: r.client_phone.clone(),
        client_email: r.client_email.clone(),
        provider: r.provider_name.clone(),
        type_name: r.type_name.clone(),
        when: format_range(r.starts_at, r.ends_at, zone),
        date: zone.date_at(r.starts_at).format("%Y-%m-%d").to_string(),
        time: zone.local(r.starts_at).format("%H:%M").to_string(),
        location: match kind {
            LocationKind::InPerson => r.location.clone().unwrap_or_default(),
            other => other.label().to_owned(),
        },
        host_link: r.host_link.clone(),
        client_link: r.client_link.clone(),
        status: r.status.clone(),
        status_label: r.status().label().to_owned(),
        notes: r.notes.clone(),
        outside_hours: found.outside_hours,
        statuses: AppointmentStatus::ALL.iter().map(|s| (s.as_str().to_owned(), s.label().to_owned())).collect(),
    })
}

#[server(endpoint = "set_appointment_status")]
pub async fn set_appointment_status(id: String, status: String) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    let status = AppointmentStatus::parse(&status)?;
    scheduling::set_status(&context, &actor, parse_id(&id)?, status).await?;
    Ok(())
}

#[server(endpoint = "reschedule_appointment")]
pub async fn reschedule_appointment(
    id: String,
    #[server(default)] date: String,
    #[server(default)] time: String,
) -> Result<bool, AppError> {
    let (context, actor) = require_member().await?;
    let booked = scheduling::reschedule_by_member(&context, &actor, parse_id(&id)?, &date, &time).await?;
    Ok(booked.outside_hours)
}

#[server(endpoint = "delete_appointment")]
pub async fn delete_appointment(id: String) -> Result<(), AppError> {
    let (context, actor) = require_member().await?;
    scheduling::delete(&context, &actor, parse_id(&id)?).await?;
    leptos_axum::redirect("/app/calendar");
    Ok(())
}

// ---- The portal ----

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotView {
    /// RFC 3339 in UTC, sent back to book.
    pub at: String,
    /// "9:00 AM"
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotDay {
    pub label: String,
    pub slots: Vec<SlotView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingView {
    /// Someone not signed in: the public page, which asks for name, email and phone.
    pub visitor: bool,
    pub portal_booking: bool,
    /// (id, name, "50 min · $80.00")
    pub types: Vec<(String, String, String)>,
    pub type_id: String,
    /// Providers offering the chosen type: (id, name).
    pub providers: Vec<(String, String)>,
    pub provider_id: String,
    /// The zone slots are shown in (the client's unless they chose another).
    pub zone: String,
    /// "EST" style name of the zone now, for the heading.
    pub zone_label: String,
    pub from: String,
    pub previous: Option<String>,
    pub next: String,
    pub days: Vec<SlotDay>,
    /// When moving an appointment: its id and current time.
    pub moving: Option<(String, String)>,
    /// The chosen slot to confirm: (RFC 3339, "Follow-up with Paula Chen, Dec 8, 2026, 9:00 AM – 9:50 AM GMT").
    pub confirm: Option<(String, String)>,
}

/// Days of slots per page of the booking picker.
#[cfg(feature = "ssr")]
const BOOKING_DAYS: i64 = 7;

/// The booking picker: types, the providers of the chosen type, and a week of free slots from
/// `from` in `tz` (the client's zone when empty, or the practice's for a visitor). `moving`:
/// a signed-in client's appointment being rescheduled.
#[server(endpoint = "portal_booking")]
pub async fn portal_booking(
    slug: String,
    #[server(default)] type_id: String,
    #[server(default)] provider_id: String,
    #[server(default)] from: String,
    #[server(default)] tz: String,
    #[server(default)] moving: String,
    #[server(default)] at: String,
) -> Result<BookingView, AppError> {
    let (context, client) = session::client_or_visitor(&slug).await?;
    let (org_id, choices, own_zone) = match &client {
        Some(client) => (client.org_id, scheduling::booking_choices(&context, client).await?, client.time_zone),
        None => {
            let public = public::choices(&context, &slug).await?;
            (public.practice.id, public.choices, public.practice.time_zone)
        }
    };
    let zone = TimeZone::parse(&tz).unwrap_or(own_zone);
    let now = context.now();
    let today = zone.date_at(now);
    let mut moving_view = None;
    let (mut type_id, mut provider_id) = (type_id, provider_id);
    if let (Ok(id), Some(client)) = (uuid::Uuid::parse_str(&moving), &client) {
        let appointment = scheduling::client_appointment(&context, client, id).await?;
        type_id = appointment.row.type_id.to_string();
        provider_id = appointment.row.provider_id.to_string();
        moving_view = Some((id.to_string(), format_range(appointment.row.starts_at, appointment.row.ends_at, zone)));
    }
    let chosen = choices.types.iter().find(|t| t.id.to_string() == type_id).or(choices.types.first());
    let providers: Vec<(String, String)> = chosen
        .map(|t| {
            choices
                .providers
                .iter()
                .filter(|(id, _)| t.provider_ids.contains(id))
                .map(|(id, name)| (id.to_string(), name.clone()))
                .collect()
        })
        .unwrap_or_default();
    let provider = providers.iter().find(|(id, _)| *id == provider_id).or(providers.first()).cloned();
    let from = NaiveDate::parse_from_str(&from, "%Y-%m-%d").ok().filter(|d| *d >= today).unwrap_or(today);
    // Only read here: building an error would set the response's status.
    let confirm = match (parse_slot(&at), chosen, &provider) {
        (Some(start), Some(t), Some((_, name))) => {
            let end = start + Duration::minutes(i64::from(t.duration_minutes));
            Some((start.to_rfc3339(), format!("{} with {name}, {}", t.name, format_range(start, end, zone))))
        }
        _ => None,
    };
    let mut days = Vec::new();
    // The confirm page shows the chosen time, not the week's.
    if let (Some(t), Some((provider, _)), true, None) = (chosen, &provider, choices.portal_booking, &confirm) {
        let provider = parse_id(provider)?;
        let starts = match &client {
            Some(client) => {
                scheduling::client_slots(&context, client, t.id, provider, zone, from, BOOKING_DAYS).await?
            }
            None => public::slots(&context, org_id, t.id, provider, zone, from, BOOKING_DAYS).await?,
        };
        for day in from.iter_days().take(BOOKING_DAYS as usize) {
            let slots: Vec<SlotView> = starts
                .iter()
                .filter(|s| zone.date_at(**s) == day)
                .map(|s| SlotView { at: s.to_rfc3339(), label: zone.local(*s).format("%-I:%M %p").to_string() })
                .collect();
            days.push(SlotDay { label: day.format("%A, %b %-d").to_string(), slots });
        }
    }
    Ok(BookingView {
        visitor: client.is_none(),
        portal_booking: choices.portal_booking,
        types: choices
            .types
            .iter()
            .map(|t| {
                (
                    t.id.to_string(),
                    t.name.clone(),
                    format!("{} min · {}", t.duration_minutes, format_price(t.price_cents)),
                )
            })
            .collect(),
        type_id: chosen.map(|t| t.id.to_string()).unwrap_or_default(),
        providers,
        provider_id: provider.map(|(id, _)| id).unwrap_or_default(),
        zone: zone.name().to_owned(),
        zone_label: format_time(now, zone).split_whitespace().last().unwrap_or_default().to_owned(),
        from: from.format("%Y-%m-%d").to_string(),
        previous: (from > today)
            .then(|| (from - Duration::days(BOOKING_DAYS)).max(today).format("%Y-%m-%d").to_string()),
        next: (from + Duration::days(BOOKING_DAYS)).format("%Y-%m-%d").to_string(),
        days,
        moving: moving_view,
        confirm,
    })
}

#[cfg(feature = "ssr")]
fn parse_slot(at: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(at).ok().map(|t| t.with_timezone(&Utc))
}

/// Books (or, with `moving`, moves an appointment to) the slot `at`.
#[server(endpoint = "portal_book")]
pub async fn portal_book(
    slug: String,
    type_id: String,
    provider_id: String,
    at: String,
    #[server(default)] moving: String,
) -> Result<(), AppError> {
    let (context, client) = require_client(&slug).await?;
    let at = parse_slot(&at).ok_or_else(|| AppError::from(tend_core::Error::BadRequest))?;
    if moving.is_empty() {
        scheduling::book_as_client(&context, &client, parse_id(&type_id)?, parse_id(&provider_id)?, at).await?;
        leptos_axum::redirect(&portal_path(&slug, "/appointments?done=booked"));
    } else {
        scheduling::reschedule_as_client(&context, &client, parse_id(&moving)?, at).await?;
        leptos_axum::redirect(&portal_path(&slug, "/appointments?done=moved"));
    }
    Ok(())
}

/// Who books on the public page (`visitor[first_name]`...).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VisitorFields {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub time_zone: String,
}

/// Books the slot `at` on the public page for someone not signed in. The answer is the same
/// whether the email is new (booked, invited) or a client's (emailed to log in instead).
#[server(endpoint = "public_book")]
pub async fn public_book(
    slug: String,
    type_id: String,
    provider_id: String,
    at: String,
    #[server(default)] visitor: VisitorFields,
) -> Result<(), AppError> {
    let context = crate::context::server_context()?;
    let request = public::Request {
        type_id: parse_id(&type_id)?,
        provider_id: parse_id(&provider_id)?,
        starts_at: parse_slot(&at).ok_or_else(|| AppError::from(tend_core::Error::BadRequest))?,
    };
    let VisitorFields { first_name, last_name, email, phone, time_zone } = visitor;
    let form = public::VisitorForm { first_name, last_name, email, phone, time_zone };
    let address = session::client_address().await;
    public::book_as_visitor(&context, &slug, &form, request, &address).await?;
    leptos_axum::redirect(&portal_path(&slug, "/book/sent"));
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalAppointmentView {
    pub id: String,
    pub when: String,
    pub type_name: String,
    pub provider: String,
    /// Where: the client's video link, "Phone call" or the address.
    pub location: String,
    pub client_link: Option<String>,
    pub status_label: String,
    pub may_cancel: bool,
    pub may_reschedule: bool,
    pub cancel_refusal: String,
    pub reschedule_refusal: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalAppointmentsView {
    pub upcoming: Vec<PortalAppointmentView>,
    pub past: Vec<PortalAppointmentView>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub can_book: bool,
}

#[cfg(feature = "ssr")]
fn portal_appointment(r: &AppointmentRow, zone: TimeZone) -> PortalAppointmentView {
    let kind = LocationKind::from_db(&r.location_kind);
    PortalAppointmentView {
        id: r.id.to_string(),
        when: format_range(r.starts_at, r.ends_at, zone),
        type_name: r.type_name.clone(),
        provider: r.provider_name.clone(),
        location: match kind {
            LocationKind::InPerson => r.location.clone().unwrap_or_default(),
            LocationKind::ExternalVideo => "Video call".to_owned(),
            LocationKind::Phone => "Phone call".to_owned(),
        },
        // Only the client's link ever reaches the client, never the host's.
        client_link: r.client_link.clone(),
        status_label: match r.status() {
            AppointmentStatus::Booked => "Booked".to_owned(),
            other => other.label().to_owned(),
        },
        may_cancel: false,
        may_reschedule: false,
        cancel_refusal: String::new(),
        reschedule_refusal: String::new(),
    }
}

#[server(endpoint = "portal_appointments")]
pub async fn portal_appointments(slug: String) -> Result<PortalAppointmentsView, AppError> {
    let (context, client) = require_client(&slug).await?;
    let list = scheduling::client_appointments(&context, &client).await?;
    let choices = scheduling::booking_choices(&context, &client).await?;
    let zone = client.time_zone;
    Ok(PortalAppointmentsView {
        upcoming: list
            .upcoming
            .iter()
            .map(|a| PortalAppointmentView {
                may_cancel: a.may_cancel,
                may_reschedule: a.may_reschedule,
                cancel_refusal: a.cancel_refusal.clone(),
                reschedule_refusal: a.reschedule_refusal.clone(),
                ..portal_appointment(&a.row, zone)
            })
            .collect(),
        past: list.past.iter().map(|r| portal_appointment(r, zone)).collect(),
        contact_phone: list.contact_phone,
        contact_email: list.contact_email,
        can_book: choices.portal_booking && !choices.types.is_empty(),
    })
}

#[server(endpoint = "portal_cancel_appointment")]
pub async fn portal_cancel_appointment(slug: String, id: String) -> Result<(), AppError> {
    let (context, client) = require_client(&slug).await?;
    scheduling::cancel_as_client(&context, &client, parse_id(&id)?).await?;
    Ok(())
}

// ---- Calendar feed ----

/// Makes a new feed address; the old one stops working.
#[server(endpoint = "reset_calendar_feed")]
pub async fn reset_calendar_feed(provider: String) -> Result<String, AppError> {
    let (context, actor) = require_member().await?;
    Ok(tend_core::scheduling::feed::reset(&context, &actor, parse_id(&provider)?).await?)
}

// ---- Appointments report ----

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRow {
    pub id: String,
    pub when: String,
    pub client: String,
    pub provider: String,
    pub type_name: String,
    pub status_label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportView {
    pub from: String,
    pub to: String,
    pub provider: String,
    pub status: String,
    pub type_id: String,
    pub zone: String,
    /// (status label, count)
    pub counts: Vec<(String, i64)>,
    /// One page (a hundred) of the range's appointments.
    pub rows: Vec<ReportRow>,
    /// The range's appointments.
    pub total: i64,
    /// Cursors for the Previous and Next links: the first and last appointment shown.
    pub previous: Option<String>,
    pub next: Option<String>,
    /// When the range holds more than one CSV does: how many it holds.
    pub export_limit: Option<i64>,
    /// Filter choices: (value, label), "All …" first.
    pub providers: Vec<(String, String)>,
    pub statuses: Vec<(String, String)>,
    pub types: Vec<(String, String)>,
    /// The query string of these filters, for the CSV and page links.
    pub query: String,
}

#[server(endpoint = "appointments_report")]
pub async fn appointments_report(
    #[server(default)] from: String,
    #[server(default)] to: String,
    #[server(default)] provider: String,
    #[server(default)] status: String,
    #[server(default)] type_id: String,
    /// The page after (or before) this appointment; none: the first page.
    #[server(default)]
    after: String,
    #[server(default)] before: String,
) -> Result<ReportView, AppError> {
    use tend_core::scheduling::report::{self, ReportForm, ReportPage};
    let (context, actor) = require_member().await?;
    let form = ReportForm { from, to, provider: provider.clone(), status: status.clone(), type_id: type_id.clone() };
    // A cursor that is not an id (an edited address) shows the first page.
    let page = match (uuid::Uuid::parse_str(&after), uuid::Uuid::parse_str(&before)) {
        (Ok(id), _) => ReportPage::After(id),
        (_, Ok(id)) => ReportPage::Before(id),
        _ => ReportPage::First,
    };
    let found = report::appointments(&context, &actor, &form, page).await?;
    let zone = found.zone;
    let mut providers = vec![(String::new(), "All providers you manage".to_owned())];
    providers.extend(
        scheduling::calendar_providers(&context, &actor).await?.into_iter().map(|(id, name)| (id.to_string(), name)),
    );
    let mut statuses = vec![(String::new(), "All statuses".to_owned())];
    statuses.extend(AppointmentStatus::ALL.iter().map(|s| (s.as_str().to_owned(), s.label().to_owned())));
    let mut types = vec![(String::new(), "All appointment types".to_owned())];
    types.extend(scheduling::types(&context, &actor).await?.into_iter().map(|t| (t.id.to_string(), t.name)));
    let (from, to) = (found.from.format("%Y-%m-%d").to_string(), found.to.format("%Y-%m-%d").to_string());
    let query = format!(
        "from={from}&to={to}&provider={}&status={}&type_id={}",
        crate::ui::url_encode(&provider),
        crate::ui::url_encode(&status),
        crate::ui::url_encode(&type_id)
    );
    Ok(ReportView {
        counts: found.counts.iter().map(|(s, n)| (s.label().to_owned(), *n)).collect(),
        total: found.total,
        previous: found.has_previous.then(|| found.rows.first().map(|r| r.id.to_string())).flatten(),
        next: found.has_next.then(|| found.rows.last().map(|r| r.id.to_string())).flatten(),
        export_limit: (found.total > report::MAX_EXPORT_ROWS).then_some(report::MAX_EXPORT_ROWS),
        rows: found
            .rows
            .iter()
            .map(|r| ReportRow {
                id: r.id.to_string(),
                when: format_range(r.starts_at, r.ends_at, zone),
                client: r.client_name.clone(),
                provider: r.provider_name.clone(),
                type_name: r.type_name.clone(),
                status_label: r.status().label().to_owned(),
            })
            .collect(),
        zone: zone.name().to_owned(),
        from,
        to,
        provider,
        status,
        type_id,
        providers,
        statuses,
        types,
        query,
    })
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use std::collections::BTreeMap;

    use chrono::{NaiveDate, TimeZone as _, Utc};
    use tend_core::{clock::TimeZone, scheduling::repo::AppointmentRow};
    use uuid::Uuid;

    use super::{MONTH_CELL_ITEMS, calendar_days};

    fn appointment(starts_at: chrono::DateTime<Utc>) -> AppointmentRow {
        AppointmentRow {
            id: Uuid::new_v4(),
            client_id: Uuid::new_v4(),
            client_name: "Ann Lee".into(),
            client_phone: None,
            client_email: None,
            client_primary_provider_id: None,
            client_is_test: false,
            provider_id: Uuid::new_v4(),
            provider_name: "Paula".into(),
            type_id: Uuid::new_v4(),
            type_name: "Follow-up".into(),
            location_kind: "phone".into(),
            client_link: None,
            host_link: None,
            location: None,
            starts_at,
            ends_at: starts_at + chrono::Duration::minutes(50),
            status: "booked".into(),
            notes: String::new(),
        }
    }

    #[test]
    fn a_month_cell_lists_the_first_appointments_of_its_day_and_counts_the_rest() {
        let zone = TimeZone::parse("America/New_York").unwrap();
        // Six on Tuesday, December 8 from 9:00 in New York, and one at 21:00 there, which is
        // already December 9 in UTC.
        let mut rows: Vec<AppointmentRow> =
            (14..20).map(|hour| appointment(Utc.with_ymd_and_hms(2026, 12, 8, hour, 0, 0).unwrap())).collect();
        rows.push(appointment(Utc.with_ymd_and_hms(2026, 12, 9, 2, 0, 0).unwrap()));
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        let on = |days: &[super::CalendarDay], date: &str| {
            let found = days.iter().find(|d| d.date == date).unwrap();
            (found.items.len(), found.more)
        };

        let none = BTreeMap::new();
        let month = calendar_days(&rows, zone, (day(1), day(31)), day(2), Some(12), &none, false);
        assert_eq!(on(&month, "2026-12-08"), (MONTH_CELL_ITEMS, 7 - MONTH_CELL_ITEMS));
        assert_eq!(on(&month, "2026-12-09"), (0, 0));
        let week = calendar_days(&rows, zone, (day(6), day(12)), day(2), None, &none, false);
        assert_eq!(on(&week, "2026-12-08"), (7, 0));

        // Read from the database, the rows are the first of each day and the totals count all.
        let totals = BTreeMap::from([(day(8), 30)]);
        let first_four = &rows[..MONTH_CELL_ITEMS];
        let month = calendar_days(first_four, zone, (day(1), day(31)), day(2), Some(12), &totals, false);
        assert_eq!(on(&month, "2026-12-08"), (MONTH_CELL_ITEMS, 30 - MONTH_CELL_ITEMS));
    }
}
