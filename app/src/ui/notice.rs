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

/// What a section shows while its data is on the way.
#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading">"Loading…"</p> }
}
