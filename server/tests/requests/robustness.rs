//! No address and no malformed request gets a 500: every route and every server function,
//! taken from the router and the server-function registry (so new ones are covered without
//! anyone adding them here), is sent odd input by a visitor and by a signed-in owner.

use reqwest::{StatusCode, redirect::Policy};
use serde_json::Value;
use sqlx::PgPool;

use crate::support::{Browser, practice::fixture, settings, spawn_app};

/// Values for a `:param` segment that no record has.
const ODD_SEGMENTS: &[&str] = &["not-a-uuid", "00000000-0000-0000-0000-000000000000", "%00", "%FF%FE", "..%2F.."];

fn pages_with_odd_params() -> Vec<String> {
    let mut addresses = Vec::new();
    for route in tend_server::router::route_paths() {
        for odd in ODD_SEGMENTS {
            let path: Vec<String> = route
                .split('/')
                .map(|segment| {
                    let is_param = segment.starts_with(':') || segment.starts_with('{') || segment.starts_with('*');
                    if is_param { (*odd).to_owned() } else { segment.to_owned() }
                })
                .collect();
            let path = path.join("/");
            addresses.push(path.clone());
            addresses.push(format!("{path}/"));
            addresses.push(format!("{path}//?q=1"));
            addresses.push(format!("/{path}"));
        }
    }
    addresses.sort();
    addresses.dedup();
    addresses
}

/// Bodies a hand-made or broken request might send to any server function.
fn odd_bodies() -> Vec<Vec<u8>> {
    let huge = "a".repeat(300 * 1024);
    let mut bodies: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"x=1".to_vec(),
        b"id=not-a-uuid&page=99999999999999999999&archived=maybe&enabled=perhaps&slug=%00".to_vec(),
        b"id=%00&group_id=%00&client_id=%00&name=%00&email=%00&search=%00&slug=%00&token=%00".to_vec(),
        b"page=-1&archived=true&search=&id=00000000-0000-0000-0000-000000000000".to_vec(),
        b"id=\xff\xfe&name=\xc3\x28".to_vec(),
        b"client[first_name]=x&client[time_zone]=Mars/Base&id=x".to_vec(),
    ];
    // One 300 KB field at a time, in the fields most functions take.
    for field in ["id", "name", "search", "email", "slug"] {
        bodies.push(format!("{field}={huge}").into_bytes());
    }
    // Over the 2 MB body limit.
    bodies.push(format!("name={}", "b".repeat(3 * 1024 * 1024)).into_bytes());
    bodies
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn no_page_address_answers_500(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let f = fixture(&app, &pool).await;
    let visitor = reqwest::Client::builder().redirect(Policy::none()).build().unwrap();
    let mut failures = Vec::new();

    for path in pages_with_odd_params() {
        for (who, http) in [("visitor", &visitor), ("owner", &f.a.owner.http)] {
            let response = http.get(format!("{}{path}", app.base)).send().await.unwrap();
            let status = response.status();
            let is_page =
                response.headers().get("content-type").is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
            // Pages stream: a failure after the first bytes cuts the page short under a 200.
            let body = response.text().await.unwrap_or_default();
            let cut_short = is_page && !body.contains("</html>");
            if status.is_server_error() || cut_short {
                failures.push(format!("{who} GET {path} -> {status}{}", if cut_short { " (cut short)" } else { "" }));
            }
        }
    }

    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn no_server_function_answers_500_to_odd_arguments(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let f = fixture(&app, &pool).await;
    let visitor = Browser::new();
    let mut failures = Vec::new();
    // Functions that end or move the caller's session are sent odd input too, but not as the
    // owner: the rest of the run must stay signed in.
    let session_changing = ["/api/log_out", "/api/portal_log_out", "/api/switch_practice"];
    let mut paths: Vec<&str> = server_fn::axum::server_fn_paths().map(|(path, _)| path).collect();
    // The one form that is not a server function: the logo upload.
    paths.push("/app/settings/logo");

    for path in paths {
        for body in odd_bodies() {
            for (who, browser) in [("visitor", &visitor), ("owner", &f.a.owner)] {
                if who == "owner" && session_changing.contains(&path) {
                    continue;
                }
                let response = browser
                    .http
                    .post(format!("{}{path}", app.base))
                    .header("sec-fetch-site", "same-origin")
                    .header("accept", "application/json")
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(body.clone())
                    .send()
                    .await
                    .unwrap();
                let status = response.status();
                let text = response.text().await.unwrap_or_default();
                let library_words = text.contains("deserializ") || text.contains("serde");
                if status.is_server_error() || library_words {
                    let shown: String = String::from_utf8_lossy(&body).chars().take(60).collect();
                    failures.push(format!("{who} POST {path} [{shown}] -> {status} {}", &text[..text.len().min(200)]));
                }
            }
        }
    }

    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(f.a.owner.current_member(&app).await["practice_name"], "Practice A", "the owner stayed signed in");
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_trailing_or_doubled_slash_redirects_permanently_to_the_one_address(pool: PgPool) {
    let app = spawn_app(pool, settings(None, &[])).await;
    let http = reqwest::Client::builder().redirect(Policy::none()).build().unwrap();

    for (asked, canonical) in [
        ("/app/", "/app"),
        ("/app/clients/?page=2", "/app/clients?page=2"),
        ("/p/green-leaf-demo/login/", "/p/green-leaf-demo/login"),
        ("//login", "/login"),
        ("/app//settings/", "/app/settings"),
    ] {
        let response = http.get(format!("{}{asked}", app.base)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::MOVED_PERMANENTLY, "{asked}");
        assert_eq!(response.headers()["location"], canonical, "{asked}");
    }
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_missing_record_or_practice_answers_404_with_the_pages_own_message(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let f = fixture(&app, &pool).await;
    let b_client = format!("/app/clients/{}", f.b_client_id);

    for path in [
        "/app/clients/not-a-uuid",
        "/app/clients/00000000-0000-0000-0000-000000000000",
        b_client.as_str(),
        "/app/clients/not-a-uuid/edit",
        "/app/groups/xyz",
        "/p/no-such-practice",
        "/p/no-such-practice/login",
        "/no/such/page",
    ] {
        let response = f.a.owner.http.get(format!("{}{path}", app.base)).send().await.unwrap();
        let status = response.status();
        let body = response.text().await.unwrap_or_else(|error| panic!("{path}: {error}"));
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            body.contains("not find") || body.contains("not found") || body.contains("nothing at this address"),
            "{path}: {body}"
        );
    }
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_malformed_argument_gets_400_with_a_fixed_message(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let f = fixture(&app, &pool).await;

    for (function, args) in [
        ("list_clients", vec![("search", ""), ("archived", "maybe"), ("page", "1")]),
        ("list_clients", vec![("search", ""), ("archived", "false"), ("page", "99999999999999999999")]),
        ("get_client", vec![]),
        ("set_member_permission", vec![("id", "x")]),
    ] {
        let response = f.a.owner.call(&app, function, &args).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{function} {args:?}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body, Value::String("BadRequest".into()), "{function}");
    }
    let unknown = f.a.owner.call(&app, "no_such_function", &[]).await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}
