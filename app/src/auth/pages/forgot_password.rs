//! Ask for a reset link. The answer is the same whether or not the account exists.

use leptos::prelude::*;

use super::AuthFrame;
use crate::{
    auth::api::RequestPasswordReset,
    ui::{FormMessage, SubmitButton, TextField, error_for},
};

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let action = ServerAction::<RequestPasswordReset>::new();
    let value = action.value();
    view! {
        <AuthFrame title="Reset your password">
            <p class="lead">"Enter the email of your account and we will send you a link to choose a new password."</p>
            <ActionForm action=action attr:novalidate=true attr:class="stack">
                <FormMessage
                    value=value
                    success="If an account uses that email, a reset link is on its way. It works once, for one hour."
                />
                <TextField label="Email" name="email" kind="email" autocomplete="email" error=error_for(value, "email") />
                <SubmitButton label="Send reset link" pending=action.pending() />
            </ActionForm>
            <p class="aside"><a href="/login">"Back to log in"</a></p>
        </AuthFrame>
    }
}
