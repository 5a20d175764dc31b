//! The sections of the provider app. Each later feature fills its own.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{auth::api::MemberView, ui::EmptyState};

#[component]
pub fn DashboardPage() -> impl IntoView {
    let member = use_context::<MemberView>();
    let first_name = member
        .as_ref()
        .map(|m| m.full_name.split_whitespace().next().unwrap_or_default().to_owned())
        .unwrap_or_default();
    view! {
        <Title text="Home · Tend" />
        <h1>{format!("Welcome, {first_name}")}</h1>
        <p class="lead">"This is your practice on Tend. Here is where to start:"</p>
        <ul class="next-steps">
            <li><a href="/app/clients">"Add your clients"</a></li>
            <li><a href="/app/availability">"Publish your availability"</a></li>
            <li><a href="/app/settings">"Set up your practice"</a></li>
        </ul>
    }
}

#[component]
pub fn PaymentsPage() -> impl IntoView {
    view! {
        <Title text="Payments · Tend" />
        <h1>"Payments"</h1>
        <EmptyState title="No payments yet">
            <p>"Charges, invoices and refunds will be listed here."</p>
        </EmptyState>
    }
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let is_owner = use_context::<MemberView>().is_some_and(|m| m.is_owner);
    view! {
        <Title text="Settings · Tend" />
        <h1>"Settings"</h1>
        <ul class="link-list">
            <li><a href="/app/settings/members">"Members and permissions"</a></li>
            <li><a href="/app/settings/practice">"Practice and client portal"</a>" — logo and colour"</li>
            <li><a href="/app/settings/scheduling">"Scheduling"</a>" — appointment types, booking rules, portal booking"</li>
            <li><a href="/app/availability">"Availability"</a>" — your weekly hours and days off"</li>
            <li><a href="/app/settings/profile">"Your name and time zone"</a></li>
            <li><a href="/app/settings/password">"Change your password"</a></li>
            <li><a href="/app/practices">"Your practices"</a>" — switch to another practice you belong to"</li>
            <Show when=move || is_owner>
                <li><a href="/app/outbox">"Email outbox"</a>" — mail Tend sent or is about to send"</li>
                <li><a href="/app/settings/jobs">"Background jobs"</a>" — email and scheduled work that failed"</li>
            </Show>
        </ul>
    }
}
