//! Choose a new password from an emailed link.

use leptos::prelude::*;

use super::AuthFrame;
use crate::{
    auth::api::ResetPassword,
    ui::{FormMessage, SubmitButton, TextField, TokenField, error_for},
};

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let action = ServerAction::<ResetPassword>::new();
    let value = action.value();
    view! {
        <AuthFrame title="Choose a new password">
            <ActionForm action=action attr:novalidate=true attr:class="stack">
                <FormMessage value=value />
                <TokenField error=error_for(value, "token")>
                    <a href="/forgot-password">"Send a new link"</a>
                </TokenField>
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
