//! Sign up: the form, the "check your inbox" page, and the emailed link that creates the
//! practice.

use leptos::prelude::*;

use super::AuthFrame;
use crate::{
    auth::api::{ConfirmSignUp, SignUp},
    ui::{FormMessage, SubmitButton, TextField, TimeZoneField, TokenField, error_for},
};

#[component]
pub fn SignUpPage() -> impl IntoView {
    let action = ServerAction::<SignUp>::new();
    let value = action.value();
    view! {
        <AuthFrame title="Create your practice">
            <p class="lead">"Start your practice on Tend. You can invite your team afterwards."</p>
            <ActionForm action=action attr:novalidate=true attr:class="stack">
                <FormMessage value=value />
                <TextField label="Your name" name="full_name" autocomplete="name" error=error_for(value, "full_name") />
                <TextField label="Email" name="email" kind="email" autocomplete="email" error=error_for(value, "email") />
                <TextField
                    label="Password"
                    name="password"
                    kind="password"
                    autocomplete="new-password"
                    hint="At least 12 characters. Several unrelated words work well."
                    error=error_for(value, "password")
                />
                <TextField
                    label="Practice name"
                    name="practice_name"
                    autocomplete="organization"
                    error=error_for(value, "practice_name")
                />
                <TimeZoneField label="Practice time zone" name="time_zone" error=error_for(value, "time_zone") />
                <SubmitButton label="Sign up" pending=action.pending() />
            </ActionForm>
            <p class="aside">"Already have an account? " <a href="/login">"Log in"</a></p>
        </AuthFrame>
    }
}

/// Where the sign-up form leads: the same words whether or not the address had an account.
#[component]
pub fn SignUpSentPage() -> impl IntoView {
    view! {
        <AuthFrame title="Check your inbox">
            <p class="lead">"We sent you an email. Open the link in it to finish setting up your practice."</p>
            <p>"The link works for 24 hours. If nothing arrives within a few minutes, look in your spam folder, or "
                <a href="/signup">"sign up again"</a>"."</p>
            <p class="aside">"Already have an account? " <a href="/login">"Log in"</a></p>
        </AuthFrame>
    }
}

/// The emailed link. Creating the practice takes a click: mail scanners open links on their own.
#[component]
pub fn ConfirmSignUpPage() -> impl IntoView {
    let action = ServerAction::<ConfirmSignUp>::new();
    let value = action.value();
    view! {
        <AuthFrame title="Finish setting up your practice">
            <p class="lead">"Your email address is confirmed. Create your practice to start using Tend."</p>
            <ActionForm action=action attr:class="stack">
                <FormMessage value=value />
                <TokenField error=error_for(value, "token")>
                    <a href="/signup">"Sign up again"</a>
                </TokenField>
                <SubmitButton label="Create my practice" pending=action.pending() />
            </ActionForm>
        </AuthFrame>
    }
}
