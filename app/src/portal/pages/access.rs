//! Ways into the portal: log in, forgotten password, reset, and accepting an invitation.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::use_slug;
use crate::{
    portal::api::{AcceptClientInvitation, PortalLogIn, PortalRequestReset, PortalResetPassword},
    ui::{FormMessage, Notice, SubmitButton, TextField, TokenField, error_for},
};

#[component]
pub fn PortalLogInPage() -> impl IntoView {
    let slug = use_slug();
    let action = ServerAction::<PortalLogIn>::new();
    let value = action.value();
    let query = use_query_map();
    let just_reset = move || query.with(|q| q.get("reset").as_deref() == Some("done"));
    view! {
        <section class="card auth-card">
            <h1>"Log in to your portal"</h1>
            <Show when=just_reset>
                <Notice kind="success">"Your password was changed. Log in with the new one."</Notice>
            </Show>
            <ActionForm action=action attr:novalidate=true attr:class="stack">
                <FormMessage value=value />
                <input type="hidden" name="slug" value=slug />
                <TextField label="Email" name="email" kind="email" autocomplete="username" error=error_for(value, "email") />
                <TextField label="Password" name="password" kind="password" autocomplete="current-password"
                    error=error_for(value, "password") />
                <SubmitButton label="Log in" pending=action.pending() />
            </ActionForm>
            <p class="aside"><a href=move || format!("/p/{}/forgot-password", slug.get())>"Forgot your password?"</a></p>
        </section>
    }
}

#[component]
pub fn PortalForgotPasswordPage() -> impl IntoView {
    let slug = use_slug();
    let action = ServerAction::<PortalRequestReset>::new();
    let value = action.value();
    view! {
        <section class="card auth-card">
            <h1>"Reset your password"</h1>
            <ActionForm action=action attr:novalidate=true attr:class="stack">
                <FormMessage value=value
                    success="If that email belongs to a client of this practice, a reset link is on its way." />
                <input type="hidden" name="slug" value=slug />
                <TextField label="Email" name="email" kind="email" autocomplete="username" error=error_for(value, "email") />
                <SubmitButton label="Send reset link" pending=action.pending() />
            </ActionForm>
            <p class="aside"><a href=move || format!("/p/{}/login", slug.get())>"Back to log in"</a></p>
        </section>
    }
}

#[component]
pub fn PortalResetPasswordPage() -> impl IntoView {
    let slug = use_slug();
    let action = ServerAction::<PortalResetPassword>::new();
    let value = action.value();
    view! {
        <section class="card auth-card">
            <h1>"Choose a new password"</h1>
            <ActionForm action=action attr:novalidate=true attr:class="stack">
                <FormMessage value=value />
                <TokenField error=error_for(value, "token") />
                <input type="hidden" name="slug" value=slug />
                <TextField label="New password" name="password" kind="password" autocomplete="new-password"
                    hint="At least 12 characters." error=error_for(value, "password") />
                <SubmitButton label="Save new password" pending=action.pending() />
            </ActionForm>
        </section>
    }
}

/// The invited client sets the password of their portal login.
#[component]
pub fn PortalWelcomePage() -> impl IntoView {
    let slug = use_slug();
    let action = ServerAction::<AcceptClientInvitation>::new();
    let value = action.value();
    view! {
        <section class="card auth-card">
            <h1>"Welcome to your client portal"</h1>
            <p class="lead">"Choose a password. Your username is the email address this invitation was sent to. If you already use Tend with that address, enter the password of that account."</p>
            <ActionForm action=action attr:novalidate=true attr:class="stack">
                <FormMessage value=value />
                <TokenField error=error_for(value, "token") />
                <input type="hidden" name="slug" value=slug />
                <TextField label="Choose a password" name="password" kind="password" autocomplete="new-password"
                    hint="At least 12 characters. Several unrelated words work well." error=error_for(value, "password") />
                <SubmitButton label="Set password and continue" pending=action.pending() />
            </ActionForm>
        </section>
    }
}
