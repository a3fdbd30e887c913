//! Mail services server: the JSON API under `/api` and the built browser app for every other path.

pub mod auth;
pub mod db;
pub mod demo;
pub mod error;
pub mod mailboxes;
mod routes;
pub mod secrets;
pub mod security;
pub mod settings;

use std::path::PathBuf;

use axum::Router;
use axum::http::{HeaderValue, header};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::services::{ServeDir, ServeFile};
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
}

/// The whole HTTP application; `main` only binds it to a socket, and tests call it directly.
pub fn app(state: AppState) -> Router {
    let index = state.static_dir.join("index.html");
    // Deep links such as /admin/email/services are routes of the browser app: answer them with index.html.
    let spa = ServeDir::new(&state.static_dir).fallback(ServeFile::new(index));
    Router::new()
        .nest(
            "/api",
            routes::api().layer(SetResponseHeaderLayer::overriding(
                header::CACHE_CONTROL,
                HeaderValue::from_static("no-store"),
            )),
        )
        .fallback_service(spa)
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(security::SecurityLayer::for_app(&state.static_dir))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
