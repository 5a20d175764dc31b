//! A program's cover image and a document module's file: plain multipart forms (they work
//! without JavaScript) posting to the server's upload routes, which redirect back here with a
//! code. Only the fixed words below are ever shown for a code: the address is not trusted.

use leptos::prelude::*;

use super::api::RemoveProgramCover;
use crate::ui::{FormMessage, UploadForm, UploadOutcome};

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
            <UploadOutcome field="cover" saved="Cover image saved." message=|code| upload_problem_message("cover", code) />
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
            <UploadForm action name="cover" label="Cover image" button="Upload cover image"
                hint="PNG, JPEG or WebP, under 5 MB. Clients see it on the program." accept="image/png,image/jpeg,image/webp" />
        </section>
    }
}

#[component]
pub fn DocumentUpload(program_id: String, module_id: String, document_name: Option<String>) -> impl IntoView {
    let base = format!("/app/programs/{program_id}/modules/{module_id}/document");
    view! {
        <section class="card narrow">
            <h2>"Document"</h2>
            <UploadOutcome field="document" saved="Document saved." message=|code| upload_problem_message("document", code) />
            {match document_name {
                Some(name) => view! {
                    <p>"Clients open: " <a href=base.clone() download="">{name}</a></p>
                }.into_any(),
                None => view! { <p>"No file yet: clients see the notes only until you upload one."</p> }.into_any(),
            }}
            <UploadForm action=base.clone() name="document" label="Document file" button="Upload document"
                hint="PDF, Word, Excel, PowerPoint, OpenDocument, text or an image, under 20 MB. A new file replaces the old one." />
        </section>
    }
}
