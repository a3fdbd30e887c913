//! Mail services server: the JSON API under `/api` and the built browser app for every other path.

pub mod attempts;
pub mod auth;
pub mod cidr;
pub mod clients;
pub mod db;
pub mod demo;
pub mod documents;
pub mod error;
pub mod hashing;
pub mod mail;
pub mod mailboxes;
pub mod messages;
mod routes;
pub mod secrets;
pub mod security;
pub mod serve;
pub mod settings;
pub mod static_files;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// What every request handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: db::Pool,
    /// The browser app built by trunk (`dist/`).
    pub static_dir: PathBuf,
    /// Seals mailbox passwords; never stored in the database.
    pub mailbox_key: secrets::MailboxKey,
    /// The files of `static_dir`, read at start-up, with their compressed copies.
    pub static_files: Arc<static_files::StaticFiles>,
    /// The settings document and the picker, serialized, while they are current.
    pub documents: Arc<documents::DocumentCache>,
    /// The bound on concurrent password hashing for sign-ins.
    pub hashing: Arc<hashing::Hashing>,
    /// The reverse proxies whose `X-Forwarded-For` names the client (`--trusted-proxies`).
    pub trusted_proxies: Arc<clients::TrustedProxies>,
}

impl AppState {
    /// Reads the built app from `static_dir` and starts compressing it in the background.
    pub fn new(db: db::Pool, static_dir: PathBuf, mailbox_key: secrets::MailboxKey) -> AppState {
        AppState {
            static_files: static_files::StaticFiles::load(&static_dir),
            documents: Arc::default(),
            hashing: Arc::new(hashing::Hashing::sized_to_the_cores()),
            trusted_proxies: Arc::default(),
            db,
            static_dir,
            mailbox_key,
        }
    }
}

/// The whole HTTP application with the default [`serve::Limits`]; tests call it directly.
pub fn app(state: AppState) -> Router {
    app_with(state, &serve::Limits::default())
}

/// The whole HTTP application; `main` binds it to a socket with [`serve::serve`].
pub fn app_with(state: AppState, limits: &serve::Limits) -> Router {
    let api = routes::api()
        .layer(middleware::from_fn_with_state(
            limits.request_timeout,
            within_the_request_timeout,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));
    Router::new()
        .nest("/api", api)
        .fallback(static_files::serve)
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(security::SecurityLayer::for_app(&state.static_dir))
        .layer(middleware::from_fn(error::in_the_request_language))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// 408 for an API request not received and answered within the request timeout, such as one whose
/// body comes too slowly. The request's work stops there: a transaction it began is rolled back
/// whole (see [`db::begin_write`]), and so is that of a request whose client went away. (Requests
/// outside `/api` read no body and are answered from memory.)
async fn within_the_request_timeout(
    State(timeout): State<Duration>,
    request: Request,
    next: Next,
) -> Response {
    match tokio::time::timeout(timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => error::Problem::RequestTimeout.into_response(),
    }
}
