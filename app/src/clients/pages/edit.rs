//! Edit a client's details.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::fields::ClientFields;
use crate::{
    clients::api::{UpdateClient, get_client, list_providers},
    ui::{FormMessage, LoadError, Loading, SubmitButton, last_error},
};

#[component]
pub fn EditClientPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let action = ServerAction::<UpdateClient>::new();
    let value = action.value();
    // Blocking: the page waits for the client before it starts, so a missing one answers 404.
    let client = Resource::new_blocking(id, get_client);
    let providers = Resource::new(|| (), |_| list_providers());
    view! {
        <Title text="Edit client · Tend" />
        <Suspense fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                let providers = providers.await.unwrap_or_default();
                match client.await {
                    Ok(client) => view! {
                        <p class="breadcrumb">
                            <a href="/app/clients">"Clients"</a> " / "
                            <a href=format!("/app/clients/{}", client.id)>{format!("{} {}", client.first_name, client.last_name)}</a>
                        </p>
                        <h1>"Edit client"</h1>
                        <section class="card narrow">
                            <ActionForm action=action attr:novalidate=true attr:class="stack">
                                <FormMessage value=value />
                                <input type="hidden" name="id" value=client.id.clone() />
                                <ClientFields initial=client providers error=last_error(value) />
                                <SubmitButton label="Save changes" pending=action.pending() />
                            </ActionForm>
                        </section>
                    }.into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
