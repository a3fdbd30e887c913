//! One async function per API endpoint; every failure arrives as an [`ApiError`] with a message for people.

use std::fmt;

use gloo_net::http::{Request, Response};
use mail_core::{ApiErrorBody, SettingsDocument};
use serde::de::DeserializeOwned;

/// Why a call to the server failed, in words the page can show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status, or `None` when the server could not be reached at all.
    pub status: Option<u16>,
    pub body: ApiErrorBody,
}

impl ApiError {
    fn unreachable(detail: impl fmt::Display) -> Self {
        ApiError {
            status: None,
            body: ApiErrorBody::new(
                "unreachable",
                format!("Cannot reach the server ({detail}). Check your connection and try again."),
            ),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.body.message)
    }
}

impl std::error::Error for ApiError {}

/// GET /api/admin/settings — the whole "Email service settings" document (SPEC A1).
pub async fn admin_settings() -> Result<SettingsDocument, ApiError> {
    let response = Request::get("/api/admin/settings")
        .send()
        .await
        .map_err(ApiError::unreachable)?;
    decode(response).await
}

/// gloo-net does not fail on 4xx/5xx: check the status and decode the server's error body.
async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    if response.ok() {
        return response.json::<T>().await.map_err(|e| ApiError {
            status: Some(status),
            body: ApiErrorBody::new(
                "bad_response",
                format!("The server's answer could not be read ({e}). Reload the page."),
            ),
        });
    }
    let body = response.json::<ApiErrorBody>().await.unwrap_or_else(|_| {
        ApiErrorBody::new(
            "http_error",
            format!(
                "The server answered {status} {}. Try again.",
                response.status_text()
            ),
        )
    });
    Err(ApiError {
        status: Some(status),
        body,
    })
}
