//! The signed-in member's own settings: their name and time zone, and the practices they
//! belong to (to switch between them).

use leptos::prelude::*;
use leptos_meta::Title;

use leptos::server_fn::ServerFn;

use super::api::{SwitchPractice, UpdateMyProfile, get_my_profile, list_my_practices};
use crate::ui::{ErrorNotice, FormMessage, Loading, SubmitButton, TextField, TimeZoneField, error_for};

/// Name and time zone: every time Tend shows this member is in their zone.
#[component]
pub fn ProfilePage() -> impl IntoView {
    let action = ServerAction::<UpdateMyProfile>::new();
    let profile = Resource::new(move || action.version().get(), |_| get_my_profile());
    let value = action.value();
    view! {
        <Title text="Your name and time zone · Tend" />
        <p class="breadcrumb"><a href="/app/settings">"Settings"</a></p>
        <h1>"Your name and time zone"</h1>
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match profile.await {
                    Ok(me) => view! {
                        <section class="card narrow">
                            <ActionForm action=action attr:novalidate=true attr:class="stack">
                                <FormMessage value=value success="Saved. Times now show in your time zone." />
                                <TextField label="Your name" name="full_name" autocomplete="name" value=me.full_name
                                    error=error_for(value, "full_name") />
                                <TimeZoneField label="Your time zone" name="time_zone" value=me.time_zone
                                    error=error_for(value, "time_zone") />
                                <SubmitButton label="Save" pending=action.pending() />
                            </ActionForm>
                        </section>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice message=error.to_string() /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Where someone who belongs to several practices chooses which one to work in.
#[component]
pub fn PracticesPage() -> impl IntoView {
    let practices = Resource::new(|| (), |_| list_my_practices());
    view! {
        <Title text="Your practices · Tend" />
        <h1>"Your practices"</h1>
        <p class="lead">"You belong to these practices. Choose the one to work in; you can switch at any time."</p>
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match practices.await {
                    Ok(list) => view! {
                        <ul class="link-list practice-choices">
                            {list.into_iter().map(|p| view! {
                                <li class="card">
                                    <strong>{p.name.clone()}</strong>
                                    <span class="muted">{format!(" · {}", p.role)}</span>
                                    {if p.is_current {
                                        view! { <p>"You are working in this practice. " <a href="/app">"Go to it"</a></p> }.into_any()
                                    } else {
                                        // A plain form: the switch loads the whole app anew, so
                                        // nothing of the other practice stays on screen.
                                        view! {
                                            <form method="post" action=SwitchPractice::PATH>
                                                <input type="hidden" name="id" value=p.id.clone() />
                                                <button type="submit" class="button">{format!("Work in {}", p.name)}</button>
                                            </form>
                                        }.into_any()
                                    }}
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice message=error.to_string() /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
