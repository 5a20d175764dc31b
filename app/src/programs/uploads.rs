//! A program's cover image and a document module's file: plain multipart forms (they work
//! without JavaScript) posting to the server's upload routes, which redirect back here with a
//! code. Only the fixed words below are ever shown for a code: the address is not trusted.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::RemoveProgramCover;
use crate::ui::FormMessage;

/// The words for `{field}_error={code}` in the page's address. The upload's reasons match
/// `tend_core::files::UploadProblem` (a request test checks each).
pub fn upload_problem_message(field: &str, code: &str) -> Option<&'static str> {
    Some(match (field, code) {
        ("cover", "missing") => "Choose an image file.",
        ("cover", "too_large") => "The cover image must be smaller than 5 MB.",
        ("cover", "wrong_type") => "The cover image must be a PNG, JPEG or WebP image.",
        ("document", "missing") => "Choose a file.",
        ("document", "too_large") => "The document must be smaller than 20 MB.",
        ("document", "wrong_type") => "Upload a PDF, Word, Excel, PowerPoint, OpenDocument, text or image file.",
        (_, "forbidden") => "You need the permission “Can create, edit, archive, and delete programs” to do this.",
        (_, "failed") => "The file could not be saved. Try again.",
        _ => return None,
    })
}

/// "Cover image saved." or the problem, from the address the upload redirected to.
#[component]
fn UploadOutcome(field: &'static str, saved: &'static str) -> impl IntoView {
    let query = use_query_map();
    let was_saved = move || query.with(|q| q.get(field).as_deref() == Some("saved"));
    let problem =
        move || query.with(|q| q.get(&format!("{field}_error"))).and_then(|code| upload_problem_message(field, &code));
    view! {
        <Show when=was_saved><p class="notice notice-success" role="status">{saved}</p></Show>
        {move || problem().map(|message| view! { <p class="notice notice-error" role="alert">{message}</p> })}
    }
}

#[component]
pub fn CoverUpload(
    program_id: String,
    title: String,
    has_cover: bool,
    remove: ServerAction<RemoveProgramCover>,
) -> impl IntoView {
    let action = format!("/app/programs/{program_id}/cover");
    view! {
        <section class="card narrow">
            <h2>"Cover image"</h2>
            <UploadOutcome field="cover" saved="Cover image saved." />
            <FormMessage value=remove.value() success="Cover image removed." />
            {has_cover.then(|| {
                let id = program_id.clone();
                view! {
                    <img class="cover-preview" src=format!("/app/programs/{program_id}/cover") alt=format!("Cover of {title}") />
                    <ActionForm action=remove attr:class="inline-form">
                        <input type="hidden" name="id" value=id />
                        <button type="submit" class="button button-quiet">"Remove cover image"</button>
                    </ActionForm>
                }
            })}
            <form method="post" action=action enctype="multipart/form-data" class="stack">
                <div class="field">
                    <label for="field-cover">"Cover image"</label>
                    <p class="field-hint" id="field-cover-hint">"PNG, JPEG or WebP, under 5 MB. Clients see it on the program."</p>
                    <input id="field-cover" type="file" name="cover" accept="image/png,image/jpeg,image/webp" aria-describedby="field-cover-hint" />
                </div>
                <button type="submit" class="button button-primary">"Upload cover image"</button>
            </form>
        </section>
    }
}

#[component]
pub fn DocumentUpload(program_id: String, module_id: String, document_name: Option<String>) -> impl IntoView {
    let base = format!("/app/programs/{program_id}/modules/{module_id}/document");
    view! {
        <section class="card narrow">
            <h2>"Document"</h2>
            <UploadOutcome field="document" saved="Document saved." />
            {match document_name {
                Some(name) => view! {
                    <p>"Clients open: " <a href=base.clone() download="">{name}</a></p>
                }.into_any(),
                None => view! { <p>"No file yet: clients see the notes only until you upload one."</p> }.into_any(),
            }}
            <form method="post" action=base.clone() enctype="multipart/form-data" class="stack">
                <div class="field">
                    <label for="field-document">"Document file"</label>
                    <p class="field-hint" id="field-document-hint">"PDF, Word, Excel, PowerPoint, OpenDocument, text or an image, under 20 MB. A new file replaces the old one."</p>
                    <input id="field-document" type="file" name="document" aria-describedby="field-document-hint" />
                </div>
                <button type="submit" class="button button-primary">"Upload document"</button>
            </form>
        </section>
    }
}
