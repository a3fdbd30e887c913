//! The API's one error type, every problem it can answer with, and the guarantees that every `/api`
//! error has the JSON error body and that its message is in the language the request asked for.

use axum::Json;
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::response::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use mail_core::{ApiErrorBody, Lang};

use crate::messages::request_lang;

/// What a handler can fail with. Internal details are logged, never sent.
#[derive(Debug)]
pub enum AppError {
    /// A problem the client can act on, said in the request's language.
    Problem(Problem),
    /// 422 with per-field errors, already in the request's language.
    Invalid(ApiErrorBody),
    /// Answered as [`Problem::Internal`].
    Internal(anyhow::Error),
}

/// Every answer of the API that is not a success and not invalid input: its status and stable
/// code here, its message in English and Russian in [`crate::messages`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// 401: no session, or it expired or was ended.
    SignInRequired,
    /// 401: the same answer for an unknown login and a wrong password.
    WrongCredentials,
    /// 429 with `Retry-After`: too many failed sign-ins for one login.
    TooManySignInAttempts { retry_after_seconds: u64 },
    /// 429 with `Retry-After`: too many failed sign-ins from one client, whatever the logins.
    TooManySignInAttemptsFromClient { retry_after_seconds: u64 },
    /// 503 with `Retry-After`: every core is hashing passwords and the queue for one is full.
    SignInBusy,
    /// 403: a user on an administrator's route.
    AdminOnly,
    /// 428: a save of the settings without `If-Match`.
    VersionRequired,
    /// 412: an `If-Match` that names no version.
    VersionUnreadable,
    /// 412: another administrator saved after this version (SPEC A8).
    StaleVersion,
    /// 409: connecting through a service that is deleted (or never was).
    ServiceDeleted,
    /// 409: connecting through a hidden service (SPEC A5).
    ServiceHidden,
    /// 409: "Other" while manual entry is off (SPEC A6).
    ManualEntryNotAllowed,
    /// 409: the person has this mailbox connected already.
    AlreadyConnected,
    /// 404
    NoSuchEndpoint,
    /// 404: not a mailbox of the signed-in person.
    MailboxNotFound,
    /// 404
    ServiceNotFound,
    /// 405
    MethodNotAllowed,
    /// 403: the browser said the request came from another site (see [`crate::security`]).
    CrossSiteFetch { site: String },
    /// 403: `Origin` is not this server.
    CrossSiteOrigin {
        origin: String,
        own_host: Option<String>,
    },
    /// 415
    NotJson { content_type: Option<String> },
    /// 413
    PayloadTooLarge,
    /// 422 from the JSON extractor: JSON, but not of the expected shape; `detail` is serde's.
    UnexpectedJson { detail: Option<String> },
    /// 400: unreadable JSON, or a path parameter of the wrong type; `detail` is axum's.
    MalformedRequest { detail: Option<String> },
    /// 408: the request was not received and answered within the request timeout (README "Limits").
    RequestTimeout,
    /// 503 with `Retry-After`: another transaction held a lock the request needed for longer than
    /// the busy timeout, or no database connection was free in time; trying again later may work.
    DatabaseBusy,
    /// 500: details in the server log.
    Internal,
}

/// What a 503 [`Problem::DatabaseBusy`] answer asks the client to wait before trying again.
pub const BUSY_RETRY_AFTER_SECONDS: u64 = 2;

impl Problem {
    pub fn status(&self) -> StatusCode {
        match self {
            Problem::SignInRequired | Problem::WrongCredentials => StatusCode::UNAUTHORIZED,
            Problem::TooManySignInAttempts { .. }
            | Problem::TooManySignInAttemptsFromClient { .. } => StatusCode::TOO_MANY_REQUESTS,
            Problem::SignInBusy => StatusCode::SERVICE_UNAVAILABLE,
            Problem::AdminOnly
            | Problem::CrossSiteFetch { .. }
            | Problem::CrossSiteOrigin { .. } => StatusCode::FORBIDDEN,
            Problem::VersionRequired => StatusCode::PRECONDITION_REQUIRED,
            Problem::VersionUnreadable | Problem::StaleVersion => StatusCode::PRECONDITION_FAILED,
            Problem::ServiceDeleted
            | Problem::ServiceHidden
            | Problem::ManualEntryNotAllowed
            | Problem::AlreadyConnected => StatusCode::CONFLICT,
            Problem::NoSuchEndpoint | Problem::MailboxNotFound | Problem::ServiceNotFound => {
                StatusCode::NOT_FOUND
            }
            Problem::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Problem::NotJson { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Problem::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Problem::UnexpectedJson { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Problem::MalformedRequest { .. } => StatusCode::BAD_REQUEST,
            Problem::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            Problem::DatabaseBusy => StatusCode::SERVICE_UNAVAILABLE,
            Problem::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable snake_case code programs match on.
    pub const fn code(&self) -> &'static str {
        match self {
            Problem::SignInRequired => "sign_in_required",
            Problem::WrongCredentials => "wrong_credentials",
            Problem::TooManySignInAttempts { .. }
            | Problem::TooManySignInAttemptsFromClient { .. } => "too_many_sign_in_attempts",
            Problem::SignInBusy => "sign_in_busy",
            Problem::AdminOnly => "admin_only",
            Problem::VersionRequired => "version_required",
            Problem::VersionUnreadable | Problem::StaleVersion => "stale_version",
            Problem::ServiceDeleted => "service_unavailable",
            Problem::ServiceHidden => "service_hidden",
            Problem::ManualEntryNotAllowed => "manual_entry_not_allowed",
            Problem::AlreadyConnected => "already_connected",
            Problem::NoSuchEndpoint | Problem::MailboxNotFound | Problem::ServiceNotFound => {
                "not_found"
            }
            Problem::MethodNotAllowed => "method_not_allowed",
            Problem::CrossSiteFetch { .. } | Problem::CrossSiteOrigin { .. } => {
                "cross_site_request"
            }
            Problem::NotJson { .. } => "unsupported_media_type",
            Problem::PayloadTooLarge => "payload_too_large",
            Problem::UnexpectedJson { .. } => "invalid_body",
            Problem::MalformedRequest { .. } => "bad_request",
            Problem::RequestTimeout => "request_timeout",
            Problem::DatabaseBusy => "database_busy",
            Problem::Internal => "internal_error",
        }
    }

    pub fn body(&self, lang: Lang) -> ApiErrorBody {
        ApiErrorBody::new(self.code(), self.message(lang))
    }
}

/// The answer in English, with the problem itself kept in the response's extensions so that
/// [`in_the_request_language`] can say it again in the language the request asked for.
impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let (mut parts, ()) = Response::new(()).into_parts();
        parts.status = self.status();
        let retry_after_seconds = match self {
            Problem::TooManySignInAttempts {
                retry_after_seconds,
            }
            | Problem::TooManySignInAttemptsFromClient {
                retry_after_seconds,
            } => Some(retry_after_seconds),
            Problem::DatabaseBusy => Some(BUSY_RETRY_AFTER_SECONDS),
            Problem::SignInBusy => Some(crate::hashing::BUSY_RETRY_AFTER.as_secs()),
            _ => None,
        };
        if let Some(seconds) = retry_after_seconds {
            parts
                .headers
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if self == Problem::RequestTimeout {
            // RFC 9110 §15.5.9: the server closes the connection it timed out on.
            parts
                .headers
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        said_in(parts, self, Lang::En)
    }
}

/// A response of these parts whose body is the problem in `lang`, with the problem kept in its
/// extensions.
fn said_in(mut parts: Parts, problem: Problem, lang: Lang) -> Response {
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    let body = serde_json::to_vec(&problem.body(lang)).unwrap_or_default();
    parts.extensions.insert(problem);
    Response::from_parts(parts, Body::from(body))
}

impl From<Problem> for AppError {
    fn from(problem: Problem) -> Self {
        AppError::Problem(problem)
    }
}

/// A busy database, wherever in the error's chain of causes it was said, answers 503; anything
/// else is internal.
impl From<anyhow::Error> for AppError {
    fn from(error: anyhow::Error) -> Self {
        let busy = error
            .chain()
            .filter_map(|cause| cause.downcast_ref::<sqlx::Error>())
            .any(crate::db::is_busy);
        if busy {
            tracing::warn!(error = format!("{error:#}"), "the database is busy");
            AppError::Problem(Problem::DatabaseBusy)
        } else {
            AppError::Internal(error)
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        AppError::from(anyhow::Error::from(error))
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::Problem(problem) => problem.into_response(),
            AppError::Invalid(body) => {
                (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
            }
            AppError::Internal(error) => {
                tracing::error!(error = format!("{error:#}"), "request failed");
                Problem::Internal.into_response()
            }
        }
    }
}

/// The response to a handler that panicked: the panic is logged, the client gets the JSON body.
pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = detail, "request handler panicked");
    Problem::Internal.into_response()
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
        return Problem::Internal.into_response();
    }
    let (parts, body) = response.into_parts();
    // axum's rejection texts say precisely what is wrong with a body or a path; keep them.
    let detail = to_bytes(body, 4096)
        .await
        .ok()
        .map(|bytes| String::from_utf8_lossy(&bytes).trim().to_owned())
        .filter(|text| !text.is_empty());
    let problem = match status {
        StatusCode::NOT_FOUND => Problem::NoSuchEndpoint,
        StatusCode::METHOD_NOT_ALLOWED => Problem::MethodNotAllowed,
        // The CSRF guard refuses any other content type first, so here there was none.
        StatusCode::UNSUPPORTED_MEDIA_TYPE => Problem::NotJson { content_type: None },
        StatusCode::PAYLOAD_TOO_LARGE => Problem::PayloadTooLarge,
        StatusCode::UNPROCESSABLE_ENTITY => Problem::UnexpectedJson { detail },
        _ => Problem::MalformedRequest { detail },
    };
    // The status and headers (such as `Allow`) stay the ones axum chose.
    said_in(parts, problem, Lang::En)
}

/// Says the message of every [`Problem`] answer again in the language of the request's
/// `Accept-Language`, keeping status, code and headers. It is the outermost layer but for tracing,
/// so that the CSRF guard's refusals and panics are covered too.
pub async fn in_the_request_language(request: Request, next: Next) -> Response {
    let accept_language = request.headers().get(header::ACCEPT_LANGUAGE).cloned();
    let response = next.run(request).await;
    let Some(problem) = response.extensions().get::<Problem>().cloned() else {
        return response;
    };
    match request_lang(accept_language.as_ref()) {
        Lang::En => response,
        lang => said_in(response.into_parts().0, problem, lang),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_is_answered_as_an_internal_problem_to_be_said_in_the_request_language() {
        let response = panic_response(Box::new("boom"));
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(
            response.extensions().get::<Problem>(),
            Some(&Problem::Internal)
        );
    }

    #[test]
    fn a_busy_database_is_answered_503_with_retry_after_even_under_context() {
        let error = anyhow::Error::from(sqlx::Error::PoolTimedOut).context("reading the settings");
        let response = AppError::from(error).into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers()[header::RETRY_AFTER], "2");
        let other = AppError::from(sqlx::Error::RowNotFound).into_response();
        assert_eq!(other.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn problems_keep_their_status_and_the_retry_after_header() {
        let response = Problem::TooManySignInAttempts {
            retry_after_seconds: 900,
        }
        .into_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()[header::RETRY_AFTER], "900");
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
    }
}
