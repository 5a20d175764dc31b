//! Account pages.

mod change_password;
mod forgot_password;
mod log_in;
mod reset_password;
mod sign_up;

pub use change_password::ChangePasswordPage;
pub use forgot_password::ForgotPasswordPage;
pub use log_in::LogInPage;
pub use reset_password::ResetPasswordPage;
pub use sign_up::{ConfirmSignUpPage, SignUpPage, SignUpSentPage};

use leptos::prelude::*;
use leptos_meta::Title;

/// The centred card the account pages share.
#[component]
fn AuthFrame(#[prop(into)] title: String, children: Children) -> impl IntoView {
    view! {
        <Title text=format!("{title} · Tend") />
        <main class="auth-page" id="main">
            <a class="brand" href="/">"Tend"</a>
            <section class="card auth-card">
                <h1>{title}</h1>
                {children()}
            </section>
        </main>
    }
}
