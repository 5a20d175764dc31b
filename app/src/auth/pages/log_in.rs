//! Log in for members of a practice.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::AuthFrame;
use crate::{
    auth::api::LogIn,
    ui::{FormMessage, Notice, SubmitButton, TextField, error_for},
};

#[component]
pub fn LogInPage() -> impl IntoView {
    let action = ServerAction::<LogIn>::new();
    let value = action.value();
    let query = use_query_map();
    let just_reset = move || query.with(|q| q.get("reset").as_deref() == Some("done"));
    view! {
        <AuthFrame title="Log in">
            <Show when=just_reset>
                <Notice kind="success">"Your password was changed. Log in with the new one."</Notice>
            </Show>
            <ActionForm action=action attr:novalidate=true attr:class="stack">
                <FormMessage value=value />
                <TextField label="Email" name="email" kind="email" autocomplete="email" error=error_for(value, "email") />
                <TextField
                    label="Password"
                    name="password"
                    kind="password"
                    autocomplete="current-password"
                    error=error_for(value, "password")
                />
                <SubmitButton label="Log in" pending=action.pending() />
            </ActionForm>
            <p class="aside">
                <a href="/forgot-password">"Forgot your password?"</a>
                " · "
                <a href="/signup">"Create a practice"</a>
            </p>
        </AuthFrame>
    }
}
