//! Notices and empty states.

use leptos::prelude::*;

#[component]
pub fn Notice(#[prop(into)] kind: String, children: Children) -> impl IntoView {
    view! { <div class=format!("notice notice-{kind}") role="status">{children()}</div> }
}

/// What a section shows before it has anything in it.
#[component]
pub fn EmptyState(#[prop(into)] title: String, children: Children) -> impl IntoView {
    view! {
        <section class="empty-state">
            <h2>{title}</h2>
            {children()}
        </section>
    }
}

/// A failure to show in place of what could not be loaded or done.
#[component]
pub fn ErrorNotice(#[prop(into)] message: String) -> impl IntoView {
    view! { <p class="notice notice-error" role="alert">{message}</p> }
}

/// What a page shows when its record could not be loaded. A record that does not exist (or is
/// not the viewer's) makes the whole page answer 404, so browsers, crawlers and monitoring see
/// the truth; other failures keep their own status.
#[component]
pub fn LoadError(error: crate::error::AppError) -> impl IntoView {
    if matches!(error, crate::error::AppError::NotFound) {
        set_not_found_status();
    }
    view! { <ErrorNotice message=error.to_string() /> }
}

/// Marks the response being rendered as 404 (on the server; nothing to do in the browser).
pub fn set_not_found_status() {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
}

/// What a section shows while its data is on the way.
#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading">"Loading…"</p> }
}
