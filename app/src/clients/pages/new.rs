//! Add a client.

use leptos::prelude::*;
use leptos_meta::Title;

use super::fields::{ClientFields, blank_client};
use crate::{
    clients::api::{AddClient, list_providers},
    ui::{FormMessage, Loading, SubmitButton, last_error},
};

#[component]
pub fn NewClientPage() -> impl IntoView {
    let action = ServerAction::<AddClient>::new();
    let value = action.value();
    let providers = Resource::new(|| (), |_| list_providers());
    view! {
        <Title text="Add client · Tend" />
        <p class="breadcrumb"><a href="/app/clients">"Clients"</a></p>
        <h1>"Add client"</h1>
        <section class="card narrow">
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    let providers = providers.await.unwrap_or_default();
                    view! {
                        <ActionForm action=action attr:novalidate=true attr:class="stack">
                            <FormMessage value=value />
                            <ClientFields initial=blank_client(String::new()) providers error=last_error(value) />
                            <SubmitButton label="Add client" pending=action.pending() />
                        </ActionForm>
                    }
                })}
            </Suspense>
        </section>
    }
}
