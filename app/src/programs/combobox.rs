//! "Add Clients and Groups": one search box that finds clients and client groups by name as
//! you type, as an ARIA combobox: arrow keys move through the options, Enter chooses, Escape
//! closes; the options are announced by their names.

use leptos::{ev, prelude::*};

use super::api::{EnrollableView, search_enrollables};

const LISTBOX: &str = "enroll-options";

#[component]
pub fn EnrollPicker(chosen: RwSignal<Option<EnrollableView>>) -> impl IntoView {
    let term = RwSignal::new(String::new());
    let active = RwSignal::new(None::<usize>);
    let open = RwSignal::new(false);
    let options = Resource::new(
        move || term.get(),
        |term| async move { if term.trim().is_empty() { Ok(Vec::new()) } else { search_enrollables(term).await } },
    );
    let found = move || options.get().and_then(Result::ok).unwrap_or_default();
    let choose = move |option: EnrollableView| {
        term.set(String::new());
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
                    term.set(event_target_value(&event));
                    open.set(true);
                    active.set(None);
                }
                on:keydown=on_key
            />
            <Transition fallback=|| ()>
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
            </Transition>
            {move || chosen.get().map(|c| view! {
                <p class="combobox-chosen" role="status">
                    {format!("Chosen: {} ({})", c.name, if c.kind == "group" { "group" } else { "client" })}
                </p>
            })}
        </div>
    }
}
