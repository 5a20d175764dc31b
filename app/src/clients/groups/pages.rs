//! Group pages: the list with a create form, and one group with its clients.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{
    AddClientToGroup, CreateGroup, DeleteGroup, GroupDetailView, RemoveClientFromGroup, RenameGroup, get_group,
    list_groups,
};
use crate::{
    clients::api::{ClientListView, list_clients},
    error::AppError,
    ui::{
        ErrorNotice, FormMessage, LoadError, Loading, PageLinks, SearchBox, SubmitButton, TextField, count, error_for,
        successes,
    },
};

#[component]
pub fn GroupsPage() -> impl IntoView {
    let create = ServerAction::<CreateGroup>::new();
    let value = create.value();
    let groups = Resource::new(|| (), |_| list_groups());
    view! {
        <Title text="Client groups · Tend" />
        <p class="breadcrumb"><a href="/app/clients">"Clients"</a></p>
        <h1>"Client groups"</h1>
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match groups.await {
                    Ok(list) if list.is_empty() => view! { <p class="empty-state">"No groups yet."</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="client-list">
                            {list.into_iter().map(|g| view! {
                                <li class="client-item">
                                    <a class="client-name" href=format!("/app/groups/{}", g.id)>{g.name}</a>
                                    <span class="client-meta">
                                        {if g.client_count == 1 { "1 client".to_owned() } else { format!("{} clients", g.client_count) }}
                                    </span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice message=error.to_string() /> }.into_any(),
                }
            })}
        </Transition>
        <section class="card narrow">
            <h2>"New group"</h2>
            <ActionForm action=create attr:novalidate=true attr:class="stack">
                <FormMessage value=value />
                <TextField label="Group name" name="name" error=error_for(value, "name") />
                <SubmitButton label="Create group" pending=create.pending() />
            </ActionForm>
        </section>
    }
}

#[component]
pub fn GroupPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let rename = ServerAction::<RenameGroup>::new();
    let add = ServerAction::<AddClientToGroup>::new();
    let remove = ServerAction::<RemoveClientFromGroup>::new();
    // Blocking: the page waits for the group before it starts, so a missing one answers 404.
    let (renamed, added, removed) = (
        successes(rename.version(), rename.value()),
        successes(add.version(), add.value()),
        successes(remove.version(), remove.value()),
    );
    let query = use_query_map();
    let cursor = move |name: &str| query.with(|q| q.get(name).unwrap_or_default());
    let group = Resource::new_blocking(
        move || (id(), cursor("after"), cursor("before"), renamed.get(), added.get(), removed.get()),
        |(id, after, before, ..)| get_group(id, after, before),
    );
    // Made here, not inside the async view, so hydration reuses the server's results.
    let search = Signal::derive(move || query.with(|q| q.get("q").unwrap_or_default()));
    let results = Resource::new(
        move || (search.get(), added.get()),
        |(search, _)| async move {
            if search.is_empty() { Ok(None) } else { list_clients(search, false, 1, None, None).await.map(Some) }
        },
    );
    view! {
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                let found = results.await;
                match group.await {
                    Ok(group) => view! { <Group group found search rename add remove /> }.into_any(),
                    Err(error) => view! { <LoadError error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Group(
    group: GroupDetailView,
    found: Result<Option<ClientListView>, AppError>,
    search: Signal<String>,
    rename: ServerAction<RenameGroup>,
    add: ServerAction<AddClientToGroup>,
    remove: ServerAction<RemoveClientFromGroup>,
) -> impl IntoView {
    let delete = ServerAction::<DeleteGroup>::new();
    let group_id = group.id.clone();
    let rename_id = group.id.clone();
    let delete_id = group.id.clone();
    let add_id = group.id.clone();
    let name = group.name.clone();
    view! {
        <Title text=format!("{} · Tend", group.name) />
        <p class="breadcrumb"><a href="/app/groups">"Client groups"</a></p>
        <h1>{group.name.clone()}</h1>
        <section class="card">
            <h2>"Clients in this group"</h2>
            {(group.total > 0).then(|| view! { <p>{members_shown(&group)}</p> })}
            <FormMessage value=remove.value() />
            {if group.members.is_empty() {
                view! { <p>"No clients in this group yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="client-list">
                        {group.members.into_iter().map(|m| {
                            let label = format!("Remove {} from the group", m.name);
                            let group_id = group_id.clone();
                            let client_id = m.id.clone();
                            view! {
                                <li class="client-item">
                                    <a class="client-name" href=format!("/app/clients/{}", m.id)>{m.name.clone()}</a>
                                    <ActionForm action=remove attr:class="inline-form">
                                        <input type="hidden" name="group_id" value=group_id />
                                        <input type="hidden" name="client_id" value=client_id />
                                        <button type="submit" class="button button-quiet" aria-label=label>"Remove"</button>
                                    </ActionForm>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <PageLinks
                previous=group.previous.clone().map(|first| format!("/app/groups/{}?before={first}", group.id))
                next=group.next.clone().map(|last| format!("/app/groups/{}?after={last}", group.id))
            />
        </section>
        <AddClients group_id=add_id found search add />
        <section class="card narrow">
            <h2>"Rename"</h2>
            <ActionForm action=rename attr:novalidate=true attr:class="stack">
                <FormMessage value=rename.value() success="Group renamed." />
                <input type="hidden" name="id" value=rename_id />
                <TextField label="Group name" name="name" value=name error=error_for(rename.value(), "name") />
                <SubmitButton label="Rename group" pending=rename.pending() />
            </ActionForm>
        </section>
        <section class="card narrow">
            <h2>"Delete"</h2>
            <p>"Deleting the group keeps its clients; they simply leave the group."</p>
            <ActionForm action=delete>
                <FormMessage value=delete.value() />
                <input type="hidden" name="id" value=delete_id />
                <button type="submit" class="button button-quiet">"Delete group"</button>
            </ActionForm>
        </section>
    }
}

/// "50 of 2,000 clients" (or "3 clients" when they all fit on the page).
fn members_shown(group: &GroupDetailView) -> String {
    let total = group.total;
    let noun = if total == 1 { "client" } else { "clients" };
    if group.members.len() as i64 == total {
        format!("{} {noun}", count(total))
    } else {
        format!("Showing {} of {} {noun}", group.members.len(), count(total))
    }
}

/// Finds clients by name or email and adds them; a client in another group moves here.
#[component]
fn AddClients(
    group_id: String,
    found: Result<Option<ClientListView>, AppError>,
    search: Signal<String>,
    add: ServerAction<AddClientToGroup>,
) -> impl IntoView {
    let results = match found {
        Ok(Some(list)) if list.rows.is_empty() => view! { <p>"No clients match."</p> }.into_any(),
        Ok(Some(list)) => view! {
            <ul class="client-list">
                {list.rows.into_iter().map(|row| {
                    let label = format!("Add {} to the group", row.name);
                    let client_id = row.id.clone();
                    let group_id = group_id.clone();
                    view! {
                        <li class="client-item">
                            <span class="client-name">{row.name.clone()}</span>
                            <span class="client-meta">{row.group.map(|g| format!("Now in: {g}")).unwrap_or_default()}</span>
                            <ActionForm action=add attr:class="inline-form">
                                <input type="hidden" name="group_id" value=group_id />
                                <input type="hidden" name="client_id" value=client_id />
                                <button type="submit" class="button button-quiet" aria-label=label>"Add"</button>
                            </ActionForm>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }.into_any(),
        Ok(None) => ().into_any(),
        Err(error) => view! { <ErrorNotice message=error.to_string() /> }.into_any(),
    };
    view! {
        <section class="card">
            <h2>"Add clients"</h2>
            <SearchBox id="group-client-search" label="Find a client" button="Find" value=search />
            <FormMessage value=add.value() success="Client added to the group." />
            {results}
        </section>
    }
}
