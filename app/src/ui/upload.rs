//! File uploads as plain multipart forms (they work without JavaScript): the server saves the
//! file and redirects back with `?{field}=saved` or `?{field}_error={code}`, and the page shows
//! fixed words for the code, never text from the address.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// "Saved" or the problem, from the address the upload redirected to; `message` gives the
/// words of each code.
#[component]
pub fn UploadOutcome(
    field: &'static str,
    saved: &'static str,
    message: fn(&str) -> Option<&'static str>,
) -> impl IntoView {
    let query = use_query_map();
    let was_saved = move || query.with(|q| q.get(field).as_deref() == Some("saved"));
    let problem = move || query.with(|q| q.get(&format!("{field}_error"))).and_then(|code| message(&code));
    view! {
        <Show when=was_saved><p class="notice notice-success" role="status">{saved}</p></Show>
        {move || problem().map(|message| view! { <p class="notice notice-error" role="alert">{message}</p> })}
    }
}

/// A labelled file input and its button, posting to `action`.
#[component]
pub fn UploadForm(
    action: String,
    /// The form field, and the input's id (`field-{name}`).
    name: &'static str,
    label: &'static str,
    hint: &'static str,
    button: &'static str,
    /// Content types the picker offers; the server checks the bytes whatever this says.
    #[prop(optional)]
    accept: Option<&'static str>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let hint_id = format!("{id}-hint");
    view! {
        <form method="post" action=action enctype="multipart/form-data" class="stack">
            <div class="field">
                <label for=id.clone()>{label}</label>
                <p class="field-hint" id=hint_id.clone()>{hint}</p>
                <input id=id type="file" name=name accept=accept aria-describedby=hint_id />
            </div>
            <button type="submit" class="button button-primary">{button}</button>
        </form>
    }
}
