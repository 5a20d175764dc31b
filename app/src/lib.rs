//! Tend's screens: Leptos pages, components and server functions.
//!
//! Pages render on the server and hydrate in the browser. Server functions are thin: they
//! check who asks, parse, call `tend-core`, and return a DTO.

pub mod auth;
pub mod bundles;
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
use leptos_meta::{Link, Meta, Title, provide_meta_context};
use leptos_router::{
    Lazy, ParamSegment, SsrMode, StaticSegment,
    components::{ParentRoute, Route, Router, Routes},
};

use crate::bundles::OtherAppOrNotFound;
#[cfg(feature = "app-pages")]
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
    programs::{ModulePage, NewProgramPage, ProgramClientsPage, ProgramPage, ProgramPreviewPage, ProgramsPage},
    public::HomePage,
    scheduling::{
        AppointmentPage, AppointmentTypePage, AppointmentsReportPage, AvailabilityPage, CalendarPage,
        NewAppointmentPage, SchedulingSettingsPage,
    },
};
#[cfg(feature = "portal-pages")]
use crate::{
    portal::pages::{
        PortalAccountPage, PortalForgotPasswordPage, PortalFrame, PortalHomePage, PortalLogInPage,
        PortalResetPasswordPage, PortalWelcomePage,
    },
    programs::{PortalModulePage, PortalProgramPage, PortalProgramsPage},
    scheduling::{PortalAppointmentsPage, PortalBookConfirmPage, PortalBookPage, PortalBookSentPage},
};

/// The HTML document around every page, rendered on the server. A client portal page
/// (`/p/...`) gets the portal's own wasm (`PortalApp`, `tend-portal-frontend`), which holds
/// none of the provider app; every other page gets the provider app's.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    if bundles::is_portal_request() {
        document(bundles::portal_options(&options), PortalApp).into_any()
    } else {
        document(options, App).into_any()
    }
}

#[cfg(feature = "ssr")]
fn document<V: IntoView + 'static>(options: LeptosOptions, app: fn() -> V) -> impl IntoView {
    use leptos_meta::{HashedStylesheet, MetaTags};

    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HashedStylesheet options=options.clone() id="leptos" />
                <bundles::Hydration options />
                <MetaTags />
            </head>
            <body>{app()}</body>
        </html>
    }
}

/// Every page but the client portal's. Pages with data are rendered whole before the response
/// starts (`SsrMode::Async`): the HTML arrives complete, so every page and form works before the
/// wasm loads, or without JavaScript at all, and a status a page sets (404 for a missing record)
/// is the response's. A link or redirect to a portal page loads it from the server
/// (`OtherAppOrNotFound`), with the portal's wasm.
#[cfg(feature = "app-pages")]
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <HeadTags />
        <Router>
            <Routes fallback=OtherAppOrNotFound>
                <Route path=StaticSegment("") view={Lazy::<HomePageRoute>::new()} />
                <Route path=StaticSegment("signup") view={Lazy::<SignUpPageRoute>::new()} />
                <Route path=(StaticSegment("signup"), StaticSegment("sent")) view={Lazy::<SignUpSentPageRoute>::new()} />
                <Route path=(StaticSegment("signup"), StaticSegment("confirm")) view={Lazy::<ConfirmSignUpPageRoute>::new()} />
                <Route path=StaticSegment("login") view={Lazy::<LogInPageRoute>::new()} />
                <Route path=StaticSegment("forgot-password") view={Lazy::<ForgotPasswordPageRoute>::new()} />
                <Route path=StaticSegment("reset-password") view={Lazy::<ResetPasswordPageRoute>::new()} />
                <Route path=StaticSegment("join") view={Lazy::<JoinPageRoute>::new()} />
                <ParentRoute path=StaticSegment("app") view=AppShell ssr=SsrMode::Async>
                    <Route path=StaticSegment("") view={Lazy::<DashboardPageRoute>::new()} />
                    <Route path=StaticSegment("clients") view={Lazy::<ClientsPageRoute>::new()} />
                    <Route path=(StaticSegment("clients"), StaticSegment("new")) view={Lazy::<NewClientPageRoute>::new()} />
                    <Route path=(StaticSegment("clients"), ParamSegment("id")) view={Lazy::<ClientProfilePageRoute>::new()} />
                    <Route path=(StaticSegment("clients"), ParamSegment("id"), StaticSegment("edit")) view={Lazy::<EditClientPageRoute>::new()} />
                    <Route path=StaticSegment("groups") view={Lazy::<GroupsPageRoute>::new()} />
                    <Route path=(StaticSegment("groups"), ParamSegment("id")) view={Lazy::<GroupPageRoute>::new()} />
                    <Route path=(StaticSegment("settings"), StaticSegment("members")) view={Lazy::<MembersPageRoute>::new()} />
                    <Route path=(StaticSegment("settings"), StaticSegment("practice")) view={Lazy::<PracticeSettingsPageRoute>::new()} />
                    <Route path=StaticSegment("programs") view={Lazy::<ProgramsPageRoute>::new()} />
                    <Route path=(StaticSegment("programs"), StaticSegment("new")) view={Lazy::<NewProgramPageRoute>::new()} />
                    <Route path=(StaticSegment("programs"), ParamSegment("id")) view={Lazy::<ProgramPageRoute>::new()} />
                    <Route path=(StaticSegment("programs"), ParamSegment("id"), StaticSegment("clients")) view={Lazy::<ProgramClientsPageRoute>::new()} />
                    <Route path=(StaticSegment("programs"), ParamSegment("id"), StaticSegment("preview")) view={Lazy::<ProgramPreviewPageRoute>::new()} />
                    <Route path=(StaticSegment("programs"), ParamSegment("id"), StaticSegment("modules"), ParamSegment("module_id")) view={Lazy::<ModulePageRoute>::new()} />
                    <Route path=StaticSegment("calendar") view={Lazy::<CalendarPageRoute>::new()} />
                    <Route path=StaticSegment("availability") view={Lazy::<AvailabilityPageRoute>::new()} />
                    <Route path=(StaticSegment("reports"), StaticSegment("appointments")) view={Lazy::<AppointmentsReportPageRoute>::new()} />
                    <Route path=(StaticSegment("appointments"), StaticSegment("new")) view={Lazy::<NewAppointmentPageRoute>::new()} />
                    <Route path=(StaticSegment("appointments"), ParamSegment("id")) view={Lazy::<AppointmentPageRoute>::new()} />
                    <Route path=(StaticSegment("settings"), StaticSegment("scheduling")) view={Lazy::<SchedulingSettingsPageRoute>::new()} />
                    <Route path=(StaticSegment("settings"), StaticSegment("appointment-types"), ParamSegment("id")) view={Lazy::<AppointmentTypePageRoute>::new()} />
                    <Route path=StaticSegment("payments") view={Lazy::<PaymentsPageRoute>::new()} />
                    <Route path=StaticSegment("settings") view={Lazy::<SettingsPageRoute>::new()} />
                    <Route path=(StaticSegment("settings"), StaticSegment("password")) view={Lazy::<ChangePasswordPageRoute>::new()} />
                    <Route path=(StaticSegment("settings"), StaticSegment("profile")) view={Lazy::<ProfilePageRoute>::new()} />
                    <Route path=(StaticSegment("settings"), StaticSegment("jobs")) view={Lazy::<FailedJobsPageRoute>::new()} />
                    <Route path=StaticSegment("practices") view={Lazy::<PracticesPageRoute>::new()} />
                    <Route path=StaticSegment("outbox") view={Lazy::<OutboxPageRoute>::new()} />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// The client portal, `/p/{slug}/...`: a wasm of its own (`frontend/portal`), so a client on a
/// phone downloads the portal and nothing of the provider app. The server renders these pages
/// with `shell` (by the address); a link out of the portal loads the page from the server.
#[cfg(feature = "portal-pages")]
#[component]
pub fn PortalApp() -> impl IntoView {
    provide_meta_context();
    view! {
        <HeadTags />
        <Router>
            <Routes fallback=OtherAppOrNotFound>
                <ParentRoute path=(StaticSegment("p"), ParamSegment("slug")) view=PortalFrame ssr=SsrMode::Async>
                    <Route path=StaticSegment("") view={Lazy::<PortalHomePageRoute>::new()} />
                    <Route path=StaticSegment("login") view={Lazy::<PortalLogInPageRoute>::new()} />
                    <Route path=StaticSegment("forgot-password") view={Lazy::<PortalForgotPasswordPageRoute>::new()} />
                    <Route path=StaticSegment("reset-password") view={Lazy::<PortalResetPasswordPageRoute>::new()} />
                    <Route path=StaticSegment("welcome") view={Lazy::<PortalWelcomePageRoute>::new()} />
                    <Route path=StaticSegment("account") view={Lazy::<PortalAccountPageRoute>::new()} />
                    <Route path=StaticSegment("programs") view={Lazy::<PortalProgramsPageRoute>::new()} />
                    <Route path=(StaticSegment("programs"), ParamSegment("id")) view={Lazy::<PortalProgramPageRoute>::new()} />
                    <Route path=(StaticSegment("programs"), ParamSegment("id"), StaticSegment("modules"), ParamSegment("module_id")) view={Lazy::<PortalModulePageRoute>::new()} />
                    <Route path=StaticSegment("book") view={Lazy::<PortalBookPageRoute>::new()} />
                    <Route path=(StaticSegment("book"), StaticSegment("confirm")) view={Lazy::<PortalBookConfirmPageRoute>::new()} />
                    <Route path=(StaticSegment("book"), StaticSegment("sent")) view={Lazy::<PortalBookSentPageRoute>::new()} />
                    <Route path=StaticSegment("appointments") view={Lazy::<PortalAppointmentsPageRoute>::new()} />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// What every page's head holds, whichever app draws it.
#[component]
fn HeadTags() -> impl IntoView {
    view! {
        <Link rel="icon" href="/favicon.svg" />
        <Meta name="description" content="Tend: practice management for health and wellness providers." />
        <Title text="Tend" />
    }
}

/// Every page is a lazy route, drawn by its area's lazy function: with `cargo leptos build
/// --split` each area is a wasm file (plus chunks of code it shares with other areas) that the
/// browser fetches the first time one of its pages is shown, so a client opening the portal
/// does not download the provider app. Portal and account pages are an area each (smallest
/// download); the provider app's pages are grouped by area, because every split point costs
/// build time (48 of them: 13 minutes of wasm-opt on ~280 files) and requests. Without
/// `--split` (and on the server) the lazy function is an ordinary call.
macro_rules! lazy_area {
    ($(#[$doc:meta])* $area:ident / $preload:ident: $kind:ident { $($page:ident => $route:ident),* $(,)? }) => {
        // Each variant is named after the page component it draws.
        #[allow(clippy::enum_variant_names)]
        #[derive(Clone, Copy)]
        enum $kind {
            $($page),*
        }

        $(#[$doc])*
        #[leptos::lazy]
        fn $area(page: $kind) -> AnyView {
            match page {
                $($kind::$page => $page().into_any()),*
            }
        }

        $(
            struct $route;

            impl leptos_router::LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                async fn view(_this: Self) -> AnyView {
                    $area($kind::$page).await
                }

                // Loads the area's wasm before the route hydrates: without it the module
                // arrives mid-hydration and the cursor has moved on (a hydration panic at the
                // first element after <Meta>). `#[lazy]` names the loader `__preload_{fn}`.
                async fn preload() {
                    #[cfg(feature = "hydrate")]
                    $preload().await;
                }
            }
        )*
    };
}

// Pages people open on a phone, often once: one wasm file each.
#[cfg(feature = "app-pages")]
lazy_area! {
    /// The home page.
    home_page / __preload_home_page: HomeArea {
        HomePage => HomePageRoute,
    }
}

#[cfg(feature = "app-pages")]
lazy_area! {
    /// Sign-up.
    sign_up_page / __preload_sign_up_page: SignUpArea {
        SignUpPage => SignUpPageRoute,
    }
}

#[cfg(feature = "app-pages")]
lazy_area! {
    /// "check your email" after sign-up.
    sign_up_sent_page / __preload_sign_up_sent_page: SignUpSentArea {
        SignUpSentPage => SignUpSentPageRoute,
    }
}

#[cfg(feature = "app-pages")]
lazy_area! {
    /// The sign-up confirmation.
    confirm_sign_up_page / __preload_confirm_sign_up_page: ConfirmSignUpArea {
        ConfirmSignUpPage => ConfirmSignUpPageRoute,
    }
}

#[cfg(feature = "app-pages")]
lazy_area! {
    /// Log-in.
    log_in_page / __preload_log_in_page: LogInArea {
        LogInPage => LogInPageRoute,
    }
}

#[cfg(feature = "app-pages")]
lazy_area! {
    /// Forgot password.
    forgot_password_page / __preload_forgot_password_page: ForgotPasswordArea {
        ForgotPasswordPage => ForgotPasswordPageRoute,
    }
}

#[cfg(feature = "app-pages")]
lazy_area! {
    /// Password reset.
    reset_password_page / __preload_reset_password_page: ResetPasswordArea {
        ResetPasswordPage => ResetPasswordPageRoute,
    }
}

#[cfg(feature = "app-pages")]
lazy_area! {
    /// Joining a practice by invitation.
    join_page / __preload_join_page: JoinArea {
        JoinPage => JoinPageRoute,
    }
}

#[cfg(feature = "portal-pages")]
lazy_area! {
    /// The portal home.
    portal_home_page / __preload_portal_home_page: PortalHomeArea {
        PortalHomePage => PortalHomePageRoute,
    }
}

#[cfg(feature = "portal-pages")]
lazy_area! {
    /// The portal log-in.
    portal_log_in_page / __preload_portal_log_in_page: PortalLogInArea {
        PortalLogInPage => PortalLogInPageRoute,
    }
}

#[cfg(feature = "portal-pages")]
lazy_area! {
    /// The portal's forgot password.
    portal_forgot_password_page / __preload_portal_forgot_password_page: PortalForgotPasswordArea {
        PortalForgotPasswordPage => PortalForgotPasswordPageRoute,
    }
}

#[cfg(feature = "portal-pages")]
lazy_area! {
    /// The portal's password reset.
    portal_reset_password_page / __preload_portal_reset_password_page: PortalResetPasswordArea {
        PortalResetPasswordPage => PortalResetPasswordPageRoute,
    }
}

#[cfg(feature = "portal-pages")]
lazy_area! {
    /// The portal invitation.
    portal_welcome_page / __preload_portal_welcome_page: PortalWelcomeArea {
        PortalWelcomePage => PortalWelcomePageRoute,
    }
}

#[cfg(feature = "portal-pages")]
lazy_area! {
    /// The client's account.
    portal_account_page / __preload_portal_account_page: PortalAccountArea {
        PortalAccountPage => PortalAccountPageRoute,
    }
}

#[cfg(feature = "portal-pages")]
lazy_area! {
    /// The client's programs.
    portal_programs_page / __preload_portal_programs_page: PortalProgramsArea {
        PortalProgramsPage => PortalProgramsPageRoute,
    }
}

#[cfg(feature = "portal-pages")]
lazy_area! {
    /// One of the client's programs.
    portal_program_page / __preload_portal_program_page: PortalProgramArea {
        PortalProgramPage => PortalProgramPageRoute,
    }
}

#[cfg(feature = "portal-pages")]
lazy_area! {
    /// A program module, as the client sees it.
    portal_module_page / __preload_portal_module_page: PortalModuleArea {
        PortalModulePage => PortalModulePageRoute,
    }
}

#[cfg(feature = "portal-pages")]
lazy_area! {
    /// Booking's times, in the portal and on the public page (a visitor's first page).
    portal_book_page / __preload_portal_book_page: PortalBookArea {
        PortalBookPage => PortalBookPageRoute,
    }
}

// Apart from the times, so the public booking page, often someone's first page of the
// practice, does not load the forms' code.
#[cfg(feature = "portal-pages")]
lazy_area! {
    /// Confirming a booking, and the public page's "check your email".
    portal_book_confirm_page / __preload_portal_book_confirm_page: PortalBookConfirmArea {
        PortalBookConfirmPage => PortalBookConfirmPageRoute,
        PortalBookSentPage => PortalBookSentPageRoute,
    }
}

#[cfg(feature = "portal-pages")]
lazy_area! {
    /// The client's appointments.
    portal_appointments_page / __preload_portal_appointments_page: PortalAppointmentsArea {
        PortalAppointmentsPage => PortalAppointmentsPageRoute,
    }
}

// The provider app, one wasm file per area: providers move between an area's pages.
#[cfg(feature = "app-pages")]
lazy_area! {
    /// The pages of the provider app's home, payments and the settings index.
    app_home_page / __preload_app_home_page: AppHomeArea {
        DashboardPage => DashboardPageRoute,
        PaymentsPage => PaymentsPageRoute,
        SettingsPage => SettingsPageRoute,
    }
}

#[cfg(feature = "app-pages")]
lazy_area! {
    /// The pages of the client list, a client's profile and the client forms.
    clients_page / __preload_clients_page: ClientsArea {
        ClientsPage => ClientsPageRoute,
        NewClientPage => NewClientPageRoute,
        ClientProfilePage => ClientProfilePageRoute,
        EditClientPage => EditClientPageRoute,
    }
}

#[cfg(feature = "app-pages")]
lazy_area! {
    /// The pages of client groups.
    groups_page / __preload_groups_page: GroupsArea {
        GroupsPage => GroupsPageRoute,
        GroupPage => GroupPageRoute,
    }
}

#[cfg(feature = "app-pages")]
lazy_area! {
    /// The pages of the program list, a new program and the preview.
    programs_page / __preload_programs_page: ProgramsArea {
        ProgramsPage => ProgramsPageRoute,
        NewProgramPage => NewProgramPageRoute,
        ProgramPreviewPage => ProgramPreviewPageRoute,
    }
}

// The program editor is three areas, not one: as one it was the largest first page of the
// provider app (514 KB with the main wasm), over its 500 KB budget.
#[cfg(feature = "app-pages")]
lazy_area! {
    /// The program editor: its modules, enrolment, details and history.
    program_editor_page / __preload_program_editor_page: ProgramEditorArea {
        ProgramPage => ProgramPageRoute,
    }
}

#[cfg(feature = "app-pages")]
lazy_area! {
    /// One module's editor.
    module_editor_page / __preload_module_editor_page: ModuleEditorArea {
        ModulePage => ModulePageRoute,
    }
}

#[cfg(feature = "app-pages")]
lazy_area! {
    /// A program's Clients tab.
    program_clients_page / __preload_program_clients_page: ProgramClientsArea {
        ProgramClientsPage => ProgramClientsPageRoute,
    }
}

#[cfg(feature = "app-pages")]
lazy_area! {
    /// The pages of the calendar, appointments and their report.
    calendar_page / __preload_calendar_page: CalendarArea {
        CalendarPage => CalendarPageRoute,
        NewAppointmentPage => NewAppointmentPageRoute,
        AppointmentPage => AppointmentPageRoute,
        AppointmentsReportPage => AppointmentsReportPageRoute,
    }
}

#[cfg(feature = "app-pages")]
lazy_area! {
    /// The pages of availability, scheduling settings and appointment types.
    scheduling_settings_page / __preload_scheduling_settings_page: SchedulingSettingsArea {
        AvailabilityPage => AvailabilityPageRoute,
        SchedulingSettingsPage => SchedulingSettingsPageRoute,
        AppointmentTypePage => AppointmentTypePageRoute,
    }
}

#[cfg(feature = "app-pages")]
lazy_area! {
    /// The pages of settings: members, practice, profile, password, jobs, practices, outbox.
    settings_page / __preload_settings_page: SettingsArea {
        MembersPage => MembersPageRoute,
        PracticeSettingsPage => PracticeSettingsPageRoute,
        ChangePasswordPage => ChangePasswordPageRoute,
        ProfilePage => ProfilePageRoute,
        FailedJobsPage => FailedJobsPageRoute,
        PracticesPage => PracticesPageRoute,
        OutboxPage => OutboxPageRoute,
    }
}
