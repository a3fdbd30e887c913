//! The `/api` router: one module per area of the product.

mod admin;

use axum::Router;
use axum::middleware::map_response;
use axum::routing::get;

use crate::AppState;
use crate::error::{AppError, json_error_bodies};

pub fn api() -> Router<AppState> {
    Router::new()
        .route("/admin/settings", get(admin::settings))
        .fallback(|| async { AppError::NotFound("This API endpoint") })
        .layer(map_response(json_error_bodies))
}
