//! Administration > Email > Email service settings (SPEC A1–A8).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;

use crate::error::AppError;
use crate::{AppState, db};

/// The settings document, with its version as the ETag a save must send back in `If-Match`.
pub async fn settings(State(state): State<AppState>) -> Result<impl IntoResponse, AppError> {
    let document = db::settings_document(&state.db).await?;
    let etag =
        HeaderValue::from_str(&format!("\"{}\"", document.version)).map_err(anyhow::Error::from)?;
    Ok(([(header::ETAG, etag)], Json(document)))
}
