//! The client's side: "Book an appointment" (type, provider, a week of free times in the
//! client's zone, confirm) and "Your appointments" (upcoming with reschedule and cancel inside
//! the rules, or the practice's message and contact; past ones).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::{BookingView, PortalBook, PortalCancelAppointment, PublicBook, portal_appointments, portal_booking};
use crate::{
    error::AppError,
    portal::pages::use_slug,
    ui::{
        ErrorNotice, FormMessage, Loading, SelectField, SubmitButton, TextField, TimeZoneField, error_for, url_encode,
    },
};

/// A visitor goes to the log-in page; other refusals are shown.
fn refused(error: AppError, slug: &str) -> AnyView {
    match error {
        AppError::Unauthenticated => {
            let path = format!("/p/{}/login", url_encode(slug));
            view! { <leptos_router::components::Redirect path=path /> }.into_any()
        }
        error => view! { <ErrorNotice message=error.to_string() /> }.into_any(),
    }
}

/// The booking call for what the address asks; `at` only on the confirm page.
fn booking_resource(with_slot: bool) -> Resource<Result<BookingView, AppError>> {
    let slug = use_slug();
    let query = use_query_map();
    let key = Signal::derive(move || {
        let get = |name: &str| query.with(|q| q.get(name).unwrap_or_default());
        let at = if with_slot { get("at") } else { String::new() };
        (slug.get(), get("type"), get("provider"), get("from"), get("tz"), get("moving"), at)
    });
    Resource::new_blocking(
        move || key.get(),
        |(slug, type_id, provider, from, tz, moving, at)| portal_booking(slug, type_id, provider, from, tz, moving, at),
    )
}

/// A booking page's address: the picker (`page` "") or the confirm page ("/confirm") for the
/// same type, provider, zone, week and appointment being moved.
fn booking_href(slug: &str, view: &BookingView, page: &str, from: &str, at: Option<&str>) -> String {
    let mut href = format!(
        "/p/{}/book{page}?type={}&provider={}&tz={}&from={}",
        url_encode(slug),
        view.type_id,
        view.provider_id,
        url_encode(&view.zone),
        from
    );
    if let Some((moving, _)) = &view.moving {
        href.push_str(&format!("&moving={moving}"));
    }
    if let Some(at) = at {
        href.push_str(&format!("&at={}", url_encode(at)));
    }
    href
}

fn heading_of(view: &BookingView) -> &'static str {
    if view.moving.is_some() { "Reschedule your appointment" } else { "Book an appointment" }
}

/// Type, provider, zone and a week of free times. Each time leads to the confirm page, an area
/// of its own: a visitor's first page loads none of the booking forms' code.
#[component]
pub fn PortalBookPage() -> impl IntoView {
    booking_page("Book an appointment · client portal", false, |view| view! { <BookingPicker view /> }.into_any())
}

/// The chosen time, to confirm: a client confirms it; a visitor says who they are.
#[component]
pub fn PortalBookConfirmPage() -> impl IntoView {
    booking_page("Confirm your appointment · client portal", true, |view| view! { <BookingConfirm view /> }.into_any())
}

/// A booking page: its title, the way home, and `draw` once the booking call answers (or the
/// practice's "not available" when portal booking is off or no type is bookable).
fn booking_page(title: &'static str, with_slot: bool, draw: fn(BookingView) -> AnyView) -> impl IntoView {
    let slug = use_slug();
    let booking = booking_resource(with_slot);
    view! {
        <Title text=title />
        <p class="breadcrumb"><a href=move || format!("/p/{}", slug.get())>"Portal home"</a></p>
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match booking.await {
                    Ok(view) if !view.portal_booking || view.types.is_empty() => {
                        let heading = heading_of(&view);
                        view! { <BookingClosed heading /> }.into_any()
                    }
                    Ok(view) => draw(view),
                    Err(error) => refused(error, &slug.get_untracked()),
                }
            })}
        </Suspense>
    }
}

/// After a booking on the public page: the same words whether or not the address was a
/// client's (that client was emailed to log in instead).
#[component]
pub fn PortalBookSentPage() -> impl IntoView {
    let slug = use_slug().get_untracked();
    view! {
        <Title text="Check your email · booking" />
        <h1>"Check your email"</h1>
        <section class="card narrow">
            <p class="lead">"Thank you. We sent the details of your booking to the email address you gave."</p>
            <p>"The email has a link to set up your client portal, where you can see, reschedule or cancel your appointment. If nothing arrives within a few minutes, look in your spam folder."</p>
            <p class="aside">"Already a client? "<a href=format!("/p/{}/login", url_encode(&slug))>"Log in"</a></p>
        </section>
    }
}

#[component]
fn BookingClosed(heading: &'static str) -> impl IntoView {
    view! {
        <h1>{heading}</h1>
        <p>"Online booking is not available. Please contact the practice to book."</p>
    }
}

#[component]
fn BookingConfirm(view: BookingView) -> impl IntoView {
    let slug = use_slug().get_untracked();
    let heading = heading_of(&view);
    let back = booking_href(&slug, &view, "", &view.from, None);
    let Some((at, text)) = view.confirm.clone() else {
        // No time chosen (or not one of the type's): back to the times.
        return view! {
            <h1>{heading}</h1>
            <p>"Choose a time first."</p>
            <p><a class="button" href=back>"Choose a time"</a></p>
        }
        .into_any();
    };
    if view.visitor {
        return view! { <h1>{heading}</h1> <VisitorConfirm view at text back /> }.into_any();
    }
    let moving = view.moving.clone().map(|(id, _)| id).unwrap_or_default();
    let book = ServerAction::<PortalBook>::new();
    view! {
        <h1>{heading}</h1>
        <section class="card narrow">
            <h2>"Confirm your appointment"</h2>
            <p class="lead">{text}</p>
            <ActionForm action=book attr:class="stack">
                <FormMessage value=book.value() />
                <input type="hidden" name="slug" value=slug.clone() />
                <input type="hidden" name="type_id" value=view.type_id.clone() />
                <input type="hidden" name="provider_id" value=view.provider_id.clone() />
                <input type="hidden" name="at" value=at />
                <input type="hidden" name="moving" value=moving.clone() />
                <SubmitButton label=if moving.is_empty() { "Confirm booking" } else { "Confirm new time" } pending=book.pending() />
            </ActionForm>
            <p><a href=back>"Choose another time"</a></p>
        </section>
    }
    .into_any()
}

/// The public page's last step: who is booking.
#[component]
fn VisitorConfirm(view: BookingView, at: String, text: String, back: String) -> impl IntoView {
    let slug = use_slug().get_untracked();
    let book = ServerAction::<PublicBook>::new();
    let value = book.value();
    let log_in = format!("/p/{}/login", url_encode(&slug));
    view! {
        <section class="card narrow">
            <h2>"Confirm your appointment"</h2>
            <p class="lead">{text}</p>
            <ActionForm action=book attr:novalidate=true attr:class="stack">
                <FormMessage value=value />
                <input type="hidden" name="slug" value=slug.clone() />
                <input type="hidden" name="type_id" value=view.type_id.clone() />
                <input type="hidden" name="provider_id" value=view.provider_id.clone() />
                <input type="hidden" name="at" value=at />
                <TextField label="First name" name="visitor[first_name]" autocomplete="given-name" required=true
                    error=error_for(value, "first_name") />
                <TextField label="Last name" name="visitor[last_name]" autocomplete="family-name" required=true
                    error=error_for(value, "last_name") />
                <TextField label="Email" name="visitor[email]" kind="email" autocomplete="email" required=true
                    error=error_for(value, "email") />
                <TextField label="Phone" name="visitor[phone]" kind="tel" autocomplete="tel" required=true
                    error=error_for(value, "phone") />
                <TimeZoneField label="Your time zone" name="visitor[time_zone]" value=view.zone.clone()
                    error=error_for(value, "time_zone") />
                <SubmitButton label="Confirm booking" pending=book.pending() />
            </ActionForm>
            <p><a href=back>"Choose another time"</a></p>
            <p class="aside">"Already a client? "<a href=log_in>"Log in to book"</a></p>
        </section>
    }
}

#[component]
fn BookingPicker(view: BookingView) -> impl IntoView {
    let slug = use_slug().get_untracked();
    let heading = heading_of(&view);
    let moving = view.moving.clone().map(|(id, _)| id).unwrap_or_default();
    let type_options: Vec<(String, String)> =
        view.types.iter().map(|(id, name, summary)| (id.clone(), format!("{name} ({summary})"))).collect();
    let any_slot = view.days.iter().any(|d| !d.slots.is_empty());
    let later = booking_href(&slug, &view, "", &view.next, None);
    let earlier = view.previous.as_deref().map(|from| booking_href(&slug, &view, "", from, None));
    view! {
        <h1>{heading}</h1>
        {view.visitor.then(|| view! {
            <p>"Pick a time, then tell us who you are. Already a client? "
                <a href=format!("/p/{}/login", url_encode(&slug))>"Log in to book"</a></p>
        })}
        {view.moving.clone().map(|(_, when)| view! { <p>{format!("Currently: {when}")}</p> })}
        <section class="card narrow">
            <form method="get" action=format!("/p/{}/book", url_encode(&slug)) class="stack">
                {(!moving.is_empty()).then(|| view! { <input type="hidden" name="moving" value=moving.clone() /> })}
                {if moving.is_empty() {
                    view! { <SelectField label="Appointment type" name="type" options=type_options value=view.type_id.clone() /> }.into_any()
                } else {
                    view! { <input type="hidden" name="type" value=view.type_id.clone() /> }.into_any()
                }}
                {(view.providers.len() > 1 && moving.is_empty()).then(|| view! {
                    <SelectField label="Provider" name="provider" options=view.providers.clone() value=view.provider_id.clone() />
                })}
                <TimeZoneField label="Show times in" name="tz" value=view.zone.clone() />
                <button type="submit" class="button">"Show times"</button>
            </form>
        </section>
        <section class="card" aria-labelledby="times-heading">
            <h2 id="times-heading">{format!("Available times ({}, {})", view.zone, view.zone_label)}</h2>
            <p class="button-row">
                {earlier.map(|href| view! { <a class="button" href=href>"Earlier dates"</a> })}
                <a class="button" href=later>"Later dates"</a>
            </p>
            {(!any_slot).then(|| view! { <p>"No free times these days. Try later dates."</p> })}
            {view.days.iter().filter(|d| !d.slots.is_empty()).map(|day| view! {
                <h3>{day.label.clone()}</h3>
                <ul class="slot-list">
                    {day.slots.iter().map(|s| view! {
                        <li><a class="button slot" href=booking_href(&slug, &view, "/confirm", &view.from, Some(&s.at))
                            aria-label=format!("{}, {}", day.label, s.label)>{s.label.clone()}</a></li>
                    }).collect_view()}
                </ul>
            }).collect_view()}
        </section>
    }
    .into_any()
}

#[component]
pub fn PortalAppointmentsPage() -> impl IntoView {
    let slug = use_slug();
    let query = use_query_map();
    let cancel = ServerAction::<PortalCancelAppointment>::new();
    let reloads = crate::ui::successes(cancel.version(), cancel.value());
    let list = Resource::new_blocking(move || (slug.get(), reloads.get()), |(slug, _)| portal_appointments(slug));
    let done = move || {
        query.with(|q| match q.get("done").as_deref() {
            Some("booked") => Some("Your appointment is booked."),
            Some("moved") => Some("Your appointment was moved."),
            _ => None,
        })
    };
    view! {
        <Title text="Your appointments · client portal" />
        <p class="breadcrumb"><a href=move || format!("/p/{}", slug.get())>"Portal home"</a></p>
        <h1>"Your appointments"</h1>
        {move || done().map(|message| view! { <p class="notice notice-success" role="status">{message}</p> })}
        <FormMessage value=cancel.value() success="Your appointment was cancelled." />
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                let list = match list.await {
                    Ok(list) => list,
                    Err(error) => return refused(error, &slug.get_untracked()),
                };
                let slug = slug.get_untracked();
                let contact = [list.contact_phone.clone(), list.contact_email.clone()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" · ");
                view! {
                    {list.can_book.then(|| view! {
                        <p><a class="button button-primary" href=format!("/p/{}/book", url_encode(&slug))>"Book an appointment"</a></p>
                    })}
                    <section class="card">
                        <h2>"Upcoming"</h2>
                        {list.upcoming.is_empty().then(|| view! { <p>"No upcoming appointments."</p> })}
                        <ul class="appointment-list">
                            {list.upcoming.into_iter().map(|a| {
                                let slug_for_cancel = slug.clone();
                                let reschedule_href = format!("/p/{}/book?moving={}", url_encode(&slug), a.id);
                                let refusals: Vec<String> = [
                                    (!a.may_reschedule).then(|| a.reschedule_refusal.clone()),
                                    (!a.may_cancel).then(|| a.cancel_refusal.clone()),
                                ].into_iter().flatten().collect();
                                view! {
                                    <li class="card appointment-card">
                                        <h3>{format!("{} with {}", a.type_name, a.provider)}</h3>
                                        <p>{a.when.clone()}</p>
                                        <p>{a.location.clone()}
                                            {a.client_link.clone().map(|link| view! { " · " <a href=link rel="noopener noreferrer" target="_blank">"Join the video call"</a> })}
                                        </p>
                                        <div class="button-row">
                                            {a.may_reschedule.then(|| view! {
                                                <a class="button" href=reschedule_href>"Reschedule"</a>
                                            })}
                                            {a.may_cancel.then(|| view! {
                                                <ActionForm action=cancel attr:class="inline-form">
                                                    <input type="hidden" name="slug" value=slug_for_cancel />
                                                    <input type="hidden" name="id" value=a.id.clone() />
                                                    <button type="submit" class="button button-danger">"Cancel appointment"</button>
                                                </ActionForm>
                                            })}
                                        </div>
                                        {(!refusals.is_empty()).then(|| view! {
                                            <div class="notice notice-info" role="note">
                                                {refusals.into_iter().map(|r| view! { <p>{r}</p> }).collect_view()}
                                                {(!contact.is_empty()).then(|| view! { <p>{format!("Contact the practice: {contact}")}</p> })}
                                            </div>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                    <section class="card">
                        <h2>"Past"</h2>
                        {list.past.is_empty().then(|| view! { <p>"No past appointments."</p> })}
                        <ul class="client-list">
                            {list.past.into_iter().map(|a| view! {
                                <li class="client-item">
                                    <span class="client-name">{format!("{} with {}", a.type_name, a.provider)}</span>
                                    <span class="client-meta">{format!("{} · {}", a.when, a.status_label)}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    </section>
                }
                .into_any()
            })}
        </Suspense>
    }
}
