//! A client's profile: details, group, portal access, archive, test-client portal.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::{
    clients::api::{ClientView, InviteClient, OpenTestPortal, SetClientArchived, SetClientGroup, get_client},
    clients::groups::api::{GroupView, list_groups},
    ui::{FormMessage, LoadError, Loading, SelectField},
};

#[component]
pub fn ClientProfilePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let archive = ServerAction::<SetClientArchived>::new();
    let invite = ServerAction::<InviteClient>::new();
    let set_group = ServerAction::<SetClientGroup>::new();
    // Blocking: the page waits for the client before it starts, so a missing one answers 404.
    let client = Resource::new_blocking(
        move || (id(), archive.version().get(), invite.version().get(), set_group.version().get()),
        |(id, ..)| get_client(id),
    );
    // Made here, not inside the async view, so the browser reuses the server's data when it
    // hydrates instead of fetching again and rendering something else.
    let groups = Resource::new(|| (), |_| list_groups());
    view! {
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                let groups = groups.await.unwrap_or_default();
                match client.await {
                    Ok(client) => view! { <Profile client groups archive invite set_group /> }.into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Profile(
    client: ClientView,
    groups: Vec<GroupView>,
    archive: ServerAction<SetClientArchived>,
    invite: ServerAction<InviteClient>,
    set_group: ServerAction<SetClientGroup>,
) -> impl IntoView {
    let name = format!("{} {}", client.first_name, client.last_name);
    let detail = |value: &str| if value.is_empty() { "—".to_owned() } else { value.to_owned() };
    view! {
        <Title text=format!("{name} · Tend") />
        <p class="breadcrumb"><a href="/app/clients">"Clients"</a></p>
        <div class="page-head">
            <h1>{name.clone()}</h1>
            <div class="actions">
                <a class="button button-quiet" href=format!("/app/clients/{}/edit", client.id)>"Edit"</a>
            </div>
        </div>
        {client.is_test.then(|| view! {
            <p class="notice notice-info">"Test client: left out of counts and reports."</p>
        })}
        {client.archived.then(|| view! { <p class="notice notice-info">"This client is archived."</p> })}
        <section class="card">
            <dl class="details">
                <dt>"Email"</dt><dd>{detail(&client.email)}</dd>
                <dt>"Phone"</dt><dd>{detail(&client.phone)}</dd>
                <dt>"Date of birth"</dt><dd>{detail(&client.date_of_birth)}</dd>
                <dt>"Time zone"</dt><dd>{client.time_zone.clone()}</dd>
                <dt>"Primary provider"</dt><dd>{client.provider.clone().unwrap_or_else(|| "—".into())}</dd>
                <dt>"Group"</dt><dd>{client.group.clone().unwrap_or_else(|| "—".into())}</dd>
            </dl>
        </section>
        <PortalAccess client=client.clone() invite />
        <GroupChoice client=client.clone() groups set_group />
        <section class="card">
            <h2>"Archive"</h2>
            <ActionForm action=archive attr:class="stack">
                <FormMessage value=archive.value() />
                <input type="hidden" name="id" value=client.id.clone() />
                <input type="hidden" name="archived" value=(!client.archived).to_string() />
                <p>{if client.archived {
                    "Restore the client to bring them back to your active list."
                } else {
                    "Archived clients leave your active list; nothing about them is deleted."
                }}</p>
                <button type="submit" class="button button-quiet">
                    {if client.archived { "Restore client" } else { "Archive client" }}
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
fn PortalAccess(client: ClientView, invite: ServerAction<InviteClient>) -> impl IntoView {
    let body = if client.is_own_test_client {
        let open = ServerAction::<OpenTestPortal>::new();
        view! {
            <p>"See exactly what your clients see, as this test client."</p>
            <ActionForm action=open>
                <FormMessage value=open.value() />
                <input type="hidden" name="id" value=client.id.clone() />
                <button type="submit" class="button button-primary">"Open the portal as this client"</button>
            </ActionForm>
        }
        .into_any()
    } else if client.has_login {
        view! { <p>"This client has set a password and can log in to the portal."</p> }.into_any()
    } else if client.email.is_empty() || client.is_test {
        view! { <p>"Add an email address to invite this client to the portal."</p> }.into_any()
    } else {
        let label =
            if client.invitation_pending_until.is_some() { "Resend invitation" } else { "Invite to the portal" };
        let email = client.email.clone();
        view! {
            {client.invitation_pending_until.clone().map(|until| view! {
                <p>{format!("Invitation sent; the link works until {until}.")}</p>
            })}
            <ActionForm action=invite>
                <FormMessage value=invite.value() success=format!("Invitation sent to {email}.") />
                <input type="hidden" name="id" value=client.id.clone() />
                <button type="submit" class="button button-primary">{label}</button>
            </ActionForm>
        }
        .into_any()
    };
    view! { <section class="card"><h2>"Client portal"</h2>{body}</section> }
}

#[component]
fn GroupChoice(client: ClientView, groups: Vec<GroupView>, set_group: ServerAction<SetClientGroup>) -> impl IntoView {
    let mut options = vec![(String::new(), "No group".to_owned())];
    options.extend(groups.into_iter().map(|g| (g.id, g.name)));
    view! {
        <section class="card">
            <h2>"Group"</h2>
            <ActionForm action=set_group attr:class="stack">
                <FormMessage value=set_group.value() success="Group saved." />
                <input type="hidden" name="id" value=client.id.clone() />
                <SelectField label="Client group" name="group_id" options value=client.group_id.clone() />
                <button type="submit" class="button button-quiet">"Save group"</button>
            </ActionForm>
        </section>
    }
}
