//! Change the password of the signed-in member; their other sessions end.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    auth::api::ChangePassword,
    ui::{FormMessage, SubmitButton, TextField, error_for},
};

#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let action = ServerAction::<ChangePassword>::new();
    let value = action.value();
    view! {
        <Title text="Change password · Tend" />
        <h1>"Change password"</h1>
        <section class="card narrow">
            <ActionForm action=action attr:novalidate=true attr:class="stack">
                <FormMessage
                    value=value
                    success="Your password was changed. Your other sessions were signed out."
                />
                <TextField
                    label="Current password"
                    name="current_password"
                    kind="password"
                    autocomplete="current-password"
                    error=error_for(value, "current_password")
                />
                <TextField
                    label="New password"
                    name="new_password"
                    kind="password"
                    autocomplete="new-password"
                    hint="At least 12 characters. Several unrelated words work well."
                    error=error_for(value, "new_password")
                />
                <SubmitButton label="Change password" pending=action.pending() />
            </ActionForm>
        </section>
    }
}
