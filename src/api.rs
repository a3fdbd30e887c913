//! One async function per API endpoint; every failure arrives as an [`ApiError`] with a message for
//! people, in the interface's language (the server's too: each request names it in
//! `Accept-Language`).

use std::fmt;

use gloo_net::http::{Request, RequestBuilder, Response};
use mail_core::{
    ApiErrorBody, BusinessProcessPreference, BusinessProcessSending, ConnectMailbox,
    MailboxConnection, MailboxId, Picker, ServiceId, ServiceUsage, SetBusinessProcessPreference,
    SettingsDocument, SettingsUpdate, SignIn, SignInLockout, User,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::i18n::*;

/// Why a call to the server failed, in words the page can show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status, or `None` when the server could not be reached at all.
    pub status: Option<u16>,
    pub body: ApiErrorBody,
    /// From `Retry-After` (in seconds): when trying again makes sense, e.g. after too many sign-in
    /// attempts.
    pub retry_after_seconds: Option<u64>,
}

impl ApiError {
    pub fn new(status: Option<u16>, body: ApiErrorBody) -> Self {
        ApiError {
            status,
            body,
            retry_after_seconds: None,
        }
    }

    fn unreachable(detail: impl fmt::Display) -> Self {
        ApiError::new(
            None,
            ApiErrorBody::new(
                "unreachable",
                td_string!(request_locale(), api.unreachable, detail),
            ),
        )
    }

    /// 401: nobody is signed in, or the session has ended.
    pub fn is_signed_out(&self) -> bool {
        self.status == Some(401)
    }

    /// 412 `stale_version`: another administrator saved the settings first.
    pub fn is_stale_version(&self) -> bool {
        self.status == Some(412)
    }

    /// 403: signed in, but the role does not allow it.
    pub fn is_forbidden(&self) -> bool {
        self.status == Some(403)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.body.message)
    }
}

impl std::error::Error for ApiError {}

/// GET /api/session — who is signed in; a 401 means nobody.
pub async fn current_user() -> Result<User, ApiError> {
    send(Request::get("/api/session")).await
}

/// POST /api/session — signs in and sets the session cookie.
pub async fn sign_in(request: &SignIn) -> Result<User, ApiError> {
    send_json(Request::post("/api/session"), request).await
}

/// DELETE /api/session — signs out: the server forgets the session and clears the cookie.
pub async fn sign_out() -> Result<(), ApiError> {
    send(Request::delete("/api/session")).await
}

/// GET /api/admin/settings — the whole "Email service settings" document (SPEC A1); administrators only.
pub async fn admin_settings() -> Result<SettingsDocument, ApiError> {
    let response = in_language(Request::get("/api/admin/settings"))
        .send()
        .await
        .map_err(ApiError::unreachable)?;
    crate::perf::mark(crate::perf::SETTINGS_DATA);
    decode(response).await
}

/// PUT /api/admin/settings — saves the whole page (SPEC A8) over the document of `version`; a 412
/// (`stale_version`) means another administrator saved first. The answer is the new document.
pub async fn save_settings(
    version: i64,
    update: &SettingsUpdate,
) -> Result<SettingsDocument, ApiError> {
    send_json(
        Request::put("/api/admin/settings").header("If-Match", &format!("\"{version}\"")),
        update,
    )
    .await
}

/// GET /api/admin/services/{id}/mailboxes — whose mailboxes use a service, for the delete
/// confirmation (SPEC A4).
pub async fn service_usage(id: ServiceId) -> Result<ServiceUsage, ApiError> {
    send(Request::get(&format!("/api/admin/services/{id}/mailboxes"))).await
}

/// GET /api/admin/sign-in-lockouts — the logins and addresses refused for a while after failed
/// sign-ins (issue 13, item 6).
pub async fn sign_in_lockouts() -> Result<Vec<SignInLockout>, ApiError> {
    send(Request::get("/api/admin/sign-in-lockouts")).await
}

/// DELETE /api/admin/sign-in-lockouts — clears one lock-out from that list.
pub async fn clear_sign_in_lockout(lockout: &SignInLockout) -> Result<(), ApiError> {
    let mut which = vec![("client", lockout.client.as_str())];
    if let Some(login_hash) = &lockout.login_hash {
        which.push(("login_hash", login_hash.as_str()));
    }
    send(Request::delete("/api/admin/sign-in-lockouts").query(which)).await
}

/// GET /api/mail/picker — what a new mailbox can be connected through (SPEC U1).
pub async fn picker() -> Result<Picker, ApiError> {
    send(Request::get("/api/mail/picker")).await
}

/// GET /api/mail/mailboxes — the signed-in person's mailboxes (SPEC U4).
pub async fn my_mailboxes() -> Result<Vec<MailboxConnection>, ApiError> {
    send(Request::get("/api/mail/mailboxes")).await
}

/// POST /api/mail/mailboxes — connects a mailbox (SPEC U2, U3); 422 names the fields, 409 says
/// why the administrator's settings or an existing connection refuse it.
pub async fn connect_mailbox(request: &ConnectMailbox) -> Result<MailboxConnection, ApiError> {
    send_json(Request::post("/api/mail/mailboxes"), request).await
}

/// DELETE /api/mail/mailboxes/{id} — disconnects one of the person's mailboxes (SPEC U4).
pub async fn disconnect_mailbox(id: MailboxId) -> Result<(), ApiError> {
    send(Request::delete(&format!("/api/mail/mailboxes/{id}"))).await
}

/// GET /api/mail/business-process-sending — the person's preference and what is in effect (SPEC U5).
pub async fn business_process_sending() -> Result<BusinessProcessSending, ApiError> {
    send(Request::get("/api/mail/business-process-sending")).await
}

/// PUT /api/mail/business-process-sending — saves the person's preference (SPEC U5).
pub async fn set_business_process_sending(
    preference: BusinessProcessPreference,
) -> Result<BusinessProcessSending, ApiError> {
    send_json(
        Request::put("/api/mail/business-process-sending"),
        &SetBusinessProcessPreference { preference },
    )
    .await
}

/// Asks the server to answer in the interface's language (its validation messages, for one).
fn in_language(request: RequestBuilder) -> RequestBuilder {
    request.header("Accept-Language", request_locale().as_str())
}

/// Sends a request without a body and decodes the answer.
async fn send<T: DeserializeOwned>(request: RequestBuilder) -> Result<T, ApiError> {
    let request = in_language(request);
    decode(request.send().await.map_err(ApiError::unreachable)?).await
}

/// Sends `body` as JSON and decodes the answer.
async fn send_json<T: DeserializeOwned>(
    request: RequestBuilder,
    body: &impl Serialize,
) -> Result<T, ApiError> {
    let request = in_language(request)
        .json(body)
        .map_err(ApiError::unreachable)?;
    decode(request.send().await.map_err(ApiError::unreachable)?).await
}

/// gloo-net does not fail on 4xx/5xx: check the status and decode the server's error body.
/// A 204 has no body and decodes as `()`.
async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    if response.ok() {
        let decoded = if status == 204 {
            serde_json::from_value(serde_json::Value::Null).map_err(|e| e.to_string())
        } else {
            response.json::<T>().await.map_err(|e| e.to_string())
        };
        return decoded.map_err(|e| {
            ApiError::new(
                Some(status),
                ApiErrorBody::new(
                    "bad_response",
                    td_string!(request_locale(), api.bad_response, detail = e),
                ),
            )
        });
    }
    let retry_after_seconds = response
        .headers()
        .get("retry-after")
        .and_then(|value| value.trim().parse().ok());
    let body = response.json::<ApiErrorBody>().await.unwrap_or_else(|_| {
        ApiErrorBody::new(
            "http_error",
            td_string!(
                request_locale(),
                api.http_error,
                status,
                status_text = response.status_text()
            ),
        )
    });
    Err(ApiError {
        status: Some(status),
        body,
        retry_after_seconds,
    })
}
