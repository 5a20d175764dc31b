//! "Add Clients and Groups": one search box that finds clients and client groups by name as
//! you type, as an ARIA combobox: arrow keys move through the options, Enter chooses, Escape
//! closes; the options are announced by their names.

use leptos::{ev, prelude::*};

use super::api::{EnrollableView, search_enrollables};

const LISTBOX: &str = "enroll-options";

/// The picker's state. Made by the page, outside the editor's async view: the editor is
/// rendered again when its data reloads (after hydration, after each action), and state made
/// inside it would be disposed under a search still in flight.
#[derive(Clone, Copy)]
pub struct PickerState {
    term: RwSignal<String>,
    active: RwSignal<Option<usize>>,
    open: RwSignal<bool>,
    /// Fetched in the browser as the member types (not a Resource: nothing to render on the server).
    results: RwSignal<Vec<EnrollableView>>,
    asked: RwSignal<u64>,
    pub chosen: RwSignal<Option<EnrollableView>>,
}

impl Default for PickerState {
    fn default() -> Self {
        Self::new()
    }
}

impl PickerState {
    pub fn new() -> Self {
        Self {
            term: RwSignal::new(String::new()),
            active: RwSignal::new(None),
            open: RwSignal::new(false),
            results: RwSignal::new(Vec::new()),
            asked: RwSignal::new(0),
            chosen: RwSignal::new(None),
        }
    }
}

#[component]
pub fn EnrollPicker(state: PickerState) -> impl IntoView {
    let PickerState { term, active, open, results, asked, chosen } = state;
    let search = move |typed: String| {
        let ticket = asked.get_untracked() + 1;
        asked.set(ticket);
        if typed.trim().is_empty() {
            results.set(Vec::new());
            return;
        }
        leptos::task::spawn_local(async move {
            let found = search_enrollables(typed).await.unwrap_or_default();
            // An older answer that arrives late must not replace a newer one.
            if asked.try_get_untracked() == Some(ticket) {
                results.try_set(found);
            }
        });
    };
    let found = move || results.get();
    let choose = move |option: EnrollableView| {
        term.set(String::new());
        results.set(Vec::new());
        open.set(false);
        active.set(None);
        chosen.set(Some(option));
    };
    let on_key = move |event: ev::KeyboardEvent| {
        let count = found().len();
        match event.key().as_str() {
            "ArrowDown" if count > 0 => {
                event.prevent_default();
                open.set(true);
                active.update(|a| *a = Some(a.map_or(0, |i| (i + 1) % count)));
            }
            "ArrowUp" if count > 0 => {
                event.prevent_default();
                open.set(true);
                active.update(|a| *a = Some(a.map_or(count - 1, |i| (i + count - 1) % count)));
            }
            "Enter" => {
                event.prevent_default();
                if let Some(option) = active.get().and_then(|i| found().get(i).cloned()) {
                    choose(option);
                }
            }
            "Escape" => {
                open.set(false);
                active.set(None);
            }
            _ => {}
        }
    };
    let option_id = |i: usize| format!("{LISTBOX}-{i}");
    view! {
        <div class="combobox">
            <label for="enroll-search">"Add Clients and Groups"</label>
            <input
                id="enroll-search"
                type="text"
                role="combobox"
                autocomplete="off"
                aria-autocomplete="list"
                aria-controls=LISTBOX
                aria-expanded=move || (open.get() && !found().is_empty()).to_string()
                aria-activedescendant=move || active.get().map(option_id)
                placeholder="Type a client's or a group's name"
                prop:value=move || term.get()
                on:input=move |event| {
                    let typed = event_target_value(&event);
                    term.set(typed.clone());
                    open.set(true);
                    active.set(None);
                    search(typed);
                }
                on:keydown=on_key
            />
            <ul id=LISTBOX role="listbox" aria-label="Clients and groups" class="combobox-options"
                    hidden=move || !open.get() || found().is_empty()>
                    {move || found().into_iter().enumerate().map(|(i, option)| {
                        let kind = if option.kind == "group" { "Group" } else { "Client" };
                        let pick = option.clone();
                        view! {
                            <li id=option_id(i) role="option" class="combobox-option"
                                class:combobox-active=move || active.get() == Some(i)
                                aria-selected=move || (active.get() == Some(i)).to_string()
                                on:mousedown=move |event| {
                                    event.prevent_default();
                                    choose(pick.clone());
                                }>
                                {option.name.clone()} <span class="client-meta">{format!(" · {kind}")}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            {move || chosen.get().map(|c| view! {
                <p class="combobox-chosen" role="status">
                    {format!("Chosen: {} ({})", c.name, if c.kind == "group" { "group" } else { "client" })}
                </p>
            })}
        </div>
    }
}
