//! Administration > Email > Email service settings (SPEC A1–A8). Every route demands an administrator.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::Response;
use mail_core::{ApiErrorBody, ServiceId, ServiceUsage, SettingsDocument, SettingsUpdate};

use super::UiLang;
use crate::auth::{Admin, SettingsRevision};
use crate::error::{AppError, Problem};
use crate::{AppState, mailboxes, settings};

#[utoipa::path(get, path = "/admin/settings", tag = "admin", responses((status = 200, description = "The settings document; its version is the ETag", body = SettingsDocument), (status = 401, description = "Signed out", body = ApiErrorBody), (status = 403, description = "Not an administrator", body = ApiErrorBody)))]
/// The settings document, with its version as the ETag a save must send back in `If-Match`.
pub async fn settings(
    State(state): State<AppState>,
    _: Admin,
    SettingsRevision(revision): SettingsRevision,
) -> Result<Response, AppError> {
    let published = state.documents.at(&state.db, revision).await?;
    Ok(published.settings_response())
}

/// The version named by `If-Match: "7"` (a weak `W/"7"` is read the same way).
fn expected_version(headers: &HeaderMap) -> Result<i64, AppError> {
    let value = headers
        .get(header::IF_MATCH)
        .ok_or(Problem::VersionRequired)?;
    value
        .to_str()
        .ok()
        .map(|v| v.trim().trim_start_matches("W/").trim_matches('"'))
        .and_then(|v| v.parse().ok())
        .ok_or(Problem::VersionUnreadable.into())
}

#[utoipa::path(put, path = "/admin/settings", tag = "admin", request_body = SettingsUpdate, params(("If-Match" = String, Header, description = "The ETag of the document the changes were made to")), responses((status = 200, description = "Saved; the new document and ETag", body = SettingsDocument), (status = 401, description = "Signed out", body = ApiErrorBody), (status = 403, description = "Not an administrator", body = ApiErrorBody), (status = 412, description = "Another administrator saved first", body = ApiErrorBody), (status = 422, description = "Invalid; per-field errors", body = ApiErrorBody), (status = 428, description = "If-Match is missing", body = ApiErrorBody)))]
/// Saves the whole page at once (SPEC A8).
pub async fn save_settings(
    State(state): State<AppState>,
    Admin(admin): Admin,
    UiLang(lang): UiLang,
    headers: HeaderMap,
    Json(update): Json<SettingsUpdate>,
) -> Result<Response, AppError> {
    let version = expected_version(&headers)?;
    settings::save(&state.db, version, &update, lang).await?;
    let revision = settings::revision(&state.db).await?;
    let saved = state.documents.at(&state.db, revision).await?;
    tracing::info!(
        admin = admin.id,
        version = saved.revision.version,
        "saved the email service settings"
    );
    Ok(saved.settings_response())
}

#[utoipa::path(get, path = "/admin/services/{id}/mailboxes", tag = "admin", params(("id" = i64, Path, description = "The service")), responses((status = 200, description = "Whose mailboxes use the service", body = ServiceUsage), (status = 401, description = "Signed out", body = ApiErrorBody), (status = 403, description = "Not an administrator", body = ApiErrorBody), (status = 404, description = "No such service", body = ApiErrorBody)))]
/// Whose mailboxes use a service, for the delete confirmation (SPEC A4).
pub async fn service_usage(
    State(state): State<AppState>,
    _: Admin,
    Path(id): Path<ServiceId>,
) -> Result<Json<ServiceUsage>, AppError> {
    Ok(Json(mailboxes::usage(&state.db, id).await?))
}
