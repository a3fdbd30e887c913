//! The API's one error type, and the guarantee that every `/api` error has the JSON error body.

use axum::Json;
use axum::body::{Body, to_bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use mail_core::ApiErrorBody;

/// What a handler can fail with. Internal details are logged, never sent.
#[derive(Debug)]
pub enum AppError {
    /// A refusal the client can act on: the status and the body that says how.
    Refused(StatusCode, ApiErrorBody),
    /// 429, with the seconds after which trying again makes sense.
    TooManyRequests(u64, ApiErrorBody),
    NotFound(&'static str),
    Internal(anyhow::Error),
}

impl AppError {
    pub fn refused(status: StatusCode, code: &str, message: impl Into<String>) -> AppError {
        AppError::Refused(status, ApiErrorBody::new(code, message))
    }

    /// 422 with per-field errors.
    pub fn invalid(body: ApiErrorBody) -> AppError {
        AppError::Refused(StatusCode::UNPROCESSABLE_ENTITY, body)
    }

    pub fn sign_in_required() -> AppError {
        AppError::refused(
            StatusCode::UNAUTHORIZED,
            "sign_in_required",
            "Sign in to continue.",
        )
    }

    pub fn admin_only() -> AppError {
        AppError::refused(
            StatusCode::FORBIDDEN,
            "admin_only",
            "Only administrators can do this. Ask an administrator if you need it changed.",
        )
    }
}

impl From<anyhow::Error> for AppError {
    fn from(error: anyhow::Error) -> Self {
        AppError::Internal(error)
    }
}

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        AppError::Internal(error.into())
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::Refused(status, body) => (status, Json(body)).into_response(),
            AppError::TooManyRequests(seconds, body) => {
                let retry_after = HeaderValue::from(seconds);
                (
                    StatusCode::TOO_MANY_REQUESTS,
                    [(header::RETRY_AFTER, retry_after)],
                    Json(body),
                )
                    .into_response()
            }
            AppError::NotFound(what) => (
                StatusCode::NOT_FOUND,
                Json(ApiErrorBody::new(
                    "not_found",
                    format!("{what} was not found."),
                )),
            )
                .into_response(),
            AppError::Internal(error) => {
                tracing::error!(error = format!("{error:#}"), "request failed");
                internal_error()
            }
        }
    }
}

fn internal_error() -> Response {
    let body = ApiErrorBody::new(
        "internal_error",
        "The server could not complete the request. Try again; if it keeps failing, ask your administrator to check the server log.",
    );
    (StatusCode::INTERNAL_SERVER_ERROR, Json(body)).into_response()
}

/// The response to a handler that panicked: the panic is logged, the client gets the JSON body.
pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = detail, "request handler panicked");
    internal_error()
}

/// Rewrites error responses made outside our handlers (unknown route, wrong method, a body the
/// extractors reject) into the JSON error body, so an API client never sees plain text or HTML.
pub async fn json_error_bodies(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    if status.is_server_error() {
        return internal_error();
    }
    let (parts, body) = response.into_parts();
    // axum's rejection texts say precisely what is wrong with a request; keep them for 4xx.
    let detail = to_bytes(body, 4096)
        .await
        .ok()
        .map(|bytes| String::from_utf8_lossy(&bytes).trim().to_owned())
        .filter(|text| !text.is_empty());
    let (code, fallback) = match status {
        StatusCode::NOT_FOUND => ("not_found", "There is no such API endpoint."),
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            "This endpoint does not accept that HTTP method.",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "unsupported_media_type",
            "Send the body as JSON with Content-Type: application/json.",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => ("payload_too_large", "The request body is too large."),
        StatusCode::UNPROCESSABLE_ENTITY => (
            "invalid_body",
            "The request body does not have the expected fields.",
        ),
        _ => ("bad_request", "The request is malformed."),
    };
    let body = ApiErrorBody::new(code, detail.unwrap_or_else(|| fallback.to_owned()));
    let mut response = Response::from_parts(
        parts,
        Body::from(serde_json::to_vec(&body).unwrap_or_default()),
    );
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response.headers_mut().remove(header::CONTENT_LENGTH);
    response
}
