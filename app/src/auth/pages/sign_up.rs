//! Sign up: a person and their practice in one step.

use leptos::prelude::*;

use super::AuthFrame;
use crate::{
    auth::api::SignUp,
    ui::{FormMessage, SubmitButton, TextField, TimeZoneField, error_for},
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
                <SubmitButton label="Create practice" pending=action.pending() />
            </ActionForm>
            <p class="aside">"Already have an account? " <a href="/login">"Log in"</a></p>
        </AuthFrame>
    }
}
