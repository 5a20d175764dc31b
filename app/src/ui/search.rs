//! A search box that submits as a plain GET form, so results have their own address.

use leptos::prelude::*;
use leptos_router::components::Form;

#[component]
pub fn SearchBox(
    id: &'static str,
    #[prop(into)] label: String,
    #[prop(into)] button: String,
    value: Signal<String>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <Form method="GET" action="" attr:class="search-form" attr:role="search">
            {children.map(|c| c())}
            <label for=id>{label}</label>
            <div class="search-row">
                <input id=id type="search" name="q" value=value placeholder="Name or email" />
                <button type="submit" class="button button-quiet">{button}</button>
            </div>
        </Form>
    }
}

/// Percent-encodes a query value (the browser decodes it back).
pub fn url_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn reserved_characters_are_escaped() {
        assert_eq!(super::url_encode("a b&c=ü"), "a%20b%26c%3D%C3%BC");
    }
}
