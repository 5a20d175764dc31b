//! The HTTP surface: pages, server functions, health, static files, and the layers every
//! request passes through (request id, trace, session, cross-site refusal).

use std::sync::LazyLock;

use axum::{
    Router,
    body::Body,
    extract::{DefaultBodyLimit, FromRef, Request, State},
    http::{HeaderName, StatusCode},
    middleware,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use leptos::prelude::*;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list, handle_server_fns_with_context};
use tend_app::{App, PortalApp, auth::session::CallerMemo, context::ServerContext, shell};
use tend_core::{files::FileKind, sessions::PgSessionStore};
use tower::ServiceBuilder;
use tower_http::{
    compression::CompressionLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::TraceLayer,
};
use tower_sessions::{Expiry, SessionManagerLayer, cookie::SameSite};

use crate::{assets, canonical, csrf, logo, program_files, scheduling_files, security_headers, session_clock};

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub context: ServerContext,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Builds the whole application. Sessions live in PostgreSQL, so any number of instances
/// built from the same database serve the same people.
pub async fn build(context: ServerContext, leptos_options: LeptosOptions) -> anyhow::Result<Router> {
    let settings = context.settings.clone();
    let session_store = PgSessionStore::new(context.pool.clone(), context.clock.clone(), settings.session_idle_timeout);
    let settings_idle = settings.session_idle_timeout;
    let idle = time::Duration::seconds(settings.session_idle_timeout.as_secs() as i64);
    let sessions = SessionManagerLayer::new(session_store)
        .with_name("tend_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(settings.secure_cookies())
        .with_expiry(Expiry::OnInactivity(idle));

    let clock = context.clock.clone();
    let state = AppState { leptos_options: leptos_options.clone(), context };
    let routes = page_routes();
    let page_context = state.context.clone();

    let router = Router::new()
        .route("/healthz", get(health))
        .route("/app/reports/appointments.csv", get(scheduling_files::appointments_csv))
        .route("/calendar/{file}", get(scheduling_files::calendar_feed))
        .route("/p/{slug}/logo", get(logo::serve))
        .route(
            "/app/settings/logo",
            post(logo::upload).layer(DefaultBodyLimit::max(tend_core::orgs::service::MAX_LOGO_BYTES + 64 * 1024)),
        )
        .route(
            "/app/programs/{id}/cover",
            get(program_files::member_cover)
                .post(program_files::upload_cover)
                .layer(DefaultBodyLimit::max(program_files::body_limit(FileKind::Cover))),
        )
        .route(
            "/app/programs/{id}/modules/{module_id}/document",
            get(program_files::member_document)
                .post(program_files::upload_document)
                .layer(DefaultBodyLimit::max(program_files::body_limit(FileKind::Document))),
        )
        .route("/p/{slug}/programs/{id}/cover", get(program_files::client_cover))
        .route("/p/{slug}/programs/{id}/modules/{module_id}/document", get(program_files::client_document))
        .route("/api/{*fn_name}", post(server_functions).get(server_functions))
        // One call: each registers every server function too. `shell` gives portal pages the
        // portal's wasm.
        .leptos_routes_with_context(&state, routes, page_contexts(page_context.clone()), {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        .nest_service("/pkg", assets::service(&leptos_options))
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(page_contexts(page_context), shell))
        .layer(middleware::from_fn(csrf::refuse_cross_site))
        .layer(middleware::from_fn_with_state(
            session_clock::KeepAlive { every: session_clock::touch_every(settings_idle), clock },
            session_clock::keep_alive,
        ))
        .layer(sessions)
        .layer(middleware::from_fn(canonical::redirect_to_canonical))
        .layer(middleware::from_fn_with_state(
            security_headers::Policy { https: settings.secure_cookies() },
            security_headers::add,
        ))
        .layer(
            ServiceBuilder::new()
                // A request id is ours to make: one sent in could forge or collide with others in the logs.
                .layer(middleware::map_request(drop_incoming_request_id))
                .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
                // The wasm is megabytes raw and a quarter of that with brotli (scripts/bundle-sizes).
                .layer(CompressionLayer::new())
                .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<Body>| {
                    let request_id = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
                    // The path only: query strings can carry tokens.
                    tracing::info_span!("request", request_id, method = %request.method(), path = request.uri().path())
                }))
                .layer(PropagateRequestIdLayer::new(REQUEST_ID)),
        )
        .with_state(state);
    Ok(router)
}

/// What every page render is given: the app's context, and this response's script nonce.
fn page_contexts(context: ServerContext) -> impl Fn() + Clone + Send + Sync + 'static {
    move || {
        provide_context(context.clone());
        CallerMemo::provide();
        security_headers::CspNonce::provide_to_leptos();
    }
}

async fn drop_incoming_request_id(mut request: Request<Body>) -> Request<Body> {
    request.headers_mut().remove(REQUEST_ID);
    request
}

/// Runs a server function. An address that names none answers 404 (a known one with the wrong
/// method 405), with words of our own rather than the library's.
async fn server_functions(State(state): State<AppState>, request: Request<Body>) -> Response {
    let path = request.uri().path().to_owned();
    if leptos::server_fn::axum::get_server_fn_service(&path, request.method().clone()).is_none() {
        let known = leptos::server_fn::axum::server_fn_paths().any(|(known, _)| known == path);
        return if known {
            (StatusCode::METHOD_NOT_ALLOWED, "This function is called with another method.").into_response()
        } else {
            (StatusCode::NOT_FOUND, "There is no such function.").into_response()
        };
    }
    let context = state.context.clone();
    let contexts = move || {
        provide_context(context.clone());
        CallerMemo::provide();
    };
    handle_server_fns_with_context(contexts, request).await.into_response()
}

/// The page routes of both apps (the provider app and the client portal, each with its own
/// wasm), listed once per process. Listing renders an app with resource loads suppressed by a
/// process-wide flag (leptos_server's `SuppressResourceLoad`): a page rendering at that moment
/// on another instance in the same process (the request tests run many) would wait forever for
/// its data (leptos issue #4773).
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: LazyLock<Vec<AxumRouteListing>> =
        LazyLock::new(|| generate_route_list(App).into_iter().chain(generate_route_list(PortalApp)).collect());
    ROUTES.clone()
}

/// Every page address of the app (with its `:param` segments) and every other route, for the
/// request test that sends each of them odd input.
pub fn route_paths() -> Vec<String> {
    let mut paths: Vec<String> = page_routes().iter().map(|route| route.path().to_string()).collect();
    paths.extend(
        [
            "/healthz",
            "/p/:slug/logo",
            "/app/settings/logo",
            "/app/programs/:id/cover",
            "/app/programs/:id/modules/:module_id/document",
            "/p/:slug/programs/:id/cover",
            "/p/:slug/programs/:id/modules/:module_id/document",
        ]
        .map(str::to_owned),
    );
    paths
}

async fn health(State(state): State<AppState>) -> impl IntoResponse {
    match tend_core::db::ping(&state.context.pool).await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(error) => {
            tracing::error!(%error, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}
