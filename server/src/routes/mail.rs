//! The signed-in person's own mailboxes (SPEC U1–U5).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use mail_core::{
    ApiErrorBody, BusinessProcessSending, ConnectMailbox, MailboxConnection, MailboxId, Picker,
    SetBusinessProcessPreference,
};

use super::UiLang;
use crate::auth::{CurrentUser, SettingsRevision};
use crate::error::{AppError, Problem};
use crate::{AppState, mailboxes};

#[utoipa::path(get, path = "/mail/picker", tag = "mail", security(("session" = [])), responses((status = 200, description = "Services a new mailbox can be connected through", body = Picker), (status = 401, description = "Signed out", body = ApiErrorBody)))]
pub async fn picker(
    State(state): State<AppState>,
    _: CurrentUser,
    SettingsRevision(revision): SettingsRevision,
) -> Result<Response, AppError> {
    let published = state.documents.at(&state.db, revision).await?;
    Ok(published.picker_response())
}

#[utoipa::path(get, path = "/mail/mailboxes", tag = "mail", security(("session" = [])), responses((status = 200, description = "The signed-in person's mailboxes", body = Vec<MailboxConnection>), (status = 401, description = "Signed out", body = ApiErrorBody)))]
pub async fn my_mailboxes(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> Result<Json<Vec<MailboxConnection>>, AppError> {
    Ok(Json(mailboxes::of_user(&state.db, &user).await?))
}

#[utoipa::path(post, path = "/mail/mailboxes", tag = "mail", security(("session" = [])), request_body = ConnectMailbox, responses((status = 201, description = "Connected", body = MailboxConnection), (status = 401, description = "Signed out", body = ApiErrorBody), (status = 409, description = "The service is hidden or deleted, manual entry is off, or the mailbox is already connected", body = ApiErrorBody), (status = 422, description = "Invalid; per-field errors", body = ApiErrorBody)))]
pub async fn connect(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    UiLang(lang): UiLang,
    Json(request): Json<ConnectMailbox>,
) -> Result<(StatusCode, Json<MailboxConnection>), AppError> {
    let connection =
        mailboxes::connect(&state.db, &state.mailbox_key, &user, &request, lang).await?;
    tracing::info!(
        user = user.id,
        mailbox = connection.id,
        "connected a mailbox"
    );
    Ok((StatusCode::CREATED, Json(connection)))
}

#[utoipa::path(delete, path = "/mail/mailboxes/{id}", tag = "mail", security(("session" = [])), params(("id" = i64, Path, description = "The mailbox")), responses((status = 204, description = "Disconnected"), (status = 401, description = "Signed out", body = ApiErrorBody), (status = 404, description = "No such mailbox of yours", body = ApiErrorBody)))]
pub async fn disconnect(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<MailboxId>,
) -> Result<StatusCode, AppError> {
    if mailboxes::disconnect(&state.db, &user, id).await? {
        tracing::info!(user = user.id, mailbox = id, "disconnected a mailbox");
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Problem::MailboxNotFound.into())
    }
}

#[utoipa::path(get, path = "/mail/business-process-sending", tag = "mail", security(("session" = [])), responses((status = 200, description = "Your preference and what is in effect", body = BusinessProcessSending), (status = 401, description = "Signed out", body = ApiErrorBody)))]
pub async fn business_process_sending(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> Result<Json<BusinessProcessSending>, AppError> {
    Ok(Json(
        mailboxes::business_process_sending(&state.db, &user).await?,
    ))
}

#[utoipa::path(put, path = "/mail/business-process-sending", tag = "mail", security(("session" = [])), request_body = SetBusinessProcessPreference, responses((status = 200, description = "Saved", body = BusinessProcessSending), (status = 401, description = "Signed out", body = ApiErrorBody)))]
pub async fn set_business_process_sending(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Json(request): Json<SetBusinessProcessPreference>,
) -> Result<Json<BusinessProcessSending>, AppError> {
    Ok(Json(
        mailboxes::set_business_process_preference(&state.db, &user, request.preference).await?,
    ))
}
