//! A page reads each thing once. sqlx reports every statement as a `sqlx::query` tracing event;
//! a `#[sqlx::test]` runs the app on the test's own thread (a current-thread runtime), so a
//! thread-local list holds exactly the statements of this test's requests.

use std::{cell::RefCell, collections::HashMap, fmt::Debug, sync::Once};

use sqlx::PgPool;
use tracing::{
    Event, Subscriber,
    field::{Field, Visit},
};
use tracing_subscriber::{
    Layer,
    filter::filter_fn,
    layer::{Context, SubscriberExt},
};

use crate::support::{Browser, TestApp, practice::fixture, settings, spawn_app, wait_until};

thread_local! {
    static RECORDED: RefCell<Option<Vec<String>>> = const { RefCell::new(None) };
}

struct RecordStatements;

impl<S: Subscriber> Layer<S> for RecordStatements {
    fn on_event(&self, event: &Event<'_>, _context: Context<'_, S>) {
        RECORDED.with_borrow_mut(|recorded| {
            if let Some(statements) = recorded {
                let mut statement = StatementField::default();
                event.record(&mut statement);
                statements.extend(statement.text());
            }
        });
    }
}

/// sqlx gives a statement's text in `db.statement`, or only in `summary` when it is a few words.
#[derive(Default)]
struct StatementField {
    statement: String,
    summary: String,
}

impl StatementField {
    fn text(self) -> Option<String> {
        let text = if self.statement.is_empty() { self.summary } else { self.statement };
        let control = ["BEGIN", "COMMIT", "ROLLBACK"].iter().any(|word| text.trim().eq_ignore_ascii_case(word));
        (!text.is_empty() && !control).then_some(text)
    }
}

impl Visit for StatementField {
    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "db.statement" => self.statement = value.to_owned(),
            "summary" => self.summary = value.to_owned(),
            _ => {}
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.record_str(field, &format!("{value:?}"));
    }
}

fn start_recording() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let layer = RecordStatements.with_filter(filter_fn(|meta| meta.target() == "sqlx::query"));
        tracing::subscriber::set_global_default(tracing_subscriber::registry().with(layer))
            .expect("no other subscriber in the request tests");
    });
    RECORDED.with_borrow_mut(|recorded| *recorded = Some(Vec::new()));
}

fn stop_recording() -> Vec<String> {
    RECORDED.with_borrow_mut(|recorded| recorded.take().unwrap_or_default())
}

/// What ran while `path` was drawn for `browser`.
struct Drawn {
    /// The statements that ran more than once.
    repeats: Vec<(String, usize)>,
    /// How many statements ran.
    ran: usize,
    /// The statements that read the session or who is asking.
    session_and_caller: Vec<String>,
}

/// The page at `path` for `browser`, and the statements that ran while it was drawn.
async fn page_and_statements(app: &TestApp, browser: &Browser, path: &str) -> (String, Vec<String>) {
    start_recording();
    let response = browser.http.get(format!("{}{path}", app.base)).send().await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    let page = response.text().await.unwrap();
    (page, stop_recording())
}

async fn statements_of(app: &TestApp, browser: &Browser, path: &str) -> Drawn {
    let (_, statements) = page_and_statements(app, browser, path).await;
    let mut runs: HashMap<String, usize> = HashMap::new();
    // The worker's own statements (a job claimed or an email sent meanwhile) are not the page's.
    for statement in statements.iter().filter(|sql| !sql.contains("jobs") && !sql.contains("emails")) {
        *runs.entry(statement.clone()).or_default() += 1;
    }
    let repeats = runs.into_iter().filter(|(_, n)| *n > 1).collect();
    // (The worker's sweep deletes expired sessions: not a read.)
    let reads_caller = |sql: &&String| {
        sql.trim_start().starts_with("SELECT") && (sql.contains("FROM sessions") || sql.contains("_callers"))
    };
    let session_and_caller = statements.iter().filter(reads_caller).cloned().collect();
    Drawn { repeats, ran: statements.len(), session_and_caller }
}

/// The worker runs on the test's thread too: let it finish the fixture's emails and first scans.
async fn worker_idle(pool: &PgPool) {
    wait_until("the worker is idle", || async {
        let busy: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM jobs WHERE (status = 'pending' AND run_at <= now()) OR status = 'running'",
        )
        .fetch_one(pool)
        .await
        .unwrap();
        busy == 0
    })
    .await;
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_page_in_the_app_or_the_portal_reads_its_data_and_its_caller_once(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let f = fixture(&app, &pool).await;
    worker_idle(&pool).await;
    let member_pages = [
        "/app/clients".to_owned(),
        "/app/clients?q=client".to_owned(),
        "/app/groups".to_owned(),
        "/app/programs".to_owned(),
        format!("/app/programs/{}", f.a_program),
        format!("/app/programs/{}/clients", f.a_program),
        format!("/app/clients/{}", f.client_two_id),
    ];
    let portal_pages = [format!("/p/{}", f.a.slug), format!("/p/{}/programs", f.a.slug)];
    let pages = member_pages.iter().map(|p| (&f.a.owner, p)).chain(portal_pages.iter().map(|p| (&f.client_two, p)));
    for (browser, path) in pages {
        // Each page a few times: the page was drawn twice only when its frame's data was in early.
        for _ in 0..3 {
            let Drawn { repeats, ran, session_and_caller } = statements_of(&app, browser, path).await;
            // Recording works: the session with its caller and the page's data at least.
            assert!(ran >= 2, "{path}: only {ran} statements recorded");
            assert!(repeats.is_empty(), "{path} ran these more than once: {repeats:#?}");
            assert_eq!(
                session_and_caller.len(),
                1,
                "{path}: the session and who is asking take one statement, not {session_and_caller:#?}"
            );
        }
    }
}

#[sqlx::test(migrator = "tend_core::db::MIGRATOR")]
async fn a_search_finds_its_page_and_its_count_in_one_statement(pool: PgPool) {
    let app = spawn_app(pool.clone(), settings(None, &[])).await;
    let f = fixture(&app, &pool).await;
    worker_idle(&pool).await;
    let (page, statements) = page_and_statements(&app, &f.a.owner, "/app/clients?q=client").await;
    for name in ["One Client", "Two Client"] {
        assert!(page.contains(name), "the search finds {name}");
    }
    assert!(!page.contains("Bea Client"), "nor anyone of another practice");
    let searches: Vec<&String> = statements.iter().filter(|sql| sql.contains("ILIKE")).collect();
    assert_eq!(searches.len(), 1, "the page and the count of a search are one statement: {searches:#?}");
}
