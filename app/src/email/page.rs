//! Lists the outbox; links in messages are clickable so a laptop without SMTP still works.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{OutboxEmailView, list_outbox};
use crate::ui::{EmptyState, ErrorNotice, Loading};

#[component]
pub fn OutboxPage() -> impl IntoView {
    let emails = Resource::new(|| (), |_| list_outbox());
    view! {
        <Title text="Email outbox · Tend" />
        <h1>"Email outbox"</h1>
        <p class="lead">"Every email Tend sent for your practice, newest first."</p>
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match emails.await {
                    Ok(list) if list.is_empty() => view! {
                        <EmptyState title="No email yet"><p>"Messages appear here as Tend sends them."</p></EmptyState>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="outbox">{list.into_iter().map(|email| view! { <OutboxItem email /> }).collect_view()}</ul>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice message=error.to_string() /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn OutboxItem(email: OutboxEmailView) -> impl IntoView {
    view! {
        <li class="card outbox-item">
            <details>
                <summary>
                    <span class="outbox-subject">{email.subject}</span>
                    <span class="outbox-meta">{format!("To {} · {} · {}", email.to, email.created, email.status)}</span>
                </summary>
                <div class="outbox-body">{linkify(&email.body)}</div>
            </details>
        </li>
    }
}

/// Text with its http(s) links made into anchors, line breaks kept.
fn linkify(text: &str) -> impl IntoView + use<> {
    text.lines()
        .map(|line| {
            let words = line
                .split(' ')
                .map(|word| {
                    if word.starts_with("http://") || word.starts_with("https://") {
                        view! { <a href=word.to_owned()>{word.to_owned()}</a>" " }.into_any()
                    } else {
                        view! { {format!("{word} ")} }.into_any()
                    }
                })
                .collect_view();
            view! { <p>{words}</p> }
        })
        .collect_view()
}
