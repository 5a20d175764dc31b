//! Settings → Background jobs: what Tend could not do after every retry, and a Retry button.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{FailedJobView, RetryFailedJob, list_failed_jobs};
use crate::ui::{EmptyState, ErrorNotice, FormMessage, Loading};

#[component]
pub fn FailedJobsPage() -> impl IntoView {
    let retry = ServerAction::<RetryFailedJob>::new();
    let jobs = Resource::new(move || retry.version().get(), |_| list_failed_jobs());
    view! {
        <Title text="Background jobs · Tend" />
        <p class="breadcrumb"><a href="/app/settings">"Settings"</a></p>
        <h1>"Background jobs"</h1>
        <p class="lead">
            "Tend sends email and runs scheduled work in the background, retrying for about a day when something is "
            "down. What still failed after that is listed here; retry it once the cause is fixed."
        </p>
        <FormMessage value=retry.value() success="Queued again. It runs within a few seconds." />
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match jobs.await {
                    Ok(list) if list.is_empty() => view! {
                        <EmptyState title="Nothing failed"><p>"Every background job ran."</p></EmptyState>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="link-list">
                            {list.into_iter().map(|job| view! { <FailedJob job retry /> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice message=error.to_string() /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn FailedJob(job: FailedJobView, retry: ServerAction<RetryFailedJob>) -> impl IntoView {
    let label = format!("Retry {}", job.summary);
    view! {
        <li class="card">
            <p><strong>{job.summary}</strong></p>
            <p class="muted">{format!("Failed {} after {} attempts: {}", job.failed_at, job.attempts, job.last_error)}</p>
            <ActionForm action=retry>
                <input type="hidden" name="id" value=job.id />
                <button type="submit" class="button" aria-label=label>"Retry"</button>
            </ActionForm>
        </li>
    }
}
