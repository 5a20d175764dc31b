//! Portal pages: the branded frame, home, account, and the ways in.

mod access;
mod frame;
mod home;

pub use access::{PortalForgotPasswordPage, PortalLogInPage, PortalResetPasswordPage, PortalWelcomePage};
pub use frame::PortalFrame;
pub use home::{PortalAccountPage, PortalHomePage};

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The practice slug of the current portal address.
pub fn use_slug() -> Signal<String> {
    let params = use_params_map();
    Signal::derive(move || params.with(|p| p.get("slug").unwrap_or_default()))
}
