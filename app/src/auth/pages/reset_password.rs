//! Choose a new password from an emailed link.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::AuthFrame;
use crate::{
    auth::api::ResetPassword,
    ui::{FormMessage, SubmitButton, TextField, error_for},
};

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let action = ServerAction::<ResetPassword>::new();
    let value = action.value();
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    let token_error = error_for(value, "token");
    view! {
        <AuthFrame title="Choose a new password">
            <ActionForm action=action attr:novalidate=true attr:class="stack">
                <FormMessage value=value />
                <Show when=move || token_error.with(Option::is_some)>
                    <p class="notice notice-error" role="alert">
                        {move || token_error.get()} " " <a href="/forgot-password">"Send a new link"</a>
                    </p>
                </Show>
                <input type="hidden" name="token" value=token />
                <TextField
                    label="New password"
                    name="password"
                    kind="password"
                    autocomplete="new-password"
                    hint="At least 12 characters. Several unrelated words work well."
                    error=error_for(value, "password")
                />
                <SubmitButton label="Save new password" pending=action.pending() />
            </ActionForm>
        </AuthFrame>
    }
}
