//! The frame of the provider app: practice name, navigation, the person, log out.

mod sections;

pub use sections::{DashboardPage, PaymentsPage, SettingsPage};

use leptos::prelude::*;
use leptos_router::{
    components::{A, Outlet, Redirect},
    hooks::use_location,
};

use crate::{
    auth::api::{LogOut, MemberView, current_member},
    error::AppError,
    ui::{ErrorNotice, Loading},
};

/// Guards `/app/*` for the eyes (server functions guard the data) and draws the frame.
#[component]
pub fn AppShell() -> impl IntoView {
    let member = Resource::new_blocking(|| (), |_| current_member());
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                // The page under <Outlet /> is built once (see `after_the_walk`).
                #[cfg(feature = "ssr")]
                crate::ui::after_the_walk().await;
                match member.await {
                    Ok(Some(member)) => {
                        provide_context(member.clone());
                        view! { <ShellFrame member /> }.into_any()
                    }
                    Ok(None) | Err(AppError::Unauthenticated) => view! { <Redirect path="/login" /> }.into_any(),
                    Err(error) => view! { <ErrorNotice message=error.to_string() /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ShellFrame(member: MemberView) -> impl IntoView {
    let log_out = ServerAction::<LogOut>::new();
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="app-header">
            <a class="practice-name" href="/app">{member.practice_name.clone()}</a>
            <div class="who">
                <span class="person-name">{member.full_name.clone()}</span>
                <ActionForm action=log_out attr:class="inline-form">
                    <button type="submit" class="button button-quiet">"Log out"</button>
                </ActionForm>
            </div>
        </header>
        <nav class="app-nav" aria-label="Main">
            <NavLink href="/app/clients" label="Clients" also="/app/groups" />
            <NavLink href="/app/programs" label="Programs" />
            <NavLink href="/app/calendar" label="Calendar" also="/app/appointments" />
            <NavLink href="/app/payments" label="Payments" />
            <NavLink href="/app/settings" label="Settings" />
        </nav>
        <main class="app-main" id="main">
            <Outlet />
        </main>
    }
}

#[component]
fn NavLink(href: &'static str, label: &'static str, #[prop(optional)] also: Option<&'static str>) -> impl IntoView {
    let location = use_location();
    let current =
        move || location.pathname.with(|path| path.starts_with(href) || also.is_some_and(|a| path.starts_with(a)));
    view! {
        <A href=href attr:class=move || if current() { "nav-link current" } else { "nav-link" }>
            {label}
        </A>
    }
}
