//! Administration > sign-in lock-outs: which logins and clients are refused for a while after
//! failed sign-ins, and clearing them (issue 13, item 6). Every route demands an administrator.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use mail_core::{ApiErrorBody, SignInLockout};
use serde::Deserialize;

use crate::auth::{Admin, now};
use crate::error::AppError;
use crate::{AppState, attempts};

#[utoipa::path(get, path = "/admin/sign-in-lockouts", tag = "admin", security(("session" = [])), responses((status = 200, description = "Every login and client whose next sign-in attempt is refused, latest first", body = Vec<SignInLockout>), (status = 401, description = "Signed out", body = ApiErrorBody), (status = 403, description = "Not an administrator", body = ApiErrorBody)))]
pub async fn lockouts(
    State(state): State<AppState>,
    _: Admin,
) -> Result<Json<Vec<SignInLockout>>, AppError> {
    Ok(Json(attempts::lockouts(&state.db, now()).await?))
}

/// Which lock-out to clear: a client's, for one login or (without `login_hash`) for all.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ClearLockout {
    /// The `client` of the lock-out.
    client: String,
    /// The `login_hash` of the lock-out; without it, all of the client's failures are forgotten.
    login_hash: Option<String>,
}

#[utoipa::path(delete, path = "/admin/sign-in-lockouts", tag = "admin", security(("session" = [])), params(ClearLockout), responses((status = 204, description = "Cleared: the client's failed attempts (for that login) no longer count"), (status = 400, description = "`client` is missing", body = ApiErrorBody), (status = 401, description = "Signed out", body = ApiErrorBody), (status = 403, description = "Not an administrator", body = ApiErrorBody)))]
pub async fn clear_lockout(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Query(which): Query<ClearLockout>,
) -> Result<StatusCode, AppError> {
    let cleared = attempts::clear(&state.db, &which.client, which.login_hash.as_deref()).await?;
    tracing::info!(admin = admin.id, cleared, "cleared a sign-in lock-out");
    Ok(StatusCode::NO_CONTENT)
}
