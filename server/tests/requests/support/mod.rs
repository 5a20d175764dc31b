//! Request-test helpers: an app instance on port 0 with its own database, a cookie-keeping
//! client that calls server functions like the browser does, and a test SMTP server.

pub mod practice;
pub mod smtp;

use std::{sync::Arc, time::Duration};

use leptos::prelude::LeptosOptions;
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;
use sqlx::PgPool;
use tend_core::{
    Context,
    clock::{ManualClock, SharedClock, SystemClock},
    settings::Settings,
};
use tend_server::startup::{self, Instance};

pub use smtp::TestSmtp;

pub struct TestApp {
    pub base: String,
    /// The app's database, for reading what it wrote (such as a kept email).
    pub pool: PgPool,
    instance: Instance,
}

/// Stops the server and its workers when a test ends, so its database can be dropped.
impl Drop for TestApp {
    fn drop(&mut self) {
        self.instance.shutdown.cancel();
    }
}

/// Settings a test starts from; `extra` overrides the environment.
pub fn settings(smtp: Option<&TestSmtp>, extra: &[(&str, &str)]) -> Settings {
    let smtp_url = smtp.map(TestSmtp::url);
    Settings::from_lookup(|name| {
        if let Some((_, value)) = extra.iter().find(|(k, _)| *k == name) {
            return Some((*value).to_owned());
        }
        match name {
            "SMTP_URL" => smtp_url.clone(),
            "PUBLIC_URL" => Some("http://tend.test".to_owned()),
            "TEND_SEED_DEMO" => Some("false".to_owned()),
            // Uploaded files of every test app: keys are unique, so one folder serves all.
            "TEND_FILES_DIR" => Some(std::env::temp_dir().join("tend-request-test-files").display().to_string()),
            _ => None,
        }
    })
    .expect("test settings")
}

pub async fn spawn_app(pool: PgPool, settings: Settings) -> TestApp {
    spawn_app_on_clock(pool, settings, SystemClock::shared()).await
}

/// An instance whose clock the test moves: timeouts and expiry without sleeping.
pub async fn spawn_app_at(pool: PgPool, settings: Settings) -> (TestApp, Arc<ManualClock>) {
    let clock = ManualClock::starting_now();
    (spawn_app_on_clock(pool, settings, clock.clone()).await, clock)
}

async fn spawn_app_on_clock(pool: PgPool, settings: Settings, clock: SharedClock) -> TestApp {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let options = LeptosOptions::builder().output_name("tend").site_root("target/site").build();
    let context = Context::with_clock(pool.clone(), Arc::new(settings), clock);
    let instance = startup::launch(context, options, listener).await.expect("launch");
    TestApp { base: format!("http://{}", instance.local_addr), pool, instance }
}

/// Polls `check` every 20 ms until it holds; panics after 10 seconds saying what it waited for.
pub async fn wait_until<F, Fut>(what: &str, check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    wait_until_within(Duration::from_secs(10), what, check).await
}

pub async fn wait_until_within<F, Fut>(limit: Duration, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + limit;
    while !check().await {
        assert!(tokio::time::Instant::now() < deadline, "gave up waiting until {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A browser-like client: keeps cookies, follows no redirects, sends same-origin headers.
pub struct Browser {
    pub http: Client,
}

impl Browser {
    pub fn new() -> Self {
        let http = Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap();
        Self { http }
    }

    /// Calls a server function the way a hydrated page does.
    pub async fn call(&self, app: &TestApp, function: &str, form: &[(&str, &str)]) -> Response {
        self.http
            .post(format!("{}/api/{function}", app.base))
            .header("sec-fetch-site", "same-origin")
            .header("accept", "application/json")
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// Signs up and opens the emailed link, as a person does: the answer of the link's page
    /// (signed in, on `/app`), or of the form when it refused.
    pub async fn sign_up(&self, app: &TestApp, name: &str, email: &str, practice: &str) -> Response {
        let form = self.start_sign_up(app, name, email, practice).await;
        if form.status() != StatusCode::OK {
            return form;
        }
        let token = sign_up_token(app, email).await;
        self.call(app, "confirm_sign_up", &[("token", &token)]).await
    }

    /// The sign-up form alone.
    pub async fn start_sign_up(&self, app: &TestApp, name: &str, email: &str, practice: &str) -> Response {
        self.call(
            app,
            "sign_up",
            &[
                ("full_name", name),
                ("email", email),
                ("password", PASSWORD),
                ("practice_name", practice),
                ("time_zone", "America/Chicago"),
            ],
        )
        .await
    }

    pub async fn log_in(&self, app: &TestApp, email: &str, password: &str) -> Response {
        self.call(app, "log_in", &[("email", email), ("password", password)]).await
    }

    /// One page of `list_clients`.
    pub async fn list_clients(&self, app: &TestApp, search: &str, archived: bool, page: i64) -> Value {
        let (archived, page) = (archived.to_string(), page.to_string());
        let response =
            self.call(app, "list_clients", &[("search", search), ("archived", &archived), ("page", &page)]).await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.unwrap()
    }

    /// The names on the first page of active clients.
    pub async fn client_names(&self, app: &TestApp) -> Vec<String> {
        let list = self.list_clients(app, "", false, 1).await;
        list["rows"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap().to_owned()).collect()
    }

    /// The signed-in member as `current_member` reports it (`Null` for a visitor).
    pub async fn current_member(&self, app: &TestApp) -> Value {
        let response = self.call(app, "current_member", &[]).await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.unwrap()
    }
}

/// The token of the newest sign-up link mailed to `email` (read from the outbox table, so it
/// works with or without a mail server).
pub async fn sign_up_token(app: &TestApp, email: &str) -> String {
    let body: String = sqlx::query_scalar(
        "SELECT body_text FROM emails WHERE to_address = lower($1) AND body_text LIKE '%/signup/confirm?token=%'
         ORDER BY created_at DESC LIMIT 1",
    )
    .bind(email)
    .fetch_one(&app.pool)
    .await
    .expect("a sign-up link was mailed");
    let link = body.split_whitespace().find(|word| word.contains("/signup/confirm?token=")).unwrap();
    token_of(link)
}

/// The token of an emailed link such as `.../join?token=...`.
pub fn token_of(link: &str) -> String {
    link.split("token=").nth(1).unwrap().to_owned()
}

pub const PASSWORD: &str = "orchard kettle maple drift";

/// The field messages of a validation error response.
pub async fn field_errors(response: Response) -> Vec<(String, String)> {
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.unwrap();
    body["Validation"]
        .as_array()
        .unwrap_or_else(|| panic!("not a validation error: {body}"))
        .iter()
        .map(|e| (e["field"].as_str().unwrap().to_owned(), e["message"].as_str().unwrap().to_owned()))
        .collect()
}
