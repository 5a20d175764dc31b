//! Program covers and document modules: uploaded by members who may build programs, checked by
//! their bytes, kept in the file store, and handed only to the practice's members and to the
//! clients for whom the program or module is open.

use reqwest::StatusCode;
use sqlx::PgPool;
use tend_core::files::{FileKind, UploadProblem};
use uuid::Uuid;

use crate::support::{
    Browser, TestApp,
    practice::{Fixture, fixture},
    settings, spawn_app,
};

const PNG_1X1: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8,
    6, 0, 0, 0, 0x1F, 0x15, 0xC4, 0x89,
];
const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// Posts a file the way the page's form does; returns where the server sends the browser.
async fn upload(browser: &Browser, app: &TestApp, path: &str, field: &str, name: &str, bytes: &[u8]) -> String {
    let part = reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_owned());
    let form = reqwest::multipart::Form::new().part(field.to_owned(), part);
    let response = browser
        .http
        .post(format!("{}{path}", app.base))
        .header("sec-fetch-site", "same-origin")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
    response.headers()["location"].to_str().unwrap().to_owned()
}

async fn fetch(browser: &Browser, app: &TestApp, path: &str) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
    let response = browser.http.get(format!("{}{path}", app.base)).send().await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    (status, headers, response.bytes().await.unwrap().to_vec())
}

/// Adds a document module released on day 0 to practice A's program, through the editor's
/// server function; returns its id.
async fn add_document_module(app: &TestApp, f: &Fixture, pool: &PgPool) -> Uuid {
    let program = f.a_program.to_string();
    let added =
        f.a.owner
            .call(
                app,
                "add_module",
                &[
                    ("program_id", program.as_str()),
                    ("module[kind]", "document"),
                    ("module[title]", "Meal plan"),
                    ("module[body]", "Print it and keep it on the fridge."),
                    ("module[video_url]", ""),
                    ("module[release_day]", "0"),
                    ("module[release_time]", "00:00"),
                ],
            )
            .await;
    assert_eq!(added.status(), StatusCode::OK);
    sqlx::query_scalar("SELECT id FROM program_modules WHERE kind = 'document' AND program_id = $1")
        .bind(f.a_program)
        .fetch_one(pool)
        .await
        .unwrap()
}

fn stored_count(org_id: Uuid) -> usize {
    let folder = std::env::temp_dir().join("tend-request-test-files").join(org_id.to_string());
    std::fs::read_dir(folder).map(|entries| entries.count()).unwrap_or(0)
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_cover_is_an_image_shown_to_the_practice_and_its_enrolled_clients_only(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let f = fixture(&app, &pool).await;
    let (a, b) = (f.a_program, f.b_program);
    let cover = format!("/app/programs/{a}/cover");

    assert_eq!(
        upload(&f.a.owner, &app, &cover, "cover", "cover.pdf", PDF).await,
        format!("/app/programs/{a}?cover_error=wrong_type")
    );
    assert_eq!(
        upload(&f.staff, &app, &cover, "cover", "c.png", PNG_1X1).await,
        format!("/app/programs/{a}?cover_error=forbidden")
    );
    assert_eq!(
        upload(&f.b.owner, &app, &cover, "cover", "c.png", PNG_1X1).await,
        format!("/app/programs/{a}?cover_error=failed")
    );
    let own = upload(&f.b.owner, &app, &format!("/app/programs/{b}/cover"), "cover", "c.png", PNG_1X1).await;
    assert_eq!(own, format!("/app/programs/{b}?cover=saved"));
    assert_eq!(upload(&f.visitor, &app, &cover, "cover", "c.png", PNG_1X1).await, "/login");
    assert_eq!(fetch(&f.a.owner, &app, &cover).await.0, StatusCode::NOT_FOUND, "no cover yet");

    assert_eq!(
        upload(&f.a.owner, &app, &cover, "cover", "c.png", PNG_1X1).await,
        format!("/app/programs/{a}?cover=saved")
    );
    let (status, headers, bytes) = fetch(&f.staff, &app, &cover).await;
    assert_eq!((status, bytes.as_slice()), (StatusCode::OK, PNG_1X1));
    assert_eq!(headers["content-type"], "image/png");
    let slug = &f.a.slug;
    let portal_cover = format!("/p/{slug}/programs/{a}/cover");
    assert_eq!(fetch(&f.client_one, &app, &portal_cover).await.0, StatusCode::OK, "enrolled");
    assert_eq!(fetch(&f.client_two, &app, &portal_cover).await.0, StatusCode::NOT_FOUND, "not enrolled");
    assert_eq!(fetch(&f.b.owner, &app, &cover).await.0, StatusCode::NOT_FOUND, "another practice");
    assert_eq!(fetch(&f.visitor, &app, &portal_cover).await.0, StatusCode::NOT_FOUND);
    let portal: serde_json::Value =
        f.client_one.call(&app, "portal_programs", &[("slug", slug)]).await.json().await.unwrap();
    assert_eq!(portal[0]["cover"], portal_cover);

    // A new cover replaces the old one in the store; removing it leaves nothing behind.
    let before = stored_count(f.a.org_id);
    upload(&f.a.owner, &app, &cover, "cover", "d.png", PNG_1X1).await;
    assert_eq!(stored_count(f.a.org_id), before);
    let removed = f.a.owner.call(&app, "remove_program_cover", &[("id", &a.to_string())]).await;
    assert_eq!(removed.status(), StatusCode::OK);
    assert_eq!(stored_count(f.a.org_id), before - 1);
    assert_eq!(fetch(&f.client_one, &app, &portal_cover).await.0, StatusCode::NOT_FOUND);
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_document_opens_for_clients_whose_module_is_open_and_goes_with_its_program(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let f = fixture(&app, &pool).await;
    let (a, lesson) = (f.a_program, f.a_module);
    let module = add_document_module(&app, &f, &pool).await;
    let upload_to = format!("/app/programs/{a}/modules/{module}/document");
    let page = format!("/app/programs/{a}/modules/{module}");

    assert_eq!(
        upload(&f.a.owner, &app, &upload_to, "document", "plan.pdf", b"<html><script>alert(1)</script>").await,
        format!("{page}?document_error=wrong_type"),
        "an HTML page named .pdf"
    );
    let lesson_upload = format!("/app/programs/{a}/modules/{lesson}/document");
    assert!(
        upload(&f.a.owner, &app, &lesson_upload, "document", "plan.pdf", PDF).await.ends_with("document_error=failed")
    );
    assert_eq!(
        upload(&f.a.owner, &app, &upload_to, "document", "C:\\plans\\Meal plan é.pdf", PDF).await,
        format!("{page}?document=saved")
    );

    let slug = &f.a.slug;
    let portal = format!("/p/{slug}/programs/{a}/modules/{module}/document");
    let (status, headers, bytes) = fetch(&f.client_one, &app, &portal).await;
    assert_eq!((status, bytes.as_slice()), (StatusCode::OK, PDF));
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(
        headers["content-disposition"],
        "attachment; filename=\"Meal plan _.pdf\"; filename*=UTF-8''Meal%20plan%20%C3%A9.pdf"
    );
    let content: serde_json::Value = f
        .client_one
        .call(&app, "portal_module", &[("slug", slug), ("id", &module.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(content["document"], serde_json::json!(["Meal plan é.pdf", portal]));
    assert_eq!(fetch(&f.client_two, &app, &portal).await.0, StatusCode::NOT_FOUND, "not enrolled");
    assert_eq!(fetch(&f.b.owner, &app, &upload_to).await.0, StatusCode::NOT_FOUND, "another practice");
    assert_eq!(fetch(&f.staff, &app, &upload_to).await.0, StatusCode::OK, "a member of the practice");

    // Removed from the program: the link stops working at once.
    let removed =
        f.a.owner
            .call(
                &app,
                "remove_program_client",
                &[("program_id", &a.to_string()), ("client_id", &f.client_one_id.to_string())],
            )
            .await;
    assert_eq!(removed.status(), StatusCode::OK);
    assert_eq!(fetch(&f.client_one, &app, &portal).await.0, StatusCode::NOT_FOUND);

    // Deleting the program takes its files with it, rows and bytes.
    assert_eq!(stored_count(f.a.org_id), 1);
    let deleted = f.a.owner.call(&app, "delete_program", &[("id", &a.to_string())]).await;
    assert_eq!(deleted.status(), StatusCode::OK);
    assert_eq!(stored_count(f.a.org_id), 0);
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM stored_files WHERE org_id = $1")
        .bind(f.a.org_id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, 0);
}

#[test]
fn the_upload_pages_words_match_the_reasons_core_gives() {
    for kind in [FileKind::Cover, FileKind::Document] {
        for problem in UploadProblem::ALL {
            assert_eq!(
                tend_app::programs::upload_problem_message(kind.field(), problem.code()),
                Some(problem.message(kind)),
                "{kind:?} {problem:?}"
            );
        }
    }
}
