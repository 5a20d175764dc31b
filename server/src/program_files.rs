//! Program covers and document files over HTTP: uploads are plain multipart forms (they work
//! without JavaScript) that redirect back to the page with a code; downloads check who asks
//! (a member of the practice, or a client for whom the program or module is open).

use axum::{
    extract::{Multipart, Path, State},
    http::{StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use tend_app::{
    auth::session::{load_client, load_member},
    context::parse_id,
    error::AppError,
    ui::url_encode,
};
use tend_core::{
    files::{FileKind, UploadProblem},
    programs::files::{self, Download},
};
use tower_sessions::Session;

use crate::router::AppState;

/// The bytes a request to an upload route may carry: the largest file and the form around it.
pub fn body_limit(kind: FileKind) -> usize {
    kind.max_bytes() + 64 * 1024
}

pub async fn upload_cover(
    State(state): State<AppState>,
    Path(program_id): Path<String>,
    session: Session,
    multipart: Multipart,
) -> Response {
    let page = format!("/app/programs/{}", url_encode(&program_id));
    let saved = async {
        let actor = load_member(&state.context, &session).await?.ok_or(AppError::Unauthenticated)?;
        let (name, bytes) = read_file(multipart, FileKind::Cover).await?;
        files::set_cover(&state.context, &actor, parse_id(&program_id)?, &name, &bytes).await?;
        Ok(())
    }
    .await;
    back_to(&page, FileKind::Cover, saved)
}

pub async fn upload_document(
    State(state): State<AppState>,
    Path((program_id, module_id)): Path<(String, String)>,
    session: Session,
    multipart: Multipart,
) -> Response {
    let page = format!("/app/programs/{}/modules/{}", url_encode(&program_id), url_encode(&module_id));
    let saved = async {
        let actor = load_member(&state.context, &session).await?.ok_or(AppError::Unauthenticated)?;
        let (name, bytes) = read_file(multipart, FileKind::Document).await?;
        files::set_document(&state.context, &actor, parse_id(&module_id)?, &name, &bytes).await?;
        Ok(())
    }
    .await;
    back_to(&page, FileKind::Document, saved)
}

/// The file field's name and bytes; a body over the limit reads as "too large".
async fn read_file(mut multipart: Multipart, kind: FileKind) -> Result<(String, Vec<u8>), AppError> {
    let too_large = || AppError::from(UploadProblem::TooLarge.error(kind));
    while let Some(field) = multipart.next_field().await.map_err(|_| too_large())? {
        if field.name() == Some(kind.field()) {
            let name = field.file_name().unwrap_or_default().to_owned();
            let bytes = field.bytes().await.map_err(|_| too_large())?;
            return Ok((name, bytes.to_vec()));
        }
    }
    Err(UploadProblem::Missing.error(kind).into())
}

fn back_to(page: &str, kind: FileKind, outcome: Result<(), AppError>) -> Response {
    let field = kind.field();
    match outcome {
        Ok(()) => Redirect::to(&format!("{page}?{field}=saved")).into_response(),
        Err(AppError::Unauthenticated) => Redirect::to("/login").into_response(),
        Err(error) => {
            let code = match &error {
                AppError::Forbidden(_) => "forbidden",
                other => other
                    .for_field(field)
                    .and_then(|message| UploadProblem::from_message(kind, &message))
                    .map_or("failed", UploadProblem::code),
            };
            Redirect::to(&format!("{page}?{field}_error={code}")).into_response()
        }
    }
}

pub async fn member_cover(State(state): State<AppState>, Path(program_id): Path<String>, session: Session) -> Response {
    let download = async {
        let actor = load_member(&state.context, &session).await?.ok_or(AppError::Unauthenticated)?;
        Ok(files::cover_for_member(&state.context, &actor, parse_id(&program_id)?).await?)
    };
    send(download.await, Disposition::Inline)
}

pub async fn member_document(
    State(state): State<AppState>,
    Path((_program_id, module_id)): Path<(String, String)>,
    session: Session,
) -> Response {
    let download = async {
        let actor = load_member(&state.context, &session).await?.ok_or(AppError::Unauthenticated)?;
        Ok(files::document_for_member(&state.context, &actor, parse_id(&module_id)?).await?)
    };
    send(download.await, Disposition::Attachment)
}

pub async fn client_cover(
    State(state): State<AppState>,
    Path((slug, program_id)): Path<(String, String)>,
    session: Session,
) -> Response {
    let download = async {
        let client = load_client(&state.context, &session, &slug).await?.ok_or(AppError::Unauthenticated)?;
        Ok(files::cover_for_client(&state.context, &client, parse_id(&program_id)?).await?)
    };
    send(download.await, Disposition::Inline)
}

pub async fn client_document(
    State(state): State<AppState>,
    Path((slug, _program_id, module_id)): Path<(String, String, String)>,
    session: Session,
) -> Response {
    let download = async {
        let client = load_client(&state.context, &session, &slug).await?.ok_or(AppError::Unauthenticated)?;
        Ok(files::document_for_client(&state.context, &client, parse_id(&module_id)?).await?)
    };
    send(download.await, Disposition::Attachment)
}

enum Disposition {
    /// Images shown in a page.
    Inline,
    /// Documents are always saved, never opened as a page of ours: a file is the uploader's.
    Attachment,
}

fn send(download: Result<Download, AppError>, disposition: Disposition) -> Response {
    let Download { file, bytes } = match download {
        Ok(download) => download,
        // Whether the file exists is not told to someone who may not have it.
        Err(AppError::Unauthenticated | AppError::Forbidden(_) | AppError::NotFound | AppError::BadRequest) => {
            return (StatusCode::NOT_FOUND, "There is no file at this address, or it is not yours to open.")
                .into_response();
        }
        Err(error) => {
            tracing::error!(%error, "a file could not be sent");
            return (StatusCode::INTERNAL_SERVER_ERROR, "The file could not be sent. Try again.").into_response();
        }
    };
    let disposition = match disposition {
        Disposition::Inline => "inline".to_owned(),
        Disposition::Attachment => {
            // An ASCII fallback, and the real name encoded (RFC 6266).
            let ascii: String =
                file.file_name.chars().map(|c| if c.is_ascii_graphic() || c == ' ' { c } else { '_' }).collect();
            format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{}", url_encode(&file.file_name))
        }
    };
    ([(header::CONTENT_TYPE, file.content_type), (header::CONTENT_DISPOSITION, disposition)], bytes).into_response()
}
