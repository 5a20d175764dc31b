//! Previous and Next links under a list read a page at a time.

use leptos::prelude::*;

/// The "Pages" landmark with Previous and Next, each only when that page exists; nothing at
/// all when the list fits one page.
#[component]
pub fn PageLinks(previous: Option<String>, next: Option<String>) -> impl IntoView {
    (previous.is_some() || next.is_some()).then(|| {
        view! {
            <nav class="pagination" aria-label="Pages">
                {previous.map(|href| view! { <a href=href rel="prev">"Previous"</a> })}
                {next.map(|href| view! { <a href=href rel="next">"Next"</a> })}
            </nav>
        }
    })
}
