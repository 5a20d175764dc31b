//! The client list: search, active or archived, pages of 25.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    clients::api::{AddTestClient, ClientListView, ClientRowView, list_clients},
    ui::{ErrorNotice, Loading, SearchBox, count, url_encode},
};

#[component]
pub fn ClientsPage() -> impl IntoView {
    let query = use_query_map();
    let search = move || query.with(|q| q.get("q").unwrap_or_default());
    let archived = move || query.with(|q| q.get("archived").as_deref() == Some("1"));
    let page = move || query.with(|q| q.get("page").and_then(|p| p.parse::<i64>().ok()).unwrap_or(1));
    let after = move || query.with(|q| q.get("after"));
    let before = move || query.with(|q| q.get("before"));
    let add_test = ServerAction::<AddTestClient>::new();
    let clients = Resource::new(
        move || (search(), archived(), page(), after(), before()),
        |(s, a, p, after, before)| list_clients(s, a, p, after, before),
    );
    view! {
        <Title text="Clients · Tend" />
        <div class="page-head">
            <h1>"Clients"</h1>
            <div class="actions">
                <a class="button button-primary" href="/app/clients/new">"Add client"</a>
                <ActionForm action=add_test attr:class="inline-form">
                    <button type="submit" class="button button-quiet">"Add yourself as a test client"</button>
                </ActionForm>
            </div>
        </div>
        <nav class="tabs" aria-label="Client lists">
            <a href="/app/clients" aria-current=move || (!archived()).then_some("page")>"Active"</a>
            <a href="/app/clients?archived=1" aria-current=move || archived().then_some("page")>"Archived"</a>
            <a href="/app/groups">"Groups"</a>
        </nav>
        <SearchBox id="client-search" label="Search clients" button="Search" value=Signal::derive(search)>
            <Show when=archived><input type="hidden" name="archived" value="1" /></Show>
        </SearchBox>
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match clients.await {
                    Ok(list) => view! { <ClientList list archived=archived() search=search() /> }.into_any(),
                    Err(error) => view! { <ErrorNotice message=error.to_string() /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ClientList(list: ClientListView, archived: bool, search: String) -> impl IntoView {
    if list.rows.is_empty() {
        let message = if !search.is_empty() {
            "No clients match your search."
        } else if archived {
            "No archived clients."
        } else {
            "No clients yet. Add your first client to get started."
        };
        return view! { <p class="empty-state">{message}</p> }.into_any();
    }
    // Next and Previous name the client next to them, so a deep page is read from the index
    // there instead of counted to from the start; the number is what the page shows.
    let link = move |page: i64, next_to: Option<(&str, &str)>| {
        let mut query = vec![format!("page={page}")];
        if let Some((side, id)) = next_to.filter(|_| page > 1) {
            query.push(format!("{side}={}", url_encode(id)));
        }
        if archived {
            query.push("archived=1".into());
        }
        if !search.is_empty() {
            query.push(format!("q={}", url_encode(&search)));
        }
        format!("/app/clients?{}", query.join("&"))
    };
    let noun = if list.total == 1 { "client" } else { "clients" };
    let first = list.rows.first().map(|row| row.id.clone()).unwrap_or_default();
    let last = list.rows.last().map(|row| row.id.clone()).unwrap_or_default();
    view! {
        <p class="count">{format!("{} {noun}", count(list.total))}</p>
        <ul class="client-list">{list.rows.into_iter().map(|row| view! { <ClientItem row /> }).collect_view()}</ul>
        <nav class="pagination" aria-label="Pages">
            {(list.page > 1).then(|| view! { <a href=link(list.page - 1, Some(("before", &first))) rel="prev">"Previous"</a> })}
            <span>{format!("Page {} of {}", list.page, list.page_count)}</span>
            {(list.page < list.page_count).then(|| view! { <a href=link(list.page + 1, Some(("after", &last))) rel="next">"Next"</a> })}
        </nav>
    }
    .into_any()
}

#[component]
fn ClientItem(row: ClientRowView) -> impl IntoView {
    view! {
        <li class="client-item">
            <a class="client-name" href=format!("/app/clients/{}", row.id)>{row.name}</a>
            {row.is_test.then(|| view! { <span class="badge">"Test client"</span> })}
            {row.has_login.then(|| view! { <span class="badge badge-quiet">"Portal"</span> })}
            <span class="client-meta">
                {[row.email, row.provider.map(|p| format!("Provider: {p}")), row.group.map(|g| format!("Group: {g}"))]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" · ")}
            </span>
        </li>
    }
}
