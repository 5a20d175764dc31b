//! Form fields: a visible label, the input, and its message right below it, tied together
//! with `aria-describedby` so screen readers read the message with the field.

use leptos::prelude::*;

use super::time_zones::COMMON_TIME_ZONES;
use crate::error::AppError;

/// The element id of an input: its name, with the brackets of struct fields
/// (`client[first_name]`) turned into dashes.
fn field_id(name: &str) -> String {
    format!("field-{}", name.replace('[', "-").replace(']', ""))
}

/// The message for `field` from the latest result of an action.
pub fn error_for<T, S>(value: S, field: &'static str) -> Signal<Option<String>>
where
    T: 'static,
    S: With<Value = Option<Result<T, AppError>>> + Copy + Send + Sync + 'static,
{
    Signal::derive(move || value.with(|v| v.as_ref().and_then(|r| r.as_ref().err()).and_then(|e| e.for_field(field))))
}

#[component]
pub fn TextField(
    #[prop(into)] label: String,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(into, optional)] error: Signal<Option<String>>,
    #[prop(into, optional)] hint: Option<String>,
    #[prop(into, optional)] value: Option<String>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let id = field_id(name);
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = if hint.is_some() { format!("{hint_id} {error_id}") } else { error_id.clone() };
    view! {
        <div class="field" class:field-invalid=move || error.with(Option::is_some)>
            <label for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <p class="field-hint" id=hint_id.clone()>{hint}</p> })}
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                value=value
                required=required
                aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                aria-describedby=described_by
            />
            <p class="field-error" id=error_id aria-live="polite">{move || error.get()}</p>
        </div>
    }
}

/// A time zone picker: common zones, preselected from the browser when it matches one.
#[component]
pub fn TimeZoneField(
    #[prop(into)] label: String,
    name: &'static str,
    #[prop(into, optional)] error: Signal<Option<String>>,
    /// The zone selected at first; empty lets the browser's zone be picked.
    #[prop(into, optional)]
    value: String,
) -> impl IntoView {
    let id = field_id(name);
    let error_id = format!("{id}-error");
    let preselect = format!(
        "(function(){{try{{var z=Intl.DateTimeFormat().resolvedOptions().timeZone;var s=document.getElementById('{id}');\
         if(s&&s.value===''){{for(var i=0;i<s.options.length;i++){{if(s.options[i].value===z){{s.value=z;}}}}}}}}catch(e){{}}}})();"
    );
    view! {
        <div class="field" class:field-invalid=move || error.with(Option::is_some)>
            <label for=id.clone()>{label}</label>
            <select id=id name=name aria-describedby=error_id.clone()>
                <option value="">"Choose a time zone"</option>
                {(!value.is_empty() && !COMMON_TIME_ZONES.iter().any(|(zone, _)| *zone == value))
                    .then(|| view! { <option value=value.clone() selected=true>{value.clone()}</option> })}
                {COMMON_TIME_ZONES
                    .iter()
                    .map(|(zone, label)| view! { <option value=*zone selected=*zone == value>{*label}</option> })
                    .collect_view()}
            </select>
            <script nonce=leptos::nonce::use_nonce()>{preselect}</script>
            <p class="field-error" id=error_id aria-live="polite">{move || error.get()}</p>
        </div>
    }
}

/// The message above a form: a failure that is not about one field, or a success note.
#[component]
pub fn FormMessage<T, S>(value: S, #[prop(into, optional)] success: Option<String>) -> impl IntoView
where
    T: 'static,
    S: With<Value = Option<Result<T, AppError>>> + Copy + Send + Sync + 'static,
{
    let success = StoredValue::new(success);
    move || {
        value.with(|v| match v {
            Some(Err(error)) => error
                .for_form()
                .map(|message| view! { <p class="notice notice-error" role="alert">{message}</p> }.into_any()),
            Some(Ok(_)) => success
                .get_value()
                .map(|message| view! { <p class="notice notice-success" role="status">{message}</p> }.into_any()),
            None => None,
        })
    }
}

#[component]
pub fn SubmitButton(#[prop(into)] label: String, #[prop(into)] pending: Signal<bool>) -> impl IntoView {
    view! {
        <button type="submit" class="button button-primary" aria-disabled=move || pending.get().to_string()>
            {label}
        </button>
    }
}

/// A choice from a short list; `options` are (value, label) pairs.
#[component]
pub fn SelectField(
    #[prop(into)] label: String,
    name: &'static str,
    options: Vec<(String, String)>,
    #[prop(into, optional)] value: String,
    #[prop(into, optional)] error: Signal<Option<String>>,
) -> impl IntoView {
    let id = field_id(name);
    let error_id = format!("{id}-error");
    view! {
        <div class="field" class:field-invalid=move || error.with(Option::is_some)>
            <label for=id.clone()>{label}</label>
            <select id=id name=name aria-describedby=error_id.clone()>
                {options
                    .into_iter()
                    .map(|(option, text)| {
                        let selected = option == value;
                        view! { <option value=option selected=selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
            <p class="field-error" id=error_id aria-live="polite">{move || error.get()}</p>
        </div>
    }
}

/// The action's version as of its latest success. Key a resource's reloads on this, not on
/// `version()`, which counts refusals too: reloading after a refusal renders the forms afresh
/// and loses what was typed next to the error.
pub fn successes<T, S>(version: RwSignal<usize>, value: S) -> Memo<usize>
where
    T: 'static,
    S: With<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    Memo::new(move |previous: Option<&usize>| {
        let n = version.get();
        if value.with(|v| matches!(v, Some(Ok(_)))) { n } else { previous.copied().unwrap_or(0) }
    })
}

/// The latest error of an action, for components that lay out many fields.
pub fn last_error<T, S>(value: S) -> Signal<Option<AppError>>
where
    T: 'static,
    S: With<Value = Option<Result<T, AppError>>> + Copy + Send + Sync + 'static,
{
    Signal::derive(move || value.with(|v| v.as_ref().and_then(|r| r.as_ref().err().cloned())))
}

/// The message for `field` in an error signal made by [`last_error`].
pub fn message_for(error: Signal<Option<AppError>>, field: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || error.with(|e| e.as_ref().and_then(|e| e.for_field(field))))
}

/// The emailed token of a link page (from `?token=`) as a hidden field, and the message when the
/// link is spent or expired, followed by `children` (a way to get a new link).
#[component]
pub fn TokenField(error: Signal<Option<String>>, #[prop(optional)] children: Option<ChildrenFn>) -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    let children = StoredValue::new(children);
    view! {
        <Show when=move || error.with(Option::is_some)>
            <p class="notice notice-error" role="alert">
                {move || error.get()} " " {move || children.with_value(|c| c.as_ref().map(|c| c()))}
            </p>
        </Show>
        <input type="hidden" name="token" value=token />
    }
}

/// Several lines of text, such as a description or a lesson in Markdown.
#[component]
pub fn TextAreaField(
    #[prop(into)] label: String,
    name: &'static str,
    #[prop(into, optional)] error: Signal<Option<String>>,
    #[prop(into, optional)] hint: Option<String>,
    #[prop(into, optional)] value: String,
    #[prop(default = 6)] rows: u32,
) -> impl IntoView {
    let id = field_id(name);
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = if hint.is_some() { format!("{hint_id} {error_id}") } else { error_id.clone() };
    view! {
        <div class="field" class:field-invalid=move || error.with(Option::is_some)>
            <label for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <p class="field-hint" id=hint_id.clone()>{hint}</p> })}
            <textarea
                id=id
                name=name
                rows=rows
                aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                aria-describedby=described_by
            >{value}</textarea>
            <p class="field-error" id=error_id aria-live="polite">{move || error.get()}</p>
        </div>
    }
}

/// A tick box; the form sends `on` when it is ticked and nothing when it is not.
#[component]
pub fn CheckboxField(
    #[prop(into)] label: String,
    name: &'static str,
    #[prop(optional)] checked: bool,
) -> impl IntoView {
    let id = field_id(name);
    view! {
        <div class="field field-checkbox">
            <input id=id.clone() type="checkbox" name=name checked=checked />
            <label for=id>{label}</label>
        </div>
    }
}
