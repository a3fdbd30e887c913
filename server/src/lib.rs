//! Mail services server: the JSON API under `/api` and the built browser app for every other path.

pub mod attempts;
pub mod auth;
pub mod clients;
pub mod db;
pub mod demo;
pub mod documents;
pub mod error;
pub mod hashing;
pub mod mailboxes;
pub mod messages;
mod routes;
pub mod secrets;
pub mod security;
pub mod settings;
pub mod static_files;

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::middleware;
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

/// The whole HTTP application; `main` only binds it to a socket, and tests call it directly.
pub fn app(state: AppState) -> Router {
    Router::new()
        .nest(
            "/api",
            routes::api().layer(SetResponseHeaderLayer::overriding(
                header::CACHE_CONTROL,
                HeaderValue::from_static("no-store"),
            )),
        )
        .fallback(static_files::serve)
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(security::SecurityLayer::for_app(&state.static_dir))
        .layer(middleware::from_fn(error::in_the_request_language))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
