//! Tend's screens: Leptos pages, components and server functions.
//!
//! Pages render on the server and hydrate in the browser. Server functions are thin: they
//! check who asks, parse, call `tend-core`, and return a DTO.

pub mod auth;
pub mod clients;
#[cfg(feature = "ssr")]
pub mod context;
pub mod email;
pub mod error;
pub mod jobs;
pub mod layout;
pub mod orgs;
pub mod portal;
pub mod programs;
mod public;
pub mod scheduling;
pub mod ui;

use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, Link, Meta, MetaTags, Title, provide_meta_context};
use leptos_router::{
    ParamSegment, SsrMode, StaticSegment,
    components::{ParentRoute, Route, Router, Routes},
};

use crate::{
    auth::pages::{
        ChangePasswordPage, ConfirmSignUpPage, ForgotPasswordPage, LogInPage, ResetPasswordPage, SignUpPage,
        SignUpSentPage,
    },
    clients::{
        groups::{GroupPage, GroupsPage},
        pages::{ClientProfilePage, ClientsPage, EditClientPage, NewClientPage},
    },
    email::OutboxPage,
    jobs::FailedJobsPage,
    layout::{AppShell, DashboardPage, PaymentsPage, SettingsPage},
    orgs::{JoinPage, MembersPage, PracticeSettingsPage, PracticesPage, ProfilePage},
    portal::pages::{
        PortalAccountPage, PortalForgotPasswordPage, PortalFrame, PortalHomePage, PortalLogInPage,
        PortalResetPasswordPage, PortalWelcomePage,
    },
    programs::{
        ModulePage, NewProgramPage, PortalModulePage, PortalProgramPage, PortalProgramsPage, ProgramClientsPage,
        ProgramPage, ProgramPreviewPage, ProgramsPage,
    },
    public::{HomePage, NotFoundPage},
    scheduling::{
        AppointmentPage, AppointmentTypePage, AppointmentsReportPage, AvailabilityPage, CalendarPage,
        NewAppointmentPage, PortalAppointmentsPage, PortalBookPage, SchedulingSettingsPage,
    },
};

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HashedStylesheet options=options.clone() id="leptos" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Pages with data stream in order (`SsrMode::InOrder`): the HTML arrives complete, so every
/// page and form works before the wasm loads, or without JavaScript at all.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Tells browser tests (and people reading the DOM) that the page is interactive.
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Link rel="icon" href="/favicon.svg" />
        <Meta name="description" content="Tend: practice management for health and wellness providers." />
        <Title text="Tend" />
        <Router>
            <Routes fallback=NotFoundPage>
                <Route path=StaticSegment("") view=HomePage />
                <Route path=StaticSegment("signup") view=SignUpPage />
                <Route path=(StaticSegment("signup"), StaticSegment("sent")) view=SignUpSentPage />
                <Route path=(StaticSegment("signup"), StaticSegment("confirm")) view=ConfirmSignUpPage />
                <Route path=StaticSegment("login") view=LogInPage />
                <Route path=StaticSegment("forgot-password") view=ForgotPasswordPage />
                <Route path=StaticSegment("reset-password") view=ResetPasswordPage />
                <Route path=StaticSegment("join") view=JoinPage />
                <ParentRoute path=(StaticSegment("p"), ParamSegment("slug")) view=PortalFrame ssr=SsrMode::InOrder>
                    <Route path=StaticSegment("") view=PortalHomePage />
                    <Route path=StaticSegment("login") view=PortalLogInPage />
                    <Route path=StaticSegment("forgot-password") view=PortalForgotPasswordPage />
                    <Route path=StaticSegment("reset-password") view=PortalResetPasswordPage />
                    <Route path=StaticSegment("welcome") view=PortalWelcomePage />
                    <Route path=StaticSegment("account") view=PortalAccountPage />
                    <Route path=StaticSegment("programs") view=PortalProgramsPage />
                    <Route path=(StaticSegment("programs"), ParamSegment("id")) view=PortalProgramPage />
                    <Route path=(StaticSegment("programs"), ParamSegment("id"), StaticSegment("modules"), ParamSegment("module_id")) view=PortalModulePage />
                    <Route path=StaticSegment("book") view=PortalBookPage />
                    <Route path=StaticSegment("appointments") view=PortalAppointmentsPage />
                </ParentRoute>
                <ParentRoute path=StaticSegment("app") view=AppShell ssr=SsrMode::InOrder>
                    <Route path=StaticSegment("") view=DashboardPage />
                    <Route path=StaticSegment("clients") view=ClientsPage />
                    <Route path=(StaticSegment("clients"), StaticSegment("new")) view=NewClientPage />
                    <Route path=(StaticSegment("clients"), ParamSegment("id")) view=ClientProfilePage />
                    <Route path=(StaticSegment("clients"), ParamSegment("id"), StaticSegment("edit")) view=EditClientPage />
                    <Route path=StaticSegment("groups") view=GroupsPage />
                    <Route path=(StaticSegment("groups"), ParamSegment("id")) view=GroupPage />
                    <Route path=(StaticSegment("settings"), StaticSegment("members")) view=MembersPage />
                    <Route path=(StaticSegment("settings"), StaticSegment("practice")) view=PracticeSettingsPage />
                    <Route path=StaticSegment("programs") view=ProgramsPage />
                    <Route path=(StaticSegment("programs"), StaticSegment("new")) view=NewProgramPage />
                    <Route path=(StaticSegment("programs"), ParamSegment("id")) view=ProgramPage />
                    <Route path=(StaticSegment("programs"), ParamSegment("id"), StaticSegment("clients")) view=ProgramClientsPage />
                    <Route path=(StaticSegment("programs"), ParamSegment("id"), StaticSegment("preview")) view=ProgramPreviewPage />
                    <Route path=(StaticSegment("programs"), ParamSegment("id"), StaticSegment("modules"), ParamSegment("module_id")) view=ModulePage />
                    <Route path=StaticSegment("calendar") view=CalendarPage />
                    <Route path=StaticSegment("availability") view=AvailabilityPage />
                    <Route path=(StaticSegment("reports"), StaticSegment("appointments")) view=AppointmentsReportPage />
                    <Route path=(StaticSegment("appointments"), StaticSegment("new")) view=NewAppointmentPage />
                    <Route path=(StaticSegment("appointments"), ParamSegment("id")) view=AppointmentPage />
                    <Route path=(StaticSegment("settings"), StaticSegment("scheduling")) view=SchedulingSettingsPage />
                    <Route path=(StaticSegment("settings"), StaticSegment("appointment-types"), ParamSegment("id")) view=AppointmentTypePage />
                    <Route path=StaticSegment("payments") view=PaymentsPage />
                    <Route path=StaticSegment("settings") view=SettingsPage />
                    <Route path=(StaticSegment("settings"), StaticSegment("password")) view=ChangePasswordPage />
                    <Route path=(StaticSegment("settings"), StaticSegment("profile")) view=ProfilePage />
                    <Route path=(StaticSegment("settings"), StaticSegment("jobs")) view=FailedJobsPage />
                    <Route path=StaticSegment("practices") view=PracticesPage />
                    <Route path=StaticSegment("outbox") view=OutboxPage />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
