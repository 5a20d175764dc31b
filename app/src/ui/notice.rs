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
