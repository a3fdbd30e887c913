//! Signing in and out, and who is signed in (SPEC section 1).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use mail_core::{ApiErrorBody, SignIn, User, check_sign_in};

use super::UiLang;
use crate::AppState;
use crate::auth::{self, CurrentUser};
use crate::clients::ClientKey;
use crate::error::AppError;

#[utoipa::path(get, path = "/session", tag = "session", security(("session" = [])), responses((status = 200, description = "The signed-in person", body = User), (status = 401, description = "Signed out", body = ApiErrorBody)))]
pub async fn current(CurrentUser(user): CurrentUser) -> Json<User> {
    Json(user)
}

#[utoipa::path(post, path = "/session", tag = "session", request_body = SignIn, responses((status = 200, description = "Signed in; the session cookie is set", body = User), (status = 401, description = "Wrong login or password", body = ApiErrorBody), (status = 422, description = "A login or password no account can have (too long, control characters); per-field errors", body = ApiErrorBody), (status = 429, description = "Too many failed attempts for this login from this client, or from this client for any login; Retry-After says when to try again", body = ApiErrorBody), (status = 503, description = "Every core is busy hashing passwords; Retry-After says when to try again", body = ApiErrorBody)))]
pub async fn sign_in(
    State(state): State<AppState>,
    client: ClientKey,
    headers: HeaderMap,
    UiLang(lang): UiLang,
    Json(request): Json<SignIn>,
) -> Result<impl IntoResponse, AppError> {
    // Refused before the attempt is counted or the password hashed (issue 13, items 7 and 9).
    let errors = check_sign_in(&request.login, request.password.expose());
    if !errors.is_empty() {
        let fields = errors.into_iter().map(|e| e.field_error(lang)).collect();
        return Err(AppError::Invalid(ApiErrorBody::validation_failed(
            lang, fields,
        )));
    }
    let password = request.password.expose();
    let (user, token) =
        auth::sign_in(&state.db, &state.hashing, &client, &request.login, password).await?;
    tracing::info!(user = user.id, "signed in");
    Ok((
        [(header::SET_COOKIE, auth::session_cookie(&token, &headers))],
        Json(user),
    ))
}

#[utoipa::path(delete, path = "/session", tag = "session", responses((status = 204, description = "Signed out; the session cookie is cleared")))]
pub async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<impl IntoResponse, AppError> {
    if let Some(token) = auth::session_token(&headers) {
        auth::sign_out(&state.db, token).await?;
    }
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, auth::cleared_session_cookie(&headers))],
    ))
}
