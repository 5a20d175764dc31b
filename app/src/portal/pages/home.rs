//! The portal home and the client's own account page.

use leptos::prelude::*;
use leptos_router::components::Redirect;

use super::use_slug;
use crate::{
    portal::api::{ChangePortalPassword, PortalClientView, PortalLogOut, UpdatePortalContact, portal_client},
    ui::{ErrorNotice, FormMessage, Loading, SubmitButton, TextField, TimeZoneField, error_for},
};

/// Loads the signed-in client and shows `page`, or sends a visitor to the login page.
#[component]
fn SignedInClient<F, V>(page: F) -> impl IntoView
where
    F: Fn(PortalClientView) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let slug = use_slug();
    let client = Resource::new_blocking(move || slug.get(), portal_client);
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || {
                let page = page.clone();
                Suspend::new(async move {
                    match client.await {
                        Ok(Some(client)) => page(client).into_any(),
                        Ok(None) => view! { <Redirect path=format!("/p/{}/login", slug.get_untracked()) /> }.into_any(),
                        Err(error) => view! { <ErrorNotice message=error.to_string() /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn TestClientBanner(is_test: bool) -> impl IntoView {
    is_test.then(|| {
        view! {
            <p class="notice notice-info" role="note">
                "You are viewing the portal as a test client. " <a href="/app/clients" rel="external">"Back to the provider app"</a>
            </p>
        }
    })
}

#[component]
pub fn PortalHomePage() -> impl IntoView {
    let slug = use_slug();
    let page = move |client: PortalClientView| {
        let log_out = ServerAction::<PortalLogOut>::new();
        view! {
            <TestClientBanner is_test=client.is_test />
            <h1>{format!("Hello, {}", client.first_name)}</h1>
            <section class="card">
                <h2>"Your provider"</h2>
                <p>{client.provider.clone().unwrap_or_else(|| "Your practice will assign your provider soon.".into())}</p>
            </section>
            {client.can_book.then(|| view! {
                <p><a class="button button-primary" href=format!("/p/{}/book", slug.get_untracked())>"Book an appointment"</a></p>
            })}
            <nav class="portal-nav" aria-label="Your portal">
                {client.can_book.then(|| view! { <a href=format!("/p/{}/book", slug.get_untracked())>"Book an appointment"</a> })}
                <a href=format!("/p/{}/appointments", slug.get_untracked())>"Appointments"</a>
                <a href=format!("/p/{}/programs", slug.get_untracked())>"Programs"</a>
                <a href=format!("/p/{}/account", slug.get_untracked())>"Your account"</a>
                <ActionForm action=log_out attr:class="inline-form">
                    <input type="hidden" name="slug" value=slug.get_untracked() />
                    <button type="submit" class="button button-quiet">"Log out"</button>
                </ActionForm>
            </nav>
        }
    };
    view! { <SignedInClient page /> }
}

#[component]
pub fn PortalAccountPage() -> impl IntoView {
    let slug = use_slug();
    let page = move |client: PortalClientView| {
        let contact = ServerAction::<UpdatePortalContact>::new();
        let password = ServerAction::<ChangePortalPassword>::new();
        view! {
            <TestClientBanner is_test=client.is_test />
            <p class="breadcrumb"><a href=format!("/p/{}", slug.get_untracked())>"Portal home"</a></p>
            <h1>"Your account"</h1>
            <section class="card narrow">
                <h2>"Contact details"</h2>
                <p>{format!("Username: {}", if client.email.is_empty() { "—" } else { &client.email })}</p>
                <ActionForm action=contact attr:novalidate=true attr:class="stack">
                    <FormMessage value=contact.value() success="Saved." />
                    <input type="hidden" name="slug" value=slug.get_untracked() />
                    <TextField label="Phone" name="phone" kind="tel" value=client.phone.clone() error=error_for(contact.value(), "phone") />
                    <TimeZoneField label="Your time zone" name="time_zone" value=client.time_zone.clone()
                        error=error_for(contact.value(), "time_zone") />
                    <SubmitButton label="Save details" pending=contact.pending() />
                </ActionForm>
            </section>
            <section class="card narrow">
                <h2>"Change password"</h2>
                <ActionForm action=password attr:novalidate=true attr:class="stack">
                    <FormMessage value=password.value() success="Your password was changed." />
                    <input type="hidden" name="slug" value=slug.get_untracked() />
                    <TextField label="Current password" name="current_password" kind="password" autocomplete="current-password"
                        error=error_for(password.value(), "current_password") />
                    <TextField label="New password" name="new_password" kind="password" autocomplete="new-password"
                        hint="At least 12 characters." error=error_for(password.value(), "new_password") />
                    <SubmitButton label="Change password" pending=password.pending() />
                </ActionForm>
            </section>
        }
    };
    view! { <SignedInClient page /> }
}
