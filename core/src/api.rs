//! The JSON bodies the server and the browser exchange.

use serde::{Deserialize, Serialize};

use crate::service::MailService;

/// Everything on the "Email service settings" page, saved as one document (SPEC A8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsDocument {
    /// Bumped by every save; a save must name the version it started from.
    pub version: i64,
    /// "Allow entering details of the mail server manually" (SPEC A6).
    pub allow_manual_entry: bool,
    /// Whether business processes may send mail from users' personal addresses (SPEC A7).
    pub business_process_sending: bool,
    /// In the administrator's order.
    pub services: Vec<MailService>,
}

/// The one error body of the whole API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiErrorBody {
    /// Stable snake_case code, e.g. `not_found`, `validation_failed`.
    pub code: String,
    /// A sentence for people, saying what went wrong and how to fix it.
    pub message: String,
    /// Per-field problems, so the app can show each beside its field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// Path of the field, e.g. `services[2].smtp`.
    pub field: String,
    pub code: String,
    pub message: String,
}

impl ApiErrorBody {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            fields: Vec::new(),
        }
    }
}
